"""Hybrid retrieval: dense vectors from Chroma plus BM25 over the same chunks, fused by rank.

BM25 runs on the folded text (no diacritics, lower case), with no stemming,
no stop words and one-letter syllables kept, so "chu tri" finds "chủ trì" and
"Bộ Y tế" keeps its "Y".
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import numpy as np
from llama_index.core import QueryBundle
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, NodeWithScore, TextNode
from llama_index.retrievers.bm25 import BM25Retriever

from index.store import ChunkStore
from index.textnorm import fold

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

TOKEN_PATTERN = r"(?u)\b\w+\b"
RRF_K = 5
CANDIDATES = 30


def bm25_text(node: TextNode) -> str:
    context = " ".join(str(c["text"]) for c in json.loads(str(node.metadata.get("context") or "[]")))
    return fold(f"{node.metadata.get('title', '')} {context} {node.text}")


class FoldedBM25:
    """llama-index's BM25Retriever over folded copies of the chunks."""

    def __init__(self, nodes: list[TextNode], top_k: int) -> None:
        folded: list[BaseNode] = [TextNode(id_=n.node_id, text=bm25_text(n)) for n in nodes]
        self.retriever = BM25Retriever.from_defaults(
            nodes=folded, similarity_top_k=min(top_k, len(folded)), skip_stemming=True,
            token_pattern=TOKEN_PATTERN, language=None,  # type: ignore[arg-type]
        )
        # persist() drops these two; they are set explicitly so a reload cannot lose them
        self.retriever.skip_stemming = True
        self.retriever.token_pattern = TOKEN_PATTERN

    def search(self, query: str) -> list[tuple[str, float]]:
        results = self.retriever.retrieve(fold(query))
        return [(r.node.node_id, float(r.score or 0.0)) for r in results if (r.score or 0.0) > 0]


@dataclass
class RankedLists:
    dense: list[tuple[str, float]]
    bm25: list[tuple[str, float]]


class HybridRetriever(BaseRetriever):
    """Dense + BM25, fused by reciprocal rank; returns the stored nodes."""

    def __init__(self, store: ChunkStore, embed_model: BaseEmbedding, nodes: list[TextNode], top_k: int = 10) -> None:
        super().__init__()
        self.nodes = {n.node_id: n for n in nodes}
        self.top_k = top_k
        self.embed_model = embed_model
        self.store = store
        self.bm25 = FoldedBM25(nodes, CANDIDATES) if nodes else None

    def dense_search(self, query_embedding: list[float]) -> list[tuple[str, float]]:
        """Nearest chunks by cosine similarity, from Chroma (ids and distances only: the texts are in memory)."""
        if not self.nodes:
            return []
        result = self.store.collection.query(
            query_embeddings=[query_embedding], n_results=min(CANDIDATES, len(self.nodes)), include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True) if i in self.nodes]

    def ranked_lists(self, query: str, query_embedding: list[float] | None = None) -> RankedLists:
        embedding = query_embedding if query_embedding is not None else self.embed_model.get_query_embedding(query)
        dense = self.dense_search(embedding)
        bm25 = self.bm25.search(query) if self.bm25 else []
        return RankedLists(dense, bm25)

    @staticmethod
    def fuse(lists: RankedLists) -> list[tuple[str, float]]:
        scores: dict[str, float] = {}
        for ranking in (lists.dense, lists.bm25):
            for rank, (node_id, _) in enumerate(ranking):
                scores[node_id] = scores.get(node_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        return sorted(scores.items(), key=lambda kv: -kv[1])

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        fused = self.fuse(self.ranked_lists(query_bundle.query_str, query_bundle.embedding))
        return [NodeWithScore(node=self.nodes[i], score=s) for i, s in fused[: self.top_k] if i in self.nodes]

    def embed_query(self, query: str) -> list[float]:
        return list(np.asarray(self.embed_model.get_query_embedding(query), dtype=float))
