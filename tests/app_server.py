"""Helpers for tests and benchmarks that need the real app: ingest into a temp index with the CLI,
start `python app.py` as a subprocess on a free port, wait for it, stop it.

Imported by tests/test_browser.py, tests/test_concurrency.py, tests/test_access.py, tests/test_edge.py,
tests/test_index_lock.py, tests/test_concurrent_ingest.py, benchmarks/launch_time.py, benchmarks/soak.py and
benchmarks/concurrent_ingest.py.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
DOCUMENTS = ROOT / "documents"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
START_TIMEOUT_S = 120.0


def python() -> str:
    return str(PYTHON if PYTHON.exists() else Path(sys.executable))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def offline_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False",
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
    })
    env.pop("ASSISTANT_AUTH", None)
    env.update(extra)
    return env


def ingest_command(index_dir: Path, documents: Path = DOCUMENTS) -> list[str]:
    """The real CLI's ingest of documents into index_dir, as an argument list (run it with cwd=ROOT, env=offline_env())."""
    return [python(), "-m", "assistant", "--index", str(index_dir), "ingest", "--documents", str(documents), "--quiet"]


def ingest(index_dir: Path, documents: Path = DOCUMENTS) -> None:
    """Ingest documents into index_dir through the real CLI."""
    cmd = ingest_command(index_dir, documents)
    done = subprocess.run(cmd, cwd=ROOT, env=offline_env(), capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")


def ingested_seed_copy(work: Path) -> tuple[Path, Path]:
    """A copy of the seed documents in work/documents, ingested by the real CLI into work/index."""
    documents, index_dir = work / "documents", work / "index"
    shutil.copytree(DOCUMENTS, documents)
    ingest(index_dir, documents)
    return index_dir, documents


def wait_for_port(url: str, proc: subprocess.Popen[bytes], timeout: float = START_TIMEOUT_S) -> float:
    """Seconds until url answers HTTP 200; raises if the process dies or the time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class AppServer:
    url: str
    port: int
    index_dir: Path
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def spawn(
    index_dir: Path, port: int, log_path: Path, documents_dir: Path | None = None,
    extra_env: Mapping[str, str | None] | None = None,
) -> subprocess.Popen[bytes]:
    """Start `python app.py`. extra_env overrides the environment; a None value removes the variable
    (e.g. {"ASSISTANT_HOST": None} to run with the default host, {"ASSISTANT_AUTH": "u:p"} for a login)."""
    extra = {"ASSISTANT_INDEX_DIR": str(index_dir), "ASSISTANT_PORT": str(port), "ASSISTANT_HOST": "127.0.0.1"}
    if documents_dir is not None:
        extra["ASSISTANT_DOCUMENTS_DIR"] = str(documents_dir)
    env = offline_env(**extra)
    for key, value in (extra_env or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [python(), "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the app (its own process group, which this module created)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@contextmanager
def running_app(
    work_dir: Path, documents_dir: Path | None = None, index_dir: Path | None = None,
    extra_env: Mapping[str, str | None] | None = None,
) -> Iterator[AppServer]:
    """Ingest a copy of the documents (unless index_dir is given), start app.py on a free port,
    yield it once it answers, stop it. Uploads land in the copy, never in the repository's documents/.
    extra_env is passed to spawn()."""
    if documents_dir is None:
        documents_dir = work_dir / "documents"
        shutil.copytree(DOCUMENTS, documents_dir, dirs_exist_ok=True)
    if index_dir is None:
        index_dir = work_dir / "index"
        ingest(index_dir, documents_dir)
    port = free_port()
    log_path = work_dir / "app.log"
    proc = spawn(index_dir, port, log_path, documents_dir, extra_env)
    url = f"http://127.0.0.1:{port}/"
    server = AppServer(url, port, index_dir, proc, log_path)
    try:
        seconds = wait_for_port(url, proc)
        logger.info("app answered on %s after %.1f s", url, seconds)
        yield server
    except BaseException:
        logger.error("app log:\n%s", server.log()[-4000:])
        raise
    finally:
        stop(proc)


PROVINCES = ["Hà Nam", "Nam Định", "Thái Bình", "Ninh Bình", "Hưng Yên", "Hải Dương", "Bắc Ninh", "Vĩnh Phúc",
             "Phú Thọ", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Hòa Bình", "Sơn La", "Lào Cai"]
TOPICS = ["an toàn hóa chất", "tiết kiệm năng lượng", "xuất khẩu nông sản", "thương mại điện tử",
          "phòng chống hàng giả", "phát triển cụm công nghiệp", "quản lý chợ biên giới", "điện mặt trời mái nhà"]


def plan_document(paragraphs: int, title: str = "KẾ HOẠCH TRIỂN KHAI NĂM 2025", variant: int = 0) -> str:
    """A generated plan of `paragraphs` distinct paragraphs (index.chunker puts one or two in a chunk), for tests
    and benchmarks that need many changed chunks. variant changes every paragraph (a new version of the plan)."""
    lines = [title, ""]
    for i in range(1, paragraphs + 1):
        province, topic = PROVINCES[i % len(PROVINCES)], TOPICS[(i // len(PROVINCES)) % len(TOPICS)]
        lines.append(
            f"{i}. Sở Công Thương tỉnh {province} tổng hợp số liệu về {topic} trên địa bàn (đợt {variant + 1}), "
            f"đánh giá kết quả thực hiện chỉ tiêu số {i * 7 + variant} của kế hoạch, đề xuất giải pháp tháo gỡ "
            f"khó khăn cho doanh nghiệp và báo cáo Bộ Công Thương trước ngày {i % 28 + 1} tháng {i % 12 + 1} "
            f"năm {2025 + variant}. Kinh phí dự kiến {i * 13 + variant} triệu đồng, bố trí từ nguồn ngân sách "
            f"địa phương; cán bộ phụ trách lập sổ theo dõi riêng cho nhiệm vụ thứ {i} này."
        )
        lines.append("")
    return "\n".join(lines)
