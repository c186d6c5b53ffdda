"""The assignments as a table: one filter and one CSV writer for the Phân công tab and `assistant assignments`.

The browser's download and the CLI's `--csv` are the same bytes for the same filter: UTF-8 with a
BOM (spreadsheets then read Vietnamese right), the same columns, and cells that a spreadsheet would
run as a formula (starting with =, +, -, @, a tab or a carriage return) neutralised by a leading '.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.types import DocumentInfo
from index.metadata import display_date
from index.textnorm import fold

SCOPE_LEAD = "lead"  # the unit that leads
SCOPE_UNITS = "units"  # the unit that leads or a cooperating one
SCOPE_ALL = "all"  # every column, the document's title, number and issuer included
SCOPES = (SCOPE_LEAD, SCOPE_UNITS, SCOPE_ALL)
CSV_FIELDS = [
    "task", "lead", "partners", "role", "source", "start", "end",
    "title", "doc_number", "doc_date", "issuer", "statement",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AssignmentFilter:
    """Every non-empty part must match; text is compared without diacritics or case."""

    text: str = ""
    scope: str = SCOPE_UNITS
    lead: str = ""  # led by this unit (`assistant assignments --unit`)
    issuer: str = ""  # the document's issuing body contains this
    number: str = ""  # the document's number contains this ("141/NQ")
    year: str = ""  # the document's date is in this year


def _words(text: str) -> str:
    return " ".join(fold(text or "").split())


def _contains(haystack: str, needle: str) -> bool:
    return not needle.strip() or _words(needle) in _words(haystack)


def _searchable(a: Any, scope: str, info: DocumentInfo | None) -> str:
    fields = [a.lead] if scope == SCOPE_LEAD else [a.lead, *a.partners]
    if scope == SCOPE_ALL:
        fields += [a.task, a.title, a.source, a.statement]
        if info is not None:
            fields += [info.doc_number, info.issuer]
    return " | ".join(fields)


def filter_assignments(
    assignments: Sequence[Any], documents: Mapping[str, DocumentInfo], flt: AssignmentFilter
) -> list[int]:
    """Indices of the assignments that match the filter, in document order."""
    year = flt.year.strip()
    found = []
    for i, a in enumerate(assignments):
        info = documents.get(a.source)
        if not (_contains(_searchable(a, flt.scope, info), flt.text) and _contains(a.lead, flt.lead)):
            continue
        if (flt.issuer.strip() or flt.number.strip() or year) and info is None:
            continue
        if info is not None and not (_contains(info.issuer, flt.issuer) and _contains(info.doc_number, flt.number)):
            continue
        if year and (info is None or info.year != year):
            continue
        found.append(i)
    return found


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made plain text by a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(a: Any, info: DocumentInfo | None) -> dict[str, Any]:
    row = {
        "task": a.task, "lead": a.lead, "partners": "; ".join(a.partners), "role": a.role, "source": a.source,
        "start": a.start, "end": a.end, "title": a.title or (info.title if info else ""),
        "doc_number": info.doc_number if info else "", "doc_date": info.doc_date if info else "",
        "issuer": info.issuer if info else "", "statement": a.quote,
    }
    return {key: safe_cell(value) for key, value in row.items()}


def csv_bytes(assignments: Sequence[Any], indices: Iterable[int], documents: Mapping[str, DocumentInfo]) -> bytes:
    """The selected assignments as CSV: UTF-8 with BOM, header row, CSV_FIELDS in that order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for i in indices:
        a = assignments[i]
        writer.writerow(csv_row(a, documents.get(a.source)))
    return buffer.getvalue().encode("utf-8-sig")


def shorten_words(text: str, limit: int) -> str:
    """text on one line, cut at a word boundary to at most `limit` characters (… marks the cut)."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def document_label(info: DocumentInfo | None, fallback: str, limit: int = 60) -> str:
    """How a document is named in a table cell: its number and date when it gives them, else its title."""
    if info is not None and info.doc_number:
        date = f", {display_date(info.doc_date)}" if info.doc_date else ""
        return f"Số {info.doc_number}{date}"
    return shorten_words(info.title if info and info.title else fallback, limit)


def issuers(documents: Mapping[str, DocumentInfo]) -> list[str]:
    return sorted({d.issuer for d in documents.values() if d.issuer}, key=fold)


def years(documents: Mapping[str, DocumentInfo]) -> list[str]:
    return sorted({d.year for d in documents.values() if d.year}, reverse=True)
