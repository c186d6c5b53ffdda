"""Concurrent-ingest probe: questions to the running app while another process ingests many changed chunks.

Ingests a temporary copy of documents/ plus --plans generated plan documents (--paragraphs each), starts
`python app.py` on it (tests/app_server.py), then rewrites every plan (all their chunks change) and runs the
CLI's `assistant ingest` in another process while --clients threads ask the app's `/ask` API (gradio's HTTP
call API, one session per thread) lead questions about the seed documents, in turn, until the ingest has
finished. Reports how many questions were asked during the ingest, how many failed (an error or no result)
and how many were answered wrongly, their latency, the ingest's time, and how often the app reloaded.
Target: 0 failed and 0 wrong.

    .venv/bin/python benchmarks/concurrent_ingest.py
    .venv/bin/python benchmarks/concurrent_ingest.py --plans 60 --paragraphs 10 --clients 4 --json probe.json

Exits 0 when the target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import app_server  # noqa: E402
from soak import HttpAsker, percentile  # noqa: E402

from index.textnorm import fold_tones  # noqa: E402

LEADS = [
    ("Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?", "Cục Công nghiệp"),
    ("Ai làm đầu mối xây dựng cơ chế thu hút nguồn nhân lực chất lượng cao cho Hải Phòng?", "Vụ Tổ chức cán bộ"),
    ("Đơn vị nào chủ trì đề xuất cơ chế, chính sách hỗ trợ phát triển trung tâm logistics trên địa bàn Hải Phòng?",
     "Vụ Thị trường trong nước"),
    ("don vi nao chu tri xay dung tieu chi thi diem cho Hai Phong", "Cục Công nghiệp"),
]
logger = logging.getLogger("concurrent_ingest")


def write_plans(documents: Path, plans: int, paragraphs: int, variant: int) -> None:
    for i in range(plans):
        text = app_server.plan_document(paragraphs, f"KẾ HOẠCH SỐ {i + 1}/KH-SCT", variant=variant * 1000 + i)
        (documents / f"ke-hoach-{i + 1:03d}.txt").write_text(text, encoding="utf-8")


def probe(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    documents, index_dir = work / "documents", work / "index"
    shutil.copytree(app_server.DOCUMENTS, documents)
    write_plans(documents, args.plans, args.paragraphs, variant=0)
    app_server.ingest(index_dir, documents)
    with app_server.running_app(work, documents, index_dir) as server:
        clients = [HttpAsker(server.url, args.request_timeout) for _ in range(args.clients)]
        for client in clients:  # warm: the first answer loads what answering needs
            client.ask(LEADS[0][0])
        write_plans(documents, args.plans, args.paragraphs, variant=1)
        started = time.monotonic()
        ingest = subprocess.Popen(
            app_server.ingest_command(index_dir, documents), cwd=app_server.ROOT, env=app_server.offline_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        records: list[dict[str, Any]] = []
        lock = threading.Lock()

        def loop(client: HttpAsker, offset: int) -> None:
            n = 0
            while ingest.poll() is None or n < 3:
                question, lead = LEADS[(offset + n) % len(LEADS)]
                during = ingest.poll() is None
                t0 = time.perf_counter()
                try:
                    result = client.ask(question)
                    error = None if isinstance(result, dict) and "answered" in result else f"bad result {result!r:.100}"
                except Exception as exc:
                    result, error = None, f"{type(exc).__name__}: {str(exc)[:200]}"
                seconds = time.perf_counter() - t0
                right = error is None and fold_tones(result.get("lead") or "") == fold_tones(lead)
                with lock:
                    records.append({"during": during and ingest.poll() is None, "error": error, "right": right,
                                    "seconds": seconds, "question": question})
                n += 1

        threads = [threading.Thread(target=loop, args=(c, i), daemon=True) for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        out, err = ingest.communicate(timeout=args.max_seconds)
        ingest_s = time.monotonic() - started
        for t in threads:
            t.join(args.request_timeout + 5)
        for client in clients:
            client.close()
        reloads = server.log().count("index changed: reloaded")
        alive = server.proc.poll() is None
    during = [r for r in records if r["during"]]
    latencies = [r["seconds"] for r in during] or [float("nan")]
    result = {
        "plans": args.plans, "paragraphs_per_plan": args.paragraphs, "clients": args.clients,
        "ingest": {"returncode": ingest.returncode, "seconds": round(ingest_s, 1), "summary": out.strip()[-200:],
                   "stderr": err.strip()[-500:]},
        "questions": len(records), "during_ingest": len(during),
        "failed": sum(1 for r in records if r["error"]), "wrong": sum(1 for r in records if not r["error"] and not r["right"]),
        "p50_ms_during": round(statistics.median(latencies) * 1000, 1),
        "p95_ms_during": round(percentile(latencies, 95) * 1000, 1),
        "app_reloads": reloads, "app_alive": alive,
        "first_errors": [r["error"] for r in records if r["error"]][:5],
    }
    result["ok"] = (result["failed"] == 0 and result["wrong"] == 0 and ingest.returncode == 0 and alive
                    and len(during) > 0)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="concurrent_ingest.py", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=40, help="generated plan documents, all rewritten (default 40)")
    parser.add_argument("--paragraphs", type=int, default=10,
                        help="paragraphs per plan (default 10: about 5 chunks, 200 changed chunks in all)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients asking (default 4)")
    parser.add_argument("--request-timeout", type=float, default=60.0, help="seconds before a question counts as failed")
    parser.add_argument("--max-seconds", type=float, default=1200.0, help="time bound of the ingest (default 1200)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        result = probe(args, Path(tmp))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
