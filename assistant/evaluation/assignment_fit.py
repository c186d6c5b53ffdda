"""The assignments table against hand-made gold lists: precision, recall, and fitting its filter.

A gold line is found when a row of the same file names its lead (either name containing the
other, compared as the scoring rules do) and the row's span overlaps the gold evidence, or
the row's task contains one of its keywords; precision counts the rows of the files the gold
list covers (the rules of shared/eval/assign_score.py).
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.evaluation.fitting import fitted_linear, standard_scaling
from assistant.reading.assignments import Assignment
from assistant.reading.confidence import NAMES, AssignmentModel, features, structure_of
from assistant.reading.corpus import read_text
from index.textnorm import fold_tones


@dataclass
class GoldList:
    name: str
    gold: Path
    documents: Path


def load_gold_lists(path: Path, root: Path) -> list[GoldList]:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    return [GoldList(g["name"], root / g["gold"], root / g["documents"]) for g in raw.get("gold", [])]


def _lead_match(gold: str, row: str) -> bool:
    g, r = fold_tones(gold), fold_tones(row)
    return bool(g and r) and (g in r or (r in g and len(r) >= 6))


@dataclass
class GoldLine:
    source: str
    lead: str
    keywords: list[str]
    span: tuple[int, int] | None


def read_gold(g: GoldList) -> tuple[list[GoldLine], set[str], dict[str, str]]:
    texts = {p.name: unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(g.documents.glob("*.txt"))}
    lines = []
    for raw in g.gold.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        item = json.loads(raw)
        i = texts[item["source"]].find(unicodedata.normalize("NFC", item["evidence"]))
        lines.append(GoldLine(item["source"], item["lead"], item["task_keywords"],
                              (i, i + len(item["evidence"])) if i >= 0 else None))
    listed = g.gold.with_suffix(".files.json")
    covered = {line.source for line in lines} | (set(json.loads(listed.read_text())) if listed.exists() else set())
    return lines, covered, texts


def matches(line: GoldLine, source: str, a: Assignment) -> bool:
    if source != line.source or not _lead_match(line.lead, a.lead):
        return False
    if line.span and a.start < line.span[1] and a.end > line.span[0]:
        return True
    return any(fold_tones(k) in fold_tones(a.task) for k in line.keywords)


def score(rows: Sequence[tuple[str, Assignment]], lines: Sequence[GoldLine], covered: set[str]) -> dict[str, Any]:
    rows = [(s, a) for s, a in rows if s in covered]
    recall = sum(any(matches(g, s, a) for s, a in rows) for g in lines) / len(lines) if lines else 0.0
    precision = sum(any(matches(g, s, a) for g in lines) for s, a in rows) / len(rows) if rows else 0.0
    return {"gold": len(lines), "rows": len(rows), "precision": round(precision, 3), "recall": round(recall, 3)}


def table_rows(g: GoldList, model: AssignmentModel | None) -> tuple[list[tuple[str, Assignment]], list[GoldLine], set[str]]:
    lines, covered, texts = read_gold(g)
    rows = [(name, a) for name, text in texts.items() if name in covered for a in read_text(text, model) if a.listed]
    return rows, lines, covered


# -- fitting the filter -----------------------------------------------------------------------
@dataclass
class Labelled:
    corpus: str
    x: np.ndarray
    y: np.ndarray


def collect(gold_lists: Sequence[GoldList]) -> list[Labelled]:
    out = []
    for g in gold_lists:
        lines, covered, texts = read_gold(g)
        xs, ys = [], []
        for name, text in texts.items():
            if name not in covered:
                continue
            structured = structure_of(text)
            for a in read_text(text, None):
                if a.is_task:
                    f = features(a, structured)
                    xs.append([f[n] for n in NAMES])
                    ys.append(any(matches(line, name, a) for line in lines))
        out.append(Labelled(g.name, np.asarray(xs), np.asarray(ys, dtype=bool)))
    return out


def fit(data: Sequence[Labelled], c: float = 0.3, beta: float = 0.7) -> AssignmentModel:
    """A logistic filter and the threshold that maximises the F-beta of rows kept (precision weighs more)."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([d.x for d in data])
    y = np.concatenate([d.y for d in data])
    mean, scale = standard_scaling(x)
    model = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y)
    fitted = AssignmentModel(fitted_linear(model, mean, scale), 0.5, {})
    p = np.asarray([fitted.probability(dict(zip(NAMES, row, strict=True))) for row in x])
    best, best_t = -1.0, 0.5
    for t in np.unique(np.round(p, 3)):
        kept = p >= t
        if not kept.any():
            continue
        prec = y[kept].mean()
        rec = y[kept].sum() / max(1, y.sum())  # of the rows that match, kept (a proxy of gold recall)
        f = (1 + beta**2) * prec * rec / (beta**2 * prec + rec) if prec + rec else 0.0
        if f > best:
            best, best_t = f, float(t)
    fitted.threshold = best_t
    return fitted


def leave_one_out(gold_lists: Sequence[GoldList], data: Sequence[Labelled], c: float = 0.3) -> dict[str, dict[str, Any]]:
    out = {}
    for g in gold_lists:
        model = fit([d for d in data if d.corpus != g.name], c)
        rows, lines, covered = table_rows(g, model)
        out[g.name] = score(rows, lines, covered)
    return out


__all__ = ["GoldList", "collect", "fit", "leave_one_out", "load_gold_lists", "score", "table_rows"]
