"""Real files in every supported format and encoding, made here, answered through the real Assistant.

One temp index holds all of them (embedding is the slow part): .docx written with
python-docx, .pdf with fpdf2, .html, and text in UTF-8 (with and without BOM),
UTF-16, Windows-1258, TCVN3, VNI and decomposed Unicode, plus old ("hoá") and new
("hóa") tone placement.
"""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from index.encodings import (
    decode_tcvn3,
    decode_text,
    decode_vni,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
)
from index.loader import SkippedFile, SourceDocument, document_title, load_documents, read_document
from index.readers import html_to_text, table_lines, unwrap_lines

SEED = Path(__file__).resolve().parent.parent / "documents"

SENTENCES = [
    "Cục Hóa chất chủ trì, phối hợp với Sở Công Thương các tỉnh thống kê kho chứa hóa chất nguy hiểm.",
    "Trung tâm Thông tin công nghiệp chủ trì, phối hợp với Vụ Thương mại biên giới xây dựng cơ sở dữ liệu về cửa khẩu.",
    "Tổng cục Quản lý thị trường được giao kiểm tra hàng giả trên sàn thương mại điện tử; người dân được hướng dẫn.",
    "ĐƯỜNG LỐI ĐỔI MỚI, Ưu tiên NGUYỄN Văn Tuấn: khuya, quyết định, giữ gìn, rượu, thuở, ngoằn ngoèo, ỷ lại, Ỵ.",
]


# -- the files ---------------------------------------------------------------------------------------
def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("KẾ HOẠCH HÀNH ĐỘNG VỀ CÔNG NGHIỆP HỖ TRỢ", 1)
    document.add_paragraph("Để triển khai Nghị quyết, Bộ giao nhiệm vụ cho các đơn vị như sau:")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"], strict=True):
        cell.text = text
    rows = [
        ["1", "Xây dựng đề án phát triển công nghiệp hỗ trợ ngành dệt may", "Vụ Kế hoạch", "Cục Công nghiệp, Vụ Pháp chế"],
        ["2", "Đào tạo kỹ sư thiết kế khuôn mẫu", "Viện Cơ khí năng lượng và mỏ", "Trường Đại học Bách khoa Hà Nội"],
    ]
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    document.add_paragraph("Các đơn vị báo cáo kết quả trước ngày 15 tháng 12.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(pages: list[str]) -> bytes:
    import matplotlib
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


PDF_PAGES = [
    "BÁO CÁO TÌNH HÌNH XUẤT KHẨU\nTrong quý III, kim ngạch xuất khẩu hàng nông sản tăng 12% so với cùng kỳ năm trước, "
    "chủ yếu nhờ các thị trường châu Á và châu Mỹ.",
    "Cục Xuất nhập khẩu chủ trì, phối hợp với Vụ Thị trường châu Âu - châu Mỹ rà soát quy định về xuất xứ hàng hóa "
    "xuất khẩu sang Liên minh châu Âu, báo cáo Bộ trưởng trong tháng 11.",
]

HTML = """<!doctype html>
<html><head><title>Cổng thông tin</title><style>.x { color: red }</style>
<script>var s = "Vụ Tài chính chủ trì, phối hợp với Cục Thuế thu phí kiểm định";</script></head>
<body>
<header><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a></header>
<nav><ul><li>Giới thiệu</li><li>Văn bản pháp luật</li></ul></nav>
<main><h1>Thông báo phân công kiểm tra an toàn hồ đập</h1>
<p>Trước mùa mưa bão, <b>Cục Kỹ thuật an toàn và Môi trường công nghiệp</b> chủ trì, phối hợp với
Tập đoàn Điện lực Việt Nam kiểm tra an toàn hồ đập thủy điện ở các tỉnh miền Trung.</p>
<div style="display:none">Vụ Ẩn Danh chủ trì việc không hiển thị.</div>
</main>
<footer>Bản quyền thuộc Bộ Công Thương. Vụ Chân Trang chủ trì cổng thông tin.</footer>
</body></html>"""


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    question: str
    lead: str
    encoding: str


def _text(sentence: str) -> str:
    return f"THÔNG BÁO KẾT LUẬN CUỘC HỌP\n\n{sentence}\n\nCác đơn vị khẩn trương triển khai thực hiện.\n"


CASES = [
    Case("ke-hoach.docx", _docx(), "Đơn vị nào chủ trì xây dựng đề án phát triển công nghiệp hỗ trợ ngành dệt may?",
         "Vụ Kế hoạch", "docx"),
    Case("bao-cao.pdf", _pdf(PDF_PAGES),
         "Ai chủ trì rà soát quy định về xuất xứ hàng hóa xuất khẩu sang Liên minh châu Âu?", "Cục Xuất nhập khẩu", "pdf"),
    Case("thong-bao.html", HTML.encode("utf-8"), "Đơn vị nào chủ trì kiểm tra an toàn hồ đập thủy điện?",
         "Cục Kỹ thuật an toàn và Môi trường công nghiệp", "html (utf-8)"),
    Case("utf8-bom.txt", b"\xef\xbb\xbf" + _text(
        "Văn phòng Bộ chủ trì, phối hợp với Vụ Thi đua khen thưởng chuẩn bị hội nghị tổng kết công tác năm.").encode(),
         "Đơn vị nào chủ trì chuẩn bị hội nghị tổng kết công tác năm?", "Văn phòng Bộ", "utf-8"),
    Case("utf16.txt", _text(
        "Viện Nghiên cứu Chiến lược chủ trì, phối hợp với Vụ Khoa học và Công nghệ đánh giá tác động của hiệp định "
        "thương mại tự do đối với ngành gỗ.").encode("utf-16"),
         "Ai chủ trì đánh giá tác động của hiệp định thương mại tự do đối với ngành gỗ?",
         "Viện Nghiên cứu Chiến lược", "utf-16"),
    Case("cp1258.txt", encode_cp1258(_text(
        "Cục Cạnh tranh và Bảo vệ người tiêu dùng chủ trì, phối hợp với Tổng cục Quản lý thị trường kiểm tra hàng giả "
        "trên sàn thương mại điện tử.")),
         "Đơn vị nào chủ trì kiểm tra hàng giả trên sàn thương mại điện tử?",
         "Cục Cạnh tranh và Bảo vệ người tiêu dùng", "windows-1258"),
    Case("tcvn3.txt", encode_tcvn3(_text(
        "Cục Hóa chất chủ trì, phối hợp với Sở Công Thương các tỉnh thống kê kho chứa hóa chất nguy hiểm.")),
         "Đơn vị nào chủ trì thống kê kho chứa hóa chất nguy hiểm?", "Cục Hóa chất", "tcvn3"),
    Case("vni.txt", encode_vni(_text(
        "Trung tâm Thông tin công nghiệp và thương mại chủ trì, phối hợp với Vụ Thương mại biên giới xây dựng cơ sở "
        "dữ liệu về cửa khẩu.")),
         "Ai chủ trì xây dựng cơ sở dữ liệu về cửa khẩu?", "Trung tâm Thông tin công nghiệp và thương mại", "vni"),
    Case("nfd.md", unicodedata.normalize("NFD", "# Kết luận\n\nCục Phòng vệ thương mại chủ trì, phối hợp với Vụ "
                                         "Pháp chế điều tra chống bán phá giá thép cán nguội nhập khẩu.\n").encode(),
         "Đơn vị nào chủ trì điều tra chống bán phá giá thép cán nguội nhập khẩu?", "Cục Phòng vệ thương mại", "utf-8"),
    # old-style tone placement in the document, new style in the question ...
    Case("cu-hoa.txt", _text("Cục Văn thư và Lưu trữ chủ trì, phối hợp với Vụ Tổ chức cán bộ số hoá hồ sơ lưu trữ "
                             "của các đơn vị thuộc Bộ.").encode(),
         "Đơn vị nào chủ trì số hóa hồ sơ lưu trữ của các đơn vị thuộc Bộ?", "Cục Văn thư và Lưu trữ", "utf-8"),
    # ... and the other way round
    Case("moi-hoa.txt", _text("Cục Thương mại điện tử và Kinh tế số chủ trì, phối hợp với Vụ Kế hoạch - Tài chính "
                              "hiện đại hóa hệ thống báo cáo thống kê ngành.").encode(),
         "Đơn vị nào chủ trì hiện đại hoá hệ thống báo cáo thống kê ngành?", "Cục Thương mại điện tử và Kinh tế số",
         "utf-8"),
]


@pytest.fixture(scope="module")
def formats_index(tmp_path_factory: pytest.TempPathFactory, embed_model: Any) -> tuple[Any, Any, Path]:
    """All the files (and one seed article as a distractor) in one temp index."""
    from assistant.service import Assistant, run_ingest
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("formats")
    docs = root / "documents"
    docs.mkdir()
    for case in CASES:
        (docs / case.name).write_bytes(case.data)
    shutil.copy(SEED / "002_cedae3f06a4f5a7c.txt", docs)
    settings = Settings(index_dir=root / "index", documents_dir=docs)
    report = run_ingest(settings, embed_model)
    return Assistant.from_settings(settings, embed_model), report, docs


def test_every_file_is_ingested(formats_index: tuple[Any, Any, Path]) -> None:
    _, report, docs = formats_index
    assert report.skipped == []
    assert sorted(report.added) == sorted([c.name for c in CASES] + ["002_cedae3f06a4f5a7c.txt"])
    for case in CASES:
        doc = read_document(docs / case.name, case.name)
        assert isinstance(doc, SourceDocument), doc
        assert doc.encoding == case.encoding
        assert doc.text == unicodedata.normalize("NFC", doc.text)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lead_question_is_answered_from_the_file(formats_index: tuple[Any, Any, Path], case: Case) -> None:
    assistant, _, docs = formats_index
    answer = assistant.ask(case.question)
    assert answer.answered, answer.answer
    assert answer.lead is not None and case.lead in answer.lead
    cited = answer.citations[0]
    assert cited.source == case.name
    assert case.lead in cited.text
    doc = read_document(docs / case.name, case.name)
    assert isinstance(doc, SourceDocument)
    assert doc.text[cited.start : cited.end] in cited.text  # the span points into the decoded text


def test_docx_table_rows_become_assignments_with_partners(formats_index: tuple[Any, Any, Path]) -> None:
    assistant, _, _ = formats_index
    found = {a.lead: a for a in assistant.assignments() if a.source == "ke-hoach.docx"}
    assert found["Vụ Kế hoạch"].partners == ["Cục Công nghiệp", "Vụ Pháp chế"]
    assert "dệt may" in found["Vụ Kế hoạch"].task
    assert "Viện Cơ khí năng lượng và mỏ" in found


def test_pdf_chunks_know_their_page(formats_index: tuple[Any, Any, Path]) -> None:
    assistant, _, _ = formats_index
    nodes = [n for n in assistant.nodes if n.metadata["source"] == "bao-cao.pdf"]
    assert {page for n in nodes for page, _, _ in json.loads(n.metadata["page_spans"])} == {1, 2}
    node = next(n for n in assistant.nodes if "Cục Xuất nhập khẩu chủ trì" in n.text)
    statement = node.metadata["start"] + node.text.index("Cục Xuất nhập khẩu chủ trì")
    spans = json.loads(node.metadata["page_spans"])  # the pages the chunk runs over, in document offsets
    assert [page for page, start, end in spans if start <= statement < end] == [2]
    assert node.metadata["page"] == spans[0][0]  # the page the chunk starts on
    assert all("page" not in n.metadata for n in assistant.nodes if n.metadata["source"] != "bao-cao.pdf")


def test_html_keeps_only_visible_text(formats_index: tuple[Any, Any, Path]) -> None:
    assistant, _, _ = formats_index
    text = "\n".join(n.text for n in assistant.nodes if n.metadata["source"] == "thong-bao.html")
    assert "hồ đập thủy điện" in text
    for hidden in ("Vụ Tài chính", "color: red", "Trang chủ", "Văn bản pháp luật", "Vụ Ẩn Danh", "Vụ Chân Trang"):
        assert hidden not in text


# -- encodings: the tables and the detection ------------------------------------------------------
@pytest.mark.parametrize(
    ("encode", "name"), [(encode_tcvn3, "tcvn3"), (encode_vni, "vni"), (encode_cp1258, "windows-1258")]
)
@pytest.mark.parametrize("sentence", SENTENCES)
def test_legacy_encodings_round_trip_and_are_detected(encode: Any, name: str, sentence: str) -> None:
    raw = encode(sentence)
    assert not raw.isascii() and raw != sentence.encode("utf-8")
    text, detected = decode_text(raw)
    assert detected == name
    assert text == unicodedata.normalize("NFC", sentence)


@pytest.mark.parametrize(("encode", "name"), [(encode_tcvn3, "tcvn3"), (encode_vni, "vni"), (encode_cp1258, "windows-1258")])
def test_whole_articles_round_trip_through_the_legacy_tables(encode: Any, name: str) -> None:
    for path in sorted(SEED.glob("*.txt")):
        article = path.read_text(encoding="utf-8").replace("©", "(c)")  # TCVN3 has no ©
        assert decode_text(encode(article)) == (article, name), path.name


def test_known_legacy_samples_decode() -> None:
    assert decode_tcvn3(b"B\xb8t X\xb8t, M\xad\xeang Kh\xad\xacng") == "Bát Xát, Mường Khương"
    assert decode_vni(b"Xin cha\xf8o ca\xf9c ba\xefn") == "Xin chào các bạn"
    assert decode_vni("Ñöôøng".encode("latin-1")) == "Đường"
    # Windows-1258 stores the tone as a combining mark: decoded text is composed (NFC)
    text, name = decode_text(b"Vu\xf2 K\xea\xec hoa\xf2ch chu\xd2 tri\xcc")
    assert (text, name) == ("Vụ Kế hoạch chủ trì", "windows-1258")
    assert unicodedata.is_normalized("NFC", text)


def test_utf8_with_and_without_bom_and_utf16() -> None:
    sentence = "Bộ Công Thương chủ trì, phối hợp với các bộ, ngành."
    assert decode_text(sentence.encode()) == (sentence, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + sentence.encode()) == (sentence, "utf-8")
    assert decode_text(sentence.encode("utf-16")) == (sentence, "utf-16")
    assert decode_text(b"\xfe\xff" + sentence.encode("utf-16-be")) == (sentence, "utf-16")


def test_syllable_check() -> None:
    for word in ("nghiệp", "được", "quyết", "khuya", "người", "Hóa", "hoá", "gìn", "xoong", "Nguyễn"):
        assert is_vietnamese_syllable(word), word
    for word in ("chñ", "tr×", "caø", "thµnh", "hoà̀", "cáp̀", "ñöôøng", "strength"):
        assert not is_vietnamese_syllable(word), word


def test_undetermined_encoding_is_skipped_by_name(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "good.txt").write_text(_text("Vụ Pháp chế chủ trì rà soát văn bản."), encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Le ministère coordonne la stratégie économique, déjà été.".encode("cp1252"))
    (tmp_path / "shift-jis.md").write_bytes("東京都の経済産業局が担当します。".encode("shift_jis"))
    documents, skipped = load_documents(tmp_path)
    assert [d.source for d in documents] == ["good.txt"]
    reasons = {s.source: s.reason for s in skipped}
    assert set(reasons) == {"latin.txt", "shift-jis.md"}
    assert all(r.startswith("encoding could not be determined") for r in reasons.values())
    assert "skipped latin.txt: encoding could not be determined" in caplog.text


# -- readers ---------------------------------------------------------------------------------------
def test_assignment_table_rows_read_as_statements() -> None:
    lines = table_lines([
        ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
        ["I", "", "", "", ""],
        ["1", "Rà soát văn bản", "Vụ Pháp chế", "-", "Quý IV"],
        ["2", "Tổng hợp báo cáo", "Văn phòng Bộ", "Các Vụ, Cục", ""],
    ])
    assert lines == [
        "I",
        "Vụ Pháp chế chủ trì: Rà soát văn bản. Thời hạn: Quý IV.",
        "Văn phòng Bộ chủ trì, phối hợp với Các Vụ, Cục: Tổng hợp báo cáo.",
    ]
    assert table_lines([["Tên", "Giá"], ["Thép", "12"], ["Nhôm", ""]]) == ["Tên: Thép; Giá: 12.", "Tên: Nhôm."]
    letterhead = [["BỘ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
                  ["Số: 12/KH-BCT", "Hà Nội, ngày 2 tháng 3 năm 2025"]]
    assert table_lines(letterhead) == [
        "BỘ CÔNG THƯƠNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-BCT | Hà Nội, ngày 2 tháng 3 năm 2025",
    ]


def test_title_skips_the_national_motto() -> None:
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------\nQUYẾT ĐỊNH\nVề việc ..."
    assert document_title(text, "x") == "QUYẾT ĐỊNH Về việc ..."


def test_pdf_lines_are_unwrapped_and_page_numbers_dropped() -> None:
    page = (
        "1. Vụ Kế hoạch chủ trì, phối hợp với Cục Công nghiệp xây dựng đề án phát\n"
        "triển công nghiệp hỗ trợ.\n"
        "- 2 -\n"
        "2. Cục Hóa chất chủ trì thống kê kho hóa chất."
    )
    assert unwrap_lines(page) == (
        "1. Vụ Kế hoạch chủ trì, phối hợp với Cục Công nghiệp xây dựng đề án phát triển công nghiệp hỗ trợ.\n"
        "2. Cục Hóa chất chủ trì thống kê kho hóa chất."
    )


def test_html_table_spans_and_title_row() -> None:
    html = """<table><tr><td colspan="3">BẢNG PHÂN CÔNG</td></tr>
    <tr><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Đơn vị phối hợp</th></tr>
    <tr><td>Rà soát quy định A</td><td rowspan="2">Cục Xuất nhập khẩu</td><td>Vụ Pháp chế</td></tr>
    <tr><td>Rà soát quy định B</td><td>Vụ Thị trường châu Âu</td></tr></table>"""
    assert html_to_text(html).split("\n") == [
        "BẢNG PHÂN CÔNG",
        "Cục Xuất nhập khẩu chủ trì, phối hợp với Vụ Pháp chế: Rà soát quy định A.",
        "Cục Xuất nhập khẩu chủ trì, phối hợp với Vụ Thị trường châu Âu: Rà soát quy định B.",
    ]


def test_html_blocks_become_lines() -> None:
    text = html_to_text("<div>Một<p>Hai <i>ba</i></p><ul><li>bốn</li></ul>năm<br>sáu</div><!-- bảy -->")
    assert text.split("\n") == ["Một", "Hai ba", "- bốn", "năm", "sáu"]


def test_unsupported_files_are_ignored_and_hidden_ones_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Vụ Pháp chế chủ trì.", encoding="utf-8")
    (tmp_path / "b.odt").write_bytes(b"PK\x03\x04")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / ".hidden.txt").write_text("Vụ Kế hoạch chủ trì.", encoding="utf-8")
    documents, skipped = load_documents(tmp_path)
    assert [d.source for d in documents] == ["a.txt"]
    assert [(s.source, s.reason.split(" (")[0]) for s in skipped] == [(".hidden.txt", "hidden file")]
    assert not isinstance(read_document(tmp_path / "a.txt", "a.txt"), SkippedFile)
