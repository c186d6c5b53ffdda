"""The evaluation report: Markdown with the metrics, per-kind figures, every failure, and a PNG chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.scoring import METRIC_ROWS, Conversation, flat_questions, grade, score
from assistant.settings import Settings

CHART_METRICS = ("lead_accuracy", "partners_accuracy", "fact_accuracy", "abstention", "citation", "hit@1", "hit@3", "mrr")


def _cell(value: Any, key: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and "latency" not in key:
        return f"{value:.3f}"
    return str(value)


def markdown_table(columns: dict[str, dict[str, Any]]) -> str:
    names = list(columns)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key, label in METRIC_ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(columns[n].get(key), key) for n in names) + " |")
    return "\n".join(lines)


def write_chart(path: Path, columns: dict[str, dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(columns)
    width = 0.8 / max(1, len(names))
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for i, name in enumerate(names):
        values = [columns[name].get(m) or 0.0 for m in CHART_METRICS]
        ax.bar([x + i * width for x in range(len(CHART_METRICS))], values, width, label=name)
    ax.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(CHART_METRICS))])
    ax.set_xticklabels(CHART_METRICS, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    ax.set_title("Evaluation metrics per variant")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    folder: Path, columns: dict[str, dict[str, Any]], records: Sequence[dict[str, Any]],
    conversations: Sequence[Conversation], settings: Settings, questions_path: Path,
) -> Path:
    """Write report.md and metrics.png into folder; returns the Markdown path."""
    folder.mkdir(parents=True, exist_ok=True)
    questions = flat_questions(conversations)
    by_id = {r["id"]: r for r in records}
    write_chart(folder / "metrics.png", columns)
    kinds = sorted({q["kind"] for q in questions})
    per_kind = {k: score([q for q in questions if q["kind"] == k], records) for k in kinds}
    lines = [
        "# Evaluation report",
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- question file: `{questions_path}` ({len(questions)} questions)",
        f"- documents: `{settings.documents_dir}`",
        f"- embedder: `{settings.embed_model}`",
        f"- index: {'Chroma server ' + settings.chroma_url if settings.chroma_url else 'embedded Chroma'}",
        "",
        "## Metrics",
        "",
        markdown_table(columns),
        "",
        "![metrics](metrics.png)",
        "",
        "## The assistant, per kind of question",
        "",
        markdown_table({k: per_kind[k] for k in kinds}),
        "",
        "## Failures",
        "",
    ]
    failures = 0
    for q in questions:
        r = by_id.get(q["id"], {})
        g = grade(q, r)
        if g["correct"] is False or g["citation_ok"] is False or g["partners_ok"] is False:
            failures += 1
            lines += [
                f"### {q['id']} ({q['kind']})",
                f"- question: {q['question']}",
                f"- expected: {q.get('answer')} partners {q.get('partners') or '—'}; evidence: {q.get('evidence')}",
                f"- got: answered={r.get('answered')} lead={r.get('lead')!r} partners={r.get('partners')}",
                f"- answer: {str(r.get('answer', ''))[:300]}",
                f"- verdict: correct={g['correct']} citation={g['citation_ok']} partners={g['partners_ok']} rank={g['rank']}",
                "",
            ]
    if not failures:
        lines.append("None.")
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
