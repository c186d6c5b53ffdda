"""Assignment frames in one sentence: who leads, who cooperates, who is asked, and the task.

The frames are data (`knowledge/frames.toml`): each names a role, a word order and its verbs.
A unit is only ever a span of the sentence (see assistant.reading.units); a frame whose
sentence names no unit ("- Chủ trì, phối hợp với Sở Y tế ...") has an empty lead, which the
outline gives (see assistant.reading.assignments).
"""

from __future__ import annotations

import re

from assistant.reading.frame_table import (
    APPOSITION,
    CHAIRS,
    COMMA,
    COOPERATE,
    COPULA,
    DIRECTED,
    DO_BEFORE,
    EXECUTES,
    GIVES,
    GUIDES,
    HEADS,
    LEAD,
    LINKER,
    OBJECT,
    PASSIVE,
    RECEIVES,
    REQUESTED,
    SUBJECT,
    TASK_ROLES,
    Frame,
    knowledge,
    verb_roles,
)
from assistant.reading.meetings import names_meeting, organiser_of_meeting
from assistant.reading.subjects import (
    appositions,
    later_partners,
    lead_before,
    opens_clause,
    partner_lists,
    partners_and_task,
    within,
)
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import (
    ANY_START,
    PERSONAL_TITLES,
    UNIT_START,
    clean_unit,
    phrase_end,
    starts_unit,
    task_after_dash,
    unit_end,
)
from index.knowledge import alternation, load
from index.outline import match_marker

_NEWS_TIME = re.compile(r"^(?:Sáng|Chiều|Tối|Trưa|Ngày|Hôm|Đầu|Cuối|Trong ngày)\s+(?:nay|qua|\d{1,2}[/-]\d{1,2})", re.IGNORECASE)
_COLON = re.compile(r"\s*:\s*")
# a partner of no known kind is a group of people or bodies ("các cơ sở đào tạo", "chủ đầu tư") or has a name
# ("phòng Y tế", "Quảng Ninh"); not a thing ("chính sách tài khóa", "thông tin")
_GROUP = re.compile(rf"(?:các|những|{alternation(load('units')['nominalisers'])})\s", re.IGNORECASE)
_DASH = re.compile(r"\s+[-–]\s+")




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
    if (organiser := organiser_of_meeting(text, body, end)) and not any(f.lead == organiser.lead for f in frames):
        frames.append(organiser)
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


def _subject_frame(text: str, body: int, end: int, role: str, v_start: int, v_end: int) -> tuple[Frame | None, int]:
    k = knowledge()
    chairs_verb = role == LEAD and text[v_start:v_end].lower().endswith("chủ trì")
    if chairs_verb and k.meeting.match(text, v_end, end):
        role = CHAIRS
    before = lead_before(text, v_start, body)
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
        do = DO_BEFORE.search(text, body, lead_start)
        if do:  # "Hội nghị do Thứ trưởng X chủ trì", "Đoàn công tác do ông X làm Trưởng đoàn"
            task = text[body : do.start()].strip(" ,") or task
            order = PASSIVE
            if chairs_verb and names_meeting(task):
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
    comma = COMMA.match(text, pos, end)
    if comma and starts_unit(text, comma.end(), end):  # "Trung tướng X đề nghị, Ban Chỉ đạo 389 quốc gia ... cần ..."
        pos = comma.end()
    subject = lead_before(text, v_start, body)
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
    opening = not text[body:v_start].strip(" ,:-–")
    if not units:
        if not opening:
            return None, v_end
        # "- Chỉ đạo các đơn vị ...", "- Đôn đốc việc ...": the heading's unit gives the instruction
        return Frame("", [], text[v_start:end].strip(" .;"), GIVES, OBJECT, past=past), end
    frame = Frame(_join(units), partners, task, role, OBJECT, lead_start=pos, past=past, no_task=receive_only)
    # the verb opens the item, or its main clause after a condition ("Căn cứ tình hình thực tế, chỉ đạo X ...")
    if not subject and role == DIRECTED and (opening or (opens_clause(text, body) and text[body:v_start].rstrip().endswith(","))):
        # "- Chỉ đạo cơ quan X kiểm tra ...": the heading's unit directs, the unit named does it
        frames.append(Frame("", [], text[v_start:end].strip(" .;"), GIVES, OBJECT, past=past))
    if subject:
        issuer = _join(subject[0])
        frame.issuer = issuer
        # "Sở Văn hóa ... chỉ đạo các cơ quan truyền thông ...": the unit's own task (an official's words are not)
        directs = role == DIRECTED and not any(PERSONAL_TITLES.match(u) for u in subject[0])
        frames.append(Frame(issuer, [], text[v_start:end].strip(" .;"), GIVES, SUBJECT, lead_start=subject[1], past=past,
                            directs=directs))
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
    listed = partner_lists(text, body, end)
    for pos in starts:
        if within(listed, pos):
            continue  # "Bên cạnh đó, phối hợp với Bộ Công an, Bộ Công Thương thường xuyên ...": a partner, not the subject
        if _inside_unit(text, body, pos, end):
            continue  # "hướng dẫn Ủy ban nhân dân quận, huyện lập ...": the comma is inside a name
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


def _inside_unit(text: str, floor: int, pos: int, end: int) -> bool:
    """A unit named between floor and pos runs on past pos."""
    return any((e := unit_end(text, m.start(), end)) is not None and e > pos for m in ANY_START.finditer(text, floor, pos))


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
