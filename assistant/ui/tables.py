"""Rows for the Assignments and Documents tabs, the CSV download (assistant.assignment_table's writer),
and finding the stored chunk around a span (to show an assignment's passage)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant import assignment_table
from assistant.assignment_table import csv_bytes, document_label, shorten_words
from assistant.types import Citation, DocumentInfo
from assistant.ui.render import Passage, esc, highlight
from index.metadata import display_date

ASSIGNMENT_HEADERS = ["#", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Văn bản"]
DOCUMENT_HEADERS = ["Tệp", "Tiêu đề", "Số hiệu", "Ngày", "Cơ quan ban hành", "Số đoạn", "Số phân công"]
SCOPE_UNITS = "Đơn vị"
SCOPE_ALL = "Tất cả các cột"
SCOPES = {SCOPE_UNITS: assignment_table.SCOPE_UNITS, SCOPE_ALL: assignment_table.SCOPE_ALL}
ALL_YEARS = "Mọi năm"
# one line a row: cells are cut at a word (the whole text is shown below the table on selection)
TASK_CHARS = 110
UNITS_CHARS = 60

_CSV_DIR: Path | None = None


def assignment_rows(
    assignments: Sequence[Any], indices: Iterable[int], documents: Mapping[str, DocumentInfo]
) -> list[list[Any]]:
    rows = []
    for i in indices:
        a = assignments[i]
        rows.append([
            i + 1, shorten_words(a.task, TASK_CHARS), shorten_words(a.lead, UNITS_CHARS),
            shorten_words(", ".join(a.partners), UNITS_CHARS), document_label(documents.get(a.source), a.title or a.source),
        ])
    return rows


def document_rows(documents: Sequence[DocumentInfo]) -> list[list[Any]]:
    return [
        [d.source, d.title, d.doc_number, display_date(d.doc_date) if d.doc_date else "", d.issuer, d.chunks,
         d.assignments]
        for d in sorted(documents, key=lambda d: d.source)
    ]


def assignments_csv(assignments: Sequence[Any], indices: Iterable[int], documents: Mapping[str, DocumentInfo]) -> Path:
    """The selected assignments as a CSV file (the bytes `assistant assignments --csv` writes); same content, same file."""
    global _CSV_DIR
    data = csv_bytes(assignments, indices, documents)
    if _CSV_DIR is None or not _CSV_DIR.is_dir():
        _CSV_DIR = Path(tempfile.mkdtemp(prefix="assistant-csv-"))
    path = _CSV_DIR / f"phan-cong-{hashlib.sha1(data).hexdigest()[:12]}.csv"
    if not path.exists():
        path.write_bytes(data)
    return path


def passage_of(nodes: Sequence[Any], source: str, start: int, end: int, chunk_id: str = "") -> Passage | None:
    """The stored chunk with this id, else the chunk of source that contains [start, end)."""
    fallback = None
    for node in nodes:
        meta = node.metadata
        if chunk_id and node.node_id == chunk_id:
            return Passage(node.text, int(meta["start"]))
        if str(meta.get("source")) != source:
            continue
        n_start, n_end = int(meta["start"]), int(meta.get("end", int(meta["start"]) + len(node.text)))
        if n_start <= start < n_end:
            if end <= n_end:
                return Passage(node.text, n_start)
            fallback = fallback or Passage(node.text, n_start)
    return fallback


def citation_passage(nodes: Sequence[Any], c: Citation) -> Passage | None:
    if c.passage:
        return Passage(c.passage, c.passage_start)
    return passage_of(nodes, c.source, c.start, c.end)


def render_assignment(a: Any, passage: Passage | None, info: DocumentInfo | None = None) -> str:
    """The Assignments tab's detail view: who, what, which document, and the source passage with the statement marked."""
    marked = highlight(passage, a.start, a.end, a.statement) or f"<mark>{esc(a.quote)}</mark>"
    partners = ", ".join(f"<strong>{esc(p)}</strong>" for p in a.partners) or "—"
    lead_in = f'<div class="meta">Dòng dẫn: {esc(a.lead_in)}</div>' if a.lead_in else ""
    facts = []
    if info is not None:
        facts = [f"Số {info.doc_number}" if info.doc_number else "",
                 f"ngày {display_date(info.doc_date)}" if info.doc_date else "", info.issuer]
    doc_facts = " · ".join(esc(f) for f in facts if f)
    return (
        f'<div class="passage-view">'
        f'<div class="meta"><b>{esc(a.title or a.source)}</b>{" — " + doc_facts if doc_facts else ""}</div>'
        f'<div class="meta"><code>{esc(a.source)}</code>, ký tự {a.start}–{a.end}</div>'
        f'<div class="meta">Chủ trì: <strong>{esc(a.lead)}</strong> · Phối hợp: {partners}</div>'
        f'<div class="meta">Nhiệm vụ: {esc(a.task)}</div>{lead_in}'
        f'<div class="passage">{marked}</div></div>'
    )
