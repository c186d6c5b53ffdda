"""Warm answer latency over a question set, beside the time of one query embedding, in one run.

usage: python benchmarks/answer_latency.py [--questions FILE] [--rounds N]
Uses the index of ASSISTANT_INDEX_DIR (default .index): run `assistant ingest` first.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", default=str(ROOT / "eval" / "dev" / "questions.dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set (after one warm-up)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    questions = [json.loads(line)["question"] for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
                 if line.strip() and "question" in json.loads(line)]
    assistant = Assistant.from_settings(Settings())
    for q in questions:  # warm-up: caches, lazy imports
        assistant.ask(q)
    answer_ms: list[float] = []
    embed_ms: list[float] = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            answer_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assistant.embed_model.get_query_embedding(q)
            embed_ms.append((time.perf_counter() - t) * 1000)
    p50, p95, embed = statistics.median(answer_ms), percentile(answer_ms, 95), statistics.median(embed_ms)
    print(f"questions: {len(questions)} x {args.rounds} rounds, embedder {assistant.settings.embed_model}")
    print(f"answer latency p50: {p50:.1f} ms")
    print(f"answer latency p95: {p95:.1f} ms")
    print(f"one query embedding (median): {embed:.1f} ms")
    print(f"p50 answer / query embedding: {p50 / embed:.2f} (target <= 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
