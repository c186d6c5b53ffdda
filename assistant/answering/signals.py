"""What a question asks of a candidate's unit: the role it names, the kind of body, the units it names.

The words are data (`knowledge/questions.toml`); compared folded, as staff often type without diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.questions.synonyms import spelled_out
from assistant.reading.frames import knowledge as frame_knowledge
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import UNIT_START, inside_name, starts_verb
from index.knowledge import load
from index.textnorm import fold, has_diacritics


@lru_cache(maxsize=1)
def _role_patterns() -> dict[str, re.Pattern[str]]:
    roles = load("questions")["roles"]
    return {
        role: re.compile(r"\b(?:" + "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True)) + r")")
        for role, words in roles.items()
    }


@lru_cache(maxsize=1)
def _meeting() -> re.Pattern[str]:
    """A meeting named in a question ("Cuộc họp ngày 19/1 ... do ai chủ trì?"): chairing it is asked about."""
    # of two words or more: folded, one word is ambiguous ("họp" and "hợp" in "phối hợp" fold alike)
    nouns = sorted({fold(n) for n in load("frames")["meeting_nouns"] if " " in n}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in nouns) + r")\b")


@lru_cache(maxsize=1)
def _asked_head() -> re.Pattern[str]:
    heads = sorted({fold(h) for h in load("questions")["asked_heads"]}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(h) for h in heads) + r")\s+(?:\w+\s+)?(?:nao|which)\b|"
                      r"\bwhich\s+(" + "|".join(re.escape(h) for h in heads) + r")")


@dataclass(frozen=True)
class QuestionSignals:
    roles: frozenset[str]  # roles the question's words name
    asked_head: str  # "cuc" for "Cục nào ...?", "" when not asked
    units: tuple[str, ...]  # folded names of the units the question names
    wh_before_verb: bool  # "Ai chủ trì ..." (the asked unit is the verb's subject), not "... giao cho ai"


_WH = re.compile(r"\b(ai|nao|who|which|what)\b")


_ASKED_AFTER = re.compile(r"\s+(?:nào|nao|gì|gi)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _folded_verbs() -> re.Pattern[str]:
    """The two-word verbs of the lexicon and the role verbs, without diacritics ("phoi hop", "chu tri")."""
    verbs = {fold(v) for v in load("units")["stop_bigrams"]} | {fold(v) for v in frame_knowledge().roles if " " in v}
    return re.compile(r"\s(?:" + "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) + r")\b")


def _before_verb(unit: str) -> str:
    """A unit read from a question typed without diacritics, up to its first verb ("qltt bac ninh | phoi hop
    voi ai"): without the marks a verb looks like a word of the name."""
    verb = _folded_verbs().search(unit)
    return unit[: verb.start()] if verb else unit


@lru_cache(maxsize=4096)
def question_signals(text: str) -> QuestionSignals:
    folded = fold(text)
    exact = has_diacritics(text)
    roles = frozenset(role for role, pattern in _role_patterns().items() if pattern.search(folded))
    if "lead" in roles and _meeting().search(folded):
        roles |= {"chairs"}
    head = _asked_head().search(folded)
    asked = (head.group(1) or head.group(2)) if head else ""
    units: list[str] = []
    for m in UNIT_START.finditer(text):
        if _object_of_task(text, m.start()) or inside_name(text, m.start()):
            continue  # "Hải Phòng" names no "Phòng"
        found, end = parse_units(text, m.start(), len(text))
        if _ASKED_AFTER.match(text, end):
            continue  # "những lực lượng nào": what is asked, not a unit the question names
        units += [fold(u) if exact else _before_verb(fold(u)) for u in found if len(u) > 3]
    wh = _WH.search(folded)
    verbs = [m.start() for p in _role_patterns().values() for m in p.finditer(folded)]
    wh_before = wh is not None and (not verbs or wh.start() < min(verbs))
    # "Văn phòng UBND tỉnh Ninh Bình" holds "UBND tỉnh Ninh Bình": the question names one unit, not two
    units = [u for u in units if not any(u != other and u in other for other in units)]
    return QuestionSignals(roles, asked, tuple(dict.fromkeys(units)), wh_before)


def _object_of_task(text: str, pos: int) -> bool:
    """ "... để xây dựng Trung tâm hỗ trợ ...": a unit a task verb acts on is what the task makes, not a party to
    it; after an assignment verb ("giao Sở X", "phối hợp với Bộ Y") it is one."""
    before = text[max(0, pos - 40) : pos].split()
    if not before or before[-1][-1:] in ",;:":
        return False
    if any(" ".join(before[-n:]).lower() in frame_knowledge().roles for n in range(1, min(4, len(before)) + 1)):
        return False
    return any(starts_verb(before[-n], before[-n + 1] if n > 1 else "") for n in (1, 2) if n <= len(before))


def role_family(role: str) -> str:
    """The question role that asks for a candidate of this role."""
    return {"executes": "lead", "gives": "requested"}.get(role, role)


def names_unit(unit_keys: tuple[str, ...], name: str) -> bool:
    """The question names this unit (or it names the question's)."""
    key = fold(name)
    if not key:
        return False
    # compared with abbreviations written out ("Đội QLTT số 7" names "Đội Quản lý thị trường số 7")
    spelled = f" {spelled_out(key)} "
    words = set(spelled.split())
    # "các phòng, ban thuộc UBND cấp xã" names "các phòng, ban, đơn vị thuộc UBND cấp xã": every word of a
    # name of three words or more, in any order and with others between
    return any(
        u in key or (key in u and len(key) > 5) or f" {asked} " in spelled or (len(spelled) > 7 and spelled in f" {asked} ")
        or _covers(set(asked.split()), words)
        for u in unit_keys if (asked := spelled_out(u))
    )


def _covers(asked: set[str], words: set[str]) -> bool:
    named = asked - {"cac", "nhung"}
    return len(named) >= 3 and named <= words


__all__ = ["QuestionSignals", "names_unit", "question_signals", "role_family"]
