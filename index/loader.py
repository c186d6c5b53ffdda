"""Reading the corpus: every supported file becomes a SourceDocument or a SkippedFile.

Text files (.txt, .md) may be UTF-8 (with or without BOM), UTF-16/32 with a BOM,
Windows-1258, TCVN3 (ABC) or VNI (see index.encodings); .html/.htm, .docx and
text-based .pdf are read with their libraries (see index.readers). All text is
NFC with "\\n" line ends, so chunk spans are offsets into SourceDocument.text.

A file that cannot be used is skipped with a reason naming the problem (empty,
binary, too large, unknown encoding, unreadable, a PDF without a text layer);
the rest of the batch is not affected. Files with the same text are stored once:
the first in path order is the document, the others are its `aliases`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from index.encodings import BinaryContent, UndeterminedEncoding, decode_text
from index.metadata import document_title, parse_metadata
from index.readers import (
    Unreadable,
    break_runaway_sentences,
    docx_to_text,
    html_to_text,
    normalise_text,
    pdf_to_text,
)

logger = logging.getLogger(__name__)
# files that cannot be used: their own logger, so the CLI (which lists them itself) can quiet it
skip_logger = logging.getLogger(__name__ + ".skips")

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20_000_000  # larger files are skipped: embedding them would take many minutes
NO_TEXT_LAYER = "no text layer; OCR is not supported"


@dataclass(frozen=True)
class SourceDocument:
    source: str  # path relative to the documents folder, "/"-separated
    title: str
    text: str  # NFC-normalised; chunk spans are offsets into this text
    sha: str  # identity of what is stored: the text's hash (and the aliases', when there are any)
    pages: tuple[tuple[int, int, int], ...] = ()  # PDF: (page number, start, end) spans of text
    aliases: tuple[str, ...] = ()  # other files with exactly the same text
    encoding: str = "utf-8"  # how the file was read: a text encoding, or "html", "docx", "pdf"
    doc_number: str = ""  # what the text says of itself (index.metadata); empty when it does not say
    doc_date: str = ""  # ISO date
    issuer: str = ""

    def page_at(self, offset: int) -> int | None:
        """The page number that holds text[offset] (PDF only)."""
        for number, start, end in self.pages:
            if start <= offset < end:
                return number
        return None


@dataclass(frozen=True)
class SkippedFile:
    source: str
    reason: str


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = ["SUPPORTED_SUFFIXES", "SkippedFile", "SourceDocument", "document_title", "load_documents", "read_document"]


class _Skip(Exception):
    """A file that cannot be used; the message is the reason."""


def _read_text(raw: bytes) -> tuple[str, str]:
    try:
        return decode_text(raw)
    except (BinaryContent, UndeterminedEncoding) as exc:
        raise _Skip(str(exc)) from exc


def _read_html(raw: bytes) -> tuple[str, str]:
    try:
        markup, encoding = decode_text(raw)
    except BinaryContent as exc:
        raise _Skip(str(exc)) from exc
    except UndeterminedEncoding:
        from bs4.dammit import UnicodeDammit  # the page's declared charset, or a guess

        dammit = UnicodeDammit(raw, is_html=True)
        if dammit.unicode_markup is None:
            raise _Skip("encoding could not be determined") from None
        markup, encoding = dammit.unicode_markup, str(dammit.original_encoding)
    return html_to_text(markup), f"html ({encoding})"


def _read_pdf(raw: bytes) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    text, pages, page_count = pdf_to_text(raw)
    if not text.strip():
        raise _Skip(NO_TEXT_LAYER if page_count else "has no pages")
    return text, tuple(pages)


def _size(n: int) -> str:
    """50 MB, 52.5 MB, 3 KB."""
    value, unit = (n / 1e6, "MB") if n >= 100_000 else (n / 1e3, "KB")
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def read_document(path: Path, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument | SkippedFile:
    suffix = path.suffix.lower()
    try:
        try:
            size = path.stat().st_size
            if size > max_bytes:  # checked before reading: nothing of it is loaded
                raise _Skip(f"too large ({_size(size)}; limit {_size(max_bytes)})")
            raw = path.read_bytes()
        except OSError as exc:
            raise _Skip(f"cannot be read ({exc.strerror or exc})") from exc
        if not raw.strip():
            raise _Skip("is empty")
        pages: tuple[tuple[int, int, int], ...] = ()
        readers: dict[str, Callable[[], tuple[str, str]]] = {
            ".html": lambda: _read_html(raw), ".htm": lambda: _read_html(raw),
            ".docx": lambda: (docx_to_text(raw, max_unpacked=5 * max_bytes), "docx"),
        }
        if suffix == ".pdf":
            text, pages = _read_pdf(raw)
            encoding = "pdf"
        elif suffix in readers:
            text, encoding = readers[suffix]()
        else:
            text, encoding = _read_text(raw)
    except (_Skip, Unreadable) as skip:
        return SkippedFile(source, str(skip))
    except Exception as exc:  # a broken .docx/.pdf/.html must not stop the batch
        kind = suffix.lstrip(".").upper() or "text"
        logger.debug("reading %s failed", source, exc_info=True)
        return SkippedFile(source, f"could not be read as {kind} ({type(exc).__name__}: {str(exc)[:200]})")
    text = break_runaway_sentences(normalise_text(text))  # both keep PDF page spans valid
    if not text.strip():
        return SkippedFile(source, "is empty")
    if encoding not in ("utf-8", "pdf", "docx") and not encoding.startswith("html"):
        logger.info("%s: read as %s", source, encoding)
    meta = parse_metadata(text, path.stem)
    return SourceDocument(source, meta.title, text, text_sha(text), pages, (), encoding, meta.number, meta.date,
                          meta.issuer)


def _merge_duplicates(documents: list[SourceDocument]) -> list[SourceDocument]:
    """Documents with the same text become one document (the first path) with the others as aliases."""
    by_text: dict[str, list[SourceDocument]] = {}
    for doc in documents:
        by_text.setdefault(doc.sha, []).append(doc)
    merged = []
    for doc in documents:
        group = by_text[doc.sha]
        if group[0] is not doc:
            logger.warning("duplicate %s: same text as %s; stored once, cited under both names",
                           doc.source, group[0].source)
            continue
        if len(group) == 1:
            merged.append(doc)
            continue
        aliases = tuple(d.source for d in group[1:])
        sha = hashlib.sha256("\n".join([doc.sha, *aliases]).encode("utf-8")).hexdigest()
        merged.append(replace(doc, aliases=aliases, sha=sha))  # a new alias makes a new stored version
    return merged


def load_documents(
    folder: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[SourceDocument], list[SkippedFile]]:
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
        result = read_document(path, source, max_bytes)
        if isinstance(result, SkippedFile):
            skip_logger.warning("skipped %s: %s", source, result.reason)
            skipped.append(result)
        else:
            documents.append(result)
    return _merge_duplicates(documents), skipped
