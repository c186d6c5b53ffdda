"""Question sets, the scoring rules of eval/README.md, and the evaluation runner.

Multi-turn items ({"id", "turns": [...]}) are asked in one conversation and
each turn is scored as its own question "<id>#<n>" (see eval/README.md).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.types import Answer
from index.textnorm import fold_tones

KINDS = ("lead", "partners", "fact", "tasks_of", "none", "retrieval")


def contains(hay: str | None, needle: str | None) -> bool:
    return fold_tones(needle or "") in fold_tones(hay or "")


@dataclass
class Conversation:
    id: str
    turns: list[dict[str, Any]]  # each a question dict with its own "id"


def load_questions(path: Path) -> list[Conversation]:
    """A question set as conversations (a single question is a one-turn conversation)."""
    items: list[Conversation] = []
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: not valid JSON ({exc.msg})") from exc
            if "turns" in item:
                turns = [dict(t, id=f"{item['id']}#{i}") for i, t in enumerate(item["turns"], 1)]
                items.append(Conversation(str(item["id"]), turns))
            elif "question" in item and "id" in item:
                items.append(Conversation(str(item["id"]), [item]))
            else:
                raise ValueError(f"{path}:{line_no}: needs 'id' and 'question' (or 'turns')")
    return items


def flat_questions(conversations: Iterable[Conversation]) -> list[dict[str, Any]]:
    return [t for c in conversations for t in c.turns]


def grade(q: dict[str, Any], r: dict[str, Any]) -> dict[str, bool | None]:
    """Per-question verdicts: correct, partners_ok, false_answer, citation_ok, rank."""
    kind = q["kind"]
    answered = bool(r.get("answered"))
    ans, lead = r.get("answer") or "", r.get("lead") or ""
    partners = r.get("partners") or []
    out: dict[str, Any] = {"correct": None, "partners_ok": None, "false_answer": None, "citation_ok": None, "rank": None}
    if kind == "none":
        out["correct"] = not answered
        return out
    if kind == "lead":
        ok = answered and len(lead) <= 80 and any(contains(lead, a) for a in q["answer"])
        if q.get("partners"):
            out["partners_ok"] = all(any(contains(p, g) for p in partners) for g in q["partners"]) and len(
                partners
            ) <= len(q["partners"]) + 2
    elif kind == "partners":
        ok_list = all(any(contains(p, g) for p in partners) for g in q["answer"]) and len(partners) <= len(q["answer"]) + 2
        ok = answered and (ok_list or (len(ans) <= 600 and all(contains(ans, g) for g in q["answer"])))
        out["partners_ok"] = ok
    elif kind in ("fact", "tasks_of"):
        ok = answered and len(ans) <= 600 and all(contains(ans, g) for g in q["answer"])
    else:
        ok = None
    if kind != "retrieval":
        out["correct"] = ok
        out["false_answer"] = answered and not ok
        cites = (r.get("citations") or [])[:5]
        out["citation_ok"] = any(contains(c.get("text", ""), q["evidence"]) for c in cites)
    got = (r.get("retrieved") or [])[:10]
    if kind == "retrieval":
        out["rank"] = next((i + 1 for i, x in enumerate(got) if str(x.get("source", "")).endswith(q["source"])), None)
    else:
        out["rank"] = next((i + 1 for i, x in enumerate(got) if contains(x.get("text", ""), q["evidence"])), None)
    return out


def _mean(xs: Sequence[bool | float]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def score(questions: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The metrics of eval/README.md (agrees with the reference scorer: see tests/test_scorer.py)."""
    by_id = {r.get("id"): r for r in records}
    buckets: dict[str, list[Any]] = {k: [] for k in ("lead", "partners", "fact", "none", "citation", "false", "rr")}
    hits: dict[int, list[bool]] = {1: [], 3: [], 5: []}
    latencies = [float(r["latency_ms"]) for r in records if r.get("latency_ms") is not None]
    missing = 0
    for q in questions:
        r = by_id.get(q["id"])
        if r is None:
            missing += 1
            r = {}
        g = grade(q, r)
        kind = q["kind"]
        if kind == "none":
            buckets["none"].append(g["correct"])
            continue
        if kind == "lead":
            buckets["lead"].append(g["correct"])
            if g["partners_ok"] is not None:
                buckets["partners"].append(g["partners_ok"])
        elif kind == "partners":
            buckets["partners"].append(g["partners_ok"])
        elif kind in ("fact", "tasks_of"):
            buckets["fact"].append(g["correct"])
        if kind != "retrieval":
            buckets["false"].append(g["false_answer"])
            buckets["citation"].append(g["citation_ok"])
        rank = g["rank"]
        for k in hits:
            hits[k].append(rank is not None and rank <= k)
        buckets["rr"].append(1.0 / rank if rank else 0.0)
    return {
        "n": len(questions),
        "missing_records": missing,
        "lead_accuracy": _mean(buckets["lead"]),
        "partners_accuracy": _mean(buckets["partners"]),
        "fact_accuracy": _mean(buckets["fact"]),
        "abstention": _mean(buckets["none"]),
        "false_answers": _mean(buckets["false"]),
        "citation": _mean(buckets["citation"]),
        "hit@1": _mean(hits[1]),
        "hit@3": _mean(hits[3]),
        "hit@5": _mean(hits[5]),
        "mrr": _mean(buckets["rr"]),
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
    }


def _percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


AskFn = Callable[[str, Sequence[Answer]], Answer]


def run(conversations: Sequence[Conversation], ask: AskFn, on_record: Callable[[dict[str, Any]], None] | None = None
        ) -> list[dict[str, Any]]:
    """Ask every question (turns in order, with history) and return the answer records."""
    records: list[dict[str, Any]] = []
    for conv in conversations:
        history: list[Answer] = []
        for turn in conv.turns:
            answer = ask(turn["question"], history)
            history.append(answer)
            record = {"id": turn["id"], **answer.to_json()}
            records.append(record)
            if on_record:
                on_record(record)
    return records


METRIC_ROWS = (
    ("lead_accuracy", "lead accuracy"), ("partners_accuracy", "partners"), ("fact_accuracy", "fact / tasks_of"),
    ("abstention", "abstention (none)"), ("false_answers", "false answers"), ("citation", "citation correct"),
    ("hit@1", "hit@1"), ("hit@3", "hit@3"), ("hit@5", "hit@5"), ("mrr", "MRR"),
    ("latency_p50_ms", "latency p50 (ms)"), ("latency_p95_ms", "latency p95 (ms)"),
)


def format_table(columns: dict[str, dict[str, Any]]) -> str:
    """A plain-text table: one row per metric, one column per variant."""
    names = list(columns)
    width = max(len(label) for _, label in METRIC_ROWS) + 2
    lines = ["metric".ljust(width) + "".join(n.rjust(12) for n in names)]
    for key, label in METRIC_ROWS:
        cells = []
        for n in names:
            v = columns[n].get(key)
            cells.append(("—" if v is None else (f"{v:.3f}" if isinstance(v, float) and "latency" not in key else str(v))).rjust(12))
        lines.append(label.ljust(width) + "".join(cells))
    return "\n".join(lines)
