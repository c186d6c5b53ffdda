"""The project's question sets are checked against their sources: every evidence is an exact substring."""

import json
from pathlib import Path

import pytest

from assistant.evaluation.scoring import KINDS, flat_questions, load_questions
from index.loader import SourceDocument, read_document

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT / "eval" / "realdocs" / "docs"
SETS = [
    (ROOT / "eval" / "questions.jsonl", ROOT / "documents"),
    (ROOT / "eval" / "dev" / "questions.dev.jsonl", ROOT / "documents"),
    (ROOT / "eval" / "realdocs" / "questions.jsonl", REALDOCS),
    (ROOT / "eval" / "realdocs" / "heldout.jsonl", REALDOCS),
    (ROOT / "eval" / "realdocs" / "heldout2.jsonl", REALDOCS),
]


@pytest.mark.parametrize(("questions", "documents"), SETS, ids=["project", "dev", "realdocs", "heldout", "heldout2"])
def test_every_evidence_is_an_exact_substring_of_its_source(questions: Path, documents: Path) -> None:
    items = flat_questions(load_questions(questions))
    assert len({q["id"] for q in items}) == len(items)
    texts: dict[str, str] = {}
    for q in items:
        assert q["kind"] in KINDS, q["id"]
        if q["kind"] == "none":
            assert q["answer"] == []
            if q["source"] is None:
                assert q["evidence"] is None
                continue
            # a near miss (dev set): the passage it is close to is named, and must exist
        if q["source"] not in texts:
            doc = read_document(documents / q["source"], q["source"])
            assert isinstance(doc, SourceDocument), q["source"]
            texts[q["source"]] = doc.text
        assert q["evidence"] in texts[q["source"]], q["id"]
        if q["kind"] in ("lead", "partners"):
            for gold in q["answer"] + q.get("partners", []):
                assert gold.casefold() in texts[q["source"]].casefold(), (q["id"], gold)


def test_the_project_set_covers_every_kind_and_style() -> None:
    conversations = load_questions(ROOT / "eval" / "questions.jsonl")
    items = flat_questions(conversations)
    assert len(conversations) >= 100
    assert {q["kind"] for q in items} >= {"lead", "partners", "fact", "tasks_of", "none"}
    assert sum(len(c.turns) > 1 for c in conversations) >= 5
    raw = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["id"].endswith("-en") for r in raw) and any(r["id"].endswith("-nd") for r in raw)


def test_the_alqac_benchmark_names_files_it_carries() -> None:
    items = flat_questions(load_questions(ROOT / "eval" / "alqac" / "questions.jsonl"))
    assert len(items) == 200 and {q["kind"] for q in items} == {"retrieval"}
    docs = ROOT / "eval" / "alqac" / "docs"
    assert all((docs / q["source"]).is_file() for q in items)
