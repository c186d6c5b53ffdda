"""Who a document gives which task: assignments read from its outline and its sentences.

A document is read whole (its chunks put back together at their offsets): every line is
read with the path of headings above it (index.outline). A statement's own sentence names its
unit, or the nearest heading above it that names one does ("2. Sở Tài chính:", "Giao Sở Y tế
các nhiệm vụ sau:", "Đối với UBND cấp huyện"). Field lines ("Đơn vị chủ trì: X", "Đơn vị phối
hợp: Y") give the unit of the task items above them, and a table with a lead column gives one
assignment a row. Each assignment keeps the span of the statement that states it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from assistant.reading.anaphora import antecedent
from assistant.reading.assignment import Assignment
from assistant.reading.frame_table import COMMA
from assistant.reading.frames import (
    COOPERATE,
    EXECUTES,
    GIVES,
    LEAD,
    LINKER,
    OBJECT,
    RECEIVES,
    SUBJECT,
    Frame,
    continued,
    find_frames,
    heading_task,
    opens_clause,
    partners_and_task,
    unit_before_separator,
    verb_roles,
)
from assistant.reading.letters import address_requests, addressees, distribution_spans
from assistant.reading.role_blocks import FIELD_ORDER, block_assignments, role_blocks
from assistant.reading.tables import table_assignments
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import clean_unit, is_generic, starts_unit, starts_verb, unit_end
from index.knowledge import load
from index.outline import FIELD, PLAIN, ROW, OutlineLine, parse_outline, path
from index.sentences import sentence_spans
from index.textnorm import blank_markup

HEADING_ORDER, CONTINUED = "heading", "continued"


_OPENING_VERB_CHARS = 25  # a unit named this close to an item's start is the object of its opening verb
_OWN_TASK_CHARS = 60  # an item shorter than this, with items below it, is their heading ("1. Tổ chức thực hiện")


def _actor(frames: list[Frame]) -> Frame | None:
    """Who a sentence's frames set to work, to go on in the next sentence: the unit asked or directed to act ("Phó
    Thủ tướng yêu cầu Bộ X ... . Đồng thời, chỉ đạo ..." goes on with Bộ X), else the subject."""
    asked = next((f for f in frames if f.lead and f.order == OBJECT and f.is_task), None)
    return asked or next((f for f in frames if f.lead and f.order in (SUBJECT, CONTINUED, HEADING_ORDER)), None)


def _starts_with_verb(text: str, start: int, end: int) -> bool:
    """ "Tập trung ưu tiên đầu tư ...": a sentence whose first word (after a linker) starts a verb."""
    pos = LINKER.match(text, start, end).end()  # type: ignore[union-attr]
    words = text[pos : min(end, pos + 40)].split()
    return bool(words) and starts_verb(words[0], words[1] if len(words) > 1 else "")


def _main_clause(text: str, start: int, end: int) -> int:
    """Where the main clause after an opening condition or setting ("Căn cứ tình hình thực tế, chỉ đạo ...") starts
    with its verb; -1 when none does."""
    return next((comma.end() for comma in COMMA.finditer(text, start, end) if _starts_with_verb(text, comma.end(), end)), -1)


def _rejoin_unit_lists(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ "Giao Sở X chủ trì, phối hợp với các sở, ngành; Ủy ban nhân dân các xã; ... triển khai Kế hoạch này.": a
    semicolon inside a list of units ends no sentence. A segment whose frame names its partners but no task yet goes
    on into the next one when that one starts with a unit that takes no part of its own ("; Cục B chủ trì ...")."""
    joined: list[tuple[int, int]] = []
    for s, e in sentences:
        if joined:
            ps, pe = joined[-1]
            if (text[ps:pe].rstrip().endswith(";") and starts_unit(text, s, e)
                    and any(f.partners and not f.task for f in find_frames(text, ps, pe))
                    and all(f.role == EXECUTES for f in find_frames(text, s, e))):
                joined[-1] = (ps, e)
                continue
        joined.append((s, e))
    return joined


@dataclass
class _HeadingUnit:
    lead: str
    partners: list[str]
    role: str
    line: int


_CLOSING = re.compile("|".join(re.escape(c) for c in load("frames")["closing_openers"]), re.IGNORECASE)
_DUTY = "|".join(re.escape(d) for d in sorted(load("frames")["heading_duties"], key=len, reverse=True))
_DUTIES = rf"(?i:{_DUTY})(?:(?:\s*,\s*|\s+và\s+)(?i:{_DUTY}))*\s+(?:của|cho)"  # "Nhiệm vụ và quyền hạn của"
_PREFIX = re.compile(
    rf"^(?:{_DUTIES}|"
    + "|".join(re.escape(p) for p in sorted(load("frames")["heading_prefixes"], key=len, reverse=True)) + r")(?:\s+|(?=[A-ZĐ]))",
)
_ROLE_WORDS = re.compile(r"\s*(?:(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|thực hiện)\b.*)?[:.]?\s*$", re.IGNORECASE)

_SPACES = re.compile(r"[ \t]{2,}")  # where markup was blanked


class DocumentReader:
    """Reads one document's text into assignments."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = parse_outline(text)
        self._heading_units: dict[int, _HeadingUnit | None] = {}
        marked = [i for i, line in enumerate(self.lines) if line.kind not in (PLAIN, FIELD, ROW)]
        # an outlined text (plan, decision, notice), not a news article: a subject goes on in the next sentence
        self.structured = len(marked) >= 0.15 * len(self.lines)
        # an outlined text opens with its issuer, grounds and preamble: no tasks there
        self.preamble_end = marked[0] if len(marked) >= 0.15 * len(self.lines) and marked else 0
        self.blocks = role_blocks(text, self.lines)
        self.in_block = {k for block in self.blocks for k in block.lines}

    # -- headings -----------------------------------------------------------------
    def heading_unit(self, index: int) -> _HeadingUnit | None:
        """The unit a heading line names for the lines under it, if any."""
        if index in self._heading_units:
            return self._heading_units[index]
        line = self.lines[index]
        found: _HeadingUnit | None = None
        if line.kind not in (FIELD, ROW):
            body = self.text[line.body : line.end]
            # not a speaker's lead-in ("Phó Thủ tướng X kết luận như sau:"): the items are said to others
            frames = [f for f in find_frames(self.text, line.body, line.end) if f.lead and f.role != GIVES and not f.speech]
            # "Sở X chủ trì, phối hợp với Y thực hiện các nhiệm vụ sau:", "Giao Sở X:", "Cục Thống kê thực hiện:";
            # not a preamble that issues the whole text ("UBND tỉnh ban hành Kế hoạch ... như sau:")
            framed = next((f for f in frames if f.role != EXECUTES and (heading_task(f.task) or len(f.task) < 40 or line.opens)),
                          None)
            framed = framed or next((f for f in frames if f.role == EXECUTES and len(f.task) < 40), None)
            if framed:
                found = _HeadingUnit(framed.lead, framed.partners, framed.role if framed.role != EXECUTES else LEAD, index)
            elif line.children and (titled := unit_before_separator(self.text, line.body, line.end)):
                found = _HeadingUnit(titled[0], [], LEAD, index)  # "3. Cục Đường bộ Việt Nam - Chỉ đạo ...", then its items
            else:
                found = self._unit_title(body, index)
        self._heading_units[index] = found
        return found

    def _unit_title(self, body: str, index: int) -> _HeadingUnit | None:
        """ "Sở Tài chính:", "Trách nhiệm của Bộ Y tế", "Đối với Ủy ban nhân dân các huyện" (a unit and nothing else)."""
        prefixed = _PREFIX.match(body.strip())
        title = (body.strip()[prefixed.end() :] if prefixed else body.strip()).strip(" :.")
        rest = _ROLE_WORDS.sub("", title).strip(" :.")
        named, members = rest.partition(" (")[::2]
        if body.rstrip().endswith(":") and members and starts_unit(named, 0) and len(named) <= 80 and not verb_roles(named):
            # "1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý Khu Kinh tế ...):": a unit and its members
            return _HeadingUnit(clean_unit(named), [], LEAD, index)
        if not rest or len(rest) > 120:
            return None
        units, end = parse_units(rest, 0, len(rest))
        if units and end >= len(rest) - 1:
            return _HeadingUnit(", ".join(units), [], LEAD, index)
        if prefixed and prefixed.group().rstrip().endswith("của") and len(title) <= 80 and not re.search(r"[.;!?]", title):
            # "Trách nhiệm của Trưởng Ban Chỉ đạo", "... của đối tượng thực hiện kiểm kê": after "của" the title
            # names whoever bears them, a known unit or not
            return _HeadingUnit(clean_unit(title), [], LEAD, index)
        if prefixed and starts_unit(rest, 0) and not re.search(r"[.;!?]", rest):
            # "Trách nhiệm của Văn phòng đăng ký đất đai": after such a prefix the whole title is the unit
            return _HeadingUnit(clean_unit(rest)[:80], [], LEAD, index)
        return None

    def inherited(self, index: int) -> _HeadingUnit | None:
        parent = self.lines[index].parent
        while parent >= 0:
            unit = self.heading_unit(parent)
            if unit:
                return unit
            parent = self.lines[parent].parent
        return None

    # -- reading --------------------------------------------------------------------
    def assignments(self) -> list[Assignment]:
        found: list[Assignment] = []
        fields = self._field_groups()
        assigned = block_assignments(self.text, self.lines, self.blocks)
        actor: Frame | None = None  # who acts at the end of the last paragraph
        for index, line in enumerate(self.lines):
            found += assigned.get(index, [])
            if index in self.in_block:
                actor = None
                continue  # "a) Cơ quan chủ trì", "- Bộ Quốc phòng.": read with the block
            if line.kind in (FIELD, ROW) or index in fields:
                found += fields.get(index, [])
                actor = None
                continue
            read, actor = self._line(index, line, actor if line.kind == PLAIN else None)
            found += read
        found += table_assignments(self.text, self.lines)
        # a letter's distribution list and signature ("Nơi nhận: - Như trên; - Lưu: VT") hold no task
        outside = distribution_spans(self.text, self.lines)
        found = [a for a in found if not any(start <= a.start < end for start, end in outside)]
        for a in found:
            # "Đến nay, Sở đã chủ trì ...", "Đại diện Bộ Công Thương cho biết, ..., Bộ đã phối hợp ...": the body named
            # before the bare head, in the text or earlier in its own sentence
            if a.explicit and (full := antecedent(self.text, a.lead, a.start, a.end)):
                a.lead = full
        starts = [line.start for line in self.lines]
        for a in found:
            i = max(0, bisect.bisect_right(starts, a.start) - 1)
            a.context = " / ".join(self.text[self.lines[j].start : self.lines[j].end] for j in path(self.lines, i))
        if to := addressees(self.text, self.lines):
            address_requests(found, self.text, to)
        return found

    def _line(self, index: int, line: OutlineLine, before: Frame | None) -> tuple[list[Assignment], Frame | None]:
        """The line's assignments, and who acts at its end. `before`: who acted at the end of the paragraph before."""
        out: list[Assignment] = []
        # the text's closing paragraph ("Trên đây là Kế hoạch ...") is no item of the last heading
        inherited = None if _CLOSING.match(self.text, line.body) else self.inherited(index)
        own_heading = self.heading_unit(index) if (line.opens or line.children) else None
        sentences = _rejoin_unit_lists(self.text, sentence_spans(self.text, line.body, line.end) or [(line.body, line.end)])
        # the last sentence's actor goes on in the next ("Tỉnh ... . Tập trung ..."); a paragraph that opens with a
        # linker and a verb ("Bên cạnh đó, tiếp tục phối hợp với ...") goes on with the paragraph before, and so
        # does one that opens with a verb after a unit's title ("Sở NN&PTNT: Không cấp ..." then "Thực hiện ...")
        subject: Frame | None = before if inherited is None else None
        heading_acts = False  # an item under a unit's heading that opens with a verb: the unit does it
        for n, (s, e) in enumerate(sentences):
            frames = find_frames(self.text, s, e)
            # "- Căn cứ ..., chỉ đạo X ...": after a condition or a setting, the main clause opens with the verb
            main = _main_clause(self.text, s, e) if opens_clause(self.text, s) else s
            if n == 0 and inherited is not None and not line.children and main >= 0 and _starts_with_verb(self.text, main, e):
                # ... when the item's frames all name others it asks or directs later on, none the unit itself
                # (not "- Giao Sở X ...", "- Yêu cầu các bộ ...": those are the text's own requests)
                heading_acts = bool(frames) and all(
                    f.lead and f.order != SUBJECT and f.lead_start - main > _OPENING_VERB_CHARS for f in frames)
            linked = LINKER.match(self.text, s, e).end() > s or (subject is not None and subject.titled)  # type: ignore[union-attr]
            # "Thực hiện ...; ... phải phối hợp với X để ...": a sentence with no subject and no heading to name one
            leadless = not frames or (inherited is None and not any(f.lead for f in frames))
            if (leadless and subject is not None and (linked or (self.structured and n > 0))
                    and _starts_with_verb(self.text, s, e)):
                # after a unit's title, a sentence that opens with a verb is one of its items, as under a heading
                going_on = continued(self.text, s, e, subject, HEADING_ORDER if subject.titled else CONTINUED)
                going_on.partners = going_on.partners or next((f.partners for f in frames if f.partners), [])
                frames = [going_on]
            for frame in frames:
                if own_heading and frame.lead == own_heading.lead and heading_task(frame.task):
                    continue  # "Sở X chủ trì, phối hợp với Y thực hiện các nhiệm vụ sau:": the items are the tasks
                if index < self.preamble_end:
                    frame.no_task = True  # the text's opening ("Chính phủ ban hành Nghị quyết ...", "Căn cứ ...")
                out.append(self._assignment(frame, index, s if frame.lead else line.start, e, inherited))
            if heading_acts:
                subject = None  # "- Đánh giá ... và tham mưu Tổng cục chỉ đạo, đôn đốc các Cục Thuế ...": not their item
            elif frames:
                subject = _actor(frames)
            elif subject is not None and subject.titled:
                subject = None  # a unit's title goes on over the sentences that open with a verb, up to one that does not
        # a report sent on ("..., báo cáo Thủ tướng Chính phủ") is no other unit's task
        told = all(a.role == RECEIVES and not a.is_task for a in out)
        statement = self.text[line.body : line.end]
        # an item with items of its own is their heading, unless it states a task itself ("1. Hoàn thành kế hoạch
        # thanh tra còn dở dang của năm 2022 trước ngày 29/4/2023." and then "- Áp dụng ...")
        # (its first sentence has no unit of its own, so it is the inherited unit's task as a whole)
        own_task = (bool(line.children) and len(statement) >= _OWN_TASK_CHARS and _starts_with_verb(self.text, line.body, line.end)
                    and not any(a.start == sentences[0][0] for a in out))
        # a line of capitalised words only ("KT. THỦ TƯỚNG", the signer's name) is a title or a signature, no task
        if (inherited and not line.opens and ((not line.children and (told or heading_acts)) or own_task) and line.parent >= 0
                and any(w[:1].islower() for w in statement.split())):
            # an item under "Điều 5. Trách nhiệm của Sở X" that names no unit: one of Sở X's tasks
            frame = Frame("", [], statement.strip(" .;"), EXECUTES, EXECUTES)
            out.append(self._assignment(frame, index, line.start, line.end, inherited))
        return [a for a in out if a.lead], subject

    def _assignment(self, frame: Frame, index: int, s: int, e: int, inherited: _HeadingUnit | None) -> Assignment:
        lead, lead_in, h_start, h_end, explicit = frame.lead, "", -1, -1, bool(frame.lead)
        partners = frame.partners
        role = frame.role
        if not lead and inherited:
            lead = inherited.lead
            heading = self.lines[inherited.line]
            lead_in, h_start, h_end = self.text[heading.start : heading.end], heading.start, heading.end
            if role != COOPERATE and not partners and inherited.partners:
                partners = inherited.partners  # "a) Vụ X chủ trì, phối hợp với Y, Z:" then its items
        titled = unit_before_separator(self.text, frame.lead_start, e) if frame.titled and frame.order == HEADING_ORDER else None
        if titled:  # an item of a unit's title ("Sở NN&PTNT: ..." then "Thực hiện ..."): quote the title
            h_start, h_end, explicit = frame.lead_start, titled[1], False
            lead_in = self.text[h_start:h_end].strip()
        task = _SPACES.sub(" ", frame.task or self.text[self.lines[index].body : e].strip(" .;"))
        # an item "- Chỉ đạo Tập đoàn X ..." under a unit's heading is that unit's task
        is_task = frame.is_task or (frame.role == GIVES and not explicit and not frame.past)
        return Assignment(
            lead=lead, partners=[p for p in partners if not is_generic(p)], task=task, role=role,
            statement=self.text[s:e], start=s, end=e, lead_in=lead_in, all_partners=list(partners),
            order=frame.order if explicit else HEADING_ORDER, explicit=explicit, issuer=frame.issuer,
            is_task=is_task, heading_start=h_start, heading_end=h_end,
            item="" if explicit else self.text[self.lines[index].body : self.lines[index].end],
        )

    # -- field lines ("Đơn vị chủ trì: X") ---------------------------------------------
    def _field_groups(self) -> dict[int, list[Assignment]]:
        """The task items above each group of field lines, read with the fields' units (by item line)."""
        groups: dict[int, list[int]] = {}
        for i, line in enumerate(self.lines):
            if line.kind == FIELD and line.parent >= 0 and i not in self.in_block:
                groups.setdefault(line.parent, []).append(i)
        out: dict[int, list[Assignment]] = {}
        claimed: set[int] = set()
        for owner, field_lines in sorted(groups.items()):
            # "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: X": the first field of its role that names a unit
            leads = self._field_role_units(field_lines, "lead")
            partners = self._field_role_units(field_lines, "partners")
            if not leads:
                continue
            items = self._items_of(owner, claimed)
            block_end = self.lines[field_lines[-1]].end
            for item in items:
                claimed.add(item)
                line = self.lines[item]
                task = self.text[line.body : line.end].strip(" .;")
                lead = ", ".join(leads)
                out.setdefault(item, []).append(Assignment(
                    lead=lead, partners=[p for p in partners if not is_generic(p)], task=task, role=LEAD,
                    statement=self.text[line.start : block_end if item == items[-1] else line.end],
                    start=line.start, end=block_end if item == items[-1] else line.end,
                    all_partners=partners, order=FIELD_ORDER, explicit=True,
                ))
        return out

    def _items_of(self, owner: int, claimed: set[int]) -> list[int]:
        """The item that owns a field group, with the earlier siblings since the last group (two tasks, one unit)."""
        parent = self.lines[owner].parent
        items = [owner]
        i = owner - 1
        while i >= 0 and i not in claimed:
            line = self.lines[i]
            if line.kind == FIELD or i == parent:
                break
            if line.parent == parent and line.kind != ROW:
                items.insert(0, i)
            elif line.parent != owner and line.parent < parent:
                break
            i -= 1
        return items

    def _field_role_units(self, field_lines: list[int], role: str) -> list[str]:
        return next((units for i in field_lines if self.lines[i].field_role == role and (units := self._field_units(i))), [])

    def _field_units(self, index: int) -> list[str]:
        line = self.lines[index]
        text = self.text
        start = line.body + len(text[line.body : line.end]) - len(text[line.body : line.end].lstrip())
        units, _ = parse_units(text, start, line.end)
        if units:
            return units
        value = text[line.body : line.end].strip(" .;")
        return [clean_unit(value)[:80]] if value else []


def read_assignments(text: str) -> list[Assignment]:
    """Every assignment a document's text states, in document order."""
    found = DocumentReader(blank_markup(text)).assignments()
    found.sort(key=lambda a: (a.start, a.end))
    return found


__all__ = ["Assignment", "DocumentReader", "partners_and_task", "read_assignments", "unit_end", PLAIN]
