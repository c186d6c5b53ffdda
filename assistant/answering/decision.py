"""The fitted decision: which candidate answers a question, and whether it is good enough to answer.

Two linear models over the features of assistant.answering.features, fitted with scikit-learn
(see assistant.evaluation.fitting):
- the ranker scores each candidate; it was fitted on pairs of one right and one wrong candidate
  of the same question, so it orders the candidates of a question; lead and partners questions
  have a ranker of their own (fitted on their questions), the others share one;
- the gate gives the probability that the best-ranked candidate is right, from its features,
  its score and its lead over the second; the question is answered when that probability
  reaches the threshold fitted with it.
The models are data: `knowledge/decision.json` (feature names, scaling, weights, threshold,
and how they were fitted).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answering.features import CANNOT_ANSWER, NAMES
from assistant.linear import Linear
from index.knowledge import KNOWLEDGE_DIR

logger = logging.getLogger(__name__)
MODEL_PATH = KNOWLEDGE_DIR / "decision.json"
GATE_EXTRA = ("rank_score", "rank_margin", "candidates", "task_share_gap", "share_gap", "task_share_own_gap",
              "sentence_dense_gap")
# a near miss names a unit or a place the texts have, with a task another statement covers better:
# how far the best candidate's coverage falls short of the best coverage among all candidates
_GAP_COLUMNS = (NAMES.index("task_share"), NAMES.index("share"), NAMES.index("task_share_own"), NAMES.index("sentence_dense"))
_TYPE_BONUS = NAMES.index("type_bonus")


@dataclass
class Choice:
    index: int  # of the best candidate (-1: none)
    probability: float  # that it is right
    scores: list[float]
    threshold: float = 1.0  # the probability it must reach to answer (of the gate of its kind)

    @property
    def answers(self) -> bool:
        return self.index >= 0 and self.probability >= self.threshold


KINDS = ("lead", "partners", "fact", "tasks")  # a gate each, for the kind of question asked (features q_<kind>)


def kind_of(x: np.ndarray) -> str:
    """The kind of question a row of features was computed for."""
    for kind in KINDS:
        if x[NAMES.index(f"q_{kind}")] > 0:
            return kind
    return "fact"


SHARED = "shared"  # the ranker of every kind of question without one of its own


def rank(rankers: dict[str, Linear], x: np.ndarray) -> np.ndarray:
    """The score of each candidate of one question: by its kind's own ranker, or the shared one."""
    return rankers.get(kind_of(x[0]), rankers[SHARED])(x)


@dataclass
class Decision:
    names: tuple[str, ...]
    rankers: dict[str, Linear]  # by kind of question, SHARED for the rest
    gates: dict[str, Linear]
    thresholds: dict[str, float]
    about: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Decision:
        raw = json.loads(path.read_text(encoding="utf-8"))
        names = tuple(raw["names"])
        gate_size = len(next(iter(raw["gates"].values()))["coef"])
        if names != NAMES or gate_size != len(NAMES) + len(GATE_EXTRA):
            raise ValueError(f"{path} was fitted on other features: refit it (assistant fit)")
        return cls(names, {k: Linear.from_json(v) for k, v in raw["rankers"].items()},
                   {k: Linear.from_json(v) for k, v in raw["gates"].items()},
                   {k: float(v) for k, v in raw["thresholds"].items()}, dict(raw.get("about", {})))

    @classmethod
    def bootstrap(cls) -> Decision:
        """A stand-in until a model is fitted for the current features: coverage ranks, and answers above 0.6."""
        n = len(NAMES)
        coef = np.zeros(n)
        coef[NAMES.index("cov")] = 5.0
        gate = np.zeros(n + len(GATE_EXTRA))
        gate[n] = 1.0
        linear = Linear(np.zeros(len(gate)), np.ones(len(gate)), gate, -3.0)
        return cls(NAMES, {SHARED: Linear(np.zeros(n), np.ones(n), coef)}, dict.fromkeys(KINDS, linear), dict.fromkeys(KINDS, 0.5),
                   {"note": "bootstrap: no fitted model for these features"})

    @classmethod
    def load_or_bootstrap(cls, path: Path = MODEL_PATH) -> Decision:
        try:
            return cls.load(path)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("no usable decision model (%s): answering by coverage until one is fitted", exc)
            return cls.bootstrap()

    def save(self, path: Path = MODEL_PATH) -> None:
        payload = {"names": list(self.names), "rankers": {k: r.to_json() for k, r in self.rankers.items()},
                   "gates": {k: g.to_json() for k, g in self.gates.items()}, "thresholds": self.thresholds,
                   "about": self.about}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @staticmethod
    def gate_row(x: np.ndarray, scores: np.ndarray) -> tuple[int, np.ndarray]:
        """The best candidate and what its gate sees: its features, its score, its lead over the next, how many,
        and how much better other candidates cover the question."""
        order = np.argsort(-scores)
        best = int(order[0])
        margin = float(scores[best] - scores[order[1]]) if len(order) > 1 else 5.0
        gaps = [float(x[best, c] - x[:, c].max()) for c in _GAP_COLUMNS]
        return best, np.concatenate([x[best], [scores[best], min(margin, 5.0), math.log1p(len(x)), *gaps]])

    def rank(self, x: np.ndarray) -> np.ndarray:
        """The score of each candidate of one question (their question features are the same)."""
        return rank(self.rankers, x)

    def choose_matrix(self, x: np.ndarray, vetoed: Sequence[bool] = ()) -> Choice:
        """`vetoed`: candidates that cannot answer the question whatever their score (a partners question asked of
        a statement that names no working together)."""
        if not len(x):
            return Choice(-1, 0.0, [])
        scores = self.rank(x)
        best, row = self.gate_row(x, scores)
        kind = kind_of(x[best])
        if (kind == "fact" and x[best, _TYPE_BONUS] <= -1.0) or (len(vetoed) and vetoed[best]):
            # the question asks for a number, a date or a duration the statement does not have, or for partners of
            # a statement that names no working together: never an answer
            return Choice(best, 0.0, scores.tolist(), self.thresholds[kind])
        z = float(self.gates[kind](row[None, :])[0])
        return Choice(best, 1.0 / (1.0 + math.exp(-z)), scores.tolist(), self.thresholds[kind])

    def choose(self, rows: Sequence[dict[str, float]]) -> Choice:
        x = np.asarray([[row[n] for n in self.names] for row in rows], dtype=float).reshape(-1, len(self.names))
        return self.choose_matrix(x, [bool(row.get(CANNOT_ANSWER)) for row in rows])


__all__ = ["GATE_EXTRA", "MODEL_PATH", "SHARED", "Choice", "Decision"]
