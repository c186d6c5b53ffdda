"""The background ingest of uploads (assistant/upload_queue.py) with the real embedder and a real Chroma:
a small upload is not stuck behind a large one, every file's state is shown (in Vietnamese), and both end
up answerable.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

from assistant.ui.jobs import job_rows
from assistant.upload_queue import DONE, EMBEDDING, FINISHED, MIN_REMAINING_CHUNKS, UploadQueue
from index.chunker import chunk_text
from tests.conftest import SEED_DOCUMENTS

SMALL = "THÔNG BÁO\n\nCục Điện lực chủ trì kiểm tra an toàn trạm biến áp Đông Anh trước mùa mưa bão.\n"


@pytest.fixture
def queue(seed_index: Path, embed_model: Any, tmp_path: Path) -> UploadQueue:
    from assistant.service import Assistant
    from assistant.settings import Settings

    index_dir, documents = tmp_path / "index", tmp_path / "documents"
    shutil.copytree(seed_index, index_dir)
    shutil.copytree(SEED_DOCUMENTS, documents)
    assistant = Assistant.from_settings(Settings(index_dir=index_dir, documents_dir=documents), embed_model)
    return UploadQueue(assistant)


def state_of(queue: UploadQueue, job_id: int) -> Any:
    return next(j for j in queue.jobs() if j.id == job_id)


@pytest.mark.slow
def test_a_small_upload_is_not_stuck_behind_a_large_one(queue: UploadQueue) -> None:
    plan = app_server.plan_document(800)
    chunks = len(chunk_text(plan))
    assert chunks >= 2 * MIN_REMAINING_CHUNKS
    large = queue.submit("ke-hoach-lon.txt", plan.encode())
    deadline = time.monotonic() + 300
    while (job := state_of(queue, large.id)).state != EMBEDDING or job.done < 64:
        assert time.monotonic() < deadline and job.state not in FINISHED, job
        time.sleep(0.05)
    small = queue.submit("thong-bao.txt", SMALL.encode())
    submitted = time.monotonic()
    while not (done := state_of(queue, small.id)).finished:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    small_wait = time.monotonic() - submitted
    large_then = state_of(queue, large.id)
    assert done.state == DONE, done
    assert large_then.state != DONE and large_then.steps_aside >= 1, large_then
    assert queue.wait_idle(600)
    large_done = state_of(queue, large.id)
    assert large_done.state == DONE and large_done.total == chunks, large_done
    print(f"the small upload was answerable {small_wait:.1f} s after it was sent; the large one stepped aside "
          f"{large_done.steps_aside} time(s)")

    answer = queue.assistant.ask("Đơn vị nào chủ trì kiểm tra an toàn trạm biến áp Đông Anh?")
    assert answer.lead == "Cục Điện lực" and answer.citations[0].source == "thong-bao.txt"
    assert {"ke-hoach-lon.txt", "thong-bao.txt"} <= {d.source for d in queue.assistant.documents()}


def test_each_file_has_a_state_in_vietnamese(queue: UploadQueue) -> None:
    ok = queue.submit("thong bao.txt", SMALL.encode())
    again = queue.submit("thong bao.txt", SMALL.encode())  # the same bytes under the same name
    other = queue.submit("thong_bao.txt", "THÔNG BÁO\n\nVụ Pháp chế chủ trì rà soát quy chế nội bộ.\n".encode())
    empty = queue.submit("trong.md", b" \n\n ")
    refused = queue.submit("cai-dat.exe", b"MZ")
    assert refused.state == "refused"
    assert queue.wait_idle(120)
    rows = {(r[0], r[1]): r[2] for r in job_rows(queue.jobs())}
    assert rows[("thong bao.txt", "thong_bao.txt")] == "✔ xong: đã nạp, hỏi được ngay"
    assert rows[("thong_bao.txt", "thong_bao-2.txt (tên đã có, lưu tên mới)")] == "✔ xong: đã nạp, hỏi được ngay"
    assert rows[("trong.md", "trong.md")] == "✘ bỏ qua: tệp trống"
    assert rows[("cai-dat.exe", "—")].startswith("✘ từ chối: Chỉ nhận tệp")
    assert state_of(queue, again.id).existing and state_of(queue, ok.id).state == DONE
    assert state_of(queue, other.id).source == "thong_bao-2.txt" and state_of(queue, empty.id).state == "skipped"
