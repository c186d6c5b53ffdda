"""Saving a user's uploaded document safely under the documents folder."""

from __future__ import annotations

import math
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from index.loader import SUPPORTED_SUFFIXES

# File systems limit a name to 255 bytes, and a Vietnamese letter takes up to 3 bytes in UTF-8.
MAX_NAME_BYTES = 200
MAX_SUFFIX_CHARS = 10


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


def save_upload(documents_dir: Path, name: str, content: bytes, max_bytes: int) -> Path:
    """Write content to documents_dir/<safe name> atomically; refuse unsupported or oversized files."""
    filename = safe_filename(name)
    if Path(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UploadError(f"Chỉ nhận tệp {', '.join(SUPPORTED_SUFFIXES)}: {filename}")
    if len(content) > max_bytes:
        size_mb = f"{math.ceil(len(content) / 100_000) / 10:.1f}".replace(".", ",")  # rounded up: 20,1 MB > 20 MB
        raise UploadError(f"Tệp quá lớn ({size_mb} MB, tối đa {max_bytes / 1_000_000:g} MB): {filename}")
    documents_dir.mkdir(parents=True, exist_ok=True)
    target = (documents_dir / filename).resolve()
    if target.parent != documents_dir.resolve():
        raise UploadError("Tên tệp không hợp lệ. (Invalid file name.)")
    fd, tmp = tempfile.mkstemp(dir=documents_dir, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # no half-written upload left behind
        raise
    return target
