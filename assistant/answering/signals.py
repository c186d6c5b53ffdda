"""What a question asks of a candidate's unit: the role it names, the kind of body, the units it names.

The words are data (`knowledge/questions.toml`); compared folded, as staff often type without diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.reading.units import UNIT_START, parse_units
from index.knowledge import load
from index.textnorm import fold


@lru_cache(maxsize=1)
def _role_patterns() -> dict[str, re.Pattern[str]]:
    roles = load("questions")["roles"]
    return {
        role: re.compile(r"\b(?:" + "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True)) + r")")
        for role, words in roles.items()
    }


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


@lru_cache(maxsize=4096)
def question_signals(text: str) -> QuestionSignals:
    folded = fold(text)
    roles = frozenset(role for role, pattern in _role_patterns().items() if pattern.search(folded))
    head = _asked_head().search(folded)
    asked = (head.group(1) or head.group(2)) if head else ""
    units: list[str] = []
    for m in UNIT_START.finditer(text):
        found, _ = parse_units(text, m.start(), len(text))
        units += [fold(u) for u in found if len(u) > 3]
    wh = _WH.search(folded)
    verbs = [m.start() for p in _role_patterns().values() for m in p.finditer(folded)]
    wh_before = wh is not None and (not verbs or wh.start() < min(verbs))
    return QuestionSignals(roles, asked, tuple(dict.fromkeys(units)), wh_before)


def role_family(role: str) -> str:
    """The question role that asks for a candidate of this role."""
    return {"executes": "lead", "gives": "requested"}.get(role, role)


def names_unit(unit_keys: tuple[str, ...], name: str) -> bool:
    """The question names this unit (or it names the question's)."""
    key = fold(name)
    return bool(key) and any(u in key or (key in u and len(key) > 5) for u in unit_keys)


__all__ = ["QuestionSignals", "names_unit", "question_signals", "role_family"]
