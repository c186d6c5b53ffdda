"""Soak benchmark: many questions from many concurrent clients to the running browser app, on loopback.

Starts `python app.py` as a real process on a free 127.0.0.1 port (a temporary copy of documents/ is
ingested first, unless --index names an existing index), then 20 client threads, each with its own
gradio_client.Client, ask the app's `/ask` API: first a warm-up (50 questions by default), then the
measured run (500 questions by default). Questions are the single-turn questions of the dev set
(eval/dev/questions.dev.jsonl) and eval/questions.jsonl, cycled.

Reports errors, p50/p95/max latency (client side, per request), throughput, and the app process's
resident memory (VmRSS of /proc/<pid>/status) after the warm-up, at the end and at its peak, with the
growth in %. Targets (issue 6): 0 errors, p95 < 1 s, memory growth after warm-up < 10%.
It also shows the answer time measured inside the app and the CPU used by the app and by the clients:
gradio_client is costly (polling threads per job, all under one GIL), so on a small machine the
clients themselves can be the bottleneck; `--client http` uses gradio's plain HTTP call API instead
(`--client http-fresh`: a new session per question, which gradio keeps in memory, up to 10,000 sessions).

    .venv/bin/python benchmarks/soak.py
    .venv/bin/python benchmarks/soak.py --client http
    .venv/bin/python benchmarks/soak.py --questions 100 --clients 5 --json soak.json
    .venv/bin/python benchmarks/soak.py --index .index       # reuse an existing index

Exits 0 when every target is met, 1 otherwise. The run is bounded by --max-seconds: clients take no new
question after it, and a single request is abandoned after --request-timeout seconds (counted as an error).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import app_server  # noqa: E402

DEFAULT_QUESTION_FILES = (ROOT / "eval" / "dev" / "questions.dev.jsonl", ROOT / "eval" / "questions.jsonl")

logger = logging.getLogger("soak")


def load_questions(paths: list[Path]) -> list[str]:
    """The single-turn questions (records with a "question" and no "turns") of the given JSONL files."""
    questions: list[str] = []
    for path in paths:
        if not path.exists():
            logger.warning("question file %s not found: skipped", path)
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("turns") or not isinstance(record.get("question"), str):
                continue
            questions.append(record["question"])
    return questions


def rss_kib(pid: int) -> int:
    """Resident set size of a process in KiB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (and its waited-for children), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))  # ceil(n * pct / 100)
    return ordered[int(rank) - 1]


@dataclass
class Phase:
    """What one batch of questions gave."""

    name: str
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)  # the answer's own latency_ms, inside the app
    errors: list[str] = field(default_factory=list)
    answered: int = 0
    wall_s: float = 0.0
    not_sent: int = 0  # left when --max-seconds ran out
    app_cpu_s: float = 0.0
    client_cpu_s: float = 0.0  # this process: the load generator's own cost

    def summary(self) -> dict[str, Any]:
        lat = self.latencies or [float("nan")]
        return {
            "phase": self.name, "sent": self.sent, "ok": len(self.latencies), "errors": len(self.errors),
            "not_sent": self.not_sent, "answered": self.answered, "wall_s": round(self.wall_s, 2),
            "throughput_qps": round(len(self.latencies) / self.wall_s, 1) if self.wall_s else 0.0,
            "p50_ms": round(statistics.median(lat) * 1000, 1), "p95_ms": round(percentile(lat, 95) * 1000, 1),
            "max_ms": round(max(lat) * 1000, 1),
            "server_p50_ms": round(statistics.median(self.server_ms), 1) if self.server_ms else None,
            "server_p95_ms": round(percentile(self.server_ms, 95), 1) if self.server_ms else None,
            "app_cpu_ms_per_question": round(self.app_cpu_s * 1000 / len(self.latencies), 1) if self.latencies else None,
            "app_cpu_util_pct": round(self.app_cpu_s / self.wall_s * 100, 1) if self.wall_s else None,
            "client_cpu_util_pct": round(self.client_cpu_s / self.wall_s * 100, 1) if self.wall_s else None,
            "first_errors": self.errors[:5],
        }


class GradioAsker:
    """One gradio_client.Client: the way a Python user of the app's API calls it."""

    def __init__(self, url: str, timeout: float) -> None:
        from gradio_client import Client

        self.timeout = timeout
        self.client = Client(url, verbose=False)

    def ask(self, question: str) -> Any:
        job = self.client.submit(question, api_name="/ask")
        try:
            return job.result(timeout=self.timeout)
        except TimeoutError:
            job.cancel()
            raise

    def close(self) -> None:
        self.client.close()


class HttpAsker:
    """Gradio's documented HTTP call API (POST /gradio_api/call/ask, then read the event stream) with one
    httpx.Client: a light load generator, to tell the app's latency from gradio_client's own cost.
    One session per client, like gradio_client; fresh_sessions=True leaves the session to the app, which
    then makes a new one per call (as plain curl users of the API do)."""

    def __init__(self, url: str, timeout: float, fresh_sessions: bool = False) -> None:
        import httpx

        self.base = url.rstrip("/") + "/gradio_api/call/ask"
        self.client = httpx.Client(timeout=timeout)
        self.session_hash = None if fresh_sessions else uuid.uuid4().hex[:11]

    def ask(self, question: str) -> Any:
        body: dict[str, Any] = {"data": [question]}
        if self.session_hash:
            body["session_hash"] = self.session_hash
        posted = self.client.post(self.base, json=body)
        posted.raise_for_status()
        event_id = posted.json()["event_id"]
        event = None
        with self.client.stream("GET", f"{self.base}/{event_id}") as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.removeprefix("event:").strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    data = line.removeprefix("data:").strip()
                    if event == "error":
                        raise RuntimeError(f"the app answered with an error: {data[:200]}")
                    return json.loads(data)[0]
        raise RuntimeError(f"the event stream ended without a result (last event {event!r})")

    def close(self) -> None:
        self.client.close()


def make_asker(kind: str, url: str, timeout: float) -> GradioAsker | HttpAsker:
    if kind == "gradio":
        return GradioAsker(url, timeout)
    return HttpAsker(url, timeout, fresh_sessions=kind == "http-fresh")


CLIENT_KINDS = ("gradio", "http", "http-fresh")


class Soak:
    """A pool of client threads, one client each (gradio_client by default), that work through a list of questions."""

    def __init__(self, url: str, pid: int, clients: int, request_timeout: float, kind: str = "gradio") -> None:
        self.pid, self.request_timeout = pid, request_timeout
        self.clients = [make_asker(kind, url, request_timeout) for _ in range(clients)]

    def run(self, phase: Phase, questions: list[str], deadline: float) -> Phase:
        lock = threading.Lock()
        todo = iter(range(len(questions)))

        def next_question() -> str | None:
            with lock:
                if time.monotonic() >= deadline:
                    return None
                i = next(todo, None)
                if i is None:
                    return None
                phase.sent += 1
                return questions[i]

        def worker(client: GradioAsker | HttpAsker) -> None:
            while (question := next_question()) is not None:
                started = time.perf_counter()
                try:
                    result = client.ask(question)
                    seconds = time.perf_counter() - started
                    if not isinstance(result, dict) or "answered" not in result:
                        raise TypeError(f"unexpected result: {str(result)[:200]}")
                except Exception as exc:
                    with lock:
                        phase.errors.append(f"{type(exc).__name__}: {str(exc)[:200]} (question {question[:60]!r})")
                    continue
                with lock:
                    phase.latencies.append(seconds)
                    phase.answered += bool(result.get("answered"))
                    if isinstance(result.get("latency_ms"), int | float):
                        phase.server_ms.append(float(result["latency_ms"]))

        started, cpu_started, own_started = time.perf_counter(), cpu_seconds(self.pid), time.process_time()
        threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in self.clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()) + self.request_timeout + 5)
        phase.wall_s = time.perf_counter() - started
        phase.app_cpu_s = cpu_seconds(self.pid) - cpu_started
        phase.client_cpu_s = time.process_time() - own_started
        phase.not_sent = len(questions) - phase.sent
        return phase

    def close(self) -> None:
        for client in self.clients:
            try:
                client.close()
            except Exception:  # closing is best effort; the app is stopped next anyway
                logger.debug("closing a client failed", exc_info=True)


class RssSampler(threading.Thread):
    """Samples the app's RSS every `every` seconds to report the peak."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kib = pid, every, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
            except (OSError, RuntimeError):
                return
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(2)


def cycle(questions: list[str], n: int, start: int = 0) -> list[str]:
    return [questions[(start + i) % len(questions)] for i in range(n)]


def soak(args: argparse.Namespace, work_dir: Path) -> dict[str, Any]:
    questions = load_questions(args.question_file or list(DEFAULT_QUESTION_FILES))
    if not questions:
        raise SystemExit("no single-turn questions found")
    index_dir = args.index.resolve() if args.index else None
    with app_server.running_app(work_dir, index_dir=index_dir) as server:
        pid = server.proc.pid
        rss_start = rss_kib(pid)
        logger.info("app pid %d on %s (RSS %.1f MiB); %d distinct questions", pid, server.url, rss_start / 1024,
                    len(set(questions)))
        deadline = time.monotonic() + args.max_seconds
        pool = Soak(server.url, pid, args.clients, args.request_timeout, args.client)
        sampler = RssSampler(pid)
        sampler.start()
        try:
            warm = pool.run(Phase("warm-up"), cycle(questions, args.warmup), deadline)
            time.sleep(args.settle)
            rss_warm = rss_kib(pid)
            logger.info("warm-up: %d questions, RSS %.1f MiB", len(warm.latencies), rss_warm / 1024)
            main = pool.run(Phase("measured"), cycle(questions, args.questions, args.warmup), deadline)
            time.sleep(args.settle)
            rss_end = rss_kib(pid)
        finally:
            sampler.stop()
            pool.close()
        alive = server.proc.poll() is None
    growth = (rss_end - rss_warm) / rss_warm * 100
    result = {
        "clients": args.clients, "client": args.client, "warmup": warm.summary(), "measured": main.summary(),
        "rss_mib": {"start": round(rss_start / 1024, 1), "after_warmup": round(rss_warm / 1024, 1),
                    "end": round(rss_end / 1024, 1), "peak": round(sampler.peak_kib / 1024, 1)},
        "rss_growth_pct": round(growth, 2), "app_alive_at_end": alive,
    }
    m = result["measured"]
    errors = m["errors"] + m["not_sent"] + result["warmup"]["errors"] + result["warmup"]["not_sent"]
    result["targets"] = {
        "errors == 0": errors == 0,
        f"p95 < {args.p95_target:g} s": m["p95_ms"] < args.p95_target * 1000,
        f"RSS growth < {args.growth_target:g}%": growth < args.growth_target,
        "app alive": alive,
    }
    result["ok"] = all(result["targets"].values())
    return result


def report(result: dict[str, Any]) -> str:
    lines = []
    for key in ("warmup", "measured"):
        p = result[key]
        lines.append(
            f"{p['phase']:>9}: {p['ok']}/{p['sent']} ok, {p['errors']} errors, {p['not_sent']} not sent (time bound), "
            f"{p['answered']} answered; p50 {p['p50_ms']:.0f} ms, p95 {p['p95_ms']:.0f} ms, max {p['max_ms']:.0f} ms; "
            f"{p['throughput_qps']} q/s over {p['wall_s']} s"
        )
        lines.append(
            f"           inside the app: answer p50 {p['server_p50_ms']} ms, p95 {p['server_p95_ms']} ms; "
            f"app CPU {p['app_cpu_ms_per_question']} ms per question ({p['app_cpu_util_pct']}% of one core); "
            f"clients' CPU {p['client_cpu_util_pct']}% of one core"
        )
        lines.extend(f"           error: {e}" for e in p["first_errors"])
    r = result["rss_mib"]
    lines.append(
        f"app RSS: {r['start']} MiB at start, {r['after_warmup']} MiB after warm-up, {r['end']} MiB at the end "
        f"(growth {result['rss_growth_pct']:+.1f}%), peak {r['peak']} MiB"
    )
    lines.append("targets: " + ", ".join(f"{name} {'✔' if ok else '✘'}" for name, ok in result["targets"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="soak.py", description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--questions", type=int, default=500, help="measured questions (default 500)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients, one thread each (default 20)")
    parser.add_argument("--client", choices=CLIENT_KINDS, default="http",
                        help="http (default): gradio's HTTP call API with httpx, one session per thread; gradio: one "
                        "gradio_client.Client per thread (its polling threads take about a core of this 2-core "
                        "machine from the app); http-fresh: a new session per question, as curl users of the API make")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up questions before the baseline RSS (default 50)")
    parser.add_argument("--max-seconds", type=float, default=600.0,
                        help="time bound of warm-up plus measured run: no new question after it (default 600)")
    parser.add_argument("--request-timeout", type=float, default=60.0,
                        help="a request slower than this is abandoned and counted as an error (default 60)")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds to wait before reading RSS (default 1)")
    parser.add_argument("--index", type=Path, default=None,
                        help="existing index to serve (default: ingest a temporary copy of documents/)")
    parser.add_argument("--question-file", type=Path, action="append",
                        help="JSONL question file (repeatable; default: the shared dev set and eval/questions.jsonl)")
    parser.add_argument("--p95-target", type=float, default=1.0, help="p95 latency target in seconds (default 1)")
    parser.add_argument("--growth-target", type=float, default=10.0, help="RSS growth target in %% (default 10)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    if args.questions < 1 or args.clients < 1 or args.warmup < 0:
        parser.error("--questions and --clients must be >= 1, --warmup >= 0")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for noisy in ("httpx", "httpcore", "gradio_client"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        result = soak(args, Path(tmp))
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if result["ok"] else 1


__all__ = ["Phase", "load_questions", "main", "percentile", "rss_kib"]

if __name__ == "__main__":
    sys.exit(main())
