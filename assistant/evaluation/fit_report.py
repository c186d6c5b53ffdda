"""`assistant fit`: gather the labelled candidates, fit the decision and the assignment filter, report them.

The figures of the report are leave-one-corpus-out: for each corpus, the models fitted on the
others answer its questions (decision) or list its assignments (filter). The saved models are
fitted on everything.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering.decision import MODEL_PATH as DECISION_PATH
from assistant.evaluation import assignment_fit, fitting
from assistant.reading.confidence import MODEL_PATH as FILTER_PATH
from assistant.settings import Settings

logger = logging.getLogger(__name__)
MEASURES = ("lead", "partners", "fact", "abstention", "false_answers")
FILTER_C = 0.3


@dataclass
class FitResult:
    questions: int
    candidates: int
    decision_loco: dict[str, dict[str, Any]]
    decision_all: dict[str, Any]
    thresholds: dict[str, float]
    filter_loo: dict[str, dict[str, Any]]
    filter_all: dict[str, dict[str, Any]]


def run_fit(
    root: Path, sets_file: Path, work: Path, settings: Settings, rows_file: Path | None = None, save: bool = True,
    c: float = 0.5, cost: float = fitting.COST_OF_A_WRONG_ANSWER,
) -> FitResult:
    sets = fitting.load_sets(sets_file, root)
    if rows_file is not None and rows_file.exists():
        rows = fitting.load_rows(rows_file)
    else:
        rows = fitting.collect_all(sets, work, settings)
        fitting.save_rows(rows, work / "rows.jsonl")
    loco = fitting.leave_one_corpus_out(rows, c, cost)
    decision = fitting.fit(rows, c, cost)
    overall = fitting.measures(decision, rows)
    gold = assignment_fit.load_gold_lists(sets_file, root)
    data = assignment_fit.collect(gold)
    filter_loo = assignment_fit.leave_one_out(gold, data, FILTER_C)
    model = assignment_fit.fit(data, FILTER_C)
    filter_all = {}
    for g in gold:
        rows_g, lines, covered = assignment_fit.table_rows(g, model)
        filter_all[g.name] = assignment_fit.score(rows_g, lines, covered)
    today = dt.date.today().isoformat()
    if save:
        decision.about = {"fitted": today, "questions": len(rows), "sets": [s.name for s in sets],
                          "leave_one_corpus_out": loco}
        decision.save(DECISION_PATH)
        model.about = {"fitted": today, "gold": [g.name for g in gold], "leave_one_out": filter_loo}
        model.save(FILTER_PATH)
    return FitResult(len(rows), sum(len(r.x) for r in rows), loco, overall, decision.thresholds, filter_loo, filter_all)


def markdown(result: FitResult) -> str:
    lines = [
        "# The fitted decisions, leave-one-corpus-out",
        "",
        f"Fitted on {result.questions} labelled questions ({result.candidates} candidate answers). For each corpus, "
        "the decision fitted on the others answers its questions; the measures follow the scoring rules "
        "(partners: lead questions' partners included; fact: fact and tasks_of; false answers among answerable).",
        "",
        "| held-out corpus | questions | " + " | ".join(MEASURES) + " |",
        "|---|---|" + "---|" * len(MEASURES),
    ]
    for corpus, m in result.decision_loco.items():
        lines.append(f"| {corpus} | {m['n']} | " + " | ".join(_cell(m.get(k)) for k in MEASURES) + " |")
    lines.append(f"| *all, fitted on all (in-sample)* | {result.decision_all['n']} | "
                 + " | ".join(_cell(result.decision_all.get(k)) for k in MEASURES) + " |")
    lines += [
        "",
        "Thresholds of the fitted gates: " + ", ".join(f"{k} {v:.2f}" for k, v in result.thresholds.items()) + ".",
        "",
        "## The assignments table's filter, leave-one-out",
        "",
        "| held-out gold list | gold | rows | precision | recall | (fitted on all: precision, recall) |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in result.filter_loo.items():
        a = result.filter_all[name]
        lines.append(f"| {name} | {m['gold']} | {m['rows']} | {m['precision']:.3f} | {m['recall']:.3f} | "
                     f"{a['precision']:.3f}, {a['recall']:.3f} |")
    return "\n".join(lines) + "\n"


def _cell(v: Any) -> str:
    return "—" if v is None else f"{float(v):.3f}"


__all__ = ["FitResult", "markdown", "run_fit"]
