"""Document metadata read from the text: title, number, date and issuing body."""

from pathlib import Path

import pytest

from index.loader import read_document
from index.metadata import DocumentMeta, dateline_spans, display_date, parse_metadata

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT / "eval" / "realdocs" / "docs"

LETTERHEAD = """UỶ BAN NHÂN DÂN
TỈNH NGHỆ AN
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 137/2025/QĐ-UBND
Nghệ An, ngày 23 tháng 9 năm 2025
QUYẾT ĐỊNH
Về việc giao nhiệm vụ phát triển khu kinh tế Đông Nam
ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
Căn cứ Quyết định số 85/2007/QĐ-TTg ngày 11/6/2007 của Thủ tướng Chính phủ;
"""


def test_a_letterhead_gives_number_date_issuer_and_title() -> None:
    meta = parse_metadata(LETTERHEAD, "x")
    assert meta == DocumentMeta(
        title="QUYẾT ĐỊNH Về việc giao nhiệm vụ phát triển khu kinh tế Đông Nam",
        number="137/2025/QĐ-UBND", date="2025-09-23", issuer="UỶ BAN NHÂN DÂN TỈNH NGHỆ AN",
    )
    assert display_date(meta.date) == "23/9/2025"


def test_a_docx_letterhead_table_and_a_one_line_pdf_letterhead() -> None:
    docx = ("BỘ CÔNG THƯƠNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
            "Số: 12/KH-BCT | Hà Nội, ngày 2 tháng 3 năm 2025\nKẾ HOẠCH\nTriển khai Nghị quyết số 57-NQ/TW\n")
    assert parse_metadata(docx) == DocumentMeta("KẾ HOẠCH Triển khai Nghị quyết số 57-NQ/TW", "12/KH-BCT",
                                                "2025-03-02", "BỘ CÔNG THƯƠNG")
    pdf = ("BỘ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1234/QĐ-BCT Hà Nội, ngày 05 tháng 12 năm 2024\n"
           "QUYẾT ĐỊNH\nPhê duyệt Kế hoạch\n")
    meta = parse_metadata(pdf)
    assert (meta.number, meta.date, meta.issuer) == ("1234/QĐ-BCT", "2024-12-05", "BỘ CÔNG THƯƠNG")


def test_numbers_and_dates_of_cited_documents_are_not_taken() -> None:
    text = ("Chỉ thị về tăng cường quản lý hoá chất\nThực hiện Nghị định số 189/2007/NĐ-CP ngày 27 tháng 12 năm 2007"
            " của Chính phủ,\nSố: 5/CT-BCT\nHà Nội, ngày 1 tháng 1 năm 2010\n")
    assert parse_metadata(text) == DocumentMeta("Chỉ thị về tăng cường quản lý hoá chất")


def test_a_news_article_has_its_headline_and_nothing_else() -> None:
    text = (ROOT / "documents" / "002_cedae3f06a4f5a7c.txt").read_text(encoding="utf-8")
    meta = parse_metadata(text)
    assert meta.title.startswith("Bộ Công Thương ban hành Chương trình hành động")
    assert (meta.number, meta.date, meta.issuer) == ("", "", "")


def test_a_repeated_issuer_line_and_gazette_noise_above_it() -> None:
    text = "VĂN BẢN PHÁP LUẬT KHÁC\nCHÍNH PHỦ\nCHÍNH PHỦ\nSố: 175/NQ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    assert parse_metadata(text).issuer == "CHÍNH PHỦ"


@pytest.mark.parametrize(("name", "number", "date", "issuer"), [
    ("004_cp-nq-141-2026-luat-thuong-mai-bct-chu-tri.txt", "141/NQ-CP", "2026-06-01", "CHÍNH PHỦ"),
    ("006_ttg-qd-982-2026-de-an-dn-cong-nghe-so-toan-cau.txt", "982/QĐ-TTg", "2026-06-04", "THỦ TƯỚNG CHÍNH PHỦ"),
    ("007_cp-nq-175-2023-de-an-trung-tam-du-lieu-quoc-gia.txt", "175/NQ-CP", "2023-10-30", "CHÍNH PHỦ"),
    # no letterhead: the title line names the issuer
    ("001_bct-chi-thi-day-manh-xuat-khau-2010.txt", "", "", "Bộ trưởng Bộ Công Thương"),
    ("003_bct-qd-sua-quy-che-ban-cong-tac-asean-2010.txt", "", "", "Bộ trưởng Bộ Công Thương"),
    ("010_ttg-thong-bao-ket-luan-day-nghe-lao-dong-nong-thon.txt", "", "", "Phó Thủ tướng Nguyễn Thiện Nhân"),
    ("015_nghe-an-qd-giao-nhiem-vu-bql-kkt-dong-nam.txt", "", "", "Ủy ban nhân dân tỉnh Nghệ An"),
])
def test_the_real_directives(name: str, number: str, date: str, issuer: str) -> None:
    doc = read_document(REALDOCS / name, name)
    assert (doc.doc_number, doc.doc_date, doc.issuer) == (number, date, issuer)  # type: ignore[union-attr]
    assert doc.title == doc.text.splitlines()[0]  # type: ignore[union-attr]


def test_a_letterheads_number_and_dateline_are_read_together() -> None:
    text = ("BAN CHỈ ĐẠO QUỐC GIA\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 252/KH-BCĐQG1237\n"
            "Hà Nội, ngày 11 tháng 11 năm 2013\nKẾ HOẠCH\nTriển khai thực hiện Quyết định số 1237/QĐ-TTg ngày 27 tháng 7 "
            "năm 2013 của Thủ tướng Chính phủ\n")
    assert [text[s:e] for s, e in dateline_spans(text)] == ["Số: 252/KH-BCĐQG1237\nHà Nội, ngày 11 tháng 11 năm 2013"]
