"""The Tài liệu tab's list of uploads being ingested: one row per file, its state in Vietnamese."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.upload_queue import DONE, EMBEDDING, FAILED, QUEUED, READING, REFUSED, SKIPPED, WAITING, UploadJob

JOB_HEADERS = ["Tệp gửi lên", "Lưu thành", "Trạng thái"]

# the loader's reasons (index.loader, index.readers, index.encodings) in the interface's language
_REASONS = [
    ("is empty", "tệp trống"),
    ("looks binary", "không phải văn bản (dữ liệu nhị phân)"),
    ("too large when unpacked", "quá lớn khi giải nén"),
    ("too large", "tệp quá lớn"),
    ("encoding could not be determined", "không nhận ra bảng mã của văn bản"),
    ("invalid utf-", "bảng mã Unicode không hợp lệ"),
    ("cannot be read", "không đọc được tệp"),
    ("could not be read as", "tệp hỏng hoặc không đúng định dạng"),
    ("no text layer", "PDF không có lớp chữ (bản quét); chưa hỗ trợ nhận dạng chữ (OCR)"),
    ("has no pages", "PDF không có trang nào"),
    ("is password-protected", "PDF có mật khẩu"),
    ("hidden file", "tệp ẩn (tên bắt đầu bằng dấu chấm)"),
    ("file name is not valid utf-8", "tên tệp không phải UTF-8"),
    ("is a link", "liên kết ra ngoài thư mục tài liệu: không đọc"),
    ("not found", "không còn tệp trong thư mục tài liệu"),
]


def reason_vi(reason: str) -> str:
    """A skip reason in Vietnamese (the English detail, when there is one, in brackets)."""
    folded = reason.casefold()
    for prefix, text in _REASONS:
        if folded.startswith(prefix):
            return text
    return reason


def job_state(job: UploadJob) -> str:
    if job.state == QUEUED:
        return "đang chờ" + (" (tạm nhường tệp nhỏ hơn)" if job.steps_aside else "")
    if job.state == WAITING:
        return "chờ lượt: một tiến trình khác đang ghi chỉ mục"
    if job.state == READING:
        return "đang đọc"
    if job.state == EMBEDDING:
        return f"đang tạo vector {job.done}/{job.total}"
    if job.state == DONE:
        if job.same_as:
            return f"✔ xong: cùng nội dung với {job.same_as}, lưu một lần"
        return "✔ xong: đã có sẵn, không đổi" if job.existing else "✔ xong: đã nạp, hỏi được ngay"
    if job.state == SKIPPED:
        return f"✘ bỏ qua: {reason_vi(job.detail)}"
    if job.state == REFUSED:
        return f"✘ từ chối: {job.detail}"
    if job.state == FAILED:
        return "✘ lỗi khi nạp tài liệu"
    return job.state


def job_rows(jobs: Sequence[UploadJob]) -> list[list[Any]]:
    rows = []
    for job in jobs:
        saved = job.source or "—"
        if job.renamed:
            saved += " (tên đã có, lưu tên mới)"
        rows.append([job.requested, saved, job_state(job)])
    return rows


def upload_line(job: UploadJob) -> str:
    """The line the upload button answers with, for one file."""
    if job.state == REFUSED:
        return f"✘ {job.requested}: {job.detail}"
    if job.renamed:
        return f"✔ {job.requested}: tên này đã có, lưu thành {job.source}; đang chờ nạp"
    return f"✔ {job.requested}: đã lưu thành {job.source}; đang chờ nạp"


__all__ = ["JOB_HEADERS", "job_rows", "job_state", "reason_vi", "upload_line"]
