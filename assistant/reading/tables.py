"""Tables of assignments ("Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp"): each row a task, its lead and partners."""

from __future__ import annotations

import re

from assistant.reading.assignment import Assignment
from assistant.reading.frames import LEAD
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import is_generic
from index.outline import ROW, OutlineLine

ROW_ORDER = "row"

_HEADER_LEAD = re.compile(r"chủ trì|thực hiện|đầu mối|chịu trách nhiệm", re.IGNORECASE)
_HEADER_PARTNERS = re.compile(r"phối hợp", re.IGNORECASE)
_HEADER_TASK = re.compile(r"nhiệm vụ|nội dung|công việc|tên|hoạt động|đề án|dự án", re.IGNORECASE)


def _header(cells: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if "lead" not in columns and _HEADER_LEAD.search(cell) and not _HEADER_PARTNERS.search(cell) and len(cell) < 60:
            columns["lead"] = i
        elif "partners" not in columns and _HEADER_PARTNERS.search(cell) and len(cell) < 60:
            columns["partners"] = i
        elif "task" not in columns and _HEADER_TASK.search(cell) and len(cell) < 60:
            columns["task"] = i
    return columns if "lead" in columns and "task" in columns else None


def table_assignments(text: str, lines: list[OutlineLine]) -> list[Assignment]:
    """A table's rows under a header that names the task, the lead and the partners columns."""
    out: list[Assignment] = []
    columns: dict[str, int] | None = None
    for line in lines:
        if line.kind != ROW:
            columns = None
            continue
        cells = text[line.start : line.end].split(" | ")
        header = _header(cells)
        if header:
            columns = header
            continue
        if not columns or len(cells) <= max(columns.values()):
            continue
        lead_cell = cells[columns["lead"]].strip()
        leads, _ = parse_units(lead_cell, 0, len(lead_cell))
        leads = leads or ([lead_cell[:80]] if lead_cell else [])
        partners: list[str] = []
        if "partners" in columns:
            cell = cells[columns["partners"]]
            partners = parse_units(cell.strip(), 0, len(cell.strip()))[0]
        task = cells[columns["task"]].strip() if "task" in columns else ""
        if leads and task:
            lead = ", ".join(leads)
            out.append(Assignment(
                lead=lead, partners=[p for p in partners if not is_generic(p)], task=task, role=LEAD,
                statement=text[line.start : line.end], start=line.start, end=line.end,
                all_partners=partners, order=ROW_ORDER,
            ))
    return out


__all__ = ["ROW_ORDER", "table_assignments"]
