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
import os
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
    # a file that cannot be read now keeps what was stored of it; one refused by rule (a link leaving the
    # folder, a hidden file, a name that is not UTF-8) is removed from the index
    keep_stored: bool = True


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


def display_name(source: str) -> str:
    """A file name for messages: bytes that are not UTF-8 (kept by Python as surrogates) as \\xNN escapes."""
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):  # outside, or a link loop
        return False
    return True


def check_path(path: Path, source: str, root: Path) -> SkippedFile | None:
    """Why a document file is not read (a SkippedFile, also logged), or None when it is read.

    root is the documents folder, resolved. A link is followed only when it points to a file inside it."""
    reason = None
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        reason = "file name is not valid UTF-8 (an old Windows or zip archive name?): rename it to read it"
    if reason is None and any(part.startswith(".") for part in Path(source).parts):
        reason = "hidden file (name starts with '.'): not read; rename it to read it"
    if reason is None and (path.is_symlink() or not _inside(path.parent, root)):
        if not path.exists():
            reason = "is a broken link"
        elif not _inside(path, root):
            reason = "is a link to a file outside the documents folder: not followed"
    if reason is None:
        return None
    skipped = SkippedFile(display_name(source), reason, keep_stored=False)
    skip_logger.warning("skipped %s: %s", skipped.source, reason)
    return skipped


def _walk(folder: Path) -> tuple[list[tuple[Path, str]], list[SkippedFile]]:
    """The supported files under folder as (path, source), in a stable order, and the entries not read: hidden
    files and folders that hold documents, links that leave the folder, names that are not UTF-8."""
    root = folder.resolve()
    found: list[tuple[Path, str]] = []
    skipped: list[SkippedFile] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames):
            sub = here / name
            if sub.is_symlink():  # a linked folder is not walked: it may leave the folder or loop
                if _holds_documents(sub) and not _inside(sub, root):
                    source = sub.relative_to(folder).as_posix() + "/"
                    skipped.append(SkippedFile(display_name(source), "is a link to a folder outside the documents "
                                                                     "folder: not followed", keep_stored=False))
            elif name.startswith(".") and _holds_documents(sub):
                source = sub.relative_to(folder).as_posix() + "/"
                skipped.append(SkippedFile(display_name(source), "hidden folder (name starts with '.'): not read",
                                           keep_stored=False))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in filenames:
            path = here / name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            source = path.relative_to(folder).as_posix()
            if not path.is_symlink() and not path.is_file():
                continue  # a FIFO or a device: never opened
            found.append((path, source))
    for item in skipped:
        skip_logger.warning("skipped %s: %s", item.source, item.reason)
    found.sort(key=lambda f: _order(f[1]))
    return found, skipped


def _order(source: str) -> tuple[str, ...]:
    """Path order (as sorted Path objects compare): the first of duplicate files in it is the document."""
    return tuple(source.split("/"))


def _holds_documents(folder: Path, limit: int = 2000) -> bool:
    """Whether a folder holds a supported file (looking at its first `limit` entries only: .git can be huge)."""
    try:
        for i, path in enumerate(folder.rglob("*")):
            if i >= limit:
                return False
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                return True
    except OSError:
        return False
    return False


def _read_all(
    files: list[tuple[Path, str]], root: Path, max_bytes: int
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    documents: list[SourceDocument] = []
    skipped: list[SkippedFile] = []
    for path, source in files:
        refused = check_path(path, source, root)
        result = refused or read_document(path, source, max_bytes)
        if isinstance(result, SkippedFile):
            if refused is None:
                skip_logger.warning("skipped %s: %s", source, result.reason)
            skipped.append(result)
        else:
            documents.append(result)
    return documents, skipped


def load_documents(
    folder: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """All supported files under folder (recursively), in a stable order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"documents folder not found: {folder}")
    files, not_walked = _walk(folder)
    documents, skipped = _read_all(files, folder.resolve(), max_bytes)
    return _merge_duplicates(documents), not_walked + skipped


def load_files(
    folder: Path, sources: list[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Just these files of folder (paths relative to it), read as load_documents reads them, duplicates merged."""
    if not folder.is_dir():
        raise FileNotFoundError(f"documents folder not found: {folder}")
    files = []
    skipped = []
    for source in sorted(set(sources), key=_order):
        path = folder / source
        if path.is_symlink() or path.is_file():
            files.append((path, source))
        else:
            skipped.append(SkippedFile(display_name(source), "not found in the documents folder"))
    documents, unread = _read_all(files, folder.resolve(), max_bytes)
    return _merge_duplicates(documents), skipped + unread
