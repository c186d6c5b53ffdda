"""Saving a user's uploaded document safely under the documents folder."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from index.loader import SUPPORTED_SUFFIXES


class UploadError(ValueError):
    """An upload that is refused, with a message for the user."""


def safe_filename(name: str) -> str:
    """The last path component, NFC, with anything but letters, digits, '-', '_' and '.' replaced."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name).strip()
    base = re.sub(r"[^\w.\-]+", "_", base).strip("._")
    if not base:
        raise UploadError("Tên tệp không hợp lệ. (Invalid file name.)")
    return base[:120]


def save_upload(documents_dir: Path, name: str, content: bytes, max_bytes: int) -> Path:
    """Write content to documents_dir/<safe name> atomically; refuse unsupported or oversized files."""
    filename = safe_filename(name)
    if Path(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UploadError(f"Chỉ nhận tệp {', '.join(SUPPORTED_SUFFIXES)}: {filename}")
    if len(content) > max_bytes:
        raise UploadError(f"Tệp quá lớn ({len(content) // 1_000_000} MB, tối đa {max_bytes // 1_000_000} MB): {filename}")
    documents_dir.mkdir(parents=True, exist_ok=True)
    target = (documents_dir / filename).resolve()
    if target.parent != documents_dir.resolve():
        raise UploadError("Tên tệp không hợp lệ. (Invalid file name.)")
    fd, tmp = tempfile.mkstemp(dir=documents_dir, prefix=".upload-")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.replace(tmp, target)
    return target
