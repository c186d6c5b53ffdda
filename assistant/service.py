"""The assistant as a service: loads the index and models once, answers many questions.

The CLI, the browser app and the evaluation all go through this class.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode

from assistant.answering.answerer import Answerer
from assistant.answering.candidates import Candidate, Ranked
from assistant.catalog import DocumentCatalog, document_info
from assistant.inputs import QuestionError, validate_question
from assistant.questions.analysis import Question, analyse, is_english
from assistant.questions.conversation import resolve
from assistant.questions.places import constraints as place_constraints
from assistant.reading.assignments import Assignment
from assistant.reading.confidence import AssignmentModel
from assistant.reading.corpus import ReadCorpus, read_corpus
from assistant.retrieval.hybrid import HybridRetriever, RankedLists
from assistant.retrieval.loading import cache_root, load_index
from assistant.settings import Settings, load_settings
from assistant.types import Answer, DocumentInfo
from index.embedding import make_embed_model
from index.errors import NothingToIngest
from index.store import NOT_INGESTED, ChunkStore, StoreError

if TYPE_CHECKING:
    from index.ingest import IngestReport

logger = logging.getLogger(__name__)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


REFRESH_EVERY_S = 5.0
_MARKUP = re.compile(r"<[^>]{0,300}>")


def open_store(settings: Settings, create: bool) -> ChunkStore:
    return ChunkStore.open(settings.index_dir, settings.chroma_url, settings.embed_model, create=create)


def run_ingest(
    settings: Settings, embed_model: BaseEmbedding | None = None, reset: bool = False,
    progress: Callable[[int, int], None] | None = None, allow_empty: bool = False,
) -> IngestReport:
    """Bring the index in step with settings.documents_dir.

    A folder with no readable document raises NothingToIngest before anything is opened or written
    (it would remove every stored document), unless allow_empty."""
    # imported here: answering never needs them (a smaller cold start for `assistant ask`)
    from index.embed_cache import EmbeddingCache
    from index.ingest import Ingestor, refuse_empty
    from index.loader import load_documents

    max_bytes = settings.max_upload_mb * 1_000_000
    loaded = load_documents(settings.documents_dir, max_bytes)
    if not loaded[0] and not allow_empty:
        raise refuse_empty(settings.documents_dir, loaded[1])
    if reset:
        ChunkStore.reset(settings.index_dir, settings.chroma_url)
    store = open_store(settings, create=True)
    model = embed_model or make_embed_model(settings.embed_model, settings.engine_dir)
    cache = EmbeddingCache(settings.index_dir / "embeddings.sqlite", settings.embed_model)
    try:
        return Ingestor(store, model, cache).run(settings.documents_dir, progress, max_bytes, loaded, allow_empty)
    finally:
        cache.close()


class Assistant:
    """Answers questions from the chunks stored in Chroma."""

    def __init__(self, settings: Settings, store: ChunkStore, embed_model: BaseEmbedding) -> None:
        self.settings = settings
        self.store = store
        self.embed_model = embed_model
        self._lock = threading.Lock()
        self._checked_at = time.monotonic()
        self._load()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, embed_model: BaseEmbedding | None = None) -> Assistant:
        settings = settings or load_settings()
        store = open_store(settings, create=False)
        if store.count() == 0:
            raise StoreError(NOT_INGESTED)
        model = embed_model or make_embed_model(settings.embed_model, settings.engine_dir)
        return cls(settings, store, model)

    def _load(self) -> None:
        loaded = load_index(self.store, cache_root(self.settings.index_dir, self.settings.chroma_url))
        self.nodes = loaded.nodes
        self.loaded_from_cache = loaded.from_cache
        self._fingerprint = loaded.generation
        self.retriever = HybridRetriever(self.store, self.embed_model, loaded.nodes, top_k=self.settings.top_k,
                                         bm25=loaded.bm25)
        self.stats = loaded.stats
        self.catalog = DocumentCatalog(loaded.nodes)
        self.corpus: ReadCorpus = read_corpus(loaded.nodes, AssignmentModel.load())
        self.answerer = Answerer(self.stats, self.corpus, self.retriever.nodes.get)

    def _current_fingerprint(self) -> str:
        return self.store.generation()

    def refresh_if_due(self, every_s: float = REFRESH_EVERY_S) -> bool:
        """refresh(), at most once every few seconds: cheap enough to call before each answer."""
        now = time.monotonic()
        if now - self._checked_at < every_s:
            return False
        self._checked_at = now
        return self.refresh()

    def refresh(self) -> bool:
        """Reload when the stored chunks changed (another process ingested); True if reloaded."""
        with self._lock:
            if self._current_fingerprint() == self._fingerprint:
                return False
            self._load()
            return True

    def ingest(self, documents_dir: Path | None = None) -> IngestReport:
        settings = self.settings if documents_dir is None else self.settings.model_copy(update={"documents_dir": documents_dir})
        report = run_ingest(settings, self.embed_model)
        self.refresh()
        return report

    def add_document(self, name: str, content: bytes) -> IngestReport:
        """Save an uploaded file under the documents folder and ingest it (incrementally)."""
        from assistant.uploads import save_upload

        save_upload(self.settings.documents_dir, name, content, self.settings.max_upload_mb * 1_000_000)
        return self.ingest()

    def documents(self) -> list[DocumentInfo]:
        """The ingested documents (title, number, date, issuer) with their chunk and assignment counts."""
        infos: dict[str, DocumentInfo] = {}
        for node in self.nodes:
            source = str(node.metadata["source"])
            info = infos.get(source)
            if info is None:
                info = infos[source] = document_info(node.metadata)
            info.chunks += 1
            info.assignments += len(self.assignments_of(node))
        return list(infos.values())

    # -- assignments ----------------------------------------------------------
    def assignments_of(self, node: TextNode) -> list[Assignment]:
        """The tasks whose statement starts in this chunk."""
        return [a for a in self.corpus.by_chunk.get(node.node_id, []) if a.listed]

    def assignments(self) -> list[Assignment]:
        """Every task assignment in the ingested documents, in document order (meetings chaired, past
        actions and speeches are read for answering, but are no tasks)."""
        return [a for a in self.corpus.assignments if a.listed]

    # -- questions ------------------------------------------------------------
    def understand(self, question: str, history: Sequence[Answer] = ()) -> Understood:
        """The question analysed (with what a follow-up refers to) and the passages retrieved for it."""
        text = validate_question(question, self.settings.max_question_chars)
        # markup pasted into a question is noise, not words to match ("<img ...> Đơn vị nào ...")
        resolved = resolve(_MARKUP.sub(" ", text).strip() or text, history)
        # an English follow-up stays English once "it" is replaced by a Vietnamese unit name
        english = is_english(text) or None
        analysed = analyse(resolved.text, english)
        query = resolved.text
        if resolved.context:
            with_context = analyse(f"{resolved.text} {resolved.context}", english)
            analysed.terms = list(dict.fromkeys(analysed.terms + with_context.terms))
            analysed.exact = with_context.exact and not analysed.english
            query = f"{resolved.text} {resolved.context}"
        if analysed.english:  # BM25 finds Vietnamese passages by the glossary's Vietnamese words
            query = f"{query} {' '.join(analysed.terms)}"
        # "tại tỉnh X": a passage that does not name the place (nor its document) does not answer
        analysed.constraints = list(dict.fromkeys(analysed.constraints + place_constraints(resolved.text)))
        lists = self.retriever.ranked_lists(query)
        analysed.dense_top = lists.dense[0][1] if lists.dense else 0.0
        nodes = self.retriever.nodes
        # a chunk another process removed since this one loaded is dropped, not failed on
        ranked = [Ranked(nodes[i], score) for i, score in self.retriever.fuse(lists)[: self.settings.top_k] if i in nodes]
        return Understood(text, analysed, ranked, lists, set(resolved.exclude))

    def ask(self, question: str, history: Sequence[Answer] = ()) -> Answer:
        started = time.perf_counter()
        u = self.understand(question, history)
        answer = self.answerer.answer(u.question, u.ranked, u.lists, exclude=u.exclude)
        answer.citations = [self.catalog.enrich(c) for c in answer.citations]
        answer.question = u.text
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def candidates(self, question: str, history: Sequence[Answer] = ()) -> tuple[Understood, list[Candidate]]:
        """Every candidate answer with its features, before the decision (for fitting it)."""
        u = self.understand(question, history)
        ranked = self.answerer.rerank(u.question, u.ranked)
        return u, self.answerer.candidates(u.question, ranked, u.lists, u.exclude)


@dataclass
class Understood:
    text: str  # as asked
    question: Question  # analysed
    ranked: list[Ranked]
    lists: RankedLists
    exclude: set[tuple[str, int]]


__all__ = ["Assistant", "NothingToIngest", "QuestionError", "StoreError", "run_ingest", "validate_question"]
