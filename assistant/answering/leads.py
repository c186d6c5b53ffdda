"""Who the ingested documents give tasks to: the assignments indexed by their lead unit.

Built once per loaded index, so a question never scans every assignment to find a unit.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.reading.assignments import Assignment
from index.textnorm import fold

MAX_LEAD_CHARS = 80


def leads_as(lead_key: str, unit_key: str) -> bool:
    """A lead (folded) is the unit's, alone or first of several ("vụ x, vụ y")."""
    return lead_key == unit_key or lead_key.startswith(unit_key + ",")


class Leads:
    def __init__(self, assignments: Sequence[Assignment]) -> None:
        self.by_lead: dict[str, list[Assignment]] = {}
        self.spelling: dict[str, str] = {}
        for a in assignments:
            if not a.is_task:
                continue
            key = fold(a.lead)
            self.by_lead.setdefault(key, []).append(a)
            if len(a.lead) <= MAX_LEAD_CHARS:
                self.spelling[key] = a.lead
        self._partners: dict[str, list[Assignment]] = {}
        for a in assignments:
            for p in a.partners:
                self._partners.setdefault(fold(p), []).append(a)

    def tasks_of(self, unit: str, as_partner: bool = False) -> list[Assignment]:
        """The tasks a unit leads (alone or first of several), and those it takes part in when asked."""
        key = fold(unit)
        found = [a for lead, items in self.by_lead.items() if leads_as(lead, key) for a in items]
        if as_partner:
            found += self._partners.get(key, [])
        return found

    def is_lead(self, unit: str) -> bool:
        key = fold(unit)
        return any(lead.startswith(key) for lead in self.by_lead)

    def named_units(self, folded_question: str) -> list[str]:
        """The units with tasks that the question names, its subject first (as the documents spell them);
        of two names at one place, the longer ("Vụ Kế hoạch" in "Vụ Kế hoạch tài chính" is not named)."""
        padded = f" {folded_question} "
        hits = [(padded.find(f" {key} "), -len(key), lead) for key, lead in self.spelling.items() if f" {key} " in padded]
        hits.sort()
        kept: list[tuple[int, int, str]] = []
        for pos, neg_len, lead in hits:
            if not any(p <= pos < p - n for p, n, _ in kept):
                kept.append((pos, neg_len, lead))
        return [lead for _, _, lead in kept]
