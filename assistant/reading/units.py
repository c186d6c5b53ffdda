"""Recognising unit names ("Vụ Thị trường trong nước", "UBND TP. Hải Phòng") in running text.

A unit name starts with a known head word (Bộ, Vụ, Cục, Sở, UBND, ...) and runs
until a verb, a clause boundary or a separator that introduces another unit.
Capitalisation matters: "Vụ Tổ chức cán bộ" is a name, "tổ chức" a verb.
"""

from __future__ import annotations

import re
from itertools import islice

from index.knowledge import alternation, load, words
from index.textnorm import CAPITAL_SYLLABLE, fold, syllable_key

_UNITS = load("units")


def _keys(words: list[str]) -> set[str]:
    return {" ".join(syllable_key(p) for p in w.split()) for w in words}


_HEADS = _UNITS["officials"] + _UNITS["bodies"] + _UNITS["companies"] + _UNITS["collective"]
# longest literal first ("Ban quản lý" before "Ban"); a look-ahead is not part of the length
HEAD_ALTERNATION = "|".join(sorted(_HEADS, key=lambda h: len(re.sub(r"\(\?[!=].*?\)", "", h)), reverse=True))
_ROMAN = r"[IVXLC]+"
# an abbreviation, not a word of a title in capitals ("III. KINH PHÍ"); another may follow ("BQL ATTP thành phố")
_ABBREVIATION = (rf"(?!(?:{'|'.join(_UNITS['not_abbreviations'])}|{_ROMAN})(?![\w&]))(?:{_UNITS['abbreviation']})(?![\w&])"
                  rf"(?!\s+{CAPITAL_SYLLABLE}(?![\w&]))")
# titled offices written with a capital, longest first
_TITLES = sorted((o for o in _UNITS["officials"] if o[:1].isupper()), key=len, reverse=True)
# a deputy of any titled office ("Phó Tổng cục trưởng", "Phó Chánh Văn phòng")
_DEPUTY = "|".join(o for o in _TITLES if not o.startswith("Phó"))
# not inside a document number ("Kế hoạch số 100/KH-UBND")
UNIT_START = re.compile(
    rf"(?<![/\-\w])(?:(?:[Cc]ác|[Mm]ột số|[Nn]hững)\s+)?(?:(?:Phó\s+(?=(?:{_DEPUTY})\b))?(?:{HEAD_ALTERNATION})(?=[\s,.:;]|$)|{_ABBREVIATION}(?=[\s,.:;)]|$))"
)
_GENERIC_RE = "|".join(sorted(_UNITS["generic"], key=lambda h: len(re.sub(r"\(\?[!=].*?\)", "", h)), reverse=True))
_PLURAL_ONLY = "|".join(_UNITS["plural_only"])
GENERIC_START = re.compile(rf"(?:[Cc]ác|[Nn]hững)\s+(?:{_PLURAL_ONLY})\b|(?:[Cc]ác\s+)?(?:{_GENERIC_RE})\b")
ANY_START = re.compile(rf"(?<![\w])(?:{UNIT_START.pattern}|{GENERIC_START.pattern})")  # a named or a generic unit
_PLURAL_HEAD = re.compile(r"(?:[Cc]ác|[Nn]hững)\s")

# words that never continue a name: auxiliaries, prepositions, conjunctions
_AUXILIARIES = _keys(words("units", "auxiliaries"))
# first syllables of verbs
_VERB_STARTS = _keys(words("units", "verb_starts"))
_STOP_WORDS = _AUXILIARIES | _VERB_STARTS
# capitalised first syllable + verb-like second syllable inside a name
_NAME_COMPOUNDS = _keys(_UNITS["name_compounds"])
_DASH_NAME_PARTS = _NAME_COMPOUNDS | _keys(_UNITS["dash_name_parts"])
_REGION = re.compile(rf"(?:{alternation(load('names')['regions']['named'])})(?!\w)")
_STOP_BIGRAMS = _keys(_UNITS["stop_bigrams"])
_CONTINUE_BIGRAMS = _keys(_UNITS["continue_bigrams"])
# "sản xuất, kinh doanh": a comma inside one name
_COORDINATED = {" | ".join(" ".join(syllable_key(w) for w in side.split()) for side in pair) for pair in _UNITS["coordinated"]}
_MANAGING = re.compile(r"quản lý (?:chuyên ngành|ngành|nhà nước)(?=[\s,.;:]|$)")
# lower-case words after a comma that continue a name ("UBND các quận, huyện")
_ADMIN_NOUNS = _keys(_UNITS["admin_nouns"])
OFFICIAL_START = re.compile(r"(?:Phó\s+)?(?:" + "|".join(_TITLES) + r")\b")
_TOKEN = re.compile(r"[\w&.'/-]+|[,;:()\[\]\"“”–—]", re.UNICODE)
MAX_UNIT_CHARS = 80
_CO = syllable_key("có")
_AT = syllable_key("tại")
# a body that represents its country or office somewhere names the place after "tại" ("Thương vụ Việt Nam tại Trung
# Quốc", "Tổng lãnh sự quán Trung Quốc tại TPHCM")
_LOCATED = re.compile(r"(?:[Cc]ác\s+)?(?:" + alternation(sorted(_UNITS["located_heads"], key=len, reverse=True)) + r")\b")
_ABOUT = syllable_key("về")
_TOPICAL = re.compile(r"(?:" + alternation(sorted(_UNITS["topic_heads"], key=len, reverse=True)) + r")\b")
_PLURALS = {syllable_key("các"), syllable_key("những")}
_PLACE_LEVELS = _keys(_UNITS["plural_continues"])
_PLACE_LEVELS_NAMED = _keys(_UNITS["plural_continues_named"])
_PLACE_KINDS = _keys(_UNITS["place_kinds"])
_NOMINALISERS = _keys(_UNITS["nominalisers"])


_PREVIOUS_WORD = re.compile(r"([\w.]+)\s+$")


def inside_name(text: str, pos: int, floor: int = 0) -> bool:
    """The word before pos is capitalised and joined to it: "Hải Phòng" is no "Phòng" (a unit head).
    The first word of a sentence (from floor), or of what follows a colon, is capitalised anyway ("Giao Sở ...",
    "3. Về nguồn lực: Giao Bộ ...")."""
    previous = _PREVIOUS_WORD.search(text, max(floor, pos - 30), pos)
    before = text[floor : previous.start(1)].rstrip() if previous else ""
    if not previous or previous.start(1) <= floor or not before or before.endswith(":"):
        return False
    return previous.group(1)[:1].isupper() and not previous.group(1).endswith(".")


def _is_upper(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def unit_end(text: str, pos: int, limit: int | None = None, split_commas: bool = False) -> int | None:
    """End offset of the unit name starting at pos, or None when none starts there."""
    limit = len(text) if limit is None else limit
    head = UNIT_START.match(text, pos, limit)
    # "Các Sở, ban, ngành": a plural head with no name is a kind of unit, as "các sở, ban, ngành" is
    generic = head is None or (_PLURAL_HEAD.match(text, pos) is not None and text[head.end() : limit].lstrip(" ").startswith(","))
    head = head or GENERIC_START.match(text, pos, limit)
    if not head:
        return None
    return _name_end(text, pos, head.end(), limit, generic, split_commas)


def name_goes_on(text: str, pos: int, end: int, limit: int) -> int:
    """Where the name begun at pos ends, read on from `end` (after a part the name's head does not find)."""
    return _name_end(text, pos, end, limit, False, False)


def phrase_end(text: str, pos: int, limit: int | None = None) -> int | None:
    """End of a noun phrase with no unit head ("chủ đầu tư"), up to the next verb or clause boundary."""
    limit = len(text) if limit is None else limit
    first = _TOKEN.match(text, pos, limit)
    if not first or not first.group()[:1].isalnum() or syllable_key(first.group()) in _STOP_WORDS:
        return None
    end = _name_end(text, pos, first.end(), limit, True, True)
    return end if end - pos <= 40 else None


def _name_end(text: str, pos: int, end: int, limit: int, generic: bool, split_commas: bool) -> int:
    tokens = list(_TOKEN.finditer(text, end, limit))
    i = 0
    in_name_object = False
    plural = generic or _PLURAL_HEAD.match(text, pos) is not None  # a kind that may be named by its members
    while i < len(tokens):
        tok = tokens[i]
        word = tok.group()
        if text[end : tok.start()].strip():
            break  # something the tokenizer skipped: treat as a boundary
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        key = syllable_key(word)
        if i == 0 and key in _DEMONSTRATIVES:
            end = tok.end()  # "Cơ quan này", "Sở này": a body named before (antecedent)
            break
        if word in (",", "và", "cùng"):
            if i + 1 >= len(tokens):
                break
            nxt_start = tokens[i + 1].start()
            # "các sở, ban, ngành": a list of bare kinds goes on; after a qualified one ("các phòng, ban chuyên
            # môn thuộc Ủy ban nhân dân cấp xã, cơ quan thuế") the next generic head is another unit
            bare = len(re.split(r",|\b(?:các|những)\s", text[pos : tok.start()])[-1].split()) <= 3
            continues_generic = generic and word == "," and bare and GENERIC_START.match(text, nxt_start, limit)
            nxt_key = syllable_key(nxt.rstrip("."))  # "UBND xã, phường." ends a sentence: the word is "phường"
            next_pair = f"{nxt_key} {syllable_key(tokens[i + 2].group().rstrip('.')) if i + 2 < len(tokens) else ''}"
            # "UBND các tỉnh, thành phố trực thuộc trung ương": a plural name lists its kinds of place
            # (not "các địa phương, đặc biệt là ...")
            plural_list = (word == "," and nxt_key in _ADMIN_NOUNS and not _is_upper(nxt)
                           and next_pair not in _STOP_BIGRAMS
                           and ((bare and bool(re.search(r"\b(?:các|những)\s", text[pos:end])))
                                or (_key_before(tokens, i, 1) in _PLACE_KINDS  # "Ủy ban nhân dân xã, phường"
                                    and bool(set(next_pair.split()) & _PLACE_KINDS))))
            if starts_unit(text, nxt_start, limit) and not continues_generic and not plural_list:
                break  # a separator between two units
            pair = f"{_key_before(tokens, i, 2)} | {next_pair}"
            if word == "," and pair in _COORDINATED:  # "các doanh nghiệp sản xuất, kinh doanh"
                end = tokens[i + 2].end()
                i += 3
                continue
            listing = word == "," and ((in_name_object and nxt_key not in _STOP_WORDS) or plural_list)  # "Xúc tiến đầu tư, thương mại"
            if word == "," and not listing and (
                split_commas or not (_is_upper(nxt) or (nxt_key in _ADMIN_NOUNS and next_pair not in _STOP_BIGRAMS))
            ):
                break
            if word != "," and not _is_upper(nxt) and (nxt_key in _STOP_WORDS or next_pair in _STOP_BIGRAMS):
                break  # "và tổ chức ...": a verb, not "Vụ Khoa học và công nghệ"
            end = tok.end()
            i += 1
            continue
        if word in (";", ":", "(", ")", "[", "]", '"', "“", "”"):
            break
        # "Phó Thủ tướng Nguyễn Hòa Bình - Trưởng ban ...": a person, then the office held;
        # "3. Cục Đường bộ Việt Nam - Chỉ đạo các Khu Quản lý đường bộ ...": the unit, then its task
        if word in ("-", "–", "—") and i + 1 < len(tokens) and (
            OFFICIAL_START.match(text, tokens[i + 1].start(), limit) or _task_after_dash(tokens, i + 1)
        ):
            break
        if word.endswith(".") and word not in ("TP.", "Tp.", "TT.") and not word[:-1].isdigit():
            if len(word) > 1:
                end = tok.end() - 1
            break
        if key in _PLURALS and not _plural_goes_on(tokens, i, text[pos : tok.start()]):
            break  # "Sở Công Thương các địa phương" goes on; "Sở Công Thương | các chương trình" does not
        members = _members_end(tokens, i) if plural and key in _MEMBER_INTROS else None
        if members is not None:  # "các địa phương như Khánh Hòa, Ninh Thuận và Bình Thuận": a kind, by its members
            end = tokens[members - 1].end()
            i = members
            continue
        if key == _CO and nxt == "liên":  # "các đơn vị có liên quan"
            end = tok.end()
            i += 1
            continue
        relative = _relative_clause_end(tokens, i) if generic and key == _CO else None
        if relative is not None:  # "cơ quan có chức năng quản lý đất đai cấp xã"
            end = tokens[relative - 1].end()
            i = relative
            continue
        region = _REGION.match(text, tok.start(), limit) if _is_upper(word) else None
        if region:  # "vùng Đồng bằng sông Cửu Long": a region's name is one word of the unit's
            end = region.end()
            while i < len(tokens) and tokens[i].end() <= region.end():
                i += 1
            continue
        inner = UNIT_START.match(text, tok.start(), limit) if _is_upper(word) else None
        if inner and inner.end() > tok.end():  # "Trưởng ban Ban chỉ đạo 751": a head inside a name
            end = inner.end()
            while i < len(tokens) and tokens[i].end() <= inner.end():
                i += 1
            continue
        previous = tokens[i - 1].group() if i > 0 else text[pos:end].split()[-1]
        if fold(previous) == "quan" and i > 1 and fold(tokens[i - 2].group()) == "lien" and fold(word) not in ("cua", "thuoc"):
            break  # "các bộ, ngành liên quan | tiến hành ..."
        managing = _MANAGING.match(text, tok.start(), limit)
        if i == 0 and managing:  # "các Vụ quản lý ngành": the departments that manage the sectors
            end = managing.end()
            i += len(_TOKEN.findall(managing.group()))
            continue
        after_nominaliser = syllable_key(previous) in _NOMINALISERS  # "chủ đầu tư"
        if not _is_upper(word) and not after_nominaliser:
            compound = f"{syllable_key(previous)} {key}" in _NAME_COMPOUNDS  # "Cục Xúc tiến", "các cơ sở đào tạo"
            continues = (f"{key} {syllable_key(nxt.rstrip('.'))}" in _CONTINUE_BIGRAMS  # "thành phố trực thuộc trung ương"
                         or f"{syllable_key(previous)} {key}" in _CONTINUE_BIGRAMS
                         or (key == _AT and _is_upper(nxt) and bool(_LOCATED.match(text, pos)))
                         or (key == _ABOUT and _is_upper(nxt) and bool(_TOPICAL.match(text, pos))))
            if not continues and (key in _AUXILIARIES or (key in _VERB_STARTS and not compound)):
                dashed = _dash_heading_end(tokens, i)
                if dashed is not None:
                    end = dashed
                break
            # "Trung tâm Xúc tiến đầu tư": the object of a name's verb is part of the name
            # (not after "và": "Sở Giáo dục và Đào tạo | tổ chức ..." ends with a field, not a verb of the name)
            object_of_name = (i >= 2 and f"{_key_before(tokens, i, 2)}" in _NAME_COMPOUNDS and _is_upper(tokens[i - 2].group())
                              and (i < 3 or tokens[i - 3].group() != "và"))
            in_name_object = in_name_object or object_of_name
            if not compound and not object_of_name and not continues and f"{key} {syllable_key(nxt.rstrip('.'))}" in _STOP_BIGRAMS:
                break
        if tok.end() - pos > MAX_UNIT_CHARS:
            break
        end = tok.end()
        i += 1
    return end


_MEMBER_INTROS = _keys(_UNITS["member_intros"])
_DEMONSTRATIVES = _keys([w for w in _UNITS["demonstratives"] if " " not in w])


def _members_end(tokens: list[re.Match[str]], i: int) -> int | None:
    """After "như"/"gồm" at tokens[i]: the index just past a list of two names or more ("Khánh Hòa, Ninh Thuận và
    Bình Thuận", "như: Biên phòng, Công an, Cảnh sát biển"); a name goes on in lower case up to a verb."""
    last, names, expect_name = None, 0, True
    first = i + 2 if i + 1 < len(tokens) and tokens[i + 1].group() == ":" else i + 1
    for j in range(first, len(tokens)):
        word = tokens[j].group()
        key = syllable_key(word)
        if word[:1].isalpha() and _is_upper(word):
            names, last, expect_name = names + expect_name, j, False
        elif expect_name:
            break
        elif word in (",", "và"):
            expect_name = True
        elif not word[:1].isalpha() or key in _VERB_STARTS or (
                key in _AUXILIARIES and f"{_key_before(tokens, j, 1)} {key}" not in _CONTINUE_BIGRAMS) or (
                j + 1 < len(tokens) and f"{key} {syllable_key(tokens[j + 1].group())}" in _STOP_BIGRAMS):
            break  # "Ngân hàng nhà nước" goes on; "Bình Thuận sẽ ..." does not
        else:
            last = j
    # one member may be the subject of its own verb ("các bộ, ngành như Bộ Công Thương chỉ đạo ...")
    return None if last is None or names < 2 else last + 1


_RELATIVE_CLAUSES = _keys(_UNITS["relative_clauses"])
_RELATIVE_WORDS = _keys(_UNITS["relative_words"])
_CLAUSE_ENDS = frozenset({",", ";", ":", "(", ")", "[", "]", "và", "-", "–", "—"})


def _relative_clause_end(tokens: list[re.Match[str]], i: int) -> int | None:
    """After "có" at tokens[i]: the index just past the relative clause it opens ("có thẩm quyền", "có chức năng
    quản lý đất đai cấp xã"), or None when it opens none."""
    if i + 2 >= len(tokens):
        return None
    pair = f"{syllable_key(tokens[i + 1].group())} {syllable_key(tokens[i + 2].group())}"
    if pair in _RELATIVE_WORDS:
        return i + 3
    if pair not in _RELATIVE_CLAUSES:
        return None
    j = i + 3
    start = tokens[i].start()
    while (j < len(tokens) and tokens[j].group() not in _CLAUSE_ENDS and not tokens[j].group().endswith(".")
           and tokens[j].end() - start <= MAX_UNIT_CHARS):
        j += 1
    return j


def _plural_goes_on(tokens: list[re.Match[str]], i: int, before: str) -> bool:
    """After "các" at tokens[i], does the name go on ("các địa phương", "các xã/phường", "các hội Khoa học", "Ban quản
    lý các cảng cá")?"""
    nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
    named_next = i + 2 < len(tokens) and _is_upper(tokens[i + 2].group())
    # "Ban quản lý các cảng cá Bình Định": after a name's own verb, "các" opens its object (`before`: the name so far)
    managed = " ".join(syllable_key(w) for w in before.split()[-2:]) in _NAME_COMPOUNDS and nxt[:1].isalpha()
    return managed or syllable_key(nxt.split("/")[0]) in _ADMIN_NOUNS | _PLACE_LEVELS or (
        syllable_key(nxt) in _PLACE_LEVELS_NAMED and named_next)


def _task_after_dash(tokens: list[re.Match[str]], j: int) -> bool:
    """Does a capitalised verb begin at tokens[j] ("Chỉ đạo các ...", "Chủ động phối hợp ..."), not a name's
    second part ("Lao động - Thương binh", "Kinh tế - Quản lý đầu tư")?"""
    if j + 1 >= len(tokens) or not _is_upper(tokens[j].group()):
        return False
    first, second = tokens[j].group(), tokens[j + 1].group()
    if not starts_verb(first, second):
        return False
    if f"{syllable_key(first.lower())} {syllable_key(second)}" not in _DASH_NAME_PARTS:
        return True
    return j + 2 < len(tokens) and syllable_key(tokens[j + 2].group()) in _PLURALS  # "Chỉ đạo các đơn vị"


def task_after_dash(text: str, pos: int, limit: int | None = None) -> bool:
    """Does a capitalised verb phrase start at pos (after "Unit - "), as in "Cục Đường bộ Việt Nam - Chỉ đạo ..."?"""
    tokens = list(islice(_TOKEN.finditer(text, pos, len(text) if limit is None else limit), 3))
    return _task_after_dash(tokens, 0)


def _dash_heading_end(tokens: list[re.Match[str]], i: int) -> int | None:
    """ "7. Cục Kinh tế - Quản lý đầu tư xây dựng - Chỉ đạo các Ban ...": lower-case words that run to a dash
    followed by a capitalised verb belong to the name; the dash sets the unit apart from its task."""
    for j in range(i, min(i + 5, len(tokens) - 2)):
        word = tokens[j].group()
        if word in ("-", "–", "—"):
            return tokens[j - 1].end() if j > i and _task_after_dash(tokens, j + 1) else None
        key = syllable_key(word)
        if not word[0].isalpha() or _is_upper(word) or key in _AUXILIARIES:
            return None
        if j + 1 < len(tokens) and f"{key} {syllable_key(tokens[j + 1].group())}" in _STOP_BIGRAMS:
            return None
    return None


def _key_before(tokens: list[re.Match[str]], i: int, n: int) -> str:
    """The keys of the n tokens before tokens[i], space-separated."""
    return " ".join(syllable_key(t.group()) for t in tokens[max(0, i - n) : i])


def starts_verb(word: str, following: str = "") -> bool:
    """A word (and the one after it) that begins a verb phrase ("Tập trung", "Tăng cường", "Chủ động")."""
    key = syllable_key(word.lower())
    return key in _VERB_STARTS or f"{key} {syllable_key(following.lower())}" in _STOP_BIGRAMS


def starts_unit(text: str, pos: int, limit: int | None = None) -> bool:
    limit = len(text) if limit is None else limit
    return bool(UNIT_START.match(text, pos, limit) or GENERIC_START.match(text, pos, limit))


_PLURAL = re.compile(r"^(?:các|những|một số)\s+", re.IGNORECASE)
_OF_NAMED = re.compile(rf"\s(?:trực thuộc|thuộc|của)\s+(?=(?:{HEAD_ALTERNATION}|{_ABBREVIATION})(?=[\s,.:;)]|$)[\s,]*\w)")
_GENERIC_WORDS = {fold(w) for w in ("ngành", "ban", "đơn vị", "đơn", "vị", "cơ", "quan", "địa", "phương", "liên", "có", "và",
                                     "sở", "bộ", "tỉnh", "thành", "phố", "huyện", "xã", "phường", "thị", "trực", "thuộc")}


def is_generic(name: str) -> bool:
    """"các bộ, ngành liên quan", "các Sở, ban, ngành" and the like: real, but not a named partner."""
    plural = _PLURAL.match(name)
    after_plural = plural.end() if plural else 0
    kind = GENERIC_START.match(name, after_plural)
    if (kind and not UNIT_START.match(name, after_plural) and _is_upper(name[kind.end() :].lstrip())
            and syllable_key(kind.group().split()[-1]) not in _PLACE_KINDS):
        return False  # "cơ quan Thuế", "các cơ quan Thanh tra chuyên ngành": a kind named by its field (not "tỉnh Ninh Thuận")
    if plural:  # "các Sở, ban, ngành" names no one; "các Vụ quản lý ngành" names a kind of Vụ
        head = UNIT_START.match(name, plural.end())
        if head is None:
            # "các đơn vị thuộc Bộ NN&PTNT": the units of a named body are named by it
            return _OF_NAMED.search(name) is None
        rest = {fold(w) for w in re.split(r"[\s,;]+", name[head.end() :]) if w}
        return not (rest - _GENERIC_WORDS)
    if UNIT_START.match(name):
        return False  # a named unit, even "Uỷ ban nhân dân các quận - huyện liên quan"
    return bool(GENERIC_START.match(name)) or "lien quan" in fold(name)


OFFICIALS_ALTERNATION = "|".join(sorted((o for o in _UNITS["officials"]), key=len, reverse=True))
PERSONAL_TITLES = re.compile(rf"^(?:Phó\s+)?(?:{OFFICIALS_ALTERNATION})\b")


def clean_unit(name: str) -> str:
    name = name.strip(" ,;:.-–").strip()
    return name if name.count("(") <= name.count(")") else name.rstrip("(").strip()
