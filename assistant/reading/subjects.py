"""Who a frame's verb has as its subject and partners: the units right before the verb (a person with the office
they hold, a body named by its activity), the partners after "phối hợp với" and the task after them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.questions.places import find_places
from assistant.reading.frame_table import APPOSITION, COMMA, DO_BEFORE, HEADS, TASK_START, Frame, knowledge
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import ANY_START, OFFICIAL_START, UNIT_START, clean_unit, inside_name, phrase_end, unit_end

_APPOSITION = re.compile(r"\s*(?:-|–|,)\s*")


def lead_before(text: str, verb_start: int, floor: int) -> tuple[list[str], int, int] | None:
    """Units that end right before the verb (only fillers between): (units, start of the first, its end).

    A person with the office they hold ("Phó Thủ tướng Nguyễn Hòa Bình - Trưởng ban Ban chỉ đạo 751")
    is the person."""
    k = knowledge()
    interposed = _subject_before_interposed(text, verb_start, floor)
    if interposed:
        return interposed
    listed = partner_lists(text, floor, verb_start)
    for match in ANY_START.finditer(text, floor, verb_start):
        if inside_name(text, match.start(), floor) or within(listed, match.start()):
            continue  # "..., phối hợp với Bộ Công an, Bộ Công Thương thường xuyên tổ chức ...": partners, not the lead
        before = text[floor : match.start()].rstrip()
        if k.subordinate.search(before):
            continue  # "để FTAP trở thành ..., Bộ Công Thương sẽ ...": the unit of a clause of purpose does not act
        if (not UNIT_START.match(text, match.start(), verb_start) and before and not before.endswith((",", ";", ":"))
                and not DO_BEFORE.search(before)):
            continue  # a generic noun ("đường bộ", "các cơ quan") leads only from the start of a clause, or after "do"
        units, after = parse_units(text, match.start(), verb_start)
        while units and not k.filler.fullmatch(text, after, verb_start):
            sep = _APPOSITION.match(text, after, verb_start)
            if not sep or not OFFICIAL_START.match(text, sep.end(), verb_start):
                break
            office, after = parse_units(text, sep.end(), verb_start)
            if not office:
                break
            units = units[:1]
        if len(units) > 1 and k.proposal.search(before) and k.filler.fullmatch(text, after, verb_start):
            # "Trên cơ sở đề nghị của UBND quận, huyện, Sở Xây dựng chủ trì": the list opens with the proposer
            last = next((m.start() for m in ANY_START.finditer(text, match.start() + 1, after)
                         if parse_units(text, m.start(), verb_start) == ([units[-1]], after)), None)
            if last is not None:
                return units[-1:], last, after
        if units and k.filler.fullmatch(text, after, verb_start):
            named = _named_person_before(text, floor, match.start()) if OFFICIAL_START.match(text, match.start()) else None
            if named is not None:  # "Hồ Quốc Dũng - Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh chủ trì kỳ họp": the person
                return [f"{text[named : match.start()]}{units[0]}", *units[1:]], named, after
            return units, match.start(), after
        at_clause_start = not before or before.endswith((",", ";", ":")) or bool(DO_BEFORE.search(before))  # "do X chủ trì"
        named = _named_by_activity(text, after, verb_start) if len(units) == 1 and at_clause_start else None
        if named is not None:
            return [units[0] + text[after:named]], match.start(), named
    return None


_DASH_AFTER_NAME = re.compile(r"\s+[-–]\s+$")
_CLAUSE_OPENING = re.compile(r"(?:[:;,]|\n)\s*$")


def _named_person_before(text: str, floor: int, office_start: int) -> int | None:
    """Where the name of the person holding the office at office_start starts ("Hồ Quốc Dũng - Bí thư ..."), if
    one stands right before it and a dash, at the start of a clause or after "các đồng chí:"."""
    lo = max(floor, office_start - 60)
    dash = _DASH_AFTER_NAME.search(text, lo, office_start)
    name = _name_at_end(text[lo : dash.start()]) if dash else ""
    start = dash.start() - len(name) if dash else -1
    opens = (start == 0) or bool(_CLAUSE_OPENING.search(text, lo, start))  # no title before it either
    # "Hà Nội - Chủ tịch UBND thành phố ...", "Quảng Ninh - ...": a dateline's place, alone or with more words
    if not name or not opens or find_places(name):
        return None
    return start


def _cooperations(text: str, start: int, end: int) -> Iterator[tuple[re.Match[str], list[str], int]]:
    """Each "phối hợp với", "cùng với" and the like in text[start:end] that units follow: the words, the units and
    where they end."""
    for intro in knowledge().cooperation.finditer(text, start, end):
        units, after = parse_units(text, intro.end(), end)
        if units:
            yield intro, units, after


def partner_lists(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the units named after "phối hợp với", "cùng với" and the like in text[start:end]."""
    return [(intro.end(), after) for intro, _, after in _cooperations(text, start, end)]


def within(spans: list[tuple[int, int]], pos: int) -> bool:
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
    comma = COMMA.match(text, after, verb_start)
    if units and comma and comma.end() < verb_start and knowledge().opener.match(text, comma.end(), verb_start):
        return units, start, after
    return None


_OFFICE_AFTER = re.compile(r"(?:-|–|,)\s*(?:Phó\s+)?(?:Trưởng|Chủ tịch|Giám đốc|Tổng Giám đốc|Chánh|Tổ trưởng)")


def _name_at_end(text: str) -> str:
    """The person's name a text ends with, its title left out ("Phó Thủ tướng Nguyễn Hòa Bình": "Nguyễn Hòa Bình"): two
    to five capitalised words, not a unit ("Thứ trưởng Bộ Công Thương"), an office ("Bí thư Tỉnh ủy") or a place alone
    ("Hòa Bình"); "" when it ends with none."""
    words = text.split()
    capitalised = 0
    for word in reversed(words[-5:]):
        if not (word[:1].isupper() and word.isalpha()):
            break
        capitalised += 1
    name = " ".join(words[len(words) - capitalised :])
    while (title := OFFICIAL_START.match(name)) and title.end() < len(name):  # "Ông Trần Quốc Mạnh"
        name = name[title.end() :].strip()
    places = find_places(name)
    if len(name.split()) < 2 or UNIT_START.match(name) or (len(places) == 1 and places[0].name.split() == name.split()):
        return ""
    return name


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
        # after a comma the office holder is named ("Ông X, Chủ tịch Y"); "Thủ trưởng cơ quan thuộc Chính phủ, Chủ
        # tịch UBND các tỉnh" is a list
        if not sep or ("," in sep.group() and not (text[sep.end():sep.end() + 1].isupper()
                                                   and _name_at_end(text[match.start() : person_end]))):
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
    start = pos + TASK_START.match(text[pos:limit]).end()  # type: ignore[union-attr]
    return partners, text[start:limit].strip().rstrip(".;"), start


def later_partners(text: str, start: int, end: int) -> list[str]:
    """ "X chủ trì hướng dẫn ..., phối hợp cùng với Sở Tài chính bố trí kinh phí": a later clause of the lead's own
    task that opens with cooperation names the lead's partners too."""
    found: list[str] = []
    for intro, units, _ in _cooperations(text, start, end):
        before = text[start : intro.start()].rstrip()
        if not (before.endswith(",") or re.search(r",\s*và$", before)):
            continue  # "xây dựng quy chế phối hợp với các tỉnh": cooperation named inside the task, no partner
        found += [u for u in units if u not in found]
    return found


def opens_clause(text: str, pos: int) -> bool:
    """ "Căn cứ ...", "Trường hợp ...", "Đối với ...": a sentence that opens with a condition or a setting."""
    return bool(knowledge().opener.match(text, pos))
