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

from assistant.reading.units import UNIT_START, clean_unit, parse_units, phrase_end, starts_unit
from index.knowledge import load
from index.outline import match_marker

SUBJECT, OBJECT, PASSIVE, EXECUTES = "subject", "object", "passive", "executes"
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
    all_partners: list[str] = field(default_factory=list)

    @property
    def is_task(self) -> bool:
        return self.role in TASK_ROLES and not self.past and not self.speech


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


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
    exception: re.Pattern[str]
    receive_task: re.Pattern[str]
    opener: re.Pattern[str]


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
        exception=re.compile(rf"(?:{_alternation(data['verb_exceptions'])}){_E}", re.IGNORECASE),
        receive_task=re.compile(rf"\s*(?:{_alternation(data['receive_tasks'])}){_E}", re.IGNORECASE),
        opener=re.compile(rf"(?:{_alternation(data['clause_openers'])}){_E}", re.IGNORECASE),
    )


_TASK_START = re.compile(r"^[\s,;:.\-–]*(?:(?:và|để|nhằm|tiến hành|\(?khi có yêu cầu\)?|theo chức năng, nhiệm vụ(?: được giao)?)[\s,]+)*",
                         re.IGNORECASE)
_DO = re.compile(r"\bdo\s*$", re.IGNORECASE)
_NEWS_TIME = re.compile(r"^(?:Sáng|Chiều|Tối|Trưa|Ngày|Hôm|Đầu|Cuối|Trong ngày)\s+(?:nay|qua|\d{1,2}[/-]\d{1,2})", re.IGNORECASE)
_COLON = re.compile(r"\s*:\s*")


def verb_roles(text: str) -> list[tuple[str, str, int, int]]:
    """(role, order, start, end) of every frame verb in text."""
    k = knowledge()
    return [(*k.roles[re.sub(r"\s+", " ", m.group(1).lower())], m.start(1), m.end(1)) for m in k.verbs.finditer(text)]


def _lead_before(text: str, verb_start: int, floor: int) -> tuple[list[str], int, int] | None:
    """Units that end right before the verb (only fillers between): (units, start of the first, its end)."""
    k = knowledge()
    for match in UNIT_START.finditer(text, floor, verb_start):
        units, after = parse_units(text, match.start(), verb_start)
        if units and k.filler.fullmatch(text, after, verb_start):
            return units, match.start(), after
    return None


def partners_and_task(text: str, pos: int, limit: int) -> tuple[list[str], str, int]:
    """After a lead's verb: "phối hợp với A, B và các cơ quan liên quan <task>" -> partners, task, where the task starts."""
    k = knowledge()
    partners: list[str] = []
    while intro := k.partner_intro.match(text, pos, limit):
        more, after = parse_units(text, intro.end(), limit)
        if not more:
            end = phrase_end(text, intro.end(), limit)  # "phối hợp với chủ đầu tư"
            if end is None or text[intro.start() : intro.end()].strip().lower() == "và":
                break
            more, after = [clean_unit(text[intro.end() : end])], end
        partners += more
        pos = after
    start = pos + _TASK_START.match(text[pos:limit]).end()  # type: ignore[union-attr]
    return partners, text[start:limit].strip().rstrip(".;"), start


def _is_past(text: str, start: int, verb_start: int) -> bool:
    return bool(knowledge().past.search(text, start, verb_start)) or bool(_NEWS_TIME.match(text[start:verb_start]))


def _join(units: list[str]) -> str:
    joined = ", ".join(units)
    return joined if len(joined) <= 80 else units[0]


def find_frames(text: str, start: int = 0, end: int | None = None) -> list[Frame]:
    """The frames of the sentence text[start:end] (offsets into text)."""
    end = len(text) if end is None else end
    marker = match_marker(text, start, end)
    body = marker[1] if marker else start
    k = knowledge()
    frames: list[Frame] = []
    consumed = body  # a verb inside a partner list already read ("chủ trì, phối hợp với") is no new frame
    for role, order, v_start, v_end in verb_roles(text[:end]):
        if v_start < consumed or v_start < body or k.exception.match(text, v_start, end):
            continue
        if order == SUBJECT:
            frame, consumed = _subject_frame(text, body, end, role, v_start, v_end)
        else:
            frame, consumed = _object_frame(text, body, end, role, v_start, v_end, frames)
        if frame is None:
            continue
        asked = next((f for f in frames if f.order == OBJECT and f.lead_start == frame.lead_start >= 0), None)
        if asked and frame.order == SUBJECT:
            # "Giao Sở X chủ trì, phối hợp với Y ...": the unit asked is the lead, with its partners and task
            asked.role, asked.partners, asked.task = frame.role, frame.partners, frame.task
            continue
        frames.append(frame)
    if not frames:
        frames = _executes(text, body, end)
    for f in frames:
        f.start, f.end = start, end
    return frames


def _subject_frame(text: str, body: int, end: int, role: str, v_start: int, v_end: int) -> tuple[Frame | None, int]:
    k = knowledge()
    if role == LEAD and text[v_start:v_end].lower().endswith("chủ trì") and k.meeting.match(text, v_end, end):
        role = CHAIRS
    before = _lead_before(text, v_start, body)
    if role == COOPERATE:
        partners, after = parse_units(text, v_end + len(text[v_end:end]) - len(text[v_end:end].lstrip()), end)
        if not partners:
            return None, v_start
        _, task, _ = partners_and_task(text, after, end)
        lead = _join(before[0]) if before else ""
        if not before and text[body:v_start].strip(" ,"):
            return None, v_start  # "... được phối hợp ..." inside a clause: not a statement of who cooperates
        return Frame(lead, partners, task, COOPERATE, SUBJECT, lead_start=before[1] if before else -1,
                     past=_is_past(text, body, v_start)), after
    partners, task, task_start = partners_and_task(text, v_end, end)
    if before:
        units, lead_start, _lead_end = before
        do = _DO.search(text, body, lead_start)
        if do:  # "Hội nghị do Thứ trưởng X chủ trì", "Đoàn công tác do ông X làm Trưởng đoàn"
            task = text[body : do.start()].strip(" ,") or task
            order = PASSIVE
        else:
            order = SUBJECT
        return Frame(_join(units), partners, task, role, order, lead_start=lead_start,
                     past=_is_past(text, body, v_start)), max(task_start, v_end)
    if not text[body:v_start].strip(" ,:-–"):
        return Frame("", partners, task, role, SUBJECT), max(task_start, v_end)  # the heading's unit leads
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
    units, after = parse_units(text, pos, end) if starts_unit(text, pos, end) else ([], pos)
    colon = _COLON.match(text, after, end)
    if colon:
        after = colon.end()
    partners, task, task_start = partners_and_task(text, after, end) if units else ([], "", after)
    if role == RECEIVES and not (units and k.receive_task.match(text, after, end)):
        return None, v_end  # "gửi báo cáo về Sở X" is no task of Sở X unless it is to compile or examine it
    subject = _lead_before(text, v_start, body)
    past = _is_past(text, body, v_start)
    if not units:
        if text[body:v_start].strip(" ,:-–"):
            return None, v_end
        # "- Chỉ đạo các đơn vị ...", "- Đôn đốc việc ...": the heading's unit gives the instruction
        return Frame("", [], text[v_start:end].strip(" .;"), GIVES, OBJECT, past=past), end
    frame = Frame(_join(units), partners, task, role, OBJECT, lead_start=pos, past=past)
    if not subject and not text[body:v_start].strip(" ,:-–") and role == DIRECTED:
        # "- Chỉ đạo cơ quan X kiểm tra ...": the heading's unit directs, the unit named does it
        frames.append(Frame("", [], text[v_start:end].strip(" .;"), GIVES, OBJECT, past=past))
    if subject:
        issuer = _join(subject[0])
        frame.issuer = issuer
        frames.append(Frame(issuer, [], text[v_start:end].strip(" .;"), GIVES, SUBJECT, lead_start=subject[1], past=past))
    return frame, max(task_start, after)


_CLAUSE_BREAK = re.compile(r",\s+|\s(?:nhưng|song|thì)\s+")


def _executes(text: str, body: int, end: int) -> list[Frame]:
    """ "Các địa phương cần chú ý ...", "Trong lĩnh vực X, các quận huyện ...": the subject does what follows."""
    k = knowledge()
    starts = [body]
    if k.opener.match(text, body, end):  # "Trong lĩnh vực thương mại, các quận ..."
        starts += [body + m.end() for m in _CLAUSE_BREAK.finditer(text[body : min(end, body + 90)])]
    for i, pos in enumerate(starts):
        units, after = parse_units(text, pos, end)
        if not units:
            continue
        colon = _COLON.match(text, after, end)
        if i == 0 and len(units) == 1 and colon and colon.end() < end:  # "Cục Thống kê: phối hợp với ..."
            partners, task, _ = partners_and_task(text, colon.end(), end)
            return [Frame(units[0], partners, task, EXECUTES, SUBJECT, lead_start=pos)]
        rest = text[after:end].strip()
        if rest[:1].islower():
            speech = bool(k.speech.match(text, after, end))
            partners, task, _ = partners_and_task(text, after, end)
            filler = k.filler.match(task)
            task = task[filler.end() :] if filler else task
            return [Frame(_join(units), partners, task, EXECUTES, SUBJECT, lead_start=pos,
                          past=_is_past(text, body, after + 1) or _is_past(text, after, min(end, after + 12)), speech=speech)]
    return []


def heading_task(task: str) -> bool:
    """ "... thực hiện các nhiệm vụ sau:": the task is in the items below."""
    return not task.strip(" :.") or bool(knowledge().heading_task.search(task))


__all__ = ["CHAIRS", "COOPERATE", "DIRECTED", "EXECUTES", "GIVES", "GUIDES", "HEADS", "LEAD", "OBJECT", "PASSIVE",
           "REQUESTED", "SUBJECT", "TASK_ROLES", "Frame", "find_frames", "heading_task", "partners_and_task", "verb_roles"]
