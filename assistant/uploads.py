"""Saving a user's uploaded document safely under the documents folder, never over an existing file.

A name that is taken (on disk, by an earlier file of the same batch, or by another name that cleans to
the same one: "a b.txt" and "a_b.txt") gets a numbered name: "bao-cao.txt", "bao-cao-2.txt", ...; the
result says which. The same bytes under their own name again write nothing (identical texts under other
names are stored once by the ingest, see index.loader).
"""

from __future__ import annotations

import logging
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.loader import SUPPORTED_SUFFIXES

# File systems limit a name to 255 bytes, and a Vietnamese letter takes up to 3 bytes in UTF-8.
MAX_NAME_BYTES = 200
MAX_SUFFIX_CHARS = 10
MAX_NUMBER = 1000  # numbered names tried for a taken name

logger = logging.getLogger(__name__)


class UploadError(ValueError):
    """An upload that is refused, with a message for the user."""


def safe_filename(name: str) -> str:
    """The last path component, NFC, with anything but letters, digits, '-', '_' and '.' replaced."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name).strip()
    base = re.sub(r"[^\w.\-]+", "_", base).strip("._")
    if not base:
        raise UploadError("Tên tệp không hợp lệ. (Invalid file name.)")
    suffix = Path(base).suffix
    if len(suffix) > MAX_SUFFIX_CHARS:
        suffix = ""
    stem = base[: len(base) - len(suffix)]
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    if len(stem.encode("utf-8")) > room:  # shorten the stem, never the suffix: a long title keeps its ".docx"
        stem = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip("._-") or "tep"
    return stem + suffix


@dataclass(frozen=True)
class SavedUpload:
    """Where an upload was stored: `source` (relative to the documents folder) is the name it is cited under."""

    requested: str  # the name as sent
    source: str
    path: Path
    renamed: bool  # the cleaned name was taken: stored under a numbered name
    existing: bool = False  # the same bytes were already stored under that name: nothing written


def numbered(filename: str, n: int) -> str:
    """'bao-cao.txt', 2 -> 'bao-cao-2.txt' (the stem shortened if the name would exceed MAX_NAME_BYTES)."""
    suffix = Path(filename).suffix
    stem = filename[: len(filename) - len(suffix)]
    tail = f"-{n}"
    room = MAX_NAME_BYTES - len((tail + suffix).encode("utf-8"))
    stem = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return stem + tail + suffix


def _check(name: str, content: bytes, max_bytes: int) -> str:
    filename = safe_filename(name)
    if Path(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UploadError(f"Chỉ nhận tệp {', '.join(SUPPORTED_SUFFIXES)}: {filename}")
    if len(content) > max_bytes:
        size_mb = f"{math.ceil(len(content) / 100_000) / 10:.1f}".replace(".", ",")  # rounded up: 20,1 MB > 20 MB
        raise UploadError(f"Tệp quá lớn ({size_mb} MB, tối đa {max_bytes / 1_000_000:g} MB): {filename}")
    return filename


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return not path.is_symlink() and path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _create(tmp: str, target: Path, content: bytes) -> bool:
    """Give the written temporary file the name target, unless that name exists (as a file or a link)."""
    try:
        os.link(tmp, target)  # atomic, and fails if the name exists: never replaces or writes through a file
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: create the name exclusively, then write
        try:
            with open(target, "xb") as f:
                f.write(content)
            return True
        except FileExistsError:
            return False


def save_upload(documents_dir: Path, name: str, content: bytes, max_bytes: int) -> SavedUpload:
    """Write content to documents_dir/<safe name>, never over an existing file (nor through a link): a taken
    name gets the first free numbered name ("x-2.txt", "x-3.txt", ...), unless it holds exactly these bytes
    already (then nothing is written). Unsupported or oversized files are refused (UploadError)."""
    filename = _check(name, content, max_bytes)
    documents_dir.mkdir(parents=True, exist_ok=True)
    folder = documents_dir.resolve()
    if (folder / filename).parent != folder or filename in (".", ".."):  # one name, in this folder
        raise UploadError("Tên tệp không hợp lệ. (Invalid file name.)")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        for n in range(1, MAX_NUMBER + 1):
            candidate = filename if n == 1 else numbered(filename, n)
            target = folder / candidate
            if _same_bytes(target, content):
                return SavedUpload(name, candidate, target, renamed=n > 1, existing=True)
            if not _create(tmp, target, content):
                continue
            logger.info("upload %r saved as %s", name, candidate)
            return SavedUpload(name, candidate, target, renamed=n > 1)
        raise UploadError(f"Đã có quá nhiều tệp tên {filename}: hãy đổi tên tệp.")
    finally:
        Path(tmp).unlink(missing_ok=True)


def save_uploads(documents_dir: Path, files: Sequence[tuple[str, bytes]], max_bytes: int) -> list[SavedUpload]:
    """save_upload for each (name, content) in turn: two files of one name in one batch both stay. All are
    checked before any is written, so a refused file leaves the folder as it was."""
    for name, content in files:
        _check(name, content, max_bytes)
    return [save_upload(documents_dir, name, content, max_bytes) for name, content in files]
