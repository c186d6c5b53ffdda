"""Questions while another process ingests 100+ changed chunks: no question fails, every answer is right.

Thirty plan documents of ten paragraphs (five chunks) each are rewritten and ingested by the real CLI in another
process (150 changed chunks, each file written and its old version removed in turn: sixty changes of the store).
Meanwhile questions about the seed documents are asked

- in this process, by three threads, while a fourth reloads the index whenever it changed (as often as it
  can: a reload must never mix with an answer in progress), and
- through the real app process's API (`python app.py`), by three clients.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

from index.textnorm import fold_tones

pytestmark = pytest.mark.slow

PLANS = 30
PARAGRAPHS_PER_PLAN = 10
LEADS = [
    ("Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?", "Cục Công nghiệp"),
    ("Ai làm đầu mối xây dựng cơ chế thu hút nguồn nhân lực chất lượng cao cho Hải Phòng?", "Vụ Tổ chức cán bộ"),
    ("Đơn vị nào chủ trì đề xuất cơ chế, chính sách hỗ trợ phát triển trung tâm logistics trên địa bàn Hải Phòng?",
     "Vụ Thị trường trong nước"),
]


def write_plans(documents: Path, variant: int) -> None:
    for i in range(PLANS):
        text = app_server.plan_document(PARAGRAPHS_PER_PLAN, f"KẾ HOẠCH SỐ {i + 1}/KH-SCT", variant=variant * 100 + i)
        (documents / f"ke-hoach-{i + 1:02d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("concurrent-base")
    documents, index_dir = work / "documents", work / "index"
    shutil.copytree(app_server.DOCUMENTS, documents)
    write_plans(documents, variant=0)
    app_server.ingest(index_dir, documents)
    return index_dir, documents


def copy_of(base: tuple[Path, Path], work: Path) -> tuple[Path, Path]:
    shutil.copytree(base[0], work / "index")
    shutil.copytree(base[1], work / "documents")
    return work / "index", work / "documents"


def during_ingest(
    index_dir: Path, documents: Path, askers: list[Callable[[str], Any]], extra: Callable[[], None] | None = None
) -> tuple[list[tuple[str, str, Any, bool]], str]:
    """Rewrite the plans, run the CLI's ingest in another process, and let each asker ask the LEADS questions in
    turn until it has finished (and each asked at least 5). Returns (question, lead, result or exception,
    asked during the ingest) records, and the ingest's output."""
    write_plans(documents, variant=1)
    ingest = subprocess.Popen(
        app_server.ingest_command(index_dir, documents), cwd=app_server.ROOT, env=app_server.offline_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    results: list[tuple[str, str, Any, bool]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 600

    def loop(ask: Callable[[str], Any], offset: int) -> None:
        n = 0
        while time.monotonic() < deadline and (ingest.poll() is None or n < 5):
            question, lead = LEADS[(offset + n) % len(LEADS)]
            during = ingest.poll() is None
            try:
                outcome: Any = ask(question)
            except Exception as exc:
                outcome = exc
            with lock:
                results.append((question, lead, outcome, during and ingest.poll() is None))
            n += 1

    stop = threading.Event()
    threads = [threading.Thread(target=loop, args=(ask, i)) for i, ask in enumerate(askers)]
    if extra is not None:
        threads.append(threading.Thread(target=lambda: [extra() for _ in iter(stop.is_set, True)]))
    try:
        for t in threads:
            t.start()
        out, err = ingest.communicate(timeout=620)
        for t in threads[: len(askers)]:
            t.join(120)
    finally:
        stop.set()
        if ingest.poll() is None:
            app_server.stop(ingest)  # type: ignore[arg-type]
    for t in threads:
        t.join(60)
    assert ingest.returncode == 0, err[-2000:]
    written = int(re.search(r"\((\d+) chunks written\)", out).group(1))  # type: ignore[union-attr]
    assert f"updated {PLANS}" in out and written >= 100, out
    return results, out


def check(results: list[tuple[str, str, Any, bool]], lead_of: Callable[[Any], str | None]) -> int:
    failures = [(q, r) for q, _, r, _ in results if isinstance(r, BaseException)]
    assert failures == [], f"{len(failures)} of {len(results)} questions failed: {failures[:3]}"
    wrong = [(q, lead, lead_of(r)) for q, lead, r, _ in results if fold_tones(lead_of(r) or "") != fold_tones(lead)]
    assert wrong == [], f"wrong answers: {wrong[:5]}"
    overlapped = sum(1 for *_, during in results if during)
    assert overlapped >= 20, f"only {overlapped} of {len(results)} questions were asked while the ingest ran"
    return overlapped


def test_in_process_answers_never_mix_two_loads(base: tuple[Path, Path], tmp_path: Path, embed_model: Any) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings

    index_dir, documents = copy_of(base, tmp_path)
    assistant = Assistant.from_settings(Settings(index_dir=index_dir, documents_dir=documents), embed_model)
    reloads = [0]

    def reload() -> None:
        if assistant.refresh():
            reloads[0] += 1
        time.sleep(0.02)

    results, _ = during_ingest(index_dir, documents, [assistant.ask] * 3, extra=reload)
    check(results, lambda answer: answer.lead)
    assert reloads[0] >= 10, f"only {reloads[0]} reloads happened while answering"


def test_the_app_answers_every_question_while_another_process_ingests(base: tuple[Path, Path], tmp_path: Path) -> None:
    from gradio_client import Client

    index_dir, documents = copy_of(base, tmp_path)
    with app_server.running_app(tmp_path, documents, index_dir) as server:
        clients = [Client(server.url, verbose=False) for _ in range(3)]
        askers = [lambda q, c=c: c.predict(q, api_name="/ask") for c in clients]
        results, _ = during_ingest(index_dir, documents, askers)
        overlapped = check(results, lambda answer: answer["lead"])
        print(f"{overlapped} of {len(results)} questions answered while the ingest ran")
        assert server.proc.poll() is None and "Traceback" not in server.log()
