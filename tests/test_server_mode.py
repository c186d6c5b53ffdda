"""Server mode: the same commands and library against a real Chroma server (`chroma run`).

A session fixture starts the chromadb package's own server on a free loopback
port with a temp data dir; each test resets the one collection it uses.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).parent / "chroma"
STARTUP_SECONDS = 60
NEW_DOCUMENT = (
    "Kế hoạch bảo đảm an toàn hóa chất năm 2026\n\n"
    "Bộ Công Thương giao nhiệm vụ cho các đơn vị như sau.\n\n"
    "Cục Hóa chất chủ trì, phối hợp với Vụ Khoa học và Công nghệ và Sở Công Thương tỉnh Bắc Ninh "
    "xây dựng cơ sở dữ liệu về an toàn hóa chất tại các khu công nghiệp của tỉnh Bắc Ninh, "
    "hoàn thành trong quý III năm 2026.\n"
)
NEW_QUESTION = "Đơn vị nào chủ trì xây dựng cơ sở dữ liệu về an toàn hóa chất tại các khu công nghiệp của tỉnh Bắc Ninh?"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """`chroma run` in a subprocess, answering on http://127.0.0.1:<port>."""

    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"chroma-{self.port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"chroma run did not answer on {self.url}:\n{self.log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data")
    yield server
    server.stop()


@pytest.fixture
def server_url(chroma_server: ChromaServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every command and Settings() of the test use the server."""
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server.url)
    return chroma_server.url


def test_ingest_in_one_process_answer_in_another(server_url: str, documents_copy: Path, isolated_paths: Path) -> None:
    first = run_cli("ingest", "--reset", "--quiet", "--documents", str(documents_copy))
    assert first.returncode == 0, first.stderr
    assert "added 5" in first.stdout
    assert not (isolated_paths / "index" / "chroma").exists()  # nothing went to the embedded store
    assert (isolated_paths / "index" / "embeddings.sqlite").is_file()  # the embedding cache stays local

    again = run_cli("ingest", "--quiet", "--documents", str(documents_copy))
    assert "added 0, updated 0, removed 0, unchanged 5" in again.stdout, again.stderr

    result = run_cli("ask", "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] is True and "Cục Công nghiệp" in data["lead"]

    # a second index dir (another machine): empty embedding cache, same server, same answer
    elsewhere = run_cli(
        "ask", "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?", "--json",
        env={"ASSISTANT_INDEX_DIR": str(isolated_paths / "other-index")},
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert "Cục Công nghiệp" in json.loads(elsewhere.stdout)["lead"]


def test_two_assistants_share_one_server(server_url: str, documents_copy: Path, embed_model: Any) -> None:
    from assistant.service import Assistant, run_ingest
    from assistant.settings import Settings

    settings = Settings()
    assert settings.chroma_url == server_url
    run_ingest(settings, embed_model, reset=True)
    writer = Assistant.from_settings(settings, embed_model)
    reader = Assistant.from_settings(settings, embed_model)
    assert not (reader.ask(NEW_QUESTION).lead or "").startswith("Cục Hóa chất")
    assert reader.refresh() is False  # nothing changed yet

    report = writer.add_document("an_toan_hoa_chat.txt", NEW_DOCUMENT.encode("utf-8"))
    assert report.added == ["an_toan_hoa_chat.txt"]
    assert reader.refresh() is True
    answer = reader.ask(NEW_QUESTION)
    assert answer.answered and (answer.lead or "").startswith("Cục Hóa chất"), answer.answer
    assert answer.citations[0].source == "an_toan_hoa_chat.txt"
    assert {d.source for d in reader.documents()} == {d.source for d in writer.documents()}

    # a separate process sees it too, with nothing but the server in common
    other = run_cli("ask", NEW_QUESTION, "--json")
    assert other.returncode == 0, other.stderr
    assert (json.loads(other.stdout)["lead"] or "").startswith("Cục Hóa chất")


def test_an_ingest_by_another_process_reaches_a_cached_app(server_url: str, documents_copy: Path, embed_model: Any) -> None:
    """The load cache (BM25, term statistics) is per server and reused only for the same chunks."""
    from assistant.retrieval.loading import cache_root
    from assistant.service import Assistant, run_ingest
    from assistant.settings import Settings

    settings = Settings()
    run_ingest(settings, embed_model, reset=True)
    assert not Assistant.from_settings(settings, embed_model).loaded_from_cache
    assert cache_root(settings.index_dir, server_url).is_dir()
    app = Assistant.from_settings(settings, embed_model)
    assert app.loaded_from_cache and not (app.ask(NEW_QUESTION).lead or "").startswith("Cục Hóa chất")

    (documents_copy / "an_toan_hoa_chat.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    result = run_cli("ingest", "--quiet", "--documents", str(documents_copy))  # another process
    assert result.returncode == 0, result.stderr
    assert app.refresh() is True and not app.loaded_from_cache
    assert (app.ask(NEW_QUESTION).lead or "").startswith("Cục Hóa chất")
    restarted = Assistant.from_settings(settings, embed_model)
    assert restarted.loaded_from_cache and (restarted.ask(NEW_QUESTION).lead or "").startswith("Cục Hóa chất")


# the probe gives up after PROBE_SECONDS (4 s) instead of waiting for REQUEST_SECONDS (120 s); the margin above it
# is for starting Python and its imports on a loaded 2-core machine (a CLI run once took 10.5 s there)
GAVE_UP_WITHIN_S = 30.0


def _assert_clear_error(result: subprocess.CompletedProcess[str], seconds: float, url: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and url in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert seconds < GAVE_UP_WITHIN_S, f"took {seconds:.1f} s"


def _timed_cli(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = run_cli(*args, timeout=60)
    return result, time.monotonic() - started


def test_a_stopped_server_is_one_clear_error_without_waiting_for_requests_to_time_out(
    tmp_path: Path, documents_copy: Path, monkeypatch: pytest.MonkeyPatch, embed_model: Any
) -> None:
    from assistant.service import Assistant, StoreError, run_ingest
    from assistant.settings import Settings

    server = ChromaServer(tmp_path / "stopped-server")
    question = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"
    try:
        monkeypatch.setenv("ASSISTANT_CHROMA_URL", server.url)
        run_ingest(Settings(), embed_model)
        loaded = Assistant.from_settings(Settings(), embed_model)
        # above the exact-search limit every question queries the server's index
        approximate = Assistant.from_settings(Settings(exact_search_limit=0), embed_model)
    finally:
        server.stop()

    # the app was serving when the server went away: with the chunks' vectors in memory it goes on answering
    # from what it loaded; a reload is a StoreError naming the URL, not an httpx traceback
    answer = loaded.ask(question)
    assert answer.answered and answer.lead == "Cục Công nghiệp"
    with pytest.raises(StoreError, match="Chroma server"):
        loaded.refresh()
    started = time.monotonic()
    with pytest.raises(StoreError, match=re.escape(server.url)):
        approximate.ask(question)
    assert time.monotonic() - started < GAVE_UP_WITHIN_S

    result, seconds = _timed_cli("ask", question)
    _assert_clear_error(result, seconds, server.url)
    result, seconds = _timed_cli("ingest", "--quiet", "--documents", str(documents_copy))
    _assert_clear_error(result, seconds, server.url)
    result, seconds = _timed_cli("ingest", "--reset", "--quiet", "--documents", str(documents_copy))
    _assert_clear_error(result, seconds, server.url)


def test_a_server_that_accepts_but_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as silent:  # connections queue in the backlog; nothing ever replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        monkeypatch.setenv("ASSISTANT_CHROMA_URL", url)
        result, seconds = _timed_cli("ask", "Đơn vị nào chủ trì?")
    _assert_clear_error(result, seconds, url)


def test_a_malformed_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "localhost:8000")
    result = run_cli("ask", "Đơn vị nào chủ trì?")
    assert result.returncode == 2 and "ASSISTANT_CHROMA_URL" in result.stderr and "Traceback" not in result.stderr
