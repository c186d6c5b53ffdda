"""The one assignment filter and CSV writer (browser download and `assistant assignments --csv`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from assistant.assignment_table import (
    CSV_FIELDS,
    SCOPE_ALL,
    SCOPE_LEAD,
    AssignmentFilter,
    csv_bytes,
    filter_assignments,
    safe_cell,
    shorten_words,
)
from assistant.types import DocumentInfo


@dataclass
class Row:  # the fields of assistant.reading.assignments.Assignment the table reads
    lead: str
    partners: list[str]
    task: str
    source: str
    role: str = "chủ trì"
    statement: str = ""
    start: int = 0
    end: int = 10
    title: str = ""
    lead_in: str = ""
    chunk_id: str = ""
    all_partners: list[str] = field(default_factory=list)

    @property
    def quote(self) -> str:
        return f"{self.lead_in}\n{self.statement}" if self.lead_in else self.statement


ROWS = [
    Row("Bộ Công Thương", ["Bộ Tư pháp"], "xây dựng dự án Luật sửa đổi Luật Thương mại", "nq141.txt",
        statement="Bộ Công Thương chủ trì, phối hợp với Bộ Tư pháp xây dựng dự án Luật"),
    Row("Vụ Kế hoạch", ["Cục Công nghiệp"], "=HYPERLINK(\"http://x\")", "news.txt", statement="+ Vụ Kế hoạch chủ trì"),
    Row("Sở Công Thương", ["Vụ Kế hoạch"], "@SUM(A1) kiểm tra", "qd137.txt", statement="-Sở Công Thương chủ trì"),
]
DOCS = {
    "nq141.txt": DocumentInfo("nq141.txt", "Nghị quyết số 141/NQ-CP", 3, 1, "141/NQ-CP", "2026-06-01", "CHÍNH PHỦ"),
    "qd137.txt": DocumentInfo("qd137.txt", "QUYẾT ĐỊNH Về việc ...", 2, 1, "137/2025/QĐ-UBND", "2025-09-23",
                              "UỶ BAN NHÂN DÂN TỈNH NGHỆ AN"),
    "news.txt": DocumentInfo("news.txt", "Bộ Công Thương ban hành Chương trình hành động", 5, 1),
}


def test_filters_by_unit_scope_issuer_number_and_year() -> None:
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(text="vu ke hoach")) == [1, 2]  # lead or partner
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(lead="vu ke hoach")) == [1]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(text="vu ke hoach", scope=SCOPE_LEAD)) == [1]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(text="luat thuong mai")) == []
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(text="luat thuong mai", scope=SCOPE_ALL)) == [0]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(text="137/2025", scope=SCOPE_ALL)) == [2]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(issuer="chinh phu")) == [0]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(issuer="Uỷ ban nhân dân tỉnh Nghệ An")) == [2]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(number="141/nq")) == [0]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(year="2025")) == [2]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter(year="2025", text="vu ke hoach")) == [2]
    assert filter_assignments(ROWS, DOCS, AssignmentFilter()) == [0, 1, 2]


def test_csv_has_a_bom_the_same_columns_and_no_formulas() -> None:
    data = csv_bytes(ROWS, [0, 1, 2], DOCS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_FIELDS
    assert {"task", "lead", "partners", "role", "source", "start", "end"} <= set(CSV_FIELDS)
    assert rows[0]["doc_number"] == "141/NQ-CP" and rows[0]["doc_date"] == "2026-06-01"
    assert rows[0]["issuer"] == "CHÍNH PHỦ" and rows[0]["partners"] == "Bộ Tư pháp"
    assert rows[1]["task"] == "'=HYPERLINK(\"http://x\")" and rows[1]["statement"] == "'+ Vụ Kế hoạch chủ trì"
    assert rows[2]["task"] == "'@SUM(A1) kiểm tra" and rows[2]["statement"] == "'-Sở Công Thương chủ trì"
    for row in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values()), row
    assert rows[1]["doc_number"] == "" and rows[1]["start"] == "0"


def test_safe_cell() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+84 912", "-5", "@x", "\tx", "\rx", "Vụ A", 12)] == [
        "'=1+1", "'+84 912", "'-5", "'@x", "'\tx", "'\rx", "Vụ A", 12]


def test_listing_cuts_at_a_word() -> None:
    task = "xây dựng tiêu chí thí điểm cho Hải Phòng trở thành thành phố công nghiệp theo hướng hiện đại"
    short = shorten_words(task, 40)
    assert short.endswith("…") and len(short) <= 40
    assert task.startswith(short[:-1]) and task[len(short) - 1] == " "  # the cut falls between two words
    assert shorten_words("ngắn  gọn\n", 40) == "ngắn gọn"
