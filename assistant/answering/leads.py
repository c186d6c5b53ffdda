"""Who the ingested documents give tasks to: the assignments indexed by their lead unit.

Built once per loaded index, so a question never scans every assignment to find a unit.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.questions.synonyms import spelled_out
from assistant.reading.assignments import Assignment
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import MAX_UNIT_CHARS, UNIT_START, is_generic
from index.textnorm import fold


def leads_as(lead_key: str, unit_key: str) -> bool:
    """A lead (folded) is the unit's, alone or first of several ("vụ x, vụ y")."""
    return lead_key == unit_key or lead_key.startswith(unit_key + ",")


def lead_members(lead: str) -> list[str]:
    """The units a joint lead names, as the reader parses them ("Phòng Kinh tế, Công an Kinh tế, Đội Quản lý thị
    trường 12 B" is three; "Bộ Văn hóa, Thể thao và Du lịch" and "Ủy ban nhân dân các tỉnh, thành phố" are one)."""
    units, _ = parse_units(lead, 0, len(lead))
    return units or [lead]


def _plain(name: str) -> str:
    """A name's words with abbreviations written out and no "các"/"những" ("UBND các huyện" -> "uy ban nhan dan huyen")."""
    return " ".join(w for w in spelled_out(name).split() if w not in ("cac", "nhung"))


class Leads:
    def __init__(self, assignments: Sequence[Assignment]) -> None:
        self.by_lead: dict[str, list[Assignment]] = {}
        self.spelling: dict[str, str] = {}
        self._joint: dict[str, list[Assignment]] = {}  # by a later unit of a joint lead
        for a in assignments:
            if not a.is_task:
                continue
            key = fold(a.lead)
            self.by_lead.setdefault(key, []).append(a)
            if len(a.lead) <= MAX_UNIT_CHARS:
                self.spelling[key] = a.lead
            for member in lead_members(a.lead)[1:]:
                head = UNIT_START.match(member)
                if head is None or head.end() == len(member) or is_generic(member):
                    continue  # a bare head ("Công an" of "Các Bộ: Quốc phòng, Công an") names no one unit
                self._joint.setdefault(fold(member), []).append(a)
                self.spelling.setdefault(fold(member), member)
        # each lead's head and first two words ("so nong nghiep" of "Sở NN&PTNT"), for questions that shorten it
        self._first_words: list[tuple[str, str]] = []
        for lead in self.spelling.values():
            head = UNIT_START.match(lead)
            words = _plain(lead).split()
            size = len(_plain(head.group()).split()) + 2 if head else 0
            if head and len(words) >= size:
                self._first_words.append((f" {' '.join(words[:size])} ", lead))
        self._partners: dict[str, list[Assignment]] = {}
        for a in assignments:
            for p in a.partners:
                self._partners.setdefault(fold(p), []).append(a)

    def tasks_of(self, unit: str, as_partner: bool = False) -> list[Assignment]:
        """The tasks a unit leads (alone or with others), and those it takes part in when asked."""
        key = fold(unit)
        found = [a for lead, items in self.by_lead.items() if leads_as(lead, key) for a in items]
        found += self._joint.get(key, [])
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
        return [lead for _, _, lead in kept] or self._named_by_first_words(folded_question)

    def _named_by_first_words(self, folded_question: str) -> list[str]:
        """Units a question names by their head and first two words, as people shorten them ("Sở Nông nghiệp" for
        "Sở NN&PTNT", "UBND các huyện, thị xã" for "UBND huyện, thị xã, thành phố ven biển"), abbreviations written
        out and "các" left out; the longest name first."""
        asked = f" {_plain(folded_question)} "
        found = [lead for first_words, lead in self._first_words if first_words in asked]
        return sorted(found, key=len, reverse=True)[:2]
