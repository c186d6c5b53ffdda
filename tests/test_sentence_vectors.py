"""Sentence vectors: computed at ingest, read from the embedding cache when answering, and the nearest
sentence of a candidate's span is the one that says what the question asks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.retrieval.statements import SentenceVectors
from assistant.service import EMBEDDINGS_FILE, Assistant
from index.sentences import chunk_sentences


class _Refusing:
    """An embedder that must not be called: every vector has to come from the cache."""

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError(f"embedded {len(texts)} sentences at answer time")


def _node_with(seed_assistant: Assistant, words: str) -> Any:
    return next(n for n in seed_assistant.nodes if words in n.text)


def test_ingest_stores_every_sentence_vector(seed_index: Path, seed_assistant: Assistant) -> None:
    vectors = SentenceVectors(seed_index / EMBEDDINGS_FILE, seed_assistant.settings.embed_model, _Refusing())  # type: ignore[arg-type]
    for node in seed_assistant.nodes:
        spans, matrix = vectors.of_chunk(node)
        assert len(spans) == len(chunk_sentences(node.text)) == matrix.shape[0]
        assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)


def test_the_sentence_that_answers_is_nearest(seed_index: Path, seed_assistant: Assistant, embed_model: Any) -> None:
    node = _node_with(seed_assistant, "chủ trì")
    spans = chunk_sentences(node.text)
    assert len(spans) >= 2
    base = int(node.metadata["start"])
    vectors = SentenceVectors(seed_index / EMBEDDINGS_FILE, seed_assistant.settings.embed_model, embed_model)
    query = np.asarray(embed_model.get_query_embedding(node.text[spans[0][0] : spans[0][1]]), dtype=np.float32)
    query /= np.linalg.norm(query)
    own = [vectors.similarity(query, node, [(base + s, base + e)]) for s, e in spans]
    assert int(np.argmax(own)) == 0  # the sentence asked in its own words is the nearest of its chunk
    assert vectors.similarity(query, node, [(base + len(node.text) + 10, base + len(node.text) + 20)]) == 0.0


def test_a_damaged_cache_still_gives_vectors(tmp_path: Path, seed_assistant: Assistant, embed_model: Any,
                                             caplog: pytest.LogCaptureFixture) -> None:
    damaged = tmp_path / EMBEDDINGS_FILE
    damaged.write_bytes(b"not a database at all" * 500)
    vectors = SentenceVectors(damaged, seed_assistant.settings.embed_model, embed_model)
    node = seed_assistant.nodes[0]
    spans, matrix = vectors.of_chunk(node)
    assert matrix.shape[0] == len(spans) > 0
    assert "unreadable" in caplog.text
    assert damaged.read_bytes().startswith(b"not a database")  # left for the next ingest to set aside


def test_every_candidate_is_weighed_by_its_own_sentences(seed_assistant: Assistant) -> None:
    _, candidates = seed_assistant.candidates("Đơn vị nào chủ trì xây dựng kế hoạch?")
    assert candidates
    near = [c.features["sentence_dense"] for c in candidates]
    assert all(0.0 < s <= 1.0 for s in near)
    assert len({round(s, 4) for s in near}) > 1  # statements of one passage differ, as the passage's own score cannot
