"""Fitting the decision model on every labelled question the project has, and judging it leave-one-corpus-out.

For each question of each set in eval/sets.toml, the assistant gathers its candidate answers
(with features, see assistant.answering.features) on an index of the set's documents; each
candidate is labelled right when the answer it would give is graded correct by the scoring
rules. A logistic model (scikit-learn) is
fitted on the candidates; the threshold below which nothing is answered is chosen on the
same training questions. Reported figures come from fitting on all corpora but one and
answering the questions of that one.
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answering.candidates import TASKS, Candidate
from assistant.answering.decision import KINDS, SHARED, Decision, kind_of, rank
from assistant.answering.features import NAMES
from assistant.answering.phrasing import phrase_candidate
from assistant.evaluation.scoring import grade, load_questions
from assistant.linear import Linear
from assistant.service import Assistant, run_ingest
from assistant.settings import Settings
from assistant.types import Answer, Citation

logger = logging.getLogger(__name__)
COST_OF_A_WRONG_ANSWER = 2.0  # a wrong or unfounded answer costs twice what a right one gains
# kinds of question ranked by a ranker fitted on their own questions: left out one corpus at a time, this
# gained lead and partners answers; fact and tasks_of questions did better with the shared ranker
OWN_RANKER_KINDS = ("lead", "partners")
MIN_OWN_RANKER_QUESTIONS = 40


@dataclass
class LabelledSet:
    name: str
    questions: Path
    documents: Path
    corpus: str


@dataclass
class QuestionRows:
    """The candidates of one question: features, labels, and the question's gold kind."""

    set: str
    corpus: str
    id: str
    kind: str
    x: np.ndarray
    y: np.ndarray
    extra: dict[str, Any] = field(default_factory=dict)


def load_sets(path: Path, root: Path) -> list[LabelledSet]:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    sets = [LabelledSet(s["name"], root / s["questions"], root / s["documents"], s["corpus"]) for s in raw["set"]]
    return [s for s in sets if s.questions.exists()]


def _overlaps(c: Candidate, text: str, evidence: str | None) -> bool:
    if not evidence:
        return False
    start = text.find(evidence)
    if start < 0:
        return False
    end = start + len(evidence)
    spans = [(a.start, a.end) for a in c.tasks] if c.kind == TASKS else [(c.start, c.end)]
    return any(s < end and e > start for s, e in spans)


def collect(assistant: Assistant, labelled: LabelledSet) -> list[QuestionRows]:
    """Candidates and labels of every question of a set (turns asked in order, as a conversation)."""
    templates = assistant.answerer.templates

    def cite(n: int, chunk_id: str, text: str, start: int, end: int, score: float) -> Citation:
        return Citation(n, "", "", text, start, end, score)

    rows: list[QuestionRows] = []
    for conversation in load_questions(labelled.questions):
        history: list[Answer] = []
        for q in conversation.turns:
            u, candidates = assistant.candidates(q["question"], history)
            labels = []
            for c in candidates:
                record = phrase_candidate(u.question, c, templates, cite).to_json()
                verdict = grade(q, record)
                right = bool(verdict["correct"]) and verdict["partners_ok"] is not False
                labels.append(right and record["answered"])  # right as the scoring rules grade it
            x = np.asarray([[c.features[n] for n in NAMES] for c in candidates], dtype=float).reshape(-1, len(NAMES))
            rows.append(QuestionRows(labelled.name, labelled.corpus, q["id"], q["kind"], x, np.asarray(labels, dtype=bool)))
            history.append(assistant.ask(q["question"], history))
    return rows


def open_index(labelled: LabelledSet, index_root: Path, base: Settings) -> Assistant:
    """An assistant over the set's documents, on an index of its own (built once, then incremental)."""
    settings = base.model_copy(update={"documents_dir": labelled.documents, "index_dir": index_root / labelled.corpus})
    run_ingest(settings)
    return Assistant.from_settings(settings)


def collect_all(sets: Sequence[LabelledSet], index_root: Path, base: Settings) -> list[QuestionRows]:
    rows: list[QuestionRows] = []
    by_documents: dict[Path, Assistant] = {}
    for labelled in sets:
        assistant = by_documents.get(labelled.documents) or open_index(labelled, index_root, base)
        by_documents[labelled.documents] = assistant
        logger.info("collecting %s (%s)", labelled.name, labelled.questions)
        rows += collect(assistant, labelled)
    return rows


def save_rows(rows: Sequence[QuestionRows], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"set": r.set, "corpus": r.corpus, "id": r.id, "kind": r.kind,
                                "x": r.x.round(5).tolist(), "y": r.y.astype(int).tolist()}) + "\n")


def load_rows(path: Path) -> list[QuestionRows]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            raw = json.loads(line)
            x = np.asarray(raw["x"], dtype=float).reshape(-1, len(NAMES))
            rows.append(QuestionRows(raw["set"], raw["corpus"], raw["id"], raw["kind"], x, np.asarray(raw["y"], dtype=bool)))
    return rows


# -- fitting ---------------------------------------------------------------------------------
MAX_PAIRS = 40  # wrong candidates paired with each right one, the closest first


def fitted_linear(model: Any, mean: np.ndarray, scale: np.ndarray) -> Linear:
    """A scikit-learn linear model fitted on (x - mean) / scale, as data."""
    return Linear(mean, scale, model.coef_[0].copy(), float(model.intercept_[0]) if model.fit_intercept else 0.0)


def standard_scaling(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean and scale of each column (a constant column keeps scale 1)."""
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    return scaler.mean_, np.where(scaler.scale_ > 0, scaler.scale_, 1.0)


def fit_ranker(rows: Sequence[QuestionRows], c: float) -> Linear:
    """A linear score fitted on (right - wrong) feature differences of the same question's candidates."""
    from sklearn.linear_model import LogisticRegression

    x_all = np.vstack([r.x for r in rows if len(r.x)])
    mean, scale = standard_scaling(x_all)
    diffs, weights = [], []
    cov = NAMES.index("cov")
    for r in rows:
        if not r.y.any() or r.y.all():
            continue
        z = (r.x - mean) / scale
        pos, neg = np.flatnonzero(r.y), np.flatnonzero(~r.y)
        neg = neg[np.argsort(-r.x[neg, cov])][:MAX_PAIRS]
        n = len(pos) * len(neg)
        for i in pos:
            for j in neg:
                diffs.append(z[i] - z[j])
                diffs.append(z[j] - z[i])
                weights += [1.0 / n, 1.0 / n]
    x = np.asarray(diffs)
    y = np.tile([1, 0], len(diffs) // 2)
    model = LogisticRegression(C=c, max_iter=3000, fit_intercept=False)
    model.fit(x, y, sample_weight=np.asarray(weights) * len(rows))
    return Linear(np.zeros_like(mean), np.ones_like(scale), model.coef_[0] / scale, float(-(model.coef_[0] / scale) @ mean))


def fit_rankers(rows: Sequence[QuestionRows], c: float) -> dict[str, Linear]:
    """The shared ranker, and one for each kind of OWN_RANKER_KINDS fitted on that kind's questions (when it has
    enough questions with both a right and a wrong candidate to learn from)."""
    rankers = {SHARED: fit_ranker(rows, c)}
    for kind in OWN_RANKER_KINDS:
        mine = [r for r in rows if len(r.x) and kind_of(r.x[0]) == kind]
        if sum(1 for r in mine if r.y.any() and not r.y.all()) >= MIN_OWN_RANKER_QUESTIONS:
            rankers[kind] = fit_ranker(mine, c)
    return rankers


def _gate_rows(rankers: dict[str, Linear], rows: Sequence[QuestionRows]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    xs, ys, kinds = [], [], []
    for r in rows:
        if not len(r.x):
            continue
        best, row = Decision.gate_row(r.x, rank(rankers, r.x))
        xs.append(row)
        ys.append(bool(r.y[best]) and r.kind != "none")
        kinds.append(kind_of(r.x[best]))
    return np.asarray(xs), np.asarray(ys), kinds


def fit(rows: Sequence[QuestionRows], c: float = 0.5, cost: float = COST_OF_A_WRONG_ANSWER) -> Decision:
    """The rankers, then a gate and its threshold for each kind of question (the whole data when a kind has little)."""
    from sklearn.linear_model import LogisticRegression

    rankers = fit_rankers(rows, c)
    x, y, kinds = _gate_rows(rankers, rows)
    mean, scale = standard_scaling(x)
    gates: dict[str, Linear] = {}
    thresholds: dict[str, float] = {}
    for kind in KINDS:
        mine = np.asarray([k == kind for k in kinds])
        if mine.sum() < 40 or len(set(y[mine])) < 2:
            mine = np.ones(len(y), dtype=bool)
        model = LogisticRegression(C=c, max_iter=3000).fit((x[mine] - mean) / scale, y[mine])
        gates[kind] = fitted_linear(model, mean, scale)
        p = 1 / (1 + np.exp(-gates[kind](x[mine])))
        thresholds[kind] = _best_threshold(p, y[mine], cost)
    return Decision(NAMES, rankers, gates, thresholds)


def _best(decision: Decision, r: QuestionRows) -> tuple[bool, bool]:
    """Whether the decision answers the question, and whether the candidate it picks is right."""
    choice = decision.choose_matrix(r.x)
    if choice.index < 0:
        return False, False
    return choice.answers, bool(r.y[choice.index])


def _best_threshold(p: np.ndarray, right: np.ndarray, cost: float) -> float:
    """The probability below which not answering gains most: a right answer +1, a wrong one -cost. Never above the
    break-even cost / (1 + cost), where a calibrated gate's answer is worth giving: a maximum above it is the training
    questions' noise, and it moved from one refit to the next."""
    candidates = sorted(set(np.round(p, 4).tolist()) | {0.5})
    utility = [float(right[p >= t].sum() - cost * (~right[p >= t]).sum()) for t in candidates]
    return min(float(candidates[int(np.argmax(utility))]), cost / (1 + cost))


def measures(decision: Decision, rows: Sequence[QuestionRows]) -> dict[str, float | None]:
    """The scoring rules' measures, from the labels of the candidates the decision picks."""
    got: dict[str, list[bool]] = {"lead": [], "partners": [], "fact": [], "none": [], "false": []}
    for r in rows:
        answered, ok = _best(decision, r)
        if r.kind == "none":
            got["none"].append(not answered)
            continue
        bucket = {"lead": "lead", "partners": "partners"}.get(r.kind, "fact")
        got[bucket].append(answered and ok)
        got["false"].append(answered and not ok)
    return {
        "n": len(rows),
        "lead": _mean(got["lead"]), "partners": _mean(got["partners"]), "fact": _mean(got["fact"]),
        "abstention": _mean(got["none"]), "false_answers": _mean(got["false"]),
    }


def _mean(xs: Sequence[bool]) -> float | None:
    return round(sum(xs) / len(xs), 3) if xs else None


def leave_one_corpus_out(rows: Sequence[QuestionRows], c: float = 0.5, cost: float = COST_OF_A_WRONG_ANSWER
                         ) -> dict[str, dict[str, float | None]]:
    corpora = sorted({r.corpus for r in rows})
    out = {}
    for corpus in corpora:
        train = [r for r in rows if r.corpus != corpus]
        test = [r for r in rows if r.corpus == corpus]
        out[corpus] = measures(fit(train, c, cost), test)
    return out


__all__ = ["LabelledSet", "QuestionRows", "collect_all", "fit", "leave_one_corpus_out", "load_rows",
           "load_sets", "measures", "save_rows"]
