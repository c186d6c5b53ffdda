"""Citations that speak to staff: the document's title, number, date and issuer, and the text around the quote;
the same document metadata in the assignments CSV and filters of `assistant assignments`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from assistant.assignment_table import AssignmentFilter, csv_bytes, filter_assignments
from tests.conftest import ROOT, SEED_DOCUMENTS, run_cli

LEAD_QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"
LETTERHEAD = """UỶ BAN NHÂN DÂN
TỈNH NGHỆ AN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 137/2025/QĐ-UBND
Nghệ An, ngày 23 tháng 9 năm 2025
QUYẾT ĐỊNH
Về việc giao nhiệm vụ bảo vệ kho chứa pin lithium
ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
QUYẾT ĐỊNH:
Điều 1. Giao nhiệm vụ như sau.
1. Sở Công Thương chủ trì, phối hợp với Sở Xây dựng kiểm tra an toàn phòng cháy tại các kho chứa pin lithium.
2. Sở Tài chính bố trí kinh phí thực hiện.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_a_citation_has_the_text_before_and_after_the_quoted_sentence(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask(LEAD_QUESTION)
    c = answer.citations[0]
    assert c.source == "002_cedae3f06a4f5a7c.txt" and "Cục Công nghiệp chủ trì" in c.text
    assert "Đối với Vụ Chính sách thương mại đa biên" in c.context_before
    assert "Vụ Kế hoạch làm đầu mối" in c.context_after
    assert c.text not in c.context_before + c.context_after  # around it, not the sentence again
    document = " ".join((SEED_DOCUMENTS / c.source).read_text(encoding="utf-8").split())
    shown = " ".join(f"{c.context_before} {c.text} {c.context_after}".replace("…", "").split())
    assert shown in document
    assert (c.doc_number, c.doc_date, c.issuer) == ("", "", "")  # a news article says none of them


def test_document_metadata_reaches_citations_json_csv_and_filters(isolated_paths: Path) -> None:
    documents = isolated_paths / "documents"
    shutil.copytree(SEED_DOCUMENTS, documents)
    (documents / "qd-137-pin-lithium.txt").write_text(LETTERHEAD, encoding="utf-8")
    assert run_cli("ingest", "--documents", str(documents)).returncode == 0

    result = run_cli("ask", "Đơn vị nào chủ trì kiểm tra an toàn phòng cháy tại các kho chứa pin lithium?", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"question", "answered", "answer", "lead", "partners", "task", "kind", "citations", "retrieved",
            "latency_ms"} <= set(data)
    assert data["lead"] == "Sở Công Thương"
    cite = data["citations"][0]
    assert {"n", "source", "title", "text", "start", "end", "score", "passage", "passage_start"} <= set(cite)
    assert cite["source"] == "qd-137-pin-lithium.txt"
    assert cite["title"] == "QUYẾT ĐỊNH Về việc giao nhiệm vụ bảo vệ kho chứa pin lithium"
    assert (cite["doc_number"], cite["doc_date"], cite["issuer"]) == (
        "137/2025/QĐ-UBND", "2025-09-23", "UỶ BAN NHÂN DÂN TỈNH NGHỆ AN")
    assert "Điều 1. Giao nhiệm vụ như sau." in cite["context_before"]
    assert cite["context_after"].startswith("\n2. Sở Tài chính bố trí kinh phí")  # the next line

    text = run_cli("ask", "Đơn vị nào chủ trì kiểm tra an toàn phòng cháy tại các kho chứa pin lithium?")
    assert "Số 137/2025/QĐ-UBND · ngày 23/9/2025 · UỶ BAN NHÂN DÂN TỈNH NGHỆ AN" in text.stdout

    by_year = run_cli("assignments", "--year", "2025")
    lines = [line for line in by_year.stdout.splitlines() if line.startswith("- ")]
    assert lines and all("qd-137-pin-lithium.txt, số 137/2025/QĐ-UBND" in line for line in lines), by_year.stdout
    out = isolated_paths / "nghe-an.csv"
    assert run_cli("assignments", "--issuer", "uy ban nhan dan tinh nghe an", "--csv", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert {r["source"] for r in rows} == {"qd-137-pin-lithium.txt"}
    assert any(r["lead"] == "Sở Công Thương" and r["partners"] == "Sở Xây dựng" for r in rows)
    assert all(r["doc_number"] == "137/2025/QĐ-UBND" and r["doc_date"] == "2025-09-23" for r in rows)
    assert run_cli("assignments", "--number", "999/QĐ", "--csv", str(out)).returncode == 0
    assert out.read_bytes().decode("utf-8-sig").splitlines() == [",".join(
        ["task", "lead", "partners", "role", "source", "start", "end", "title", "doc_number", "doc_date", "issuer",
         "statement"])]


def test_the_cli_csv_is_the_writer_s_bytes(seed_assistant, isolated_paths: Path) -> None:  # type: ignore[no-untyped-def]
    out = isolated_paths / "a.csv"
    result = run_cli("--index", str(seed_assistant.settings.index_dir), "assignments", "--search", "cuc cong nghiep",
                     "--csv", str(out))
    assert result.returncode == 0, result.stderr
    snapshot = seed_assistant.assignments()
    documents = seed_assistant.catalog.infos()
    indices = filter_assignments(snapshot, documents, AssignmentFilter(text="cuc cong nghiep"))
    assert indices and out.read_bytes() == csv_bytes(snapshot, indices, documents)
    assert (ROOT / "documents").is_dir()


def test_the_surrounding_text_starts_and_ends_with_whole_words() -> None:
    from assistant.catalog import DocumentCatalog

    class Node:
        def __init__(self, text: str, start: int) -> None:
            self.text, self.metadata = text, {"source": "a.txt", "start": start, "end": start + len(text)}

    words = " ".join(f"từ{i}" for i in range(400))
    cut = words.index(" ", 1000)  # two chunks, the space between them in neither
    catalog = DocumentCatalog([Node(words[cut + 1 :], cut + 1), Node(words[:cut], 0)])
    quote_start = words.index("từ200")
    before, after = catalog.surrounding("a.txt", quote_start, quote_start + len("từ200"), chars=300)
    assert before.startswith("… từ") and after.endswith(" …")
    for part in (before.strip("… "), after.strip("… ")):
        assert all(w.startswith("từ") and w[2:].isdigit() for w in part.split()), part
    assert " ".join(f"{before} từ200 {after}".replace("…", "").split()) in words
