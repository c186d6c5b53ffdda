"""Places named in a question ("tại tỉnh Yên Bái", "thành phố Hải Phòng", "TP. Đà Nẵng", "huyện Mê Linh").

A plan is usually about one place: "Kế hoạch ... của UBND tỉnh X" in its title,
"Sở Công Thương tỉnh X chủ trì ..." or "... tại tỉnh X" in its lines. When a
question names a place, a passage that names another place (or none) does not
answer it, however close its task is: the same task recurs in the plans of many
provinces, with other units.

A place is found after an administrative word (tỉnh, thành phố, TP., huyện,
quận, thị xã, thị trấn, xã, phường) — a province or city of the table, or
else the capitalised words that follow — or as a name of the table on its own,
written with capitals ("Đà Nẵng", "Da Nang"; a lower-case "hòa bình" is a word,
not the province). The provinces, their other names and the administrative words are data
(`knowledge/places.toml`). Typed without diacritics, the administrative word may be any
word that folds like it ("tinh yen bai"). Places are compared folded (no
diacritics, lower case), as whole words, with any alias ("Hồ Chí Minh", "TP.HCM").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.knowledge import alternation, load
from index.textnorm import fold, has_diacritics, syllable_key

_DATA = load("places")
# the 63 provinces and centrally-run cities of 2008-2025 (the 34 of the 2025 merger are among them)
PROVINCES: tuple[str, ...] = tuple(_DATA["provinces"])
# other names of a province or city (folded) -> its name in the table
ALIASES: dict[str, str] = {fold(alias): name for alias, name in _DATA["aliases"].items()}
# folded forms of the administrative words, and their forms with diacritics
_KINDS = {tuple(fold(kind).split()): kind for kind in _DATA["kinds"]}
_EXACT_KINDS = {k: [syllable_key(w) for w in v.split()] for k, v in _KINDS.items()}
_NUMBERED = {tuple(fold(kind).split()) for kind in _DATA["numbered"]}  # "quận 1", "phường 12"
_NOT_NAMES = {fold(word) for word in _DATA["not_names"]}
_WORD = re.compile(r"\w+")
_JOIN = re.compile(r"\s*(?:-|–)?\s*")
MAX_NAME_WORDS = 4


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


_NAMES: dict[tuple[str, ...], str] = {_words(p): p for p in PROVINCES} | {_words(a): p for a, p in ALIASES.items()}
_LONGEST_FIRST = sorted(_NAMES, key=len, reverse=True)


@dataclass(frozen=True)
class Place:
    name: str  # the province's name in the table, or the name as the question writes it
    keys: tuple[tuple[str, ...], ...]  # folded word sequences, any of which names it in a passage


def known_place(name: str) -> Place:
    """A province or city of the table, with every alias."""
    own = _words(name)
    return Place(name, (own, *(k for k, p in _NAMES.items() if p == name and k != own)))


def _known_at(folded: list[str], i: int) -> tuple[str, ...] | None:
    for key in _LONGEST_FIRST:
        if tuple(folded[i : i + len(key)]) == key:
            return key
    return None


@lru_cache(maxsize=4096)
def find_places(text: str) -> tuple[Place, ...]:
    """The places a question names, in order, without repeats."""
    matches = list(_WORD.finditer(text))
    words = [m.group() for m in matches]
    folded = [fold(w) for w in words]
    exact = has_diacritics(text)

    def joined(i: int, after_kind: bool = False) -> bool:  # word i follows word i-1 with a space or a hyphen between
        gap = text[matches[i - 1].end() : matches[i].start()]
        return bool(_JOIN.fullmatch(gap[1:] if after_kind and gap.startswith(".") else gap))

    def capitalised(i: int) -> bool:
        return words[i][:1].isupper() or words[i][:1].isdigit()

    found: dict[tuple[str, ...], Place] = {}
    i = 0
    while i < len(words):
        kind = next((k for k in _KINDS if tuple(folded[i : i + len(k)]) == k and all(
            joined(j) for j in range(i + 1, i + len(k)))), None)
        if kind and exact and [syllable_key(w) for w in words[i : i + len(kind)]] != _EXACT_KINDS[kind]:
            kind = None  # "tính" is not "tỉnh"
        start = i + len(kind) if kind else i
        known = _known_at(folded, start) if start < len(words) and (not kind or joined(start, True)) else None
        if known and (kind or all(capitalised(j) for j in range(start, start + len(known)))):
            place = known_place(_NAMES[known])
            found.setdefault(place.keys[0], place)
            i = start + len(known)
            continue
        if kind and start < len(words) and joined(start, True) and capitalised(start):
            end = start
            while end < len(words) and end - start < MAX_NAME_WORDS and capitalised(end) and (end == start or (
                    joined(end) and not _known_at(folded, end) and not words[end][:1].isdigit())):
                end += 1
            name = tuple(folded[start:end])
            if name[0] not in _NOT_NAMES and (not name[0].isdigit() or kind in _NUMBERED):
                key = (*kind, *name) if name[0].isdigit() else name
                found.setdefault(key, Place(" ".join(words[start:end]), (key,)))
            i = end
            continue
        i += 1
    return tuple(found.values())


_BY_NAME = {p: fold(p) for p in PROVINCES}  # "ba ria - vung tau", as the documents write it


def constraints(text: str) -> list[str]:
    """The places a question names, as folded phrases a passage (with its title and lead-in) must contain,
    like the numbers of a Question's constraints: the shortest of its names that all others contain ("Huế"
    for "Thừa Thiên Huế"), else its name in the table ("TP.HCM" in a question asks for "Hồ Chí Minh")."""
    return [_constraint(p) for p in find_places(text)]


def _constraint(place: Place) -> str:
    def within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
        return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))

    common = [k for k in place.keys if all(within(k, other) for other in place.keys)]
    if common and len(place.keys) > 1:
        shortest: tuple[str, ...] = min(common, key=lambda k: len(k))
        return " ".join(shortest)
    return _BY_NAME.get(place.name, " ".join(place.keys[0]))


# -- where the chunks name places ---------------------------------------------------------------------
_UPPER = "".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isupper() and chr(c).isalpha())
_SEP = r"(?:[ \t]+|[ \t]*[-–][ \t]*)"
_NAME_RUN = rf"[{_UPPER}0-9]\w*(?:{_SEP}[{_UPPER}0-9]\w*){{0,{MAX_NAME_WORDS - 1}}}"
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in a text's opening lines: society, not a commune named "Hội"
_MOTTO = re.compile(r"xa hoi chu nghia\b")
_AFTER_KIND = re.compile(
    rf"(?<!\w)((?i:{alternation(_KINDS.values())}))(?:[ \t]*\.)?[ \t]+({_NAME_RUN})"
)


def _trie_pattern(names: list[tuple[str, ...]]) -> str:
    """One regex for many folded names, as a trie (the re module tries alternatives one by one)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for name in names:
        node = trie
        for word in name:
            node = node.setdefault(word, {})
        node[""] = {}

    def pattern(node: dict) -> str:  # type: ignore[type-arg]
        parts = [re.escape(w) + (r"(?:[\s\-–]+" + pattern(rest) + ")" if set(rest) - {""} else "")
                 + ("?" if "" in rest and set(rest) - {""} else "") for w, rest in node.items() if w]
        return "(?:" + "|".join(parts) + ")"

    return pattern(trie)


_KNOWN_FOLDED = re.compile(r"(?<!\w)" + _trie_pattern(_LONGEST_FIRST) + r"(?!\w)")


def named_places(text: str, folded: str | None = None) -> set[str]:
    """The folded keys of the places a text names: the capitalised words after an administrative word (and
    their first words), and the provinces and cities of the table (and their aliases) written with capitals.
    `folded` is fold(text) when the caller has it."""
    keys: set[str] = set()
    for m in _AFTER_KIND.finditer(text):
        if _MOTTO.match(fold(m.group())):
            continue
        words = _WORD.findall(fold(m.group(2)))
        if words[0].isdigit():  # "quận 1"
            keys.add(" ".join([*_WORD.findall(fold(m.group(1))), words[0]]))
        else:
            keys.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    folded = fold(text) if folded is None else folded
    aligned = len(folded) == len(text)  # true of NFC Vietnamese: one folded character per character
    for m in _KNOWN_FOLDED.finditer(folded):
        written = text[m.start() : m.end()] if aligned else ""
        if aligned and not all(w[:1].isupper() for w in _WORD.findall(written)):
            continue  # "hòa bình" (peace), "đa năng": words, not the province
        keys.add(" ".join(_WORD.findall(m.group())))
    return keys


def governed_places(text: str) -> list[str]:
    """The places a text names after an administrative word ("UBND tỉnh Kiên Giang", "thành phố Đà Nẵng"), in order:
    where the authority it speaks of sits."""
    return [m.group() for m in _AFTER_KIND.finditer(text) if not _MOTTO.match(fold(m.group()))]


def place_keys(place: Place) -> list[str]:
    """The keys under which named_places files a place (any of its names)."""
    return [" ".join(k) for k in place.keys]
