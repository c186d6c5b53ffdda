"""The real `assistant` command in a subprocess, with isolated index and documents folders."""

import json
from pathlib import Path

from tests.conftest import run_cli


def test_ingest_then_ask_json(documents_copy: Path) -> None:
    first = run_cli("ingest", "--documents", str(documents_copy))
    assert first.returncode == 0, first.stderr
    assert "added 5" in first.stdout
    again = run_cli("ingest", "--documents", str(documents_copy))
    assert "added 0, updated 0, removed 0, unchanged 5" in again.stdout

    result = run_cli("ask", "ai lam dau moi thu hut nhan luc chat luong cao cho hai phong", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] is True and "Vụ Tổ chức cán bộ" in data["lead"]
    assert data["citations"][0]["source"] == "002_cedae3f06a4f5a7c.txt"
    assert isinstance(data["latency_ms"], float)

    plain = run_cli("ask", "Đơn vị nào chủ trì nạo vét luồng cảng biển Hải Phòng?")
    assert plain.returncode == 0 and "Không tìm thấy" in plain.stdout


def test_bad_input_exits_2_with_a_message(documents_copy: Path) -> None:
    for question in ("", "   ", "?!?...", "a" * 10_000):
        result = run_cli("ask", question)
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_asking_before_ingest_says_to_ingest() -> None:
    result = run_cli("ask", "Đơn vị nào chủ trì?")
    assert result.returncode == 2
    assert "assistant ingest" in result.stderr and "Traceback" not in result.stderr


def test_missing_documents_folder_is_a_clear_error(isolated_paths: Path) -> None:
    result = run_cli("ingest", "--documents", str(isolated_paths / "nowhere"))
    assert result.returncode == 2 and "documents folder not found" in result.stderr


def test_eval_writes_records_and_prints_metrics(documents_copy: Path, isolated_paths: Path) -> None:
    assert run_cli("ingest", "--documents", str(documents_copy)).returncode == 0
    questions = isolated_paths / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "question": "Ai làm đầu mối xây dựng cơ chế thu hút nguồn nhân lực chất lượng cao cho Hải Phòng?",
                    "kind": "lead", "answer": ["Vụ Tổ chức cán bộ"], "source": "002_cedae3f06a4f5a7c.txt",
                    "evidence": "Vụ Tổ chức cán bộ làm đầu mối"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "question": "Thời tiết Hà Nội ngày mai thế nào?", "kind": "none", "answer": [],
                      "source": None, "evidence": None}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = isolated_paths / "records.jsonl"
    result = run_cli("eval", "--questions", str(questions), "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "lead accuracy" in result.stdout and "1.000" in result.stdout
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"] and records[1]["answered"] is False


def test_compare_against_other_documents_is_refused_before_the_run(documents_copy: Path, isolated_paths: Path) -> None:
    assert run_cli("ingest", "--documents", str(documents_copy)).returncode == 0
    other = isolated_paths / "other"
    other.mkdir()
    (other / "unrelated.txt").write_text("Sở Y tế chủ trì kiểm tra an toàn thực phẩm.\n", encoding="utf-8")
    questions = isolated_paths / "q.jsonl"
    questions.write_text(json.dumps({"id": "a", "question": "Ai chủ trì?", "kind": "none", "answer": [], "source": None,
                                     "evidence": None}) + "\n", encoding="utf-8")
    out = isolated_paths / "records.jsonl"
    # the baseline would index the other folder and score 0 on every question: a wrong comparison, not a result
    result = run_cli("eval", "--questions", str(questions), "--compare", "--json", str(out),
                     env={"ASSISTANT_DOCUMENTS_DIR": str(other)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "--documents" in result.stderr and "5 of the index's 5" in result.stderr
    assert not out.exists()
    named = run_cli("eval", "--questions", str(questions), "--compare", "--documents", str(documents_copy),
                    env={"ASSISTANT_DOCUMENTS_DIR": str(other)})
    assert named.returncode == 0, named.stderr
    assert "baseline" in named.stdout


def test_assignments_command_filters_without_diacritics(documents_copy: Path, isolated_paths: Path) -> None:
    assert run_cli("ingest", "--documents", str(documents_copy)).returncode == 0
    result = run_cli("assignments", "--unit", "vu ke hoach")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    # the filter keeps exactly the unit's rows of the whole table (which rows the table lists is the fitted
    # filter's call, measured against the gold lists in the README)
    everything = run_cli("assignments").stdout.splitlines()
    assert lines and lines == [line for line in everything if line.startswith("- Vụ Kế hoạch ")]
    csv_path = isolated_paths / "a.csv"
    assert run_cli("assignments", "--csv", str(csv_path)).returncode == 0
    assert "Cục Công nghiệp" in csv_path.read_text(encoding="utf-8")
