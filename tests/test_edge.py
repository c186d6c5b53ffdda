"""The app's edge (assistant/ui/guard.py) on the real app process (`python app.py`, tests/app_server.py):

- a 100 MB question is refused (413) before it is read, whether it says its length or streams in chunks,
  four at once too, and the app's memory stays where it was; a question just over the limit still gets
  the clear message; uploads are capped by ASSISTANT_MAX_UPLOAD_MB;
- uploads nobody ingests cannot fill the disk: the upload folder is bounded, and an ingested upload leaves it;
- every response forbids framing and carries the Content-Security-Policy;
- 50 wrong passwords in a burst: after a few, the address is locked out (429) without the password being
  checked; the right password works once the lockout has passed.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

pytestmark = pytest.mark.slow

MB = 1_000_000
QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return app_server.ingested_seed_copy(tmp_path_factory.mktemp("edge-base"))


@pytest.fixture(scope="module")
def server(base: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[app_server.AppServer]:
    work = tmp_path_factory.mktemp("edge-app")
    shutil.copytree(base[0], work / "index")
    shutil.copytree(base[1], work / "documents")
    with app_server.running_app(work, work / "documents", work / "index",
                                extra_env={"ASSISTANT_MAX_UPLOAD_MB": "1"}) as running:
        yield running


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def post_raw(port: int, path: str, size: int, chunked: bool, content_type: str = "application/json") -> int | None:
    """POST a body of `size` bytes the way a careless or hostile client does, sending it while reading the
    answer; the answer's status, or None when the server cut the connection before one arrived."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n{framing}\r\n\r\n".encode())
    answer = bytearray()

    def read() -> None:
        try:
            while data := sock.recv(65536):
                answer.extend(data)
        except OSError:
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    piece = b'{"data": ["' + b"a" * 65_000
    sent = 0
    try:
        while sent < size and not answer:
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
    except OSError:  # the server closed the connection: it will not read the rest
        pass
    reader.join(10)
    sock.close()
    match = re.match(rb"HTTP/1\.1 (\d{3})", bytes(answer))
    return int(match.group(1)) if match else None


def ask_http(url: str, question: str) -> tuple[str, Any]:
    """(event, data) of gradio's call API for /ask (data decoded from JSON)."""
    import httpx

    with httpx.Client(base_url=url.rstrip("/"), timeout=120) as http:
        posted = http.post("/gradio_api/call/ask", json={"data": [question]})
        posted.raise_for_status()
        stream = http.get(f"/gradio_api/call/ask/{posted.json()['event_id']}")
    lines = stream.text.splitlines()
    event = next(line.removeprefix("event:").strip() for line in lines if line.startswith("event:"))
    data = next(line.removeprefix("data:").strip() for line in lines if line.startswith("data:"))
    return event, json.loads(data)


# -- request size -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_100_mb_question_is_refused_before_it_is_read(server: app_server.AppServer, chunked: bool) -> None:
    pid = server.proc.pid
    ask_http(server.url, QUESTION)  # warm: the first answer loads what answering needs
    before = rss_mib(pid)
    started = time.monotonic()
    results: list[int | None] = []
    threads = [threading.Thread(target=lambda: results.append(post_raw(server.port, "/gradio_api/call/ask", 100 * MB,
                                                                        chunked))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    seconds = time.monotonic() - started
    time.sleep(0.5)
    grown = rss_mib(pid) - before
    assert all(status in (413, None) for status in results), results
    assert results.count(413) >= (1 if chunked else 4), results  # a chunked sender may be cut before it reads
    assert seconds < 10, f"four 100 MB questions took {seconds:.1f} s to refuse"
    assert grown < 30, f"the app grew by {grown:.0f} MiB"
    assert len(re.findall(r"refused a (?:\d+-byte )?request to /gradio_api/call/ask", server.log())) >= 4
    event, data = ask_http(server.url, QUESTION)  # and it still answers
    assert event == "complete" and data[0]["lead"].startswith("Cục Công nghiệp")


def test_a_question_just_over_the_limit_gets_the_clear_message(server: app_server.AppServer) -> None:
    event, data = ask_http(server.url, "Đơn vị nào chủ trì " * 200)  # 3,800 characters, 2,000 allowed
    assert event == "error" and "quá dài" in data["error"]


def test_an_upload_over_the_cap_is_refused(server: app_server.AppServer) -> None:
    import httpx

    status = post_raw(server.port, "/gradio_api/upload", 50 * MB, chunked=False,
                      content_type="multipart/form-data; boundary=x")
    assert status == 413
    one_file = httpx.post(server.url + "gradio_api/upload", files={"files": ("big.txt", b"a" * (2 * MB))}, timeout=30)
    assert one_file.status_code == 413, one_file.text  # a file over ASSISTANT_MAX_UPLOAD_MB (1 here)


def upload_dir(server: app_server.AppServer) -> Path:
    match = re.search(r"uploads wait in (\S+)", server.log())
    assert match, server.log()[-2000:]
    return Path(match.group(1))


def test_uploads_nobody_ingests_cannot_fill_the_disk(server: app_server.AppServer) -> None:
    """With ASSISTANT_MAX_UPLOAD_MB=1 the upload folder holds at most 10 MB: uploads of 0.99 MB that nobody
    ingests are taken until it is (nearly) full, then refused (507), and it never holds more."""
    import httpx

    folder = upload_dir(server)

    def held() -> int:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    room = 10 * MB - held()
    statuses = []
    for i in range(14):
        response = httpx.post(server.url + "gradio_api/upload",
                              files={"files": (f"f{i}.txt", bytes([65 + i]) * 990_000)}, timeout=30)
        statuses.append(response.status_code)
        time.sleep(0.3)  # gradio moves the file into the folder after answering
        assert held() <= 10 * MB
    taken = statuses.count(200)
    assert statuses == [200] * taken + [507] * (14 - taken), statuses
    assert room // 991_000 - 1 <= taken <= room // 990_000, (room, statuses)
    refused = httpx.post(server.url + "gradio_api/upload", files={"files": ("g.txt", b"x" * 500_000)}, timeout=30)
    assert refused.status_code == 507 and "thử lại" in refused.json()["detail"]


# -- headers ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["", "config", "gradio_api/info", "no-such-page", "theme.css"])
def test_every_response_forbids_framing_and_carries_the_policy(server: app_server.AppServer, path: str) -> None:
    import httpx

    response = httpx.get(server.url + path, timeout=10)
    assert response.headers["x-frame-options"] == "DENY"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "connect-src 'self'" in policy and "object-src 'none'" in policy
    assert "http" not in policy  # nothing from another origin
    assert response.headers["x-content-type-options"] == "nosniff"


# -- login ------------------------------------------------------------------------------------------------
def test_fifty_wrong_passwords_lock_the_address_out(base: tuple[Path, Path], tmp_path: Path) -> None:
    import httpx

    shutil.copytree(base[0], tmp_path / "index")
    shutil.copytree(base[1], tmp_path / "documents")
    with app_server.running_app(tmp_path, tmp_path / "documents", tmp_path / "index",
                                extra_env={"ASSISTANT_AUTH": "canbo:đúng-mật-khẩu"}) as auth_server:
        login = auth_server.url + "login"
        started = time.monotonic()
        statuses = [httpx.post(login, data={"username": "canbo", "password": f"sai-{i}"}, timeout=10).status_code
                    for i in range(50)]
        burst = time.monotonic() - started
        checked = statuses.count(400)
        assert set(statuses) == {400, 429}, statuses
        # lockouts of 1 s, 2 s, 4 s, ... after the 11th failure: in `burst` seconds at most about log2(burst) more
        # passwords can have been checked, however fast the requests came
        assert checked <= 12 + math.ceil(math.log2(burst + 1)), f"{checked} of 50 wrong passwords checked in {burst:.1f} s"
        assert statuses[:10] == [400] * 10  # a few mistakes are free
        # the last lockout may end just as the burst does; one more checked failure starts a lockout of 2 s or
        # more, so the right password sent next is refused whatever the machine's speed
        while httpx.post(login, data={"username": "canbo", "password": "sai"}, timeout=10).status_code != 400:
            time.sleep(0.2)
        locked = httpx.post(login, data={"username": "canbo", "password": "đúng-mật-khẩu"}, timeout=10)
        assert locked.status_code == 429 and not locked.cookies  # locked out: not even the right password
        wait = int(locked.headers["retry-after"])
        assert 1 <= wait <= 60, wait
        assert "thử lại sau" in locked.json()["detail"]
        time.sleep(wait + 0.5)
        right = httpx.post(login, data={"username": "canbo", "password": "đúng-mật-khẩu"}, timeout=10)
        assert right.status_code == 200, right.text
        assert right.cookies
        again = httpx.post(login, data={"username": "canbo", "password": "sai"}, timeout=10)
        assert again.status_code == 400  # a right login resets the count
        assert "locked out" in auth_server.log()


def test_the_lockout_doubles_after_each_checked_failure_and_a_right_password_resets_it() -> None:
    from assistant.ui.guard import LOGIN_FREE_FAILURES, LoginLimiter

    limiter = LoginLimiter()
    for i in range(LOGIN_FREE_FAILURES):
        assert limiter.wait_s("10.0.0.1", now=float(i)) == 0.0
        limiter.record("10.0.0.1", ok=False, now=float(i))
    assert limiter.wait_s("10.0.0.1", now=10.0) == 0.0  # the free mistakes are used up, nothing locked yet
    waits = []
    now = 10.0
    for _ in range(4):
        limiter.record("10.0.0.1", ok=False, now=now)
        waits.append(limiter.wait_s("10.0.0.1", now=now))
        now += waits[-1]
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert limiter.wait_s("10.0.0.2", now=now - 1) == 0.0  # another address is not locked
    limiter.record("10.0.0.1", ok=True, now=now)
    assert limiter.wait_s("10.0.0.1", now=now) == 0.0
