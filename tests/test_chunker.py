from pathlib import Path

import pytest

from index.chunker import chunk_text
from index.loader import read_document
from index.sentences import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT / "eval" / "realdocs" / "docs"


def _texts() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "documents").glob("*.txt")) + sorted(REALDOCS.glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


@pytest.mark.parametrize(("name", "text"), _texts())
def test_chunk_spans_match_source_and_cover_every_line(name: str, text: str) -> None:
    chunks = chunk_text(text)
    assert chunks, name
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        # only a single sentence longer than the limit may exceed it: sentences are never cut
        assert len(chunk.text) <= 1100 or len(sentence_spans(chunk.text)) == 1
        for line in chunk.context:
            assert text[line.start : line.end] == line.text
    covered = "".join(c.text for c in chunks)
    assert "".join(text.split()) == "".join(covered.split())  # nothing lost, nothing repeated


def test_lead_in_line_stays_with_its_items_and_is_carried_as_context() -> None:
    lead_in = "a) Vụ Xuất nhập khẩu chủ trì, phối hợp với các Vụ: Kế hoạch, Công nghiệp nhẹ, Năng lượng:"
    items = "\n".join(f"- Nhiệm vụ số {i}: nghiên cứu, đề xuất giải pháp đẩy mạnh xuất khẩu mặt hàng {i} năm 2010." for i in range(30))
    text = f"I. Phân công\n{lead_in}\n{items}\nb) Cục Xúc tiến thương mại chủ trì tổ chức hội chợ."
    chunks = chunk_text(text)
    first = next(c for c in chunks if lead_in in c.text)
    assert "Nhiệm vụ số 0" in first.text  # not cut right after the lead-in
    later = [c for c in chunks if c.start > first.end and "Nhiệm vụ số" in c.text]
    assert later and all(any(ctx.text == lead_in for ctx in c.context) for c in later)
    last = next(c for c in chunks if "Cục Xúc tiến" in c.text)
    assert all(ctx.text != lead_in for ctx in last.context) or "Nhiệm vụ số 29" in last.text


def test_a_bare_chapter_marker_keeps_its_title_in_capitals() -> None:
    # Quyết định 08/2022/QĐ-TTg: "Chương III" on its own line, its title on the next; the amount under it is only
    # told apart from Chương II's by that title
    text = ("Chương II\nHỖ TRỢ NGƯỜI LAO ĐỘNG ĐANG LÀM VIỆC TRONG DOANH NGHIỆP\nĐiều 5. Mức, thời gian hỗ trợ\n"
            "1. Mức hỗ trợ: 500.000 đồng/người/tháng.\n"
            "Chương III\nHỖ TRỢ NGƯỜI LAO ĐỘNG QUAY TRỞ LẠI THỊ TRƯỜNG LAO ĐỘNG\nĐiều 9. Mức, thời gian hỗ trợ\n"
            "1. Mức hỗ trợ: 1.000.000 đồng/người/tháng.\n")
    chunks = chunk_text(text, target_chars=60, max_chars=120)
    last = next(c for c in chunks if "1.000.000" in c.text)
    assert any("QUAY TRỞ LẠI THỊ TRƯỜNG" in ctx.text for ctx in last.context), last.context


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = "Vụ Kế hoạch phối hợp với UBND TP. Hải Phòng thực hiện. Cục Công nghiệp chủ trì."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "Vụ Kế hoạch phối hợp với UBND TP. Hải Phòng thực hiện.",
        "Cục Công nghiệp chủ trì.",
    ]


def test_loader_normalises_to_nfc_and_rejects_bad_files(tmp_path: Path) -> None:
    nfd = tmp_path / "nfd.txt"
    nfd.write_bytes("Cục Công nghiệp chủ trì".encode().replace("ủ".encode(), "u\u0309".encode()))
    doc = read_document(nfd, "nfd.txt")
    assert not isinstance(doc, type(None)) and getattr(doc, "text", "") == "Cục Công nghiệp chủ trì"
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Cục".encode("utf-16-le"))  # no byte-order mark: still read (index.encodings)
    assert getattr(read_document(utf16, "utf16.txt"), "text", "") == "Cục"
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 64)
    assert "binary" in getattr(read_document(binary, "binary.txt"), "reason", "")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert getattr(read_document(empty, "empty.txt"), "reason", "") == "is empty"
