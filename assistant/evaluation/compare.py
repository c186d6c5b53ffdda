"""Side-by-side variants for `assistant eval --compare`, all on the same index and embedder.

- baseline: the llama-index quick start (VectorStoreIndex over default SentenceSplitter
  chunks, dense top 2, the top chunk as the answer, no extraction);
- dense, bm25, hybrid: the assistant's own retrieval lists alone (hit@k, MRR only);
- assistant: the full pipeline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter

from assistant.evaluation.scoring import Conversation, flat_questions, run, score
from assistant.service import Assistant
from assistant.types import Answer, Citation, Retrieved
from index.loader import load_documents

logger = logging.getLogger(__name__)

RETRIEVAL_ONLY = ("dense", "bm25", "hybrid")
VARIANTS = ("baseline", *RETRIEVAL_ONLY, "assistant")
RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "mrr", "latency_p50_ms", "latency_p95_ms")


class BaselineDocumentsMissing(ValueError):
    """The documents folder does not hold the documents the index was built from."""


def baseline_documents(documents_dir: Path, sources: set[str] | None = None) -> list[Any]:
    """The documents of the folder (only those named in `sources`, the index's, when given: all must be there)."""
    documents, _ = load_documents(documents_dir)
    if sources is None:
        return list(documents)
    missing = sorted(sources - {d.source for d in documents})
    if missing:
        raise BaselineDocumentsMissing(
            f"--compare builds its baseline from the documents folder {documents_dir}, which lacks {len(missing)} "
            f"of the index's {len(sources)} documents ({missing[0]}, ...): pass --documents with the folder the "
            "index was built from"
        )
    return [d for d in documents if d.source in sources]


def index_sources(assistant: Assistant) -> set[str]:
    return {str(n.metadata["source"]) for n in assistant.nodes}


def baseline_ask(
    documents_dir: Path, embed_model: BaseEmbedding, sources: set[str] | None = None
) -> Callable[[str, Sequence[Answer]], Answer]:
    """What a user gets from the llama-index quick start, with the same embedder, over the same documents."""
    documents = baseline_documents(documents_dir, sources)
    index = VectorStoreIndex.from_documents(
        [Document(text=d.text, metadata={"source": d.source}) for d in documents],
        embed_model=embed_model, transformations=[SentenceSplitter()],
    )
    retriever = index.as_retriever(similarity_top_k=2)

    def ask(question: str, history: Sequence[Answer] = ()) -> Answer:
        started = time.perf_counter()
        results = retriever.retrieve(question)
        retrieved = [
            Retrieved(str(r.node.metadata.get("source", "")), "", r.node.get_content(), float(r.score or 0), 0, 0)
            for r in results
        ]
        top = retrieved[0].text if retrieved else ""
        citations = [Citation(1, retrieved[0].source, "", top, 0, 0, retrieved[0].score)] if retrieved else []
        return Answer(question, bool(retrieved), top, citations=citations, retrieved=retrieved,
                      latency_ms=(time.perf_counter() - started) * 1000)

    return ask


def retrieval_ask(assistant: Assistant, which: str) -> Callable[[str, Sequence[Answer]], Answer]:
    """Only a ranked list (dense, bm25 or their fusion): nothing is answered."""

    def ask(question: str, history: Sequence[Answer] = ()) -> Answer:
        started = time.perf_counter()
        lists = assistant.retriever.ranked_lists(question)
        ranking = {"dense": lists.dense, "bm25": lists.bm25, "hybrid": assistant.retriever.fuse(lists)}[which]
        retrieved = []
        for node_id, s in ranking[:10]:
            node = assistant.retriever.nodes[node_id]
            retrieved.append(Retrieved(str(node.metadata["source"]), "", node.text, float(s), 0, 0))
        return Answer(question, False, "", retrieved=retrieved, latency_ms=(time.perf_counter() - started) * 1000)

    return ask


def compare(
    conversations: Sequence[Conversation], assistant: Assistant,
    baseline: Callable[[str, Sequence[Answer]], Answer] | None = None,
) -> dict[str, dict[str, Any]]:
    """Metrics per variant (the baseline built here unless given); retrieval-only variants report retrieval
    metrics only."""
    questions = flat_questions(conversations)
    asks: dict[str, Callable[[str, Sequence[Answer]], Answer]] = {
        "baseline": baseline or baseline_ask(assistant.settings.documents_dir, assistant.embed_model,
                                             index_sources(assistant)),
        **{name: retrieval_ask(assistant, name) for name in RETRIEVAL_ONLY},
        "assistant": assistant.ask,
    }
    table: dict[str, dict[str, Any]] = {}
    for name, ask in asks.items():
        logger.info("running variant %s", name)
        metrics = score(questions, run(conversations, ask))
        if name in RETRIEVAL_ONLY:
            metrics = {k: v for k, v in metrics.items() if k in RETRIEVAL_METRICS or k in ("n", "missing_records")}
        table[name] = metrics
    return table
