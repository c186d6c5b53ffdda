"""Responsibility extraction: who leads a task, who cooperates, and where the text says so.

Works on the stored chunks (and the lead-in lines each chunk carries), with
rules for the ways Vietnamese administrative text assigns work:
"X chủ trì, phối hợp với Y, Z ...", "X làm đầu mối ...", "X đồng chủ trì",
"X có trách nhiệm ...", "đề nghị X ...", "giao X ...", "gửi X để tổng hợp",
"- Đơn vị chủ trì: X", and items under a lead-in line "a) X chủ trì ...:".
A unit is only ever a span of the cited text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.reading.units import GENERIC_START, UNIT_START, clean_unit, is_generic, phrase_end, starts_unit, unit_end
from index.chunker import FIELD_LINE, PLAIN_LEAD_IN_LEVEL, PLAIN_LEVEL, is_heading, marker_level
from index.sentences import line_spans, sentence_spans

_W = r"(?<![\w])"
_E = r"(?![\w])"
LEAD_KEYWORD = re.compile(
    _W + r"(đồng chủ trì|chủ trì|làm cơ quan đầu mối|là cơ quan đầu mối|làm đầu mối|là đầu mối|"
    r"là cơ quan thường trực|làm cơ quan thường trực|là cơ quan chủ trì|làm Trưởng Tiểu ban|làm Trưởng ban|làm Tổ trưởng|"
    r"(?:thực hiện )?nhiệm vụ đầu mối|chịu trách nhiệm chính|chịu trách nhiệm|có trách nhiệm)" + _E,
    re.IGNORECASE,
)
REQUEST = re.compile(_W + r"(đề nghị|giao cho|giao|yêu cầu|chỉ đạo)\s+", re.IGNORECASE)
SEND_TO = re.compile(_W + r"gửi\s+(?:về\s+|cho\s+|đến\s+)?", re.IGNORECASE)
SUMMARISE = re.compile(r"\s*(?:để\s+)?(?P<verb>tổng hợp|báo cáo)", re.IGNORECASE)
FIELD_LEAD = re.compile(r"^[-–+•]?\s*(?:Đơn vị|Cơ quan) chủ trì[^:]{0,20}:\s*", re.IGNORECASE)
FIELD_PARTNERS = re.compile(r"^[-–+•]?\s*(?:Đơn vị|Cơ quan) phối hợp[^:]{0,20}:\s*", re.IGNORECASE)
_FILLER = re.compile(
    r"[\s,]*(?:(?:sẽ|cần|phải|đã|vẫn|cũng|tiếp tục|được giao|được|là|làm|giữ vai trò|thực hiện|có|chịu|thì)[\s,]*)*",
    re.IGNORECASE,
)
_PARTNER_INTRO = re.compile(
    r"[\s,]*(?:và\s+)?(?:tham gia\s+)?(?:cùng\s+)?(?:phối hợp chặt chẽ với|phối hợp với|phối hợp cùng|"
    r"phối hợp|cùng với|cùng|với)\s+",
    re.IGNORECASE,
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,80}\)")
_ENUMERATION = re.compile(r"các\s+(Vụ|Cục|Bộ|Sở|Ban)\s*:\s*", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:,?\s*(?:đặc biệt là|nhất là|trước hết là|trong đó có)|,|;|và|cùng)\s*")
_TASK_LEAD = re.compile(
    r"^[\s,;:.]*(?:(?:và|để|nhằm|tiến hành|\(?khi có yêu cầu\)?|theo chức năng, nhiệm vụ)[\s,]+)*", re.IGNORECASE
)
# no "^": it is matched at a position inside the text (re's "^" only matches at the very start)
_MARKER = re.compile(r"(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–•*+])\s*")


def strip_marker(line: str) -> str:
    m = _MARKER.match(line)
    return line[m.end() :] if m else line
# "12. Trách nhiệm của Bộ Công thương", "Nhiệm vụ của Sở Tư pháp", "Đối với Ủy ban nhân dân tỉnh"
_HEADING_PREFIX = re.compile(r"^(?:(?:Trách nhiệm|Nhiệm vụ|Phân công)(?: cụ thể)? của|Đối với|Giao)\s+", re.IGNORECASE)
_NOUN_USE = re.compile(r"(?:cơ quan|đơn vị|bên)\s*$", re.IGNORECASE)


@dataclass
class Assignment:
    lead: str
    partners: list[str]
    task: str
    role: str
    statement: str  # the sentence or item that states it (what is quoted)
    start: int  # span of the statement in the source document
    end: int
    lead_in: str = ""  # the lead-in line the lead comes from, when inherited
    source: str = ""
    title: str = ""
    chunk_id: str = ""
    all_partners: list[str] = field(default_factory=list)  # generic ones included

    @property
    def quote(self) -> str:
        return f"{self.lead_in}\n{self.statement}" if self.lead_in else self.statement


@dataclass
class _Found:
    lead: str
    partners: list[str]
    task: str
    role: str
    explicit: bool = True
    start: int = 0  # the stating sentence
    end: int = 0


def parse_units(text: str, pos: int, limit: int) -> tuple[list[str], int]:
    """A list of units "A, B và các C liên quan" starting at pos; returns (units, end)."""
    units: list[str] = []
    while pos < limit:
        enum = _ENUMERATION.match(text, pos, limit)
        if enum:
            head = enum.group(1)
            pos = enum.end()
            while pos < limit:
                synthetic = f"{head} {text[pos:limit]}"
                end = unit_end(synthetic, 0, split_commas=True)
                if end is None or end <= len(head) + 1:
                    break
                units.append(clean_unit(synthetic[:end]))
                pos += end - len(head) - 1
                sep = _SEPARATOR.match(text, pos, limit)
                if not sep or not text[sep.end() : sep.end() + 1].isupper() or starts_unit(text, sep.end(), limit):
                    break
                pos = sep.end()
        else:
            end = unit_end(text, pos, limit)
            if end is None:
                break
            units.append(clean_unit(text[pos:end]))
            pos = end
            aside = _PARENTHETICAL.match(text, pos, limit)
            if aside:
                pos = aside.end()
        sep = _SEPARATOR.match(text, pos, limit)
        if not sep or not starts_unit(text, sep.end(), limit):
            break
        pos = sep.end()
    return [u for u in units if u], pos


def _lead_before(text: str, kw_start: int, floor: int) -> tuple[int, int] | None:
    for match in UNIT_START.finditer(text, floor, kw_start):
        end = unit_end(text, match.start(), kw_start)
        if end and _FILLER.fullmatch(text, end, kw_start):
            return match.start(), end
    return None


_COOPERATES_WITH = re.compile(r"phối hợp (?:chặt chẽ )?(?:với|cùng)\s+", re.IGNORECASE)
_LISTED = re.compile(r"các (Bộ|Sở|Cục|Vụ|Tổng cục)\s*:\s*")
_LIST_SEPARATOR = re.compile(r"\s*(?:,|và)\s*")


def _listed_units(text: str, listed: re.Match[str], limit: int) -> tuple[list[str], int]:
    """ "các Bộ: Xây dựng, Quốc phòng theo ..." -> ["Bộ Xây dựng", "Bộ Quốc phòng"] and where the list ends."""
    head = listed.group(1)
    units: list[str] = []
    pos = listed.end()
    while pos < limit and text[pos : pos + 1].isupper():
        own = unit_end(text, pos, limit, split_commas=True) if UNIT_START.match(text, pos, limit) else None
        if own:  # "các Vụ: Kế hoạch, Cục Hoá chất": a unit of another type, named in full
            units.append(clean_unit(text[pos:own]))
            pos = own
        else:
            probe = f"{head} {text[pos:limit]}"
            end = unit_end(probe, 0, split_commas=True)
            if end is None or end <= len(head) + 1:
                break
            units.append(clean_unit(probe[:end]))
            pos += end - len(head) - 1
        sep = _LIST_SEPARATOR.match(text, pos, limit)
        if not sep:
            break
        pos = sep.end()
    return units, pos


def _partners_and_task(text: str, pos: int, limit: int) -> tuple[list[str], str]:
    partners: list[str] = []
    while intro := _PARTNER_INTRO.match(text, pos, limit):
        listed = _LISTED.match(text, intro.end(), limit)
        if listed:  # "phối hợp với các Bộ: Xây dựng, Quốc phòng ..."
            partners_listed, after = _listed_units(text, listed, limit)
            partners += partners_listed
            pos = after
            continue
        more, after = parse_units(text, intro.end(), limit)
        if not more:
            end = phrase_end(text, intro.end(), limit)  # "phối hợp với chủ đầu tư"
            if end is None:
                break
            more, after = [clean_unit(text[intro.end() : end])], end
        partners += more
        pos = after
    task = text[pos:limit]
    task = task[_TASK_LEAD.match(task).end() :] if _TASK_LEAD.match(task) else task  # type: ignore[union-attr]
    return partners, task.strip().rstrip(".;")


def _join_leads(leads: list[str]) -> str:
    joined = ", ".join(leads)
    return joined if len(joined) <= 80 else leads[0]


def find_in_sentence(text: str, start: int = 0, end: int | None = None) -> list[_Found]:
    """The assignments one sentence states."""
    end = len(text) if end is None else end
    found: list[_Found] = []
    marker = _MARKER.match(text, start, end)
    body = marker.end() if marker else start
    for kw in LEAD_KEYWORD.finditer(text, body, end):
        if _NOUN_USE.search(text, body, kw.start()) and not _lead_before(text, kw.start(), body):
            continue
        role = kw.group(1).lower()
        role = "làm đầu mối" if "đầu mối" in role else role
        lead = _lead_before(text, kw.start(), body)
        partners, task = _partners_and_task(text, kw.end(), end)
        if lead and not task and text[body : lead[0]].rstrip().lower().endswith(" do"):
            task = text[body : lead[0]].rstrip()[:-3].strip(" ,")  # "Tiểu ban nội dung do Vụ trưởng X làm Trưởng Tiểu ban"
        if lead:
            listed, listed_end = parse_units(text, body, kw.start())
            if len(listed) > 1 and listed_end >= lead[1] and _FILLER.fullmatch(text, listed_end, kw.start()):
                # "Văn phòng UBND thành phố, Văn phòng UBND quận - huyện có trách nhiệm ...": both lead
                found.append(_Found(_join_leads(listed), partners, task, role))
                continue
            found.append(_Found(clean_unit(text[lead[0] : lead[1]]), partners, task, role))
        elif not text[body : kw.start()].strip(" ,"):
            found.append(_Found("", partners, task, role))  # "Chủ trì, phối hợp ...": lead from the lead-in
    for req in REQUEST.finditer(text, body, end):
        if text[max(body, req.start() - 6) : req.start()].strip().lower().endswith("được"):
            continue
        if req.start() == body and req.group(1).lower() == "chỉ đạo":
            # an item "- Chỉ đạo Tập đoàn X ...": the lead-in's unit gives the instruction
            found.append(_Found("", [], text[body:end].strip(" .;"), "chủ trì"))
            continue
        if not (UNIT_START.match(text, req.end(), end) or text.startswith("các ", req.end())):
            continue
        leads, after = parse_units(text, req.end(), end)
        if leads and not any(f.lead in leads for f in found):
            partners, task = _partners_and_task(text, after, end)
            verb = req.group(1).lower()
            role = {"đề nghị": "được đề nghị", "chỉ đạo": "được chỉ đạo"}.get(verb, "được giao")
            found.append(_Found(_join_leads(leads), partners, task, role))
    for send in SEND_TO.finditer(text, body, end):
        leads, after = parse_units(text, send.end(), end)
        summary = SUMMARISE.match(text, after, end)
        if leads and summary:
            found.append(_Found(_join_leads(leads), [], text[summary.start("verb") : end].strip(" .;"), "tổng hợp"))
    if not found and _COOPERATES_WITH.match(text, body, end):
        # an item "Phối hợp với Cục X, Cục Y ban hành ..." under "3. Vụ Z": Z works with X and Y
        partners, task = _partners_and_task(text, body, end)
        if partners:
            found.append(_Found("", partners, task, "phối hợp"))
    if not found:
        found.extend(_subject(text, body, end))
    return found


_CLAUSE_BREAK = re.compile(r",\s+|\s(?:nhưng|song|thì)\s+")


def _subject(text: str, body: int, end: int) -> list[_Found]:
    """ "Các địa phương cần chú ý ...", "Trong lĩnh vực X, các quận huyện phối hợp ...": the subject does it."""
    # after a comma or a contrast ("Mặc dù ... nhưng các đơn vị vẫn cần ...")
    starts = [body] + [m.end() for m in _CLAUSE_BREAK.finditer(text[body : min(end, body + 90)])]
    for i, pos in enumerate(starts):
        pos = pos if i == 0 else body + pos
        leads, after = parse_units(text, pos, end)
        if not leads:
            continue
        colon = re.compile(r"\s*:\s*").match(text, after, end)
        if i == 0 and len(leads) == 1 and colon and colon.end() < end:  # "Cục Thống kê: phối hợp với ..."
            partners, task = _partners_and_task(text, colon.end(), end)
            return [_Found(leads[0], partners, task, "thực hiện")]
        if after < end and text[after:end].strip()[:1].islower():
            partners, task = _partners_and_task(text, after, end)
            return [_Found(_join_leads(leads), partners, task, "thực hiện", explicit=False)]
    return []


def _heading_unit(line: str) -> str | None:
    """ "3. Bộ Công Thương:" names the lead of the items below it."""
    body = _HEADING_PREFIX.sub("", strip_marker(line)).rstrip(": ")
    if not body or len(body) > 100:
        return None
    end = unit_end(body, 0)
    return clean_unit(body) if end is not None and end >= len(body) - 1 else None


@dataclass
class _LeadIn:
    level: float
    lead: str
    partners: list[str]
    text: str


_INLINE_PARTNERS = re.compile(r"[;,]\s*" + _COOPERATES_WITH.pattern, re.IGNORECASE)


def _inline_partners(text: str, start: int, end: int) -> list[str]:
    """ "b) Tăng cường ...; phối hợp với Bộ Công an rà soát ...": who the item's lead works with."""
    found = _INLINE_PARTNERS.search(text, start, end)
    return parse_units(text, found.end(), end)[0] if found else []


def extract_from_lines(
    text: str, lines: list[tuple[int, int]], first_own_line: int, base_offset: int = 0
) -> list[Assignment]:
    """Assignments stated by lines[first_own_line:]; earlier lines only give context."""
    results: list[Assignment] = []
    stack: list[_LeadIn] = []
    task_lines: list[str] = []
    last_field = -1
    for index, (a, b) in enumerate(lines):
        line = text[a:b]
        own = index >= first_own_line
        level = marker_level(line)
        lead_in_line = line.endswith(":") or is_heading(line, level)
        level = level if level is not None else (PLAIN_LEAD_IN_LEVEL if lead_in_line else PLAIN_LEVEL)
        if level < PLAIN_LEVEL:
            while stack and stack[-1].level >= level:
                stack.pop()
        field_lead = FIELD_LEAD.match(line)
        field_partners = FIELD_PARTNERS.match(line)
        if field_partners and results and last_field == len(results) - 1:
            partners, _ = parse_units(line, field_partners.end(), len(line))
            results[-1].partners = [p for p in partners if not is_generic(p)]
            results[-1].all_partners = partners
            continue
        if field_lead:
            leads, _ = parse_units(line, field_lead.end(), len(line))
            lead = _join_leads(leads) if leads else clean_unit(line[field_lead.end() :])[:80]
            task = " ".join(task_lines)
            if own and lead and task:
                results.append(Assignment(lead, [], task, "chủ trì", line, a + base_offset, b + base_offset, lead_in=task))
                last_field = len(results) - 1
            continue
        if FIELD_LINE.match(line):
            continue
        if len(strip_marker(line)) < 8:
            continue  # a bare section number
        if level <= 3.0:
            task_lines = []
        task_lines.append(strip_marker(line))
        inherited = next((s for s in reversed(stack) if s.lead), None)
        line_found: list[_Found] = []
        for s, e in sentence_spans(text, a, b):
            for f in find_in_sentence(text, s, e):
                f.start, f.end = s, e
                line_found.append(f)
        explicit = [f for f in line_found if f.lead and f.explicit]
        if lead_in_line:
            head = explicit[0] if explicit else None
            lead = head.lead if head else (_heading_unit(line) or "")
            partners = head.partners if head else []
            if not lead and line_found and not line_found[0].lead and inherited:
                lead, partners = inherited.lead, inherited.partners + line_found[0].partners
            stack.append(_LeadIn(level, lead, partners, line))
            if not (head and head.task) and not lead:
                continue
            if not (head and head.task):
                continue
        if not own:
            continue
        if not explicit and inherited:
            # "b) Chủ trì, phối hợp với Bộ Tài chính ...": the item's own partners and task, the lead-in's lead
            own_found = next((f for f in line_found if not f.lead), None)
            partners = own_found.partners if own_found and own_found.partners else (
                _inline_partners(text, a, b) or inherited.partners
            )
            task = own_found.task if own_found and own_found.task else strip_marker(line)
            role = own_found.role if own_found else "chủ trì"
            explicit = [_Found(inherited.lead, partners, task, role, start=a, end=b)]
            lead_in_text = inherited.text
        else:
            explicit = explicit or [f for f in line_found if f.lead]
            lead_in_text = ""
        for f in explicit:
            results.append(Assignment(
                lead=f.lead, partners=[p for p in f.partners if not is_generic(p)], task=f.task or line,
                role=f.role, statement=text[f.start : f.end], start=f.start + base_offset, end=f.end + base_offset,
                lead_in=lead_in_text, all_partners=f.partners,
            ))
    return results


def extract_assignments(chunk_text: str, chunk_start: int, context: list[dict[str, object]]) -> list[Assignment]:
    """Assignments stated in a chunk, with spans in the source document."""
    pieces = [str(c["text"]) for c in context]
    joined = "\n".join([*pieces, chunk_text])
    spans = line_spans(joined)
    offset_of_chunk = len(joined) - len(chunk_text)
    first_own = next((i for i, (a, _) in enumerate(spans) if a >= offset_of_chunk), len(spans))
    found = extract_from_lines(joined, spans, first_own, base_offset=chunk_start - offset_of_chunk)
    return found


__all__ = ["GENERIC_START", "Assignment", "extract_assignments", "find_in_sentence", "parse_units"]
