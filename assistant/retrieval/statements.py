"""The vectors of each chunk's sentences, to weigh a candidate statement by its own meaning.

A chunk's vector says the passage is near the question; every statement of the passage shares it.
The sentence a candidate states, embedded alone, says whether that statement is what the question
asks, in other words than the question's (a paraphrase, an English question, a question typed
without diacritics). The vectors are computed at ingest (index.ingest) and kept in the embedding
cache by content hash; a sentence the cache lacks (an index ingested elsewhere) is embedded on
first need and cached.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode

from index.embed_cache import EmbeddingCache
from index.sentences import chunk_sentences

logger = logging.getLogger(__name__)
MAX_CHUNKS_KEPT = 5000  # chunks whose sentence vectors stay in memory (about 60 MB with the default embedder)


class SentenceVectors:
    """Unit vectors of the sentences of chunks, read from the embedding cache (and kept in memory once read)."""

    def __init__(self, cache_path: Path, model_name: str, embed_model: BaseEmbedding) -> None:
        self.cache_path = cache_path
        self.model_name = model_name
        self.embed_model = embed_model
        self._lock = threading.Lock()
        self._by_chunk: dict[str, tuple[tuple[tuple[int, int], ...], np.ndarray]] = {}

    def of_chunk(self, node: TextNode) -> tuple[tuple[tuple[int, int], ...], np.ndarray]:
        """The chunk's sentence spans (in its text) and their unit vectors, one row each."""
        known = self._by_chunk.get(node.node_id)
        if known is not None:
            return known
        spans = chunk_sentences(node.text)
        texts = [node.text[s:e] for s, e in spans]
        rows = self._embed(texts) if texts else []
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        found = (spans, matrix / np.where(norms > 0, norms, 1.0))
        if len(self._by_chunk) >= MAX_CHUNKS_KEPT:
            self._by_chunk.clear()  # a bound on memory: what a question needs is read again, from the cache
        self._by_chunk[node.node_id] = found
        return found

    def _embed(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            cache: EmbeddingCache | None = None
            try:
                cache = EmbeddingCache(self.cache_path, self.model_name)
                return cache.embed(texts, self.embed_model.get_text_embedding_batch)
            except sqlite3.Error as exc:  # damaged: the next ingest sets it aside; the vectors can be computed
                logger.warning("embedding cache %s unreadable (%s): embedding %d sentences", self.cache_path, exc, len(texts))
                return self.embed_model.get_text_embedding_batch(texts)
            finally:
                if cache is not None:
                    cache.close()

    def similarity(self, query: np.ndarray, node: TextNode, spans: list[tuple[int, int]]) -> float:
        """The highest cosine between the query and a sentence of the chunk that overlaps one of the spans
        (offsets in the document); 0 when none does."""
        sentences, matrix = self.of_chunk(node)
        base = int(node.metadata["start"])
        rows = [i for i, (s, e) in enumerate(sentences) if any(s + base < end and e + base > start for start, end in spans)]
        if not rows:
            return 0.0
        return float((matrix[rows] @ query).max())


__all__ = ["SentenceVectors"]
