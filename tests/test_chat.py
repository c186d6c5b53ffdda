"""`assistant chat`: question after question in one process, follow-ups, the same citations as `ask`,
and (in a terminal) the line history of earlier sessions."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, run_cli

LEAD_QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"
FOLLOW_UP = "Còn những đơn vị nào phối hợp?"


def _chat(index_dir: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--index", str(index_dir), "chat"], cwd=ROOT, input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=300,
    )


def _answers(stdout: str) -> list[str]:
    """The session's output split at each echoed question."""
    return [part for part in stdout.split("> ")[1:]]


def test_follow_ups_resolve_against_the_session_and_cite_like_ask(seed_index: Path) -> None:
    result = _chat(seed_index, [LEAD_QUESTION, FOLLOW_UP, "/moi", "?!", FOLLOW_UP, "/thoat", LEAD_QUESTION])
    assert result.returncode == 0, result.stderr
    answers = _answers(result.stdout)
    assert len(answers) == 4, result.stdout  # nothing after /thoat
    first, follow, refused, cold = answers
    assert "Cục Công nghiệp chủ trì" in first and "[1] Bộ Công Thương ban hành Chương trình hành động" in first
    assert "002_cedae3f06a4f5a7c.txt, ký tự" in first
    ask = run_cli("--index", str(seed_index), "ask", LEAD_QUESTION)
    assert ask.stdout.strip() == first.removeprefix(LEAD_QUESTION).strip()  # the same text as `ask`
    assert "Bộ Xây dựng" in follow and "Vụ Thị trường trong nước" in follow
    assert "error: " in refused  # a bad question does not end the session
    assert "(cuộc hội thoại mới)" in follow  # printed after the follow-up's answer, before the next question
    assert "Bộ Xây dựng" not in cold  # a new conversation: "phối hợp" no longer refers to the earlier task


def test_in_a_terminal_it_keeps_a_line_history(seed_index: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--index", str(index_dir), "chat"], cwd=ROOT,
        stdin=follower, stdout=follower, stderr=follower, env={**os.environ, "TERM": "dumb"}, close_fds=True,
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes, timeout: float = 120) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while marker not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")[-2000:]
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                seen += os.read(leader, 65536)

    try:
        read_until(b"/thoat")  # the banner
        os.write(leader, (LEAD_QUESTION + "\r").encode())
        read_until("Cục Công nghiệp chủ trì".encode())
        read_until(b"\n> ")  # the next prompt
        os.write(leader, b"/thoat\r")
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:  # keep reading: a full terminal blocks it
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert LEAD_QUESTION in (index_dir / "chat-history").read_text(encoding="utf-8")
