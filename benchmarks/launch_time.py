"""Launch time of the browser app: from spawning `python app.py` (existing index) to the first answer
through its API (gradio_client).

    .venv/bin/python benchmarks/launch_time.py                 # uses ASSISTANT_INDEX_DIR or .index
    .venv/bin/python benchmarks/launch_time.py --ingest        # builds a fresh index of documents/ first (not timed)
    .venv/bin/python benchmarks/launch_time.py --runs 3 --budget 15

Prints the seconds of each run; exits 1 when the median exceeds --budget.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import app_server  # noqa: E402

QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"
EXPECTED_LEAD = "Cục Công nghiệp"

logger = logging.getLogger("launch_time")


def first_answer(url: str, deadline: float) -> dict[str, object]:
    """Ask through gradio_client as soon as the server lets us; retry until deadline (monotonic)."""
    from gradio_client import Client

    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            client = Client(url, verbose=False)
            result: dict[str, object] = client.predict(QUESTION, api_name="/ask")
            return result
        except Exception as exc:  # not up yet: connection refused, config not served, ...
            last = exc
            time.sleep(0.1)
    raise TimeoutError(f"no answer from {url} before the deadline: {last}")


def measure(index_dir: Path, work_dir: Path, timeout: float) -> float:
    port = app_server.free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    proc = app_server.spawn(index_dir, port, work_dir / f"app-{port}.log")
    try:
        app_server.wait_for_port(url, proc, timeout)
        result = first_answer(url, started + timeout)
        seconds = time.monotonic() - started
    finally:
        app_server.stop(proc)
    if result.get("lead") != EXPECTED_LEAD:
        raise RuntimeError(f"unexpected answer: {result.get('lead')!r} (expected {EXPECTED_LEAD!r})")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=Path(os.environ.get("ASSISTANT_INDEX_DIR", ROOT / ".index")),
                        help="existing index folder (default: ASSISTANT_INDEX_DIR or .index)")
    parser.add_argument("--ingest", action="store_true", help="ingest documents/ into a temporary index first (not timed)")
    parser.add_argument("--runs", type=int, default=1, help="number of launches (default 1)")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds allowed for the median (default 15)")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up on one launch after this many seconds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="launch-time-") as tmp:
        work_dir = Path(tmp)
        index_dir = args.index.resolve()
        if args.ingest:
            index_dir = work_dir / "index"
            app_server.ingest(index_dir)
        elif not index_dir.is_dir():
            parser.error(f"no index at {index_dir}: run `assistant ingest` first or pass --ingest")
        times = []
        for run in range(1, args.runs + 1):
            seconds = measure(index_dir, work_dir, args.timeout)
            times.append(seconds)
            print(f"run {run}: {seconds:.2f} s from `python app.py` to the first answer")
    median = statistics.median(times)
    verdict = "within" if median <= args.budget else "OVER"
    print(f"launch time: median {median:.2f} s over {len(times)} run(s) ({verdict} the {args.budget:.0f} s budget)")
    return 0 if median <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
