"""The scorer itself, on hand-made answer records, and its agreement with the reference scorer."""

import importlib.util
import json
from pathlib import Path

from assistant.evaluation.scoring import grade, score

SHARED_SCORER = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "score.py"

LEAD_Q = {"id": "q1", "kind": "lead", "question": "Ai chủ trì?", "answer": ["Cục Công nghiệp"],
          "partners": ["Bộ Xây dựng"], "source": "a.txt", "evidence": "Cục Công nghiệp chủ trì"}
FACT_Q = {"id": "q2", "kind": "fact", "question": "Bao nhiêu?", "answer": ["3-5 lần"], "source": "a.txt",
          "evidence": "tăng từ 3-5 lần"}
NONE_Q = {"id": "q3", "kind": "none", "question": "Thời tiết?", "answer": [], "source": None, "evidence": None}


def record(qid: str, **fields):  # type: ignore[no-untyped-def]
    base = {"id": qid, "answered": True, "answer": "", "lead": None, "partners": [], "citations": [], "retrieved": []}
    return base | fields


RIGHT = record("q1", lead="Cục Công nghiệp", partners=["Bộ Xây dựng"],
               citations=[{"text": "Để khơi thông, Cục Công nghiệp chủ trì, phối hợp"}],
               retrieved=[{"text": "x"}, {"text": "... Cục Công nghiệp chủ trì ..."}], latency_ms=10)


def test_right_answer() -> None:
    g = grade(LEAD_Q, RIGHT)
    assert g == {"correct": True, "partners_ok": True, "false_answer": False, "citation_ok": True, "rank": 2}


def test_wrong_unit_is_a_false_answer() -> None:
    g = grade(LEAD_Q, RIGHT | {"lead": "Vụ Kế hoạch"})
    assert g["correct"] is False and g["false_answer"] is True


def test_too_long_lead_is_wrong_even_if_it_contains_the_unit() -> None:
    g = grade(LEAD_Q, RIGHT | {"lead": "Cục Công nghiệp " + "và rất nhiều đơn vị khác " * 4})
    assert g["correct"] is False


def test_tone_placement_and_case_do_not_matter() -> None:
    g = grade(LEAD_Q, RIGHT | {"lead": "cục công nghiệp"})
    assert g["correct"] is True
    q = FACT_Q | {"answer": ["hóa chất"]}
    assert grade(q, record("q2", answer="Cục Hoá chất"))["correct"] is True


def test_missing_citation() -> None:
    g = grade(LEAD_Q, RIGHT | {"citations": []})
    assert g["correct"] is True and g["citation_ok"] is False


def test_wrongly_answered_none_question() -> None:
    assert grade(NONE_Q, record("q3", answered=True, answer="Cục Công nghiệp"))["correct"] is False
    assert grade(NONE_Q, record("q3", answered=False))["correct"] is True


def test_metrics_and_agreement_with_the_reference_scorer() -> None:
    questions = [LEAD_Q, FACT_Q, NONE_Q]
    records = [RIGHT, record("q2", answer="x" * 601 + "3-5 lần"), record("q3", answered=True)]
    ours = score(questions, records)
    assert ours["lead_accuracy"] == 1.0 and ours["fact_accuracy"] == 0.0 and ours["abstention"] == 0.0
    assert ours["false_answers"] == 0.5 and ours["hit@1"] == 0.0 and ours["hit@3"] == 0.5
    spec = importlib.util.spec_from_file_location("reference_score", SHARED_SCORER)
    assert spec and spec.loader
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    theirs = reference.score(questions, json.loads(json.dumps(records)))
    for key, value in theirs.items():
        assert ours[key] == value, key
