"""Reading the corpus: every supported file becomes a SourceDocument or a SkippedFile."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from index.textnorm import nfc

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class SourceDocument:
    source: str  # path relative to the documents folder, "/"-separated
    title: str
    text: str  # NFC-normalised; chunk spans are offsets into this text
    sha: str


@dataclass(frozen=True)
class SkippedFile:
    source: str
    reason: str


def document_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:300]
    return fallback


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(path: Path, source: str) -> SourceDocument | SkippedFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return SkippedFile(source, f"cannot be read ({exc.strerror or exc})")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SkippedFile(source, f"is not valid UTF-8 (byte {exc.start})")
    if "\x00" in text:
        return SkippedFile(source, "looks binary (contains NUL bytes)")
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        return SkippedFile(source, "is empty")
    return SourceDocument(source, document_title(text, path.stem), text, text_sha(text))


def load_documents(folder: Path) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """All supported files under folder (recursively), in a stable order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"documents folder not found: {folder}")
    documents: list[SourceDocument] = []
    skipped: list[SkippedFile] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        source = path.relative_to(folder).as_posix()
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        result = read_document(path, source)
        if isinstance(result, SkippedFile):
            logger.warning("skipped %s: %s", source, result.reason)
            skipped.append(result)
        else:
            documents.append(result)
    return documents, skipped
