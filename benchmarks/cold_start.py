"""Cold start of the CLI: how long one `assistant ask` takes from a fresh process, and what it is made of.

usage: python benchmarks/cold_start.py [--root DIR] [--runs N] [--questions K]

Ingests documents/ into a temporary index with the CLI of --root (default: this repository; give
another checkout to compare two versions in one run, e.g. a clone of an older commit), then runs in
fresh processes, --runs times each, and prints the medians:
- `python -c pass`: the interpreter alone;
- `python -c "import assistant.service"`: the imports an answer needs;
- `python -m assistant ask Q`: one answer, from start to exit;
- `python -m assistant chat` with K questions on its input (when --root has the command): one load,
  K answers; its time per question is what a person in the terminal waits after the first.
Compare figures only as ratios within one run: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?",
    "Còn những đơn vị nào phối hợp?",
    "Ai làm đầu mối thu hút nguồn nhân lực chất lượng cao cho Hải Phòng?",
    "Vụ Kế hoạch làm đầu mối việc gì?",
    "Đơn vị nào chủ trì đề xuất cơ chế hỗ trợ phát triển trung tâm logistics?",
]


def _env(index_dir: Path) -> dict[str, str]:
    return {**os.environ, "ASSISTANT_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False"}


def _timed(args: list[str], root: Path, env: dict[str, str], stdin: str | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=root, env=env, input=stdin, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed ({done.returncode}): {done.stderr[-1000:]}")
    return elapsed


def _has_chat(python: str, root: Path, env: dict[str, str]) -> bool:
    done = subprocess.run([python, "-m", "assistant", "chat", "--help"], cwd=root, env=env, capture_output=True, text=True)
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", action="append", help="repository whose CLI is measured (default: this one); "
                        "repeat to compare checkouts, measured in alternation")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (median reported)")
    parser.add_argument("--questions", type=int, default=5, help="questions asked in one chat session")
    args = parser.parse_args()
    roots = [Path(r).resolve() for r in (args.root or [str(ROOT)])]
    python = sys.executable
    asked = "\n".join((QUESTIONS * args.questions)[: args.questions]) + "\n"
    with tempfile.TemporaryDirectory(prefix="cold-start-") as tmp:
        envs = {root: _env(Path(tmp) / f"index-{i}") for i, root in enumerate(roots)}
        for root in roots:
            _timed([python, "-m", "assistant", "ingest", "--quiet", "--documents", str(root / "documents")], root,
                   envs[root])
        measures = {
            "python -c pass": ([python, "-c", "pass"], None),
            "import assistant.service": ([python, "-c", "import assistant.service"], None),
            "assistant ask (one answer)": ([python, "-m", "assistant", "ask", QUESTIONS[0]], None),
            f"assistant chat ({args.questions} answers)": ([python, "-m", "assistant", "chat"], asked),
        }
        chat_ok = {root: _has_chat(python, root, envs[root]) for root in roots}
        times: dict[tuple[str, Path], list[float]] = {}
        for name, (command, stdin) in measures.items():
            for run in range(args.runs + 1):  # the first round warms the file cache
                for root in roots:
                    if stdin is not None and not chat_ok[root]:
                        continue
                    elapsed = _timed(command, root, envs[root], stdin)
                    if run:
                        times.setdefault((name, root), []).append(elapsed)
    width = max(len(name) for name in measures)
    print(f"{'':{width}}  " + "  ".join(f"{str(root)[-28:]:>28}" for root in roots))
    for name in measures:
        cells = []
        for root in roots:
            values = times.get((name, root))
            cells.append(f"{statistics.median(values):27.2f}s" if values else f"{'—':>28}")
        print(f"{name.ljust(width)}  " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
