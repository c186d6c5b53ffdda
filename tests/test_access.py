"""Access to the running app (`python app.py` as a real process, tests/app_server.py):

- it binds to 127.0.0.1 by default, and listens there only;
- with ASSISTANT_AUTH=user:password it requires a login, for the page's config and for the API alike;
- an ingest (`python -m assistant ingest`) into the same index while questions are being asked: every
  answer succeeds, from the last consistent state, and the app still answers afterwards.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

from index.textnorm import fold_tones

pytestmark = pytest.mark.slow

USER, PASSWORD = "canbo", "mật-khẩu:có dấu"  # a password with a colon and non-ASCII letters
LEADS = [
    ("Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?", "Cục Công nghiệp"),
    ("Ai làm đầu mối xây dựng cơ chế thu hút nguồn nhân lực chất lượng cao cho Hải Phòng?", "Vụ Tổ chức cán bộ"),
    ("Đơn vị nào chủ trì đề xuất cơ chế, chính sách hỗ trợ phát triển trung tâm logistics trên địa bàn Hải Phòng?",
     "Vụ Thị trường trong nước"),
]
TCP_LISTEN = "0A"


# -- fixtures ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed documents ingested once by the real CLI; each app below serves its own copy."""
    return app_server.ingested_seed_copy(tmp_path_factory.mktemp("access-base"))


def copy_of(base: tuple[Path, Path], work: Path) -> tuple[Path, Path]:
    index_dir, documents = work / "index", work / "documents"
    shutil.copytree(base[0], index_dir)
    shutil.copytree(base[1], documents)
    return index_dir, documents


@pytest.fixture(scope="module")
def default_server(
    base_index: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[app_server.AppServer]:
    """The app with no ASSISTANT_HOST at all: the default host."""
    work = tmp_path_factory.mktemp("access-default")
    index_dir, documents = copy_of(base_index, work)
    with app_server.running_app(work, documents, index_dir, extra_env={"ASSISTANT_HOST": None}) as running:
        yield running


@pytest.fixture(scope="module")
def auth_server(
    base_index: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[app_server.AppServer]:
    work = tmp_path_factory.mktemp("access-auth")
    index_dir, documents = copy_of(base_index, work)
    with app_server.running_app(work, documents, index_dir, extra_env={"ASSISTANT_AUTH": f"{USER}:{PASSWORD}"}) as running:
        yield running


def ask(client: Any, question: str) -> dict[str, Any]:
    result: dict[str, Any] = client.predict(question, api_name="/ask")
    return result


def same_unit(a: str | None, b: str) -> bool:
    return fold_tones(a or "") == fold_tones(b)


# -- (a) loopback only ---------------------------------------------------------------------------------
def test_the_default_host_is_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.settings import Settings

    monkeypatch.delenv("ASSISTANT_HOST", raising=False)
    assert Settings(_env_file=None).host == "127.0.0.1"  # type: ignore[call-arg]
    assert Settings.model_fields["host"].default == "127.0.0.1"


def listening(port: int) -> dict[str, list[str]]:
    """Local addresses (hex, as the kernel shows them) of the sockets listening on port, per table."""
    found: dict[str, list[str]] = {}
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == TCP_LISTEN:
                found.setdefault(table, []).append(address)
    return found


def other_local_addresses() -> list[str]:
    """Addresses of this machine other than 127.0.0.1: another loopback address, which a socket bound to
    127.0.0.1 alone does not accept, and the interfaces' own IPv4 addresses (from /proc/net/fib_trie)."""
    found = {"127.0.0.2"}
    trie = Path("/proc/net/fib_trie")
    if trie.exists():
        last = ""
        for line in trie.read_text().splitlines():
            text = line.strip()
            if text.startswith(("|--", "+--")):
                last = text[3:].strip().split("/")[0]
            elif text == "/32 host LOCAL" and last:
                found.add(last)
    return sorted(a for a in found if a != "127.0.0.1" and ipaddress.ip_address(a).version == 4)


def connects(host: str, port: int, family: socket.AddressFamily = socket.AF_INET) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        try:
            s.connect((host, port))
        except OSError:  # refused, unreachable, timed out
            return False
        return True


def test_the_running_app_listens_on_127_0_0_1_only(default_server: app_server.AppServer) -> None:
    port = default_server.port
    environ = Path(f"/proc/{default_server.proc.pid}/environ").read_bytes().split(b"\0")
    assert not any(v.startswith(b"ASSISTANT_HOST=") for v in environ), "the app was not left to its default host"
    tables = listening(port)
    assert tables.get("tcp") == ["0100007F"], f"listening sockets on port {port}: {tables}"  # 127.0.0.1
    assert "tcp6" not in tables, f"also listening on IPv6: {tables['tcp6']}"
    assert "serving on http://127.0.0.1:" in default_server.log()

    assert connects("127.0.0.1", port)
    reachable = [a for a in other_local_addresses() if connects(a, port)]
    assert reachable == [], f"the app answers on {reachable}"
    if socket.has_ipv6:
        assert not connects("::1", port, socket.AF_INET6)


def test_ss_agrees(default_server: app_server.AppServer) -> None:
    """The same through `ss -ltn` when it is installed (iproute2)."""
    if shutil.which("ss") is None:
        pytest.skip("ss is not installed")
    out = subprocess.run(["ss", "-ltnH", f"sport = :{default_server.port}"], capture_output=True, text=True, timeout=10)
    locals_ = [line.split()[3] for line in out.stdout.splitlines() if line.strip()]
    assert locals_ == [f"127.0.0.1:{default_server.port}"], out.stdout


# -- (b) login ----------------------------------------------------------------------------------------
def test_without_login_the_api_and_config_are_refused(auth_server: app_server.AppServer) -> None:
    import httpx
    from gradio_client import Client

    with pytest.raises(ValueError, match=r"credentials were not provided|login"):
        Client(auth_server.url, verbose=False)
    base = auth_server.url.rstrip("/")
    for method, path, body in [
        ("GET", "/config", None),
        ("GET", "/gradio_api/info", None),
        ("POST", "/gradio_api/call/ask", {"data": [LEADS[0][0]]}),
        ("POST", "/gradio_api/queue/join", {"data": [LEADS[0][0]], "fn_index": 0, "session_hash": "x1"}),
    ]:
        response = httpx.request(method, base + path, json=body, timeout=10)
        assert response.status_code == 401, f"{method} {path}: {response.status_code} {response.text[:200]}"
        assert LEADS[0][1] not in response.text
    # the page itself is only the login form
    page = httpx.get(auth_server.url, timeout=10)
    assert page.status_code == 200 and "Cục Công nghiệp" not in page.text


def test_the_right_login_answers_through_gradio_client(auth_server: app_server.AppServer) -> None:
    from gradio_client import Client

    client = Client(auth_server.url, auth=(USER, PASSWORD), verbose=False)
    question, lead = LEADS[0]
    result = ask(client, question)
    assert result["answered"] and same_unit(result["lead"], lead), result


def test_the_right_login_answers_over_plain_http(auth_server: app_server.AppServer) -> None:
    import httpx

    with httpx.Client(base_url=auth_server.url.rstrip("/"), timeout=30) as http:
        login = http.post("/login", data={"username": USER, "password": PASSWORD})
        assert login.status_code == 200, login.text
        posted = http.post("/gradio_api/call/ask", json={"data": [LEADS[1][0]]})
        assert posted.status_code == 200, posted.text
        stream = http.get(f"/gradio_api/call/ask/{posted.json()['event_id']}")
    lines = stream.text.splitlines()
    assert "event: complete" in lines, stream.text[:500]
    data = json.loads(lines[lines.index("event: complete") + 1].removeprefix("data:"))[0]
    assert same_unit(data["lead"], LEADS[1][1]), data


# after the right logins: these failures lock this address out for a while (see test_login_rate_limit.py)
@pytest.mark.parametrize("credentials", [
    (USER, "wrong"), (USER, ""), ("admin", PASSWORD), (USER.upper(), PASSWORD), (USER, PASSWORD + " "),
    (f"{USER}:{PASSWORD}", ""),
])
def test_wrong_credentials_are_refused(auth_server: app_server.AppServer, credentials: tuple[str, str]) -> None:
    import httpx
    from gradio_client import Client

    with pytest.raises(ValueError, match="Could not login"):
        Client(auth_server.url, auth=credentials, verbose=False)
    login = httpx.post(
        auth_server.url + "login", data={"username": credentials[0], "password": credentials[1]}, timeout=10
    )
    # 422: an empty field; 429: this address has failed too often (assistant.ui.guard), not even checked
    assert login.status_code in (400, 401, 403, 422, 429), login.text
    assert not login.cookies, "a refused login set a cookie"


def test_a_malformed_auth_setting_stops_the_app_with_a_message(
    base_index: tuple[Path, Path], tmp_path: Path
) -> None:
    index_dir, documents = copy_of(base_index, tmp_path)
    log = tmp_path / "app.log"
    proc = app_server.spawn(index_dir, app_server.free_port(), log, documents, {"ASSISTANT_AUTH": "no-password"})
    try:
        code = proc.wait(timeout=120)
    finally:
        app_server.stop(proc)
    assert code != 0
    assert "ASSISTANT_AUTH must look like user:password" in log.read_text(encoding="utf-8", errors="replace")


# -- (c) an ingest while the app answers -----------------------------------------------------------------
NEW_SOURCE = "ke_hoach_an_toan_hoa_chat.txt"
LEADS_SOURCE = "002_cedae3f06a4f5a7c.txt"  # the document that answers LEADS
NEW_QUESTION = "Đơn vị nào chủ trì kiểm tra an toàn kho chứa hóa chất nguy hiểm?"
NEW_LEAD = "Cục Hóa chất"


def new_document() -> str:
    """A plan with one assignment and enough other paragraphs to make several chunks."""
    paragraphs = ["KẾ HOẠCH BẢO ĐẢM AN TOÀN HÓA CHẤT NĂM 2025", ""]
    provinces = ["Hà Nam", "Nam Định", "Thái Bình", "Ninh Bình", "Hưng Yên", "Hải Dương", "Bắc Ninh", "Vĩnh Phúc"]
    for i, province in enumerate(provinces * 3, start=1):
        paragraphs.append(
            f"{i}. Sở Công Thương tỉnh {province} tổng hợp số liệu về cơ sở sản xuất, kinh doanh hóa chất trên địa bàn, "
            f"đánh giá nguy cơ sự cố và báo cáo kết quả thực hiện trước ngày {i} tháng 11 năm 2025."
        )
    paragraphs.append(
        "Cục Hóa chất chủ trì, phối hợp với Cục Quản lý thị trường và Sở Công Thương các tỉnh kiểm tra an toàn "
        "kho chứa hóa chất nguy hiểm."
    )
    return "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def ingest_server(base_index: tuple[Path, Path], tmp_path: Path) -> Iterator[app_server.AppServer]:
    index_dir, documents = copy_of(base_index, tmp_path)
    with app_server.running_app(tmp_path, documents, index_dir) as running:
        yield running


@pytest.mark.parametrize("change", ["added", "updated"])
def test_an_ingest_while_answering_loses_no_answer(
    ingest_server: app_server.AppServer, tmp_path: Path, change: str
) -> None:
    """added: a new document is ingested. updated: the document that answers the questions being asked
    gets a new paragraph, so the ingest replaces its chunks (and deletes the old ones) under the app."""
    from gradio_client import Client

    documents = tmp_path / "documents"
    clients = [Client(ingest_server.url, verbose=False) for _ in range(2)]
    before = ask(clients[0], NEW_QUESTION)
    assert not same_unit(before["lead"], NEW_LEAD)  # not ingested yet

    if change == "added":
        source = NEW_SOURCE
        (documents / source).write_text(new_document(), encoding="utf-8")
    else:
        source = LEADS_SOURCE
        with (documents / source).open("a", encoding="utf-8") as f:
            f.write("\n\n" + new_document().split("\n\n")[-1])
    ingest = subprocess.Popen(
        app_server.ingest_command(ingest_server.index_dir, documents), cwd=app_server.ROOT, env=app_server.offline_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    results: list[tuple[str, str, dict[str, Any] | BaseException, bool]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 300

    def asker(client: Any, offset: int) -> None:
        """Ask the lead questions in turn until the ingest is over and at least 5 were asked (by each client)."""
        n = 0
        while time.monotonic() < deadline and (ingest.poll() is None or n < 5):
            question, lead = LEADS[(offset + n) % len(LEADS)]
            during = ingest.poll() is None
            try:
                outcome: dict[str, Any] | BaseException = ask(client, question)
            except Exception as exc:
                outcome = exc
            with lock:
                results.append((question, lead, outcome, during and ingest.poll() is None))
            n += 1

    try:
        threads = [threading.Thread(target=asker, args=(c, i)) for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(330)
        _, err = ingest.communicate(timeout=60)
    finally:
        if ingest.poll() is None:
            app_server.stop(ingest)  # type: ignore[arg-type]
    assert ingest.returncode == 0, err[-2000:]

    failures = [(q, lead, r) for q, lead, r, _ in results if isinstance(r, BaseException)]
    assert failures == [], f"questions that failed during the ingest: {failures}"
    wrong = [(q, lead, r["lead"]) for q, lead, r, _ in results if not isinstance(r, BaseException)
             and not (r["answered"] and same_unit(r["lead"], lead) and r["citations"])]
    assert wrong == [], f"wrong answers during the ingest: {wrong}"
    overlapped = sum(1 for *_, during in results if during)
    assert overlapped >= 10, f"only {overlapped} of {len(results)} questions were asked while the ingest ran"
    print(f"{overlapped} of {len(results)} questions answered while the ingest ran")
    assert ingest_server.proc.poll() is None, "the app died"

    # after the ingest the app still answers, with fresh clients too
    fresh = Client(ingest_server.url, verbose=False)
    for question, lead in LEADS:
        result = ask(fresh, question)
        assert result["answered"] and same_unit(result["lead"], lead), result
    # and the index holds the new document, whole: a new process answers from it
    cli = subprocess.run(
        [app_server.python(), "-m", "assistant", "--index", str(ingest_server.index_dir), "ask", NEW_QUESTION, "--json"],
        cwd=app_server.ROOT, env=app_server.offline_env(), capture_output=True, text=True, timeout=300,
    )
    assert cli.returncode == 0, cli.stderr[-2000:]
    data = json.loads(cli.stdout)
    assert same_unit((data["lead"] or "")[: len(NEW_LEAD)], NEW_LEAD), data["answer"]
    assert data["citations"][0]["source"] == source
    assert "Traceback" not in ingest_server.log()
