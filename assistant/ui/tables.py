"""Rows for the Assignments and Documents tabs, the diacritics-insensitive filter, the CSV export,
and finding the stored chunk around a span (to expand a citation or show an assignment's passage)."""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant.reading.assignments import Assignment
from assistant.types import Citation, DocumentInfo
from assistant.ui.render import Passage, esc, highlight, shorten
from index.textnorm import fold

ASSIGNMENT_HEADERS = ["#", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Tài liệu"]
DOCUMENT_HEADERS = ["Tệp", "Tiêu đề", "Số đoạn", "Số phân công"]
CSV_FIELDS = ["task", "lead", "partners", "role", "source", "title", "statement", "start", "end"]
SCOPE_UNITS = "Đơn vị"
SCOPE_ALL = "Tất cả các cột"
TASK_CHARS = 240

_CSV_DIR: Path | None = None


def _searchable(a: Assignment, scope: str) -> str:
    fields = [a.lead, *a.partners]
    if scope != SCOPE_UNITS:
        fields += [a.task, a.title, a.source, a.statement]
    return fold(" | ".join(fields))


def filter_assignments(assignments: Sequence[Assignment], query: str, scope: str = SCOPE_UNITS) -> list[int]:
    """Indices of the assignments matching every word of query, with or without diacritics."""
    words = fold(query or "").split()
    if not words:
        return list(range(len(assignments)))
    needle = " ".join(words)
    return [i for i, a in enumerate(assignments) if needle in " ".join(_searchable(a, scope).split())]


def assignment_rows(assignments: Sequence[Assignment], indices: Iterable[int]) -> list[list[Any]]:
    rows = []
    for i in indices:
        a = assignments[i]
        rows.append([i + 1, shorten(a.task, TASK_CHARS), a.lead, ", ".join(a.partners), a.title or a.source])
    return rows


def document_rows(documents: Sequence[DocumentInfo]) -> list[list[Any]]:
    return [[d.source, d.title, d.chunks, d.assignments] for d in sorted(documents, key=lambda d: d.source)]


def assignments_csv(assignments: Sequence[Assignment], indices: Iterable[int]) -> Path:
    """Write the selected assignments as CSV (UTF-8 with BOM, for spreadsheets); same content, same file."""
    global _CSV_DIR
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for i in indices:
        a = assignments[i]
        writer.writerow({
            "task": a.task, "lead": a.lead, "partners": "; ".join(a.partners), "role": a.role,
            "source": a.source, "title": a.title, "statement": a.quote, "start": a.start, "end": a.end,
        })
    data = buffer.getvalue().encode("utf-8-sig")
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


def render_assignment(a: Assignment, passage: Passage | None) -> str:
    """The Assignments tab's detail view: who, what, where, and the source passage with the statement marked."""
    marked = highlight(passage, a.start, a.end, a.statement) or f"<mark>{esc(a.quote)}</mark>"
    partners = ", ".join(f"<strong>{esc(p)}</strong>" for p in a.partners) or "—"
    lead_in = f'<div class="meta">Dòng dẫn: {esc(a.lead_in)}</div>' if a.lead_in else ""
    return (
        f'<div class="passage-view">'
        f'<div class="meta"><b>{esc(a.title or a.source)}</b> — <code>{esc(a.source)}</code>, ký tự {a.start}–{a.end}</div>'
        f'<div class="meta">Chủ trì: <strong>{esc(a.lead)}</strong> · Phối hợp: {partners}</div>'
        f'<div class="meta">Nhiệm vụ: {esc(a.task)}</div>{lead_in}'
        f'<div class="passage">{marked}</div></div>'
    )
