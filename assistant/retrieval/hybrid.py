"""Hybrid retrieval: dense vectors (Chroma's, searched exactly in memory up to a limit) plus BM25 over the
same chunks, fused by rank.

BM25 (bm25s, as llama-index's BM25Retriever runs it) is over the folded text
(no diacritics, lower case), with no stemming, no stop words and one-letter
syllables kept, so "chu tri" finds "chủ trì" and "Bộ Y tế" keeps its "Y".

When a question names a place ("tại tỉnh Yên Bái", see assistant.questions.places), BM25
also ranks the chunks that name it (in their text, lead-in or document title)
alone, and in the fused list the chunks that name it come first, the one whose
best line matches the question best first: a plan's task recurs in the plans of
many provinces, with other units, and the question asks about one.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import bm25s
import numpy as np
from bm25s.selection import topk
from llama_index.core import QueryBundle
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, TextNode

from assistant.questions.places import Place, find_places, named_places, place_keys
from index.store import ChunkStore
from index.textnorm import fold

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

TOKEN_PATTERN = r"(?u)\b\w+\b"
RRF_K = 5
CANDIDATES = 30
_WORDS = re.compile(r"\w+")  # a place named in more chunks than this is searched by BM25 alone


OPENING_LINES = 12
OPENING_LINE_CHARS = 300


def opening_lines(text: str) -> str:
    """The short lines among a document's first lines: its title, issuer, number, place and date (not the
    paragraphs of a news article's opening)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:OPENING_LINES]
    return "\n".join(line for line in lines if len(line) <= OPENING_LINE_CHARS)


def full_text(node: TextNode) -> str:
    """A chunk with its document title and lead-in lines."""
    context = " ".join(str(c["text"]) for c in json.loads(str(node.metadata.get("context") or "[]")))
    return f"{node.metadata.get('title', '')} {context} {node.text}"


def bm25_text(node: TextNode) -> str:
    return fold(full_text(node))


class FoldedBM25:
    """BM25 over folded copies of the chunks, and where each chunk names places (see assistant.questions.places);
    saved to and loaded from a folder (see assistant.retrieval.loading)."""

    IDS_FILE = "ids.json"
    PLACES_FILE = "places.json"

    def __init__(self, bm25: bm25s.BM25, ids: list[str], top_k: int, places: dict[str, np.ndarray]) -> None:
        self.bm25 = bm25
        self.ids = ids
        self.top_k = min(top_k, len(ids))
        self.places = places  # folded place key -> indices of the chunks that name it
        self.positions = {node_id: i for i, node_id in enumerate(ids)}

    @classmethod
    def build(cls, nodes: list[TextNode], top_k: int) -> FoldedBM25:
        texts = [full_text(n) for n in nodes]
        folded = [fold(t) for t in texts]
        corpus = bm25s.tokenize(folded, stopwords=None, stemmer=None, token_pattern=TOKEN_PATTERN, show_progress=False)
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        # a chunk deep in a provincial plan does not repeat the province: the places its document's opening
        # lines name (issuer, "Thành phố Hồ Chí Minh, ngày ...") are its places too
        opening = {str(n.metadata.get("source")): named_places(opening_lines(n.text))
                   for n in nodes if int(n.metadata.get("start", -1)) == 0}
        postings: dict[str, list[int]] = {}
        for i, (node, text, folded_text) in enumerate(zip(nodes, texts, folded, strict=True)):
            for key in named_places(text, folded_text) | opening.get(str(node.metadata.get("source")), set()):
                postings.setdefault(key, []).append(i)
        places = {k: np.asarray(v, dtype=np.int64) for k, v in postings.items()}
        return cls(bm25, [n.node_id for n in nodes], top_k, places)

    def save(self, folder: Path) -> None:
        self.bm25.save(str(folder), show_progress=False)
        (folder / self.IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")
        places = {k: v.tolist() for k, v in self.places.items()}
        (folder / self.PLACES_FILE).write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, top_k: int) -> FoldedBM25:
        bm25 = bm25s.BM25.load(str(folder), load_corpus=False, show_progress=False)
        ids = json.loads((folder / cls.IDS_FILE).read_text(encoding="utf-8"))
        raw = json.loads((folder / cls.PLACES_FILE).read_text(encoding="utf-8"))
        return cls(bm25, ids, top_k, {k: np.asarray(v, dtype=np.int64) for k, v in raw.items()})

    def scores(self, query: str) -> np.ndarray | None:
        """BM25 scores of every chunk for the query (English stop words dropped from it, as llama-index's
        BM25Retriever does); None when there are no chunks."""
        if not self.ids:
            return None
        tokens = bm25s.tokenize(fold(query), stemmer=None, token_pattern=TOKEN_PATTERN, show_progress=False,
                                return_ids=False)[0]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens))

    def top(self, scores: np.ndarray) -> list[tuple[str, float]]:
        """The best chunks by score, as bm25s's retrieve picks them."""
        best, found = topk(scores, self.top_k, backend="auto", sorted=True)
        return [(self.ids[int(i)], float(s)) for i, s in zip(found, best, strict=True) if s > 0]

    def search(self, query: str) -> list[tuple[str, float]]:
        scores = self.scores(query)
        return [] if scores is None else self.top(scores)

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency of a folded token (0 when no chunk has it)."""
        column = self.bm25.vocab_dict.get(token)
        if column is None:
            return 0.0
        indptr = self.bm25.scores["indptr"]
        df = int(indptr[column + 1] - indptr[column])
        return math.log(1 + (len(self.ids) - df + 0.5) / (df + 0.5)) if df else 0.0

    def line_scores(self, query: str, texts: dict[str, str]) -> dict[str, float]:
        """For each chunk, how well its best line matches the query: the IDF of the query's words it has,
        plus that of the query's word pairs it has in the same order. A plan states one assignment a line."""
        words = _WORDS.findall(fold(query))
        weights = {w: self.idf(w) for w in set(words)}
        pairs = set(pairwise(words))
        scores: dict[str, float] = {}
        for node_id, text in texts.items():
            best = 0.0
            for line in fold(text).splitlines():
                tokens = _WORDS.findall(line)
                got = sum(weights[w] for w in set(tokens) & weights.keys())
                got += sum(min(weights[a], weights[b]) for a, b in set(pairwise(tokens)) & pairs)
                best = max(best, got)
            scores[node_id] = best
        return scores

    def place_mask(self, places: tuple[Place, ...]) -> np.ndarray | None:
        """1 for the chunks that name every place (by one of its names), else 0; None when no chunk does."""
        mask: np.ndarray | None = None
        for place in places:
            named = np.zeros(len(self.ids), dtype=bool)
            for key in place_keys(place):
                if key in self.places:
                    named[self.places[key]] = True
            mask = named if mask is None else mask & named
        return None if mask is None or not mask.any() else mask.astype(np.float32)


@dataclass
class RankedLists:
    dense: list[tuple[str, float]]
    bm25: list[tuple[str, float]]
    # the same two searches among the chunks that name the places of the question
    place: list[list[tuple[str, float]]] = field(default_factory=list)
    # of the chunks above, those that name them, with the score of their line that best matches the question
    # (None: no place asked about)
    named: dict[str, float] | None = None
    query_vector: np.ndarray | None = None  # the question's embedding, unit length

    def all(self) -> list[list[tuple[str, float]]]:
        return [self.dense, self.bm25, *self.place]


class HybridRetriever(BaseRetriever):
    """Dense + BM25, fused by reciprocal rank; returns the stored nodes."""

    def __init__(
        self, store: ChunkStore, embed_model: BaseEmbedding, nodes: list[TextNode], top_k: int = 10,
        bm25: FoldedBM25 | None = None, vectors: np.ndarray | None = None,
    ) -> None:
        super().__init__()
        self.nodes = {n.node_id: n for n in nodes}
        self.order = [n.node_id for n in nodes]
        self.top_k = top_k
        self.embed_model = embed_model
        self.store = store
        self.bm25 = bm25 or (FoldedBM25.build(nodes, CANDIDATES) if nodes else None)
        if vectors is not None and vectors.shape[0] != len(nodes):
            raise ValueError(f"{vectors.shape[0]} vectors for {len(nodes)} chunks")
        self.vectors = vectors

    def dense_search(self, query_embedding: list[float]) -> list[tuple[str, float]]:
        """Nearest chunks by cosine similarity (ids and similarities only: the texts are in memory).

        With the chunks' vectors in memory the search is exact: Chroma's HNSW index is approximate, and
        its results for the same vector differed from one process to the next (2 to 5 of 47 questions
        on 357 chunks), which made answers vary between runs. Ties keep the chunks' document order."""
        if not self.nodes:
            return []
        if self.vectors is not None:
            query = np.asarray(query_embedding, dtype=np.float32)
            similarity = self.vectors @ (query / (np.linalg.norm(query) or 1.0))
            k = min(CANDIDATES, len(self.order))
            best = np.argpartition(-similarity, k - 1)[:k] if k < len(self.order) else np.arange(len(self.order))
            best = best[np.lexsort((best, -similarity[best]))]
            return [(self.order[i], float(similarity[i])) for i in best]
        result = self.store.collection.query(
            query_embeddings=[query_embedding], n_results=min(CANDIDATES, len(self.nodes)), include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True) if i in self.nodes]

    def ranked_lists(self, query: str, query_embedding: list[float] | None = None) -> RankedLists:
        embedding = query_embedding if query_embedding is not None else self.embed_model.get_query_embedding(query)
        scores = self.bm25.scores(query) if self.bm25 else None
        lists = RankedLists(self.dense_search(embedding), self.bm25.top(scores) if self.bm25 and scores is not None else [])
        vector = np.asarray(embedding, dtype=np.float32)
        lists.query_vector = vector / (float(np.linalg.norm(vector)) or 1.0)
        places = find_places(query)
        mask = self.bm25.place_mask(places) if places and self.bm25 else None
        if mask is not None and self.bm25 is not None and scores is not None:
            lists.place.append(self.bm25.top(scores * mask))
            positions = self.bm25.positions
            named_ids = {i for ranking in lists.all() for i, _ in ranking if mask[positions[i]] > 0}
            lists.named = self.bm25.line_scores(query, {i: self.nodes[i].text for i in named_ids if i in self.nodes})
        return lists

    @staticmethod
    def fuse(lists: RankedLists) -> list[tuple[str, float]]:
        """Reciprocal rank fusion; when the question names places, the chunks that name them come first."""
        scores: dict[str, float] = {}
        for ranking in lists.all():
            for rank, (node_id, _) in enumerate(ranking):
                scores[node_id] = scores.get(node_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        named = lists.named
        if named is None:
            return sorted(scores.items(), key=lambda kv: -kv[1])
        # the chunks of the place first, the one with the line that matches the question best first among them
        return sorted(scores.items(), key=lambda kv: (kv[0] not in named, -named.get(kv[0], 0.0), -kv[1]))

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        fused = self.fuse(self.ranked_lists(query_bundle.query_str, query_bundle.embedding))
        return [NodeWithScore(node=self.nodes[i], score=s) for i, s in fused[: self.top_k] if i in self.nodes]

    def embed_query(self, query: str) -> list[float]:
        return list(np.asarray(self.embed_model.get_query_embedding(query), dtype=float))
