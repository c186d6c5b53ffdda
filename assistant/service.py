"""The assistant as a service: loads the index and models once, answers many questions.

The CLI, the browser app and the evaluation all go through this class.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode

from assistant.answering.builder import AnswerBuilder, Ranked
from assistant.questions.analysis import TermStats, analyse, is_english
from assistant.questions.conversation import resolve
from assistant.questions.places import constraints as place_constraints
from assistant.reading.extraction import Assignment, extract_assignments
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.loading import cache_root, load_index
from assistant.settings import Settings
from assistant.types import Answer, DocumentInfo
from assistant.uploads import SavedUpload, save_uploads
from index.embed_cache import EmbeddingCache
from index.embedding import make_embed_model
from index.ingest import Ingestor, IngestReport
from index.lock import IndexBusy, write_lock
from index.store import ChunkStore, StoreError, context_of
from index.store_errors import damaged, move_aside

logger = logging.getLogger(__name__)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


REFRESH_EVERY_S = 5.0
_MARKUP = re.compile(r"<[^>]{0,300}>")


class QuestionError(ValueError):
    """A question the assistant refuses, with a message for the user."""


def validate_question(question: str, max_chars: int) -> str:
    text = (question or "").strip()
    if not text:
        raise QuestionError("Câu hỏi trống: hãy nhập một câu hỏi. (The question is empty.)")
    if len(text) > max_chars:
        raise QuestionError(
            f"Câu hỏi quá dài ({len(text)} ký tự, tối đa {max_chars}). (The question is too long.)"
        )
    if not any(c.isalnum() for c in text):
        raise QuestionError("Câu hỏi chỉ có dấu câu, không có chữ. (The question has no words.)")
    return text


def open_store(settings: Settings, create: bool) -> ChunkStore:
    return ChunkStore.open(settings.index_dir, settings.chroma_url, settings.embed_model, create=create)


def _open_cache(settings: Settings, reset: bool) -> EmbeddingCache:
    path = settings.index_dir / "embeddings.sqlite"
    try:
        return EmbeddingCache(path, settings.embed_model)
    except sqlite3.DatabaseError as exc:
        if not reset:
            raise damaged(settings.index_dir, exc) from exc
        move_aside(path, exc)  # vectors can be computed again
        return EmbeddingCache(path, settings.embed_model)


def run_ingest(
    settings: Settings, embed_model: BaseEmbedding | None = None, reset: bool = False,
    progress: Callable[[int, int], None] | None = None, only: Sequence[str] | None = None,
    wait: bool = False, on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in step with settings.documents_dir (or with just the files `only` names, relative to it),
    holding the index's write lock (see index.lock): taken by another process, IndexBusy, or with wait=True,
    on_wait(holder) and a wait. reset drops the index first (a damaged one is moved aside)."""
    with write_lock(settings.index_dir, wait=wait, on_wait=on_wait):
        return _ingest(settings, embed_model, reset, progress, only)


def _ingest(
    settings: Settings, embed_model: BaseEmbedding | None, reset: bool,
    progress: Callable[[int, int], None] | None, only: Sequence[str] | None,
) -> IngestReport:
    """run_ingest's work, with the write lock held."""
    if reset:
        ChunkStore.reset(settings.index_dir, settings.chroma_url)
    store = open_store(settings, create=True)
    model = embed_model or make_embed_model(settings.embed_model, settings.engine_dir)
    cache = _open_cache(settings, reset)
    try:
        return Ingestor(store, model, cache).run(
            settings.documents_dir, progress, settings.max_upload_mb * 1_000_000, only=only
        )
    finally:
        cache.close()


def add_files(
    settings: Settings, files: Sequence[tuple[str, bytes]], embed_model: BaseEmbedding | None = None,
    progress: Callable[[int, int], None] | None = None, wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[list[SavedUpload], IngestReport]:
    """Save files (name, content) under the documents folder, never over an existing file (see
    assistant.uploads), and ingest just them. The CLI's `add` and the browser's upload both come here."""
    with write_lock(settings.index_dir, wait=wait, on_wait=on_wait):  # refused: nothing copied either
        saved = save_uploads(settings.documents_dir, files, settings.max_upload_mb * 1_000_000)
        return saved, _ingest(settings, embed_model, False, progress, [s.source for s in saved])


class _Loaded:
    """What one load of the index gives: the chunks, their retriever and the answer builder over them.
    A question is answered from one of these throughout, while a reload builds the next."""

    def __init__(self, settings: Settings, store: ChunkStore, embed_model: BaseEmbedding) -> None:
        loaded = load_index(store, cache_root(settings.index_dir, settings.chroma_url))
        self.generation = loaded.generation
        self.nodes = loaded.nodes
        self.from_cache = loaded.from_cache
        self.stats = loaded.stats
        self.retriever = HybridRetriever(store, embed_model, loaded.nodes, top_k=settings.top_k, bm25=loaded.bm25)
        self._assignment_cache: dict[str, list[Assignment]] = {}
        self._all_assignments: list[Assignment] | None = None
        self.builder = AnswerBuilder(
            self.stats, self.assignments_of, self.assignments, self.retriever.nodes.get,
            min_coverage=settings.min_coverage, min_fact_coverage=settings.min_fact_coverage,
        )

    def assignments_of(self, node: TextNode) -> list[Assignment]:
        cached = self._assignment_cache.get(node.node_id)
        if cached is None:
            found = extract_assignments(node.text, int(node.metadata["start"]), context_of(node))
            source, title = str(node.metadata["source"]), str(node.metadata.get("title", ""))
            cached = [replace(a, source=source, title=title, chunk_id=node.node_id) for a in found]
            self._assignment_cache[node.node_id] = cached
        return cached

    def assignments(self) -> list[Assignment]:
        if self._all_assignments is None:
            self._all_assignments = [a for n in self.nodes for a in self.assignments_of(n)]
        return self._all_assignments


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
        settings = settings or Settings()
        store = open_store(settings, create=False)
        if store.count() == 0:
            raise StoreError("nothing is ingested yet: run `assistant ingest` first")
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
    def builder(self) -> AnswerBuilder:
        return self._state.builder

    @property
    def stats(self) -> TermStats:
        return self._state.stats

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
        """The ingested documents with their chunk and assignment counts."""
        state = self._state
        infos: dict[str, DocumentInfo] = {}
        for node in state.nodes:
            source = str(node.metadata["source"])
            info = infos.setdefault(source, DocumentInfo(source, str(node.metadata.get("title", "")), 0, 0))
            info.chunks += 1
            info.assignments += len(state.assignments_of(node))
        return list(infos.values())

    # -- assignments ----------------------------------------------------------
    def assignments_of(self, node: TextNode) -> list[Assignment]:
        return self._state.assignments_of(node)

    def assignments(self) -> list[Assignment]:
        """Every assignment in the ingested documents, in document order."""
        return self._state.assignments()

    # -- questions ------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Answer] = ()) -> Answer:
        started = time.perf_counter()
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
        state = self._state  # one load throughout: a reload by another thread must not mix two
        lists = state.retriever.ranked_lists(query)
        analysed.dense_top = lists.dense[0][1] if lists.dense else 0.0
        fused = state.retriever.fuse(lists)[: self.settings.top_k]
        ranked = [Ranked(state.retriever.nodes[i], score) for i, score in fused if i in state.retriever.nodes]
        if len(ranked) < len(fused):  # chunks another process wrote since this load: dropped, reload soon
            logger.info("%d retrieved chunks are not loaded yet: reloading before the next question",
                        len(fused) - len(ranked))
            self._checked_at = 0.0
        answer = state.builder.build(analysed, ranked, exclude=set(resolved.exclude))
        answer.question = text
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer


__all__ = ["Assistant", "IndexBusy", "QuestionError", "StoreError", "add_files", "run_ingest", "validate_question"]
