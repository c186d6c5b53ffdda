"""Assignment frames in one sentence: who leads, who cooperates, who is asked, and the task.

The frames are data (`knowledge/frames.toml`): each names a role, a word order and its verbs.
A unit is only ever a span of the sentence (see assistant.reading.units); a frame whose
sentence names no unit ("- Chủ trì, phối hợp với Sở Y tế ...") has an empty lead, which the
outline gives (see assistant.reading.assignments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.reading.units import (
    ANY_START,
    OFFICIAL_START,
    UNIT_START,
    clean_unit,
    inside_name,
    parse_units,
    phrase_end,
    starts_unit,
    task_after_dash,
    unit_end,
)
from index.knowledge import alternation, load
from index.outline import match_marker

SUBJECT, OBJECT, PASSIVE, EXECUTES, APPOSITION, COPULA = "subject", "object", "passive", "executes", "apposition", "copula"
LEAD, COOPERATE, HEADS, CHAIRS, GUIDES, REQUESTED, DIRECTED, GIVES, RECEIVES = (
    "lead", "cooperate", "heads", "chairs", "guides", "requested", "directed", "gives", "receives"
)
TASK_ROLES = frozenset({LEAD, COOPERATE, HEADS, GUIDES, REQUESTED, DIRECTED, EXECUTES, RECEIVES})
_W, _E = r"(?<![\w])", r"(?![\w])"


@dataclass
class Frame:
    lead: str  # "" when the sentence names none: the heading above gives it
    partners: list[str]
    task: str
    role: str
    order: str
    start: int = 0  # the sentence
    end: int = 0
    lead_start: int = -1  # where the lead is named in the text (-1: not in this sentence)
    issuer: str = ""  # who gives the task, for a unit asked or directed by another
    past: bool = False  # what was done, not what is to be done
    speech: bool = False  # what a unit says
    no_task: bool = False  # read for answering, but not a task (a place to turn to, the text's own issuing)
    all_partners: list[str] = field(default_factory=list)
    titled: bool = False  # its unit is a title before a colon ("Sở Y tế: Chủ trì ..."), as a heading is

    @property
    def is_task(self) -> bool:
        return (self.role in TASK_ROLES and not self.past and not self.speech and not self.no_task
                and self.order != APPOSITION)


def _alternation(words: list[str]) -> str:
    return alternation(words, longest_first=True, any_space=True)


@dataclass(frozen=True)
class _Knowledge:
    verbs: re.Pattern[str]
    roles: dict[str, tuple[str, str]]  # folded-space verb -> (role, order)
    meeting: re.Pattern[str]
    speech: re.Pattern[str]
    past: re.Pattern[str]
    heading_task: re.Pattern[str]
    filler: re.Pattern[str]
    partner_intro: re.Pattern[str]
    cooperation: re.Pattern[str]
    exception: re.Pattern[str]
    issuing: re.Pattern[str]
    copula: re.Pattern[str]
    receive_task: re.Pattern[str]
    opener: re.Pattern[str]
    subordinate: re.Pattern[str]
    recipient: re.Pattern[str]
    duty: frozenset[str]  # lower-case verbs
    manner: re.Pattern[str]
    activity_words: int
    object_lead_in: re.Pattern[str]


@lru_cache(maxsize=1)
def knowledge() -> _Knowledge:
    data = load("frames")
    roles: dict[str, tuple[str, str]] = {}
    for frame in data["frame"]:
        for verb in frame["verbs"]:
            roles[verb.lower()] = (frame["role"], frame["order"])
    return _Knowledge(
        verbs=re.compile(_W + f"({_alternation(list(roles))})" + _E, re.IGNORECASE),
        roles=roles,
        meeting=re.compile(rf"\s*(?:các\s+|một\s+|buổi\s+)?(?:{_alternation(data['meeting_nouns'])}){_E}", re.IGNORECASE),
        speech=re.compile(rf"[\s,]*(?:(?:đã|cũng|còn|thì)\s+)*(?:{_alternation(data['speech_verbs'])}){_E}", re.IGNORECASE),
        past=re.compile(_W + f"(?:{_alternation(data['past_markers'])})" + _E, re.IGNORECASE),
        heading_task=re.compile(rf"(?:{_alternation(data['heading_tasks'])})\s*(?:đây)?\s*:?\s*$", re.IGNORECASE),
        filler=re.compile(rf"[\s,]*(?:(?:{_alternation(data['fillers'])})[\s,]*)*", re.IGNORECASE),
        partner_intro=re.compile(rf"[\s,;]*(?:và\s+)?(?:{_alternation(data['partner_intros'])})\s+", re.IGNORECASE),
        # the intros that say cooperation outright (not a bare "với", "và")
        cooperation=re.compile(rf"(?<!\w)(?:{_alternation([p for p in data['partner_intros'] if ' ' in p])})\s+", re.IGNORECASE),
        exception=re.compile(rf"(?:{_alternation(data['verb_exceptions'])}){_E}", re.IGNORECASE),
        issuing=re.compile(rf"(?:{_alternation(data['issuing'])})", re.IGNORECASE),
        copula=re.compile(rf"(?:{_alternation(data['copula_offices'])})(?:\s+[^.;:]{{0,80}}?)?\s+là\s+"),
        receive_task=re.compile(rf"\s*(?:{_alternation(data['receive_tasks'])}){_E}", re.IGNORECASE),
        opener=re.compile(rf"(?:{_alternation(data['clause_openers'])}){_E}", re.IGNORECASE),
        subordinate=re.compile(rf"{_W}(?:{_alternation(data['subordinators'])})\s*$", re.IGNORECASE),
        recipient=re.compile(rf"{_W}(?:{_alternation(data['recipient_verbs'])})\s*$", re.IGNORECASE),
        duty=frozenset(v.lower() for v in data["duty_verbs"]),
        manner=re.compile(rf"(?<!\w)(?:{_alternation(data['manner_words'])}){_E}", re.IGNORECASE),
        activity_words=int(data["activity_name_max_words"]),
        object_lead_in=re.compile(rf"(?:{_alternation(data['object_lead_ins'])})\s+", re.IGNORECASE),
    )


_TASK_START = re.compile(r"^[\s,;:.\-–]*(?:(?:và|để|nhằm|tiến hành|\(?khi có yêu cầu\)?|theo chức năng, nhiệm vụ(?: được giao)?)[\s,]+)*",
                         re.IGNORECASE)
_DO = re.compile(r"\bdo\s*$", re.IGNORECASE)
# what may open a sentence that goes on with the actor of the one before ("Đồng thời, chỉ đạo ...")
LINKER = re.compile(rf"(?:(?:{_alternation(load('frames')['sentence_linkers'])}|Trường hợp [^,]{{0,60}}),\s*)?")
_NEWS_TIME = re.compile(r"^(?:Sáng|Chiều|Tối|Trưa|Ngày|Hôm|Đầu|Cuối|Trong ngày)\s+(?:nay|qua|\d{1,2}[/-]\d{1,2})", re.IGNORECASE)
_COLON = re.compile(r"\s*:\s*")
# a partner of no known kind is a group of people or bodies ("các cơ sở đào tạo", "chủ đầu tư") or has a name
# ("phòng Y tế", "Quảng Ninh"); not a thing ("chính sách tài khóa", "thông tin")
_GROUP = re.compile(rf"(?:các|những|{alternation(load('units')['nominalisers'])})\s", re.IGNORECASE)
_DASH = re.compile(r"\s+[-–]\s+")
_COMMA = re.compile(r"\s*,\s*")


def verb_roles(text: str) -> list[tuple[str, str, int, int]]:
    """(role, order, start, end) of every frame verb in text."""
    k = knowledge()
    return [(*k.roles[re.sub(r"\s+", " ", m.group(1).lower())], m.start(1), m.end(1)) for m in k.verbs.finditer(text)
            if not _in_name(text, m.start(1))]


_WORD_BEFORE = re.compile(r"(?<!\w)(\w[\w&]*) $")


def _in_name(text: str, verb_start: int) -> bool:
    """A capitalised verb right after a capitalised word goes on a name ("Ban Chỉ đạo", "Trung tâm Hướng dẫn")."""
    if not text[verb_start : verb_start + 1].isupper():
        return False
    before = _WORD_BEFORE.search(text, max(0, verb_start - 30), verb_start)
    return before is not None and before.group(1)[0].isupper()


_APPOSITION = re.compile(r"\s*(?:-|–|,)\s*")


def _lead_before(text: str, verb_start: int, floor: int) -> tuple[list[str], int, int] | None:
    """Units that end right before the verb (only fillers between): (units, start of the first, its end).

    A person with the office they hold ("Phó Thủ tướng Nguyễn Hòa Bình - Trưởng ban Ban chỉ đạo 751")
    is the person."""
    k = knowledge()
    interposed = _subject_before_interposed(text, verb_start, floor)
    if interposed:
        return interposed
    listed = _partner_lists(text, floor, verb_start)
    for match in ANY_START.finditer(text, floor, verb_start):
        if inside_name(text, match.start(), floor) or _within(listed, match.start()):
            continue  # "..., phối hợp với Bộ Công an, Bộ Công Thương thường xuyên tổ chức ...": partners, not the lead
        before = text[floor : match.start()].rstrip()
        if k.subordinate.search(before):
            continue  # "để FTAP trở thành ..., Bộ Công Thương sẽ ...": the unit of a clause of purpose does not act
        if not UNIT_START.match(text, match.start(), verb_start) and before and not before.endswith((",", ";", ":")):
            continue  # a generic noun ("đường bộ", "các cơ quan") leads only from the start of a clause
        units, after = parse_units(text, match.start(), verb_start)
        while units and not k.filler.fullmatch(text, after, verb_start):
            sep = _APPOSITION.match(text, after, verb_start)
            if not sep or not OFFICIAL_START.match(text, sep.end(), verb_start):
                break
            office, after = parse_units(text, sep.end(), verb_start)
            if not office:
                break
            units = units[:1]
        if units and k.filler.fullmatch(text, after, verb_start):
            return units, match.start(), after
        at_clause_start = not before or before.endswith((",", ";", ":")) or bool(_DO.search(before))  # "do X chủ trì"
        named = _named_by_activity(text, after, verb_start) if len(units) == 1 and at_clause_start else None
        if named is not None:
            return [units[0] + text[after:named]], match.start(), named
    return None


def _partner_lists(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the units named after "phối hợp với", "cùng với" and the like in text[start:end]."""
    spans = []
    for intro in knowledge().cooperation.finditer(text, start, end):
        units, after = parse_units(text, intro.end(), end)
        if units:
            spans.append((intro.end(), after))
    return spans


def _within(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(start <= pos < end for start, end in spans)


def _named_by_activity(text: str, after: int, verb_start: int) -> int | None:
    """Where a body named by its activity ends ("Cơ quan | đăng ký kinh doanh | có trách nhiệm"): lower-case words
    after the head, no manner or time words, no unit inside, only fillers after them; None when the words are none
    of that."""
    k = knowledge()
    words = list(re.finditer(r"[^\s,]+", text[after:verb_start]))
    if not words or len(words) > k.activity_words or not words[0].group()[0].islower():
        return None
    for n in range(len(words), 0, -1):
        end = after + words[n - 1].end()
        if k.filler.fullmatch(text, end, verb_start):
            break
    else:
        return None
    while n > 1 and k.manner.search(text, after, end) and k.filler.fullmatch(words[n - 1].group()):
        n -= 1  # "lực lượng | kiểm soát hải quan đã | chủ trì": the name ends before the word of time
        end = after + words[n - 1].end()
    name = text[after:end]
    if re.search(r"[^\w\s,]", name) or any(w[0].isupper() for w in name.split()) or k.manner.search(name):
        return None
    if ANY_START.search(text, after, end) or k.verbs.search(text, after, end) or k.speech.match(text, after, end):
        return None  # "Bộ Công Thương | nêu rõ đang phối hợp ...": a speech verb names no body
    return end


def _subject_before_interposed(text: str, verb_start: int, floor: int) -> tuple[list[str], int, int] | None:
    """ "Sở Tài chính, trên cơ sở đề xuất của các cơ quan, đơn vị, chủ trì tổng hợp ...": a clause set between
    commas after the subject (opened by "trên cơ sở", "căn cứ", "khi", ...) does not change who acts."""
    clause = text[floor:verb_start]
    start = floor + len(clause) - len(clause.lstrip())
    if not clause.rstrip().endswith(",") or not UNIT_START.match(text, start, verb_start):
        return None
    units, after = parse_units(text, start, verb_start)
    comma = _COMMA.match(text, after, verb_start)
    if units and comma and comma.end() < verb_start and knowledge().opener.match(text, comma.end(), verb_start):
        return units, start, after
    return None


_OFFICE_AFTER = re.compile(r"(?:-|–|,)\s*(?:Phó\s+)?(?:Trưởng|Chủ tịch|Giám đốc|Tổng Giám đốc|Chánh|Tổ trưởng)")


def appositions(text: str, start: int, end: int) -> list[Frame]:
    """ "Phó Thủ tướng Nguyễn Hòa Bình - Trưởng ban Ban chỉ đạo 751": the person heads that body."""
    found: list[Frame] = []
    if not _OFFICE_AFTER.search(text, start, end):
        return found
    for match in UNIT_START.finditer(text, start, end):
        person_end = unit_end(text, match.start(), end)
        if person_end is None or not OFFICIAL_START.match(text, match.start(), end):
            continue
        sep = _APPOSITION.match(text, person_end, end)
        if not sep or (text[person_end:sep.end()].strip() == "," and not text[sep.end():sep.end() + 1].isupper()):
            continue
        office = OFFICIAL_START.match(text, sep.end(), end)
        if office and re.match(r"(?:Phó\s+)?(?:Trưởng|Chủ tịch|Giám đốc|Tổng Giám đốc|Chánh|Tổ trưởng)", office.group()):
            office_end = unit_end(text, sep.end(), end)
            if office_end:
                found.append(Frame(clean_unit(text[match.start() : person_end]), [], clean_unit(text[sep.end() : office_end]),
                                   HEADS, APPOSITION, lead_start=match.start()))
    return found


def partners_and_task(text: str, pos: int, limit: int) -> tuple[list[str], str, int]:
    """After a lead's verb: "phối hợp với A, B và các cơ quan liên quan <task>" -> partners, task, where the task starts."""
    k = knowledge()
    partners: list[str] = []
    while intro := k.partner_intro.match(text, pos, limit):
        more, after = parse_units(text, intro.end(), limit)
        if not more:
            end = phrase_end(text, intro.end(), limit)  # "phối hợp với chủ đầu tư"
            # "Phối hợp cung cấp báo cáo ...": after a bare "phối hợp" a lower-case phrase is the task
            if end is None or not text[intro.start() : intro.end()].strip().lower().endswith(("với", "cùng", "của")):
                break
            more, after = [clean_unit(text[intro.end() : end])], end
        partners += more
        pos = after
    start = pos + _TASK_START.match(text[pos:limit]).end()  # type: ignore[union-attr]
    return partners, text[start:limit].strip().rstrip(".;"), start


def later_partners(text: str, start: int, end: int) -> list[str]:
    """ "X chủ trì hướng dẫn ..., phối hợp cùng với Sở Tài chính bố trí kinh phí": a later clause of the lead's own
    task that opens with cooperation names the lead's partners too."""
    found: list[str] = []
    for intro in knowledge().cooperation.finditer(text, start, end):
        before = text[start : intro.start()].rstrip()
        if not (before.endswith(",") or re.search(r",\s*và$", before)):
            continue  # "xây dựng quy chế phối hợp với các tỉnh": cooperation named inside the task, no partner
        units, _ = parse_units(text, intro.end(), end)
        found += [u for u in units if u not in found]
    return found


def opens_clause(text: str, pos: int) -> bool:
    """ "Căn cứ ...", "Trường hợp ...", "Đối với ...": a sentence that opens with a condition or a setting."""
    return bool(knowledge().opener.match(text, pos))


def _is_past(text: str, start: int, verb_start: int) -> bool:
    return bool(knowledge().past.search(text, start, verb_start)) or bool(_NEWS_TIME.match(text[start:verb_start]))


def _join(units: list[str]) -> str:
    return ", ".join(units)


def unit_before_separator(text: str, body: int, end: int) -> tuple[str, int] | None:
    """ "Sở Y tế: Chủ trì ...", "3. Cục Đường bộ Việt Nam - Chỉ đạo ...": one unit, then a colon (or a dash and a
    capitalised verb) before what it is to do; the unit and where its task starts."""
    titled, after_title = parse_units(text, body, end)
    if len(titled) != 1:
        return None
    colon = _COLON.match(text, after_title, end)
    if colon is None:
        dash = _DASH.match(text, after_title, end)
        colon = dash if dash and task_after_dash(text, dash.end(), end) else None
    if colon and colon.end() < end and not text[colon.end() : colon.end() + 1].isdigit():
        return titled[0], colon.end()
    return None


def find_frames(text: str, start: int = 0, end: int | None = None) -> list[Frame]:
    """The frames of the sentence text[start:end] (offsets into text)."""
    end = len(text) if end is None else end
    marker = match_marker(text, start, end)
    body = marker[1] if marker else start
    k = knowledge()
    frames: list[Frame] = []
    # "Sở Văn hóa, Thể thao và Du lịch: Tiếp tục chỉ đạo ...": the unit before the colon does what follows
    titled = unit_before_separator(text, body, end)
    if titled:
        unit, task_start = titled
        inner = [f for f in find_frames(text, task_start, end) if f.order != APPOSITION]
        if not inner:
            partners, task, _ = partners_and_task(text, task_start, end)
            inner = [Frame("", partners, task, EXECUTES, SUBJECT)]
        for f in inner:
            if not f.lead:
                f.lead, f.lead_start, f.titled = unit, body, True
        for f in inner:
            f.start, f.end = start, end
        return inner
    consumed = body  # a verb inside a partner list already read ("chủ trì, phối hợp với") is no new frame
    for role, order, v_start, v_end, duty in _joined(verb_roles(text[:end]), text):
        if v_start < consumed or v_start < body or k.exception.match(text, v_start, end):
            continue
        read_up_to = consumed
        if order == SUBJECT:
            frame, consumed = _subject_frame(text, body, end, role, v_start, v_end)
            if frame is None and duty:  # "có trách nhiệm phối hợp với gia đình ...": no unit to cooperate with
                frame, consumed = _subject_frame(text, body, end, duty[0], v_start, duty[1])
        else:
            frame, consumed = _object_frame(text, body, end, role, v_start, v_end, frames)
        if frame is None:
            continue
        asked = next((f for f in frames if f.order == OBJECT and f.lead_start == frame.lead_start >= 0), None)
        if asked and frame.order == SUBJECT:
            # "Giao Sở X chủ trì, phối hợp với Y ...": the unit asked is the lead, with its partners and task
            asked.role, asked.partners, asked.task = frame.role, frame.partners, frame.task
            continue
        if frame.order == SUBJECT and frames and 0 <= frame.lead_start < read_up_to:
            continue  # "Phối hợp với A, B hướng dẫn ...": A and B were read as partners, the verb is their task
        frames.append(frame)
    office = k.copula.match(text, body, end) if not frames else None
    if office:  # "Chủ tịch Hội đồng là Chủ tịch Ủy ban nhân dân tỉnh": who holds the office, no task
        holders, _ = parse_units(text, office.end(), end)
        if holders:
            frames.append(Frame(_join(holders), [], text[body : office.end()].strip()[:-2].strip(), HEADS, COPULA,
                                lead_start=office.end(), no_task=True))
    # "Bộ X phối hợp với A ...; phối hợp với B ...": the sentence's subject goes on after the semicolon
    opening = next((f for f in frames if f.order == SUBJECT and f.lead and f.lead_start == body), None)
    if opening is not None:
        for f in frames:
            if f.order == SUBJECT and not f.lead:
                f.lead, f.lead_start = opening.lead, opening.lead_start
    if all(f.role == RECEIVES for f in frames):
        # "Bảo hiểm xã hội Việt Nam tuyên truyền ...; báo cáo Chính phủ": whom a report goes to is not who acts
        frames = _executes(text, body, end) + frames
    frames += [f for f in appositions(text, body, end) if not any(g.lead == f.lead and g.role == HEADS for g in frames)]
    for f in frames:
        f.start, f.end = start, end
        if k.issuing.match(f.task):
            f.no_task = True
    return frames


def _joined(
    verbs: list[tuple[str, str, int, int]], text: str
) -> list[tuple[str, str, int, int, tuple[str, int] | None]]:
    """ "có trách nhiệm chủ trì, phối hợp với ...", "có nhiệm vụ phối hợp với ...": a duty verb right before another
    verb of a unit's own part is one verb, of the second's role (the unit leads, or cooperates); so are two lead
    verbs ("là đầu mối chủ trì"). The first verb's own role and end go with it, for when the joined frame cannot
    be read."""
    duty = knowledge().duty
    joined: list[tuple[str, str, int, int, tuple[str, int] | None]] = []
    for role, order, start, end in verbs:
        last = joined[-1] if joined else None
        if (last is not None and role in (LEAD, COOPERATE) and order == SUBJECT == last[1] and last[4] is None
                and (" ".join(text[last[2] : last[3]].lower().split()) in duty or last[0] == role == LEAD)
                and not text[last[3] : start].strip()):
            joined[-1] = (role, SUBJECT, last[2], end, (last[0], last[3]))
        else:
            joined.append((role, order, start, end, None))
    return joined


_AT = re.compile(r"\s*(?:tại|trong|ở)\s+", re.IGNORECASE)


def _names_meeting(phrase: str) -> bool:
    """The phrase is a meeting ("Hội nghị sơ kết ...", "Tại cuộc họp"), not a task ("Việc tổ chức hội nghị")."""
    at = _AT.match(phrase)
    return bool(knowledge().meeting.match(phrase, at.end() if at else 0))


def _subject_frame(text: str, body: int, end: int, role: str, v_start: int, v_end: int) -> tuple[Frame | None, int]:
    k = knowledge()
    chairs_verb = role == LEAD and text[v_start:v_end].lower().endswith("chủ trì")
    if chairs_verb and k.meeting.match(text, v_end, end):
        role = CHAIRS
    before = _lead_before(text, v_start, body)
    if role == COOPERATE:
        first = v_end + len(text[v_end:end]) - len(text[v_end:end].lstrip())
        partners, after = parse_units(text, first, end)
        phrase = phrase_end(text, first, end) if not partners and text[v_start:v_end].lower().endswith(("với", "cùng")) else None
        # "chủ động phối hợp với các cơ sở đào tạo cán bộ của Bộ": a partner of no known kind
        if phrase and (_GROUP.match(text, first, phrase) or any(w[:1].isupper() for w in text[first:phrase].split())):
            partners, after = [clean_unit(text[first:phrase])], phrase
        if not partners:
            return None, v_start
        _, task, _ = partners_and_task(text, after, end)
        lead = _join(before[0]) if before else ""
        # "b) Chủ động phối hợp với ...": words that may stand before any verb are no clause of their own
        preceding = "" if k.filler.fullmatch(text, body, v_start) else text[body:v_start].rstrip()
        if not before and preceding and not preceding.endswith((";", ",")):
            return None, v_start  # "... được phối hợp ..." inside a clause: not a statement of who cooperates
        if not before and preceding:  # "b) Tăng cường ...; phối hợp với Bộ Công an rà soát ...": the item is the task
            task = text[body:end].strip(" .;")
        return Frame(lead, partners, task, COOPERATE, SUBJECT, lead_start=before[1] if before else -1,
                     past=_is_past(text, body, v_start)), after
    if before and k.recipient.search(text, max(body, before[1] - 20), before[1]):
        return None, v_end  # "báo cáo Phó Thủ tướng phụ trách lĩnh vực": the one reported to, described
    partners, task, task_start = partners_and_task(text, v_end, end)
    if role == GUIDES:  # "Bộ Nội vụ hướng dẫn các địa phương ...": guiding is the task
        task = text[v_start:end].strip(" .;")
    if before:
        units, lead_start, _lead_end = before
        do = _DO.search(text, body, lead_start)
        if do:  # "Hội nghị do Thứ trưởng X chủ trì", "Đoàn công tác do ông X làm Trưởng đoàn"
            task = text[body : do.start()].strip(" ,") or task
            order = PASSIVE
            if chairs_verb and _names_meeting(task):
                role = CHAIRS  # "Tại cuộc họp do Cục Hải quan TPHCM chủ trì, ...": who chaired, no task
        else:
            order = SUBJECT
        # the rest of the clause is this unit's task ("... chủ trì, phối hợp với các Vụ hướng dẫn các Tập đoàn ...")
        clause_end = text.find(";", task_start, end)
        partners += [u for u in later_partners(text, task_start, end if clause_end < 0 else clause_end) if u not in partners]
        # "... do X làm Trưởng ban, ... do cơ quan quân sự làm thường trực": who heads reads no task, the next verb is read
        consumed = v_end if role == HEADS else end if clause_end < 0 else clause_end
        return Frame(_join(units), partners, task, role, order, lead_start=lead_start,
                     past=_is_past(text, body, v_start)), consumed
    preceding = text[body:v_start].strip(" :-–")
    # "a) Thực hiện chức năng quản lý nhà nước về điện lực, chủ trì phối hợp với X ...": a clause that names no
    # unit goes on with the lead's verb, the heading's unit leads
    if not preceding.strip(",") or (role == LEAD and preceding.endswith(",") and not UNIT_START.search(preceding)):
        clause_end = text.find(";", task_start, end)
        return Frame("", partners, task, role, SUBJECT), end if clause_end < 0 else clause_end  # the heading's unit leads
    return None, v_end


def _object_frame(
    text: str, body: int, end: int, role: str, v_start: int, v_end: int, frames: list[Frame]
) -> tuple[Frame | None, int]:
    k = knowledge()
    before_verb = text[max(body, v_start - 12) : v_start].lower()
    if before_verb.rstrip().endswith(("được", "của", "theo")) or "đề nghị của" in text[v_start : v_end + 5].lower():
        return None, v_end  # "được giao", "theo đề nghị của Bộ X": not who is asked now
    pos = v_end
    while pos < end and text[pos] in " \t":
        pos += 1
    if text.startswith("cho ", pos):
        pos += 4
    lead_in = k.object_lead_in.match(text, pos, end)
    if lead_in and starts_unit(text, lead_in.end(), end):
        pos = lead_in.end()
    comma = _COMMA.match(text, pos, end)
    if comma and starts_unit(text, comma.end(), end):  # "Trung tướng X đề nghị, Ban Chỉ đạo 389 quốc gia ... cần ..."
        pos = comma.end()
    subject = _lead_before(text, v_start, body)
    before = text[body:v_start].rstrip()
    if subject is None and before and not before.endswith((";", ":", ",", " và", " đồng thời")):
        return None, v_end  # "... trong việc giao cơ quan chủ quản ...": a verb inside a phrase, no one is asked
    units, after = parse_units(text, pos, end) if starts_unit(text, pos, end) else ([], pos)
    colon = _COLON.match(text, after, end)
    if colon:
        after = colon.end()
    partners, task, task_start = partners_and_task(text, after, end) if units else ([], "", after)
    if role == RECEIVES and not units:
        return None, v_end
    # "gửi Vụ Kế hoạch để tổng hợp" is a task of the Vụ; "phản ánh về Bộ Tài chính" only says where to turn
    receive_only = role == RECEIVES and not k.receive_task.match(text, after, end)
    past = _is_past(text, body, v_start)
    if not units:
        if text[body:v_start].strip(" ,:-–"):
            return None, v_end
        # "- Chỉ đạo các đơn vị ...", "- Đôn đốc việc ...": the heading's unit gives the instruction
        return Frame("", [], text[v_start:end].strip(" .;"), GIVES, OBJECT, past=past), end
    frame = Frame(_join(units), partners, task, role, OBJECT, lead_start=pos, past=past, no_task=receive_only)
    if not subject and not text[body:v_start].strip(" ,:-–") and role == DIRECTED:
        # "- Chỉ đạo cơ quan X kiểm tra ...": the heading's unit directs, the unit named does it
        frames.append(Frame("", [], text[v_start:end].strip(" .;"), GIVES, OBJECT, past=past))
    if subject:
        issuer = _join(subject[0])
        frame.issuer = issuer
        frames.append(Frame(issuer, [], text[v_start:end].strip(" .;"), GIVES, SUBJECT, lead_start=subject[1], past=past))
    return frame, max(task_start, after)


_CLAUSE_BREAK = re.compile(r",\s+|\s(?:nhưng|song|thì)\s+")
_OUTLINE_MARK = re.compile(r"(?:^|\s)(?:[\dIVX]+(?:\.\d+)*\.?|[a-zđ]\)|[-–+•*])$")
_LEADING_PHRASE = re.compile(r"[^\W\d_]+((?:\s+[^\W_]+){0,2}),\s+(?=[A-ZĐ])")


def _scene_setting(text: str, body: int, end: int) -> int | None:
    """ "Đặc biệt, Cục X cần ...", "Trước mắt, Sở Y ...": a phrase of at most three words, lower case after the
    first, before a comma and a named body, sets the scene; the body after it is the subject. Openers known by their
    form, not listed; where the phrase is written in the list of openers, every clause break counts (below)."""
    before = text[:body].rstrip()
    if before and not (before[-1] in ".!?;" or _OUTLINE_MARK.search(before)):
        return None  # "Bộ trưởng các Bộ: Quốc phòng, Công an, ...": inside a sentence, a list goes on
    phrase = _LEADING_PHRASE.match(text, body, end)
    if phrase and not any(w[:1].isupper() for w in phrase.group(1).split()):
        return phrase.end()
    return None


def _executes(text: str, body: int, end: int) -> list[Frame]:
    """ "Các địa phương cần chú ý ...", "Trong lĩnh vực X, các quận huyện ...": the subject does what follows."""
    k = knowledge()
    starts = [body]
    if k.opener.match(text, body, end):  # "Trong lĩnh vực thương mại, các quận ..."
        starts += [body + m.end() for m in _CLAUSE_BREAK.finditer(text[body : min(end, body + 90)])]
    elif (scene := _scene_setting(text, body, end)) is not None:
        starts.append(scene)
    listed = _partner_lists(text, body, end)
    for pos in starts:
        if _within(listed, pos):
            continue  # "Bên cạnh đó, phối hợp với Bộ Công an, Bộ Công Thương thường xuyên ...": a partner, not the subject
        units, after = parse_units(text, pos, end)
        if not units:
            continue
        rest = text[after:end].strip()
        if rest[:1].islower():
            speech = bool(k.speech.match(text, after, end))
            partners, task, _ = partners_and_task(text, after, end)
            filler = k.filler.match(task)
            task = task[filler.end() :] if filler else task
            return [Frame(_join(units), partners, task, EXECUTES, SUBJECT, lead_start=pos,
                          past=_is_past(text, body, after + 1) or _is_past(text, after, min(end, after + 12)), speech=speech)]
    return []


def continued(text: str, start: int, end: int, actor: Frame, order: str) -> Frame:
    """A sentence that opens with its verb, done by the actor of the sentence before ("Đồng thời, tiếp tục phối hợp
    với Bộ Công an, Bộ Công Thương tổ chức ..."): its partners when it names them, and its task."""
    k = knowledge()
    pos = k.filler.match(text, LINKER.match(text, start, end).end(), end).end()  # type: ignore[union-attr]
    partners, task, _ = partners_and_task(text, pos, end)
    return Frame(actor.lead, partners, task if partners and task else text[start:end].strip(" .;"),
                 COOPERATE if partners else EXECUTES, order, past=actor.past, speech=actor.speech, titled=actor.titled,
                 lead_start=actor.lead_start if actor.titled else -1)


def heading_task(task: str) -> bool:
    """ "... thực hiện các nhiệm vụ sau:": the task is in the items below."""
    return not task.strip(" :.") or bool(knowledge().heading_task.search(task))


__all__ = [
    "CHAIRS",
    "COOPERATE",
    "DIRECTED",
    "EXECUTES",
    "GIVES",
    "GUIDES",
    "HEADS",
    "LEAD",
    "LINKER",
    "OBJECT",
    "PASSIVE",
    "RECEIVES",
    "REQUESTED",
    "SUBJECT",
    "TASK_ROLES",
    "Frame",
    "continued",
    "find_frames",
    "heading_task",
    "opens_clause",
    "partners_and_task",
    "verb_roles",
]
