"""Who the ingested documents give tasks to: the assignments indexed by their lead unit.

Built once per loaded index (the answer builder is rebuilt on every reload), so
a question never scans every assignment to find a unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from assistant.questions.analysis import Question
from assistant.reading.extraction import Assignment
from index.textnorm import fold

DOMINANT_LEAD = 0.6  # share of a document's assignments that makes its lead the lead of an unattributed item
MAX_LEAD_CHARS = 80


def leads_as(lead_key: str, unit_key: str) -> bool:
    """A lead (folded) is the unit's, alone or first of several ("vụ x, vụ y")."""
    return lead_key == unit_key or lead_key.startswith(unit_key + ",")


class Leads:
    def __init__(self, all_assignments: Callable[[], list[Assignment]]) -> None:
        self.all_assignments = all_assignments
        self._by_lead: dict[str, list[tuple[int, Assignment]]] | None = None  # with each one's place among all
        self._spelling: dict[str, str] = {}
        self._by_document: dict[str, Counter[str]] = {}

    def _build(self) -> dict[str, list[tuple[int, Assignment]]]:
        if self._by_lead is None:
            by_lead: dict[str, list[tuple[int, Assignment]]] = {}
            for i, a in enumerate(self.all_assignments()):
                key = fold(a.lead)
                by_lead.setdefault(key, []).append((i, a))
                if len(a.lead) <= MAX_LEAD_CHARS:
                    self._spelling[key] = a.lead  # the last spelling ("Bộ Công thương" / "Bộ Công Thương")
                if a.lead:
                    self._by_document.setdefault(a.source, Counter())[a.lead] += 1
            self._by_lead = by_lead
        return self._by_lead

    def led_by(self, unit_key: str) -> list[Assignment]:
        """The assignments a unit (folded) leads, alone or first of several, in document order."""
        found = [item for lead, items in self._build().items() if leads_as(lead, unit_key) for item in items]
        return [a for _, a in sorted(found, key=lambda item: item[0])]

    def is_lead(self, unit: str) -> bool:
        key = fold(unit)
        return any(lead.startswith(key) for lead in self._build())

    def named_unit(self, question: Question) -> str | None:
        """The unit a question is about; not one in its framing clause ("Theo Chỉ thị của Bộ Tư pháp, Sở Tư pháp ...")."""
        self._build()
        folded_q = f" {fold(question.text[question.frame_end :])} "
        hits = [lead for key, lead in self._spelling.items() if f" {key} " in folded_q]
        # the question's subject ("Bộ Giáo dục và Đào tạo được giao ... trong Đề án Trung tâm dữ liệu quốc gia")
        start = len(question.text) - len(question.text[question.frame_end :].lstrip())
        subject = [h for h in hits if fold(question.text[start:]).startswith(fold(h))]
        return max(subject or hits, key=len) if hits else None

    def document_lead(self, source: str) -> str | None:
        """The lead of a document that gives one body most of its tasks ("Giao Ban quản lý X các nhiệm vụ sau")."""
        self._build()
        leads = self._by_document.get(source)
        if not leads:
            return None
        lead, count = leads.most_common(1)[0]
        return lead if count >= DOMINANT_LEAD * sum(leads.values()) else None
