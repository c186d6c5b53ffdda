"""Bad documents in a batch: each gets a warning naming it, the rest ingests, nothing already stored is lost.

Empty files, binary data behind a text extension, broken .docx/.pdf, a 50 MB file,
one 200,000-character line, the same text under two names, a file that cannot be
read, a scanned PDF without a text layer and a file in an unknown encoding.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.chunker import chunk_text
from index.loader import NO_TEXT_LAYER, SkippedFile, SourceDocument, load_documents, read_document

SEED = Path(__file__).resolve().parent.parent / "documents"
LONG_SENTENCE = "Các đơn vị tiếp tục theo dõi tình hình thị trường trong nước và báo cáo định kỳ hằng tháng. "
LONG_TARGET = "Cục Điều tiết điện lực chủ trì, phối hợp với Vụ Dầu khí và Than xây dựng khung giá phát điện năm 2026. "


def _long_line() -> str:
    half = LONG_SENTENCE * (100_000 // len(LONG_SENTENCE))
    line = (half + LONG_TARGET + half).strip()
    return (line + " " + LONG_SENTENCE * 3)[:200_000]


def _scanned_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((20, 20), "Vu Ke hoach chu tri (scanned)", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=150)
    return bytes(pdf.output())


def _empty_docx() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


GOOD = {
    "good.txt": "KẾT LUẬN\n\nVụ Pháp chế chủ trì, phối hợp với Thanh tra Bộ rà soát văn bản quy phạm pháp luật về hóa chất.\n",
    "locked.txt": "THÔNG BÁO\n\nVụ Tổ chức cán bộ chủ trì, phối hợp với Văn phòng Bộ tuyển dụng công chức năm 2026.\n",
}
DUPLICATE = "THÔNG BÁO\n\nCục Công nghiệp chủ trì, phối hợp với Viện Cơ khí đánh giá năng lực chế tạo thiết bị thủy điện.\n"
EXPECTED_SKIPS = {
    "empty.txt": "is empty",
    "blank.md": "is empty",
    "empty.docx": "is empty",
    "binary.txt": "looks binary",
    "binary.pdf": "could not be read as PDF",
    "fake.docx": "could not be read as DOCX",
    "big.txt": "too large (50 MB; limit 20 MB)",
    "locked.txt": "cannot be read (Permission denied)",
    "scanned.pdf": NO_TEXT_LAYER,
    "western.txt": "encoding could not be determined",
}


class _Deduplicating(BaseEmbedding):
    """The real embedder, asked once per distinct text.

    The two 200,000-character files repeat their sentences, so most of their ~500
    chunks are the same text; EmbeddingCache.embed would embed each copy (minutes).
    """

    _inner: Any = PrivateAttr()
    _seen: dict[str, list[float]] = PrivateAttr(default_factory=dict)

    def __init__(self, inner: BaseEmbedding) -> None:
        super().__init__(model_name=inner.model_name, embed_batch_size=32)
        self._inner = inner

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if missing:
            self._seen.update(zip(missing, self._inner.get_text_embedding_batch(missing), strict=True))
        return [self._seen[t] for t in texts]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._inner.get_query_embedding(query)  # type: ignore[no-any-return]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _ids(settings: Any) -> dict[str, set[str]]:
    from index.store import ChunkStore

    store = ChunkStore.open(settings.index_dir, None, settings.embed_model, create=False)
    result = store.collection.get(include=["metadatas"])
    ids: dict[str, set[str]] = {}
    for chunk_id, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
        ids.setdefault(str(meta["source"]), set()).add(chunk_id)
    return ids


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, embed_model: Any) -> Iterator[dict[str, Any]]:
    """Ingest good files, then add every kind of bad file (and lock a good one) and ingest again."""
    from assistant.service import Assistant, run_ingest
    from assistant.settings import Settings

    embed_model = _Deduplicating(embed_model)
    root = tmp_path_factory.mktemp("bad-batch")
    docs = root / "documents"
    docs.mkdir()
    for name, text in GOOD.items():
        (docs / name).write_text(text, encoding="utf-8")
    shutil.copy(SEED / "003_1a78c0297c2c4b41.txt", docs)
    settings = Settings(index_dir=root / "index", documents_dir=docs)
    first = run_ingest(settings, embed_model)
    ids_before = _ids(settings)

    (docs / "empty.txt").write_bytes(b"")
    (docs / "blank.md").write_text(" \n\n\t\n", encoding="utf-8")
    (docs / "empty.docx").write_bytes(_empty_docx())
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (docs / "binary.pdf").write_bytes(os.urandom(4096))
    (docs / "fake.docx").write_bytes(b"This is not a zip archive at all.")
    with (docs / "big.txt").open("wb") as f:
        f.write(("Vụ Kế hoạch chủ trì tổng hợp báo cáo. " * 1000 + "\n").encode() * 1250)  # ~50 MB
        f.truncate(50_000_000)
    (docs / "long-line.txt").write_text(_long_line(), encoding="utf-8")
    (docs / "long-words.txt").write_text(("nhiều từ không có dấu câu " * 10_000)[:200_000], encoding="utf-8")
    (docs / "dup-a.txt").write_text(DUPLICATE, encoding="utf-8")
    (docs / "dup-b.txt").write_text(DUPLICATE, encoding="utf-8")
    (docs / "scanned.pdf").write_bytes(_scanned_pdf())
    (docs / "western.txt").write_bytes("Le ministère coordonne la stratégie économique, déjà été.".encode("cp1252"))

    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # running as root, chmod 000 would still be readable
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    collect = _Collect()
    logging.getLogger("index").addHandler(collect)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Path, "read_bytes", read_bytes)
            started = time.perf_counter()
            second = run_ingest(settings, embed_model)
            seconds = time.perf_counter() - started
    finally:
        logging.getLogger("index").removeHandler(collect)
    assistant = Assistant.from_settings(settings, embed_model)
    yield {"first": first, "second": second, "seconds": seconds, "before": ids_before, "after": _ids(settings),
           "warnings": collect.messages, "assistant": assistant}


def test_each_bad_file_is_skipped_with_a_reason_naming_it(batch: dict[str, Any]) -> None:
    reasons = {s.source: s.reason for s in batch["second"].skipped}
    assert set(reasons) == set(EXPECTED_SKIPS)
    for name, expected in EXPECTED_SKIPS.items():
        assert reasons[name].startswith(expected), (name, reasons[name])
        assert any(m.startswith(f"skipped {name}: {expected}") for m in batch["warnings"]), name
    assert reasons["scanned.pdf"] == "no text layer; OCR is not supported"


def test_the_rest_of_the_batch_ingests_and_nothing_is_lost(batch: dict[str, Any]) -> None:
    first, second = batch["first"], batch["second"]
    assert sorted(first.added) == ["003_1a78c0297c2c4b41.txt", "good.txt", "locked.txt"]
    assert sorted(second.added) == ["dup-a.txt", "long-line.txt", "long-words.txt"]
    assert sorted(second.unchanged) == ["003_1a78c0297c2c4b41.txt", "good.txt"]
    assert second.removed == [] and second.updated == []
    before, after = batch["before"], batch["after"]
    for source, ids in before.items():  # the unreadable file keeps what was stored before
        assert after[source] == ids, source
    assert set(after) == set(before) | {"dup-a.txt", "long-line.txt", "long-words.txt"}


def test_the_long_line_ingests_quickly_and_answers(batch: dict[str, Any]) -> None:
    assert batch["seconds"] < 60
    text = _long_line()
    started = time.perf_counter()
    chunks = chunk_text(text)
    assert time.perf_counter() - started < 2
    assert len(text) == 200_000 and "\n" not in text and max(len(c.text) for c in chunks) <= 1100
    answer = batch["assistant"].ask("Đơn vị nào chủ trì xây dựng khung giá phát điện năm 2026?")
    assert answer.answered and answer.lead == "Cục Điều tiết điện lực"
    assert answer.citations[0].source == "long-line.txt"


def test_a_line_without_punctuation_is_broken_into_bounded_chunks(batch: dict[str, Any]) -> None:
    nodes = [n for n in batch["assistant"].nodes if n.metadata["source"] == "long-words.txt"]
    assert len(nodes) > 100 and max(len(n.text) for n in nodes) <= 1100
    started = time.perf_counter()
    for node in nodes:
        batch["assistant"].assignments_of(node)
    assert time.perf_counter() - started < 10


def test_duplicates_are_stored_once_and_know_both_names(batch: dict[str, Any]) -> None:
    assert "dup-b.txt" not in batch["after"]
    assert any("duplicate dup-b.txt: same text as dup-a.txt" in m for m in batch["warnings"])
    assistant = batch["assistant"]
    nodes = [n for n in assistant.nodes if n.metadata["source"] == "dup-a.txt"]
    assert nodes and all(json.loads(n.metadata["aliases"]) == ["dup-b.txt"] for n in nodes)
    answer = assistant.ask("Ai chủ trì đánh giá năng lực chế tạo thiết bị thủy điện?")
    assert answer.answered and answer.lead == "Cục Công nghiệp"
    assert answer.citations[0].source == "dup-a.txt"


# -- the loader alone (no index) -------------------------------------------------------------------
def test_duplicate_aliases_change_the_stored_version(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(DUPLICATE, encoding="utf-8")
    alone, _ = load_documents(tmp_path)
    (tmp_path / "b.md").write_text(DUPLICATE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_bytes(DUPLICATE.encode("utf-16"))  # same text, other encoding
    merged, skipped = load_documents(tmp_path)
    assert skipped == [] and len(merged) == 1
    assert merged[0].source == "a.txt" and merged[0].aliases == ("b.md", "sub/c.txt")
    assert merged[0].text == alone[0].text and merged[0].sha != alone[0].sha  # re-stored with the new names
    assert "duplicate sub/c.txt: same text as a.txt; stored once, cited under both names" in caplog.text


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Vụ Pháp chế chủ trì rà soát. " * 100, encoding="utf-8")
    assert isinstance(read_document(path, "a.txt"), SourceDocument)
    skipped = read_document(path, "a.txt", max_bytes=1_000)
    assert isinstance(skipped, SkippedFile)
    assert skipped.reason == "too large (3.9 KB; limit 1 KB)"
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(52_500_000)
    assert read_document(big, "big.txt") == SkippedFile("big.txt", "too large (52.5 MB; limit 20 MB)")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_permissions_for_real(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Vụ Pháp chế chủ trì rà soát.", encoding="utf-8")
    path.chmod(0)
    try:
        result = read_document(path, "locked.txt")
    finally:
        path.chmod(0o644)
    assert result == SkippedFile("locked.txt", "cannot be read (Permission denied)")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    text = "THÔNG BÁO\r\n\r\nCục Công nghiệp chủ trì, phối hợp với Vụ Kế hoạch rà soát danh mục dự án.\r\n"
    path = tmp_path / "x.md"
    path.write_bytes(text.encode(codec))  # no byte-order mark
    result = read_document(path, "x.md")
    assert isinstance(result, SourceDocument), result
    assert result.encoding == "utf-16" and result.text == text.replace("\r\n", "\n")


@pytest.mark.parametrize("raw", [
    b"\x00" * 4096,  # NULs at every position
    bytes(range(256)) * 64,
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 256,  # an executable's header
    "ab".encode("utf-16-le") + b"\x01\x00\x02\x00" * 200,  # UTF-16 pattern, but control characters
])
def test_nul_bytes_that_are_not_utf16_text_mean_binary(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(raw)
    result = read_document(path, "x.txt")
    assert isinstance(result, SkippedFile) and "binary" in result.reason, result


def test_password_protected_pdf_is_named(tmp_path: Path) -> None:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Vu Ke hoach chu tri.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password="secret", owner_password="owner")
    with (tmp_path / "secret.pdf").open("wb") as f:
        writer.write(f)
    assert read_document(tmp_path / "secret.pdf", "secret.pdf") == SkippedFile("secret.pdf", "is password-protected")
