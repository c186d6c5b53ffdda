"""Fitting the answer decision and the assignments filter (scikit-learn), and keeping them as data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.answering.decision import Decision
from assistant.answering.features import CANNOT_ANSWER, NAMES
from assistant.evaluation.fitting import QuestionRows, fit, measures
from assistant.reading.confidence import NAMES as ASSIGNMENT_FEATURES
from assistant.reading.confidence import AssignmentModel


def _rows(rng: np.random.Generator, n: int) -> list[QuestionRows]:
    """Lead questions whose right candidate covers more of the question; a third have no right candidate."""
    cov, q_lead = NAMES.index("cov"), NAMES.index("q_lead")
    rows = []
    for i in range(n):
        x = rng.normal(size=(6, len(NAMES)))
        x[:, q_lead] = 1.0
        y = np.zeros(6, dtype=bool)
        kind = "none" if i % 3 == 0 else "lead"
        if kind == "lead":
            right = int(rng.integers(6))
            x[right, cov] += 3.0
            y[right] = True
        rows.append(QuestionRows("synthetic", f"c{i % 4}", f"q{i}", kind, x, y))
    return rows


def test_the_fitted_decision_picks_the_covering_candidate_and_survives_a_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    decision = fit(_rows(rng, 300))
    held_out = _rows(rng, 90)
    picked = [bool(r.y[decision.choose_matrix(r.x).index]) for r in held_out if r.kind == "lead"]
    assert sum(picked) / len(picked) > 0.8  # the ranker finds the covering candidate (among 85 features of noise)
    got = measures(decision, held_out)  # and the gate answers most of them, seldom wrongly
    assert got["lead"] is not None and got["lead"] > 0.6, got
    assert got["abstention"] is not None and got["abstention"] > 0.6, got
    assert got["false_answers"] is not None and got["false_answers"] < 0.1, got
    path = tmp_path / "decision.json"
    decision.save(path)
    again = Decision.load(path)
    for r in held_out:
        a, b = decision.choose_matrix(r.x), again.choose_matrix(r.x)
        assert (a.index, a.answers) == (b.index, b.answers)
        assert abs(a.probability - b.probability) < 1e-9


def test_the_assignments_filter_survives_a_round_trip(tmp_path: Path) -> None:
    model = AssignmentModel.load()
    assert model is not None
    path = tmp_path / "assignments.json"
    model.save(path)
    again = AssignmentModel.load(path)
    assert again is not None and again.threshold == model.threshold
    rng = np.random.default_rng(3)
    for _ in range(20):
        f = dict(zip(ASSIGNMENT_FEATURES, rng.random(len(ASSIGNMENT_FEATURES)), strict=True))
        assert abs(model.probability(f) - again.probability(f)) < 1e-12


def test_lead_questions_get_a_ranker_of_their_own() -> None:
    """Where lead questions weigh a feature the other kinds do not, their own ranker follows them."""
    rng = np.random.default_rng(11)
    rows = _rows(rng, 200)
    q_lead, q_partners, q_fact, cov, rank_top = (NAMES.index(n) for n in ("q_lead", "q_partners", "q_fact", "cov", "rank_top"))
    for i, r in enumerate(_rows(rng, 200)):  # fact questions: the right one is the top-ranked passage, not the best covered
        x = r.x.copy()
        x[:, q_lead], x[:, q_partners], x[:, q_fact] = 0.0, 0.0, 1.0
        y = np.zeros(len(x), dtype=bool)
        right = int(rng.integers(len(x)))
        x[right, rank_top] += 3.0
        y[right] = True
        rows.append(QuestionRows("synthetic", f"c{i % 4}", f"f{i}", "fact", x, y))
    decision = fit(rows)
    assert set(decision.rankers) == {"shared", "lead"}  # no partners questions: they would share the ranker
    lead = decision.rankers["lead"].coef
    assert lead[cov] > 0 and lead[cov] > abs(lead[rank_top])
    shared = decision.rankers["shared"].coef
    assert shared[rank_top] > 0


def test_a_vetoed_best_candidate_is_never_an_answer() -> None:
    decision = Decision.load()
    partners_q = dict.fromkeys(NAMES, 0.0) | {"bias": 1.0, "q_partners": 1.0, "c_assignment": 1.0, "has_partners": 1.0,
                                               "role_cooperate": 1.0, "share": 1.0, "cov": 1.0, "task_share": 1.0}
    plain = decision.choose([partners_q])
    vetoed = decision.choose([partners_q | {CANNOT_ANSWER: 1.0}])
    assert plain.index == vetoed.index == 0
    assert plain.probability > 0.0 and vetoed.probability == 0.0 and not vetoed.answers
