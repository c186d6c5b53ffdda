"""The assistant as a service: loads the index and models once, answers many questions.

The CLI, the browser app and the evaluation all go through this class.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode

from assistant.answering.answerer import Answerer
from assistant.answering.candidates import Candidate, Ranked
from assistant.catalog import DocumentCatalog, document_info
from assistant.inputs import QuestionError, validate_question
from assistant.questions.analysis import Question, TermStats, analyse, is_english
from assistant.questions.conversation import resolve
from assistant.questions.places import constraints as place_constraints
from assistant.reading.assignments import Assignment
from assistant.reading.confidence import AssignmentModel
from assistant.reading.corpus import ReadCorpus, read_corpus
from assistant.retrieval.hybrid import HybridRetriever, RankedLists
from assistant.retrieval.loading import cache_root, load_index
from assistant.retrieval.statements import SentenceVectors
from assistant.settings import Settings, load_settings
from assistant.types import Answer, DocumentInfo
from index.embedding import make_embed_model
from index.errors import NothingToIngest
from index.lock import IndexBusy, write_lock
from index.store import NOT_INGESTED, ChunkStore, StoreError
from index.store_errors import damaged, move_aside
from index.textnorm import blank_markup

if TYPE_CHECKING:
    from assistant.uploads import SavedUpload
    from index.embed_cache import EmbeddingCache
    from index.ingest import IngestReport

logger = logging.getLogger(__name__)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


REFRESH_EVERY_S = 5.0
EMBEDDINGS_FILE = "embeddings.sqlite"  # the embedding cache of chunks and their sentences, by content hash


def open_store(settings: Settings, create: bool) -> ChunkStore:
    return ChunkStore.open(settings.index_dir, settings.chroma_url, settings.embed_model, create=create)


def run_ingest(
    settings: Settings, embed_model: BaseEmbedding | None = None, reset: bool = False,
    progress: Callable[[int, int], None] | None = None, allow_empty: bool = False,
    only: Sequence[str] | None = None, wait: bool = False, on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in step with settings.documents_dir (or with just the files `only` names, relative to it).

    A folder with no readable document raises NothingToIngest before anything is opened or written
    (it would remove every stored document), unless allow_empty. The writing holds the index's write lock
    (index.lock): held by another process, IndexBusy, or with wait=True, on_wait(holder) and a wait (then
    the folder is read again). reset drops the index first (a damaged one is moved aside)."""
    from index.ingest import refuse_empty
    from index.loader import load_documents

    max_bytes = settings.max_upload_mb * 1_000_000
    loaded = None
    if only is None:
        loaded = load_documents(settings.documents_dir, max_bytes)
        if not loaded[0] and not allow_empty:
            raise refuse_empty(settings.documents_dir, loaded[1])
    waited = []

    def waiting(holder: str) -> None:
        waited.append(holder)
        if on_wait is not None:
            on_wait(holder)

    with write_lock(settings.index_dir, wait=wait, on_wait=waiting):
        if waited and loaded is not None:  # the folder may have changed while another process wrote
            loaded = None
        return _ingest(settings, embed_model, reset, progress, loaded, allow_empty, only)


def _ingest(
    settings: Settings, embed_model: BaseEmbedding | None, reset: bool, progress: Callable[[int, int], None] | None,
    loaded: tuple[list[Any], list[Any]] | None, allow_empty: bool, only: Sequence[str] | None,
) -> IngestReport:
    """run_ingest's work, with the write lock held."""
    # imported here: answering never needs them (a smaller cold start for `assistant ask`)
    from index.ingest import Ingestor

    if reset:
        ChunkStore.reset(settings.index_dir, settings.chroma_url)
    store = open_store(settings, create=True)
    model = embed_model or make_embed_model(settings.embed_model, settings.engine_dir)
    cache = _open_cache(settings, reset)
    try:
        return Ingestor(store, model, cache).run(
            settings.documents_dir, progress, settings.max_upload_mb * 1_000_000, loaded, allow_empty, only=only
        )
    finally:
        cache.close()


def _open_cache(settings: Settings, reset: bool) -> EmbeddingCache:
    from index.embed_cache import EmbeddingCache

    path = settings.index_dir / EMBEDDINGS_FILE
    try:
        return EmbeddingCache(path, settings.embed_model)
    except sqlite3.DatabaseError as exc:
        if not reset:
            raise damaged(settings.index_dir, exc) from exc
        move_aside(path, exc)  # vectors can be computed again
        return EmbeddingCache(path, settings.embed_model)


def add_files(
    settings: Settings, files: Sequence[tuple[str, bytes]], embed_model: BaseEmbedding | None = None,
    progress: Callable[[int, int], None] | None = None, wait: bool = False,
    on_wait: Callable[[str], None] | None = None, in_place: Sequence[str] = (),
) -> tuple[list[SavedUpload], IngestReport]:
    """Save files (name, content) under the documents folder, never over an existing file (see
    assistant.uploads), and ingest just them, with the files `in_place` already in the folder. The CLI's
    `add` and the browser's upload both come here."""
    from assistant.uploads import save_uploads

    with write_lock(settings.index_dir, wait=wait, on_wait=on_wait):  # refused: nothing copied either
        saved = save_uploads(settings.documents_dir, files, settings.max_upload_mb * 1_000_000)
        only = [*in_place, *(s.source for s in saved)]
        return saved, _ingest(settings, embed_model, False, progress, None, True, only)


class _Loaded:
    """What one load of the index gives: the chunks, their retriever, the read corpus and the answerer over
    them. A question is answered from one of these throughout, while a reload builds the next."""

    def __init__(self, settings: Settings, store: ChunkStore, embed_model: BaseEmbedding) -> None:
        loaded = load_index(store, cache_root(settings.index_dir, settings.chroma_url), settings.exact_search_limit)
        self.generation = loaded.generation
        self.nodes = loaded.nodes
        self.from_cache = loaded.from_cache
        self.retriever = HybridRetriever(store, embed_model, loaded.nodes, top_k=settings.top_k, bm25=loaded.bm25,
                                         vectors=loaded.vectors)
        self.stats = loaded.stats
        self.catalog = DocumentCatalog(loaded.nodes)
        self.corpus: ReadCorpus = read_corpus(loaded.nodes, AssignmentModel.load())
        sentences = SentenceVectors(settings.index_dir / EMBEDDINGS_FILE, settings.embed_model, embed_model)
        self.answerer = Answerer(self.stats, self.corpus, self.retriever.nodes.get, sentences=sentences)


class Assistant:
    """Answers questions from the chunks stored in Chroma."""

    def __init__(self, settings: Settings, store: ChunkStore, embed_model: BaseEmbedding) -> None:
        self.settings = settings
        self.store = store
        self.embed_model = embed_model
        self._lock = threading.Lock()
        self._checked_at = time.monotonic()
        self._state = _Loaded(settings, store, embed_model)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, embed_model: BaseEmbedding | None = None) -> Assistant:
        settings = settings or load_settings()
        store = open_store(settings, create=False)
        if store.count() == 0:
            raise StoreError(NOT_INGESTED)
        model = embed_model or make_embed_model(settings.embed_model, settings.engine_dir)
        return cls(settings, store, model)

    # the current load (a reload replaces it whole, in one assignment)
    @property
    def nodes(self) -> list[TextNode]:
        return self._state.nodes

    @property
    def retriever(self) -> HybridRetriever:
        return self._state.retriever

    @property
    def stats(self) -> TermStats:
        return self._state.stats

    @property
    def catalog(self) -> DocumentCatalog:
        return self._state.catalog

    @property
    def corpus(self) -> ReadCorpus:
        return self._state.corpus

    @property
    def answerer(self) -> Answerer:
        return self._state.answerer

    @property
    def loaded_from_cache(self) -> bool:
        return self._state.from_cache

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
            if self.store.generation() == self._state.generation:
                return False
            self._state = _Loaded(self.settings, self.store, self.embed_model)
            return True

    def ingest(self, documents_dir: Path | None = None) -> IngestReport:
        settings = self.settings if documents_dir is None else self.settings.model_copy(update={"documents_dir": documents_dir})
        report = run_ingest(settings, self.embed_model)
        self.refresh()
        return report

    def add_documents(
        self, files: Sequence[tuple[str, bytes]], progress: Callable[[int, int], None] | None = None,
        wait: bool = True,
    ) -> tuple[list[SavedUpload], IngestReport]:
        """Save uploaded files (never over an existing one) and ingest just them; answerable at once."""
        saved, report = add_files(self.settings, files, self.embed_model, progress, wait=wait)
        self.refresh()
        return saved, report

    def add_document(self, name: str, content: bytes) -> IngestReport:
        """add_documents for one file."""
        return self.add_documents([(name, content)])[1]

    def documents(self) -> list[DocumentInfo]:
        """The ingested documents (title, number, date, issuer) with their chunk and assignment counts."""
        state = self._state
        infos: dict[str, DocumentInfo] = {}
        for node in state.nodes:
            source = str(node.metadata["source"])
            info = infos.get(source)
            if info is None:
                info = infos[source] = document_info(node.metadata)
            info.chunks += 1
            info.assignments += len([a for a in state.corpus.by_chunk.get(node.node_id, []) if a.listed])
        return list(infos.values())

    # -- assignments ----------------------------------------------------------
    def assignments_of(self, node: TextNode) -> list[Assignment]:
        """The tasks whose statement starts in this chunk."""
        return [a for a in self._state.corpus.by_chunk.get(node.node_id, []) if a.listed]

    def assignments(self) -> list[Assignment]:
        """Every task assignment in the ingested documents, in document order (meetings chaired, past
        actions and speeches are read for answering, but are no tasks)."""
        return [a for a in self._state.corpus.assignments if a.listed]

    # -- questions ------------------------------------------------------------
    def understand(self, question: str, history: Sequence[Answer] = (), state: _Loaded | None = None) -> Understood:
        """The question analysed (with what a follow-up refers to) and the passages retrieved for it (from the
        current load, or `state`)."""
        state = state or self._state
        text = validate_question(question, self.settings.max_question_chars)
        # markup pasted into a question is noise, not words to match ("<img ...> Đơn vị nào ...")
        resolved = resolve(blank_markup(text).strip() or text, history)
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
        lists = state.retriever.ranked_lists(query)
        analysed.dense_top = lists.dense[0][1] if lists.dense else 0.0
        nodes = state.retriever.nodes
        fused = state.retriever.fuse(lists)[: self.settings.top_k]
        # a chunk this load does not hold (another process changed the index) is dropped, and a reload is due
        ranked = [Ranked(nodes[i], score) for i, score in fused if i in nodes]
        if len(ranked) < len(fused):
            logger.info("%d retrieved chunks are not loaded: reloading before the next question", len(fused) - len(ranked))
            self._checked_at = 0.0
        return Understood(text, analysed, ranked, lists, set(resolved.exclude), resolved.established)

    def ask(self, question: str, history: Sequence[Answer] = ()) -> Answer:
        started = time.perf_counter()
        state = self._state  # one load throughout: a reload by another thread must not mix two
        u = self.understand(question, history, state)
        answer = state.answerer.answer(u.question, u.ranked, u.lists, exclude=u.exclude, established=u.established)
        answer.citations = [state.catalog.enrich(c) for c in answer.citations]
        answer.question = u.text
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def candidates(self, question: str, history: Sequence[Answer] = ()) -> tuple[Understood, list[Candidate]]:
        """Every candidate answer with its features, before the decision (for fitting it)."""
        state = self._state
        u = self.understand(question, history, state)
        ranked = state.answerer.rerank(u.question, u.ranked)
        return u, state.answerer.candidates(u.question, ranked, u.lists, u.exclude)


@dataclass
class Understood:
    text: str  # as asked
    question: Question  # analysed
    ranked: list[Ranked]
    lists: RankedLists
    exclude: set[tuple[str, int]]
    established: list[tuple[str, int, int]] = field(default_factory=list)  # what the previous turn answered from


__all__ = ["Assistant", "IndexBusy", "NothingToIngest", "QuestionError", "StoreError", "add_files", "run_ingest",
           "validate_question"]
