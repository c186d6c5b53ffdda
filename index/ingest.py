"""Incremental, idempotent ingestion: documents folder -> chunks -> vectors -> Chroma (and each chunk's sentences'
vectors -> the embedding cache, for the answerer).

A file's chunks are identified by the file's path and content hash, so:
unchanged files write nothing, a changed file's chunks are replaced, a deleted
file's chunks are removed. New chunks are written before old ones are removed,
and a version counts as present only when all its chunks are, so an
interrupted run is completed by the next one. A run that changes anything
gives the collection a new generation marker before and after its writes, so
app processes notice the change without reading every id.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from index.chunker import Chunk, chunk_text
from index.embed_cache import EmbeddingCache
from index.errors import NothingToIngest
from index.loader import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    SkippedFile,
    SourceDocument,
    load_documents,
    load_files,
    text_sha,
)
from index.sentences import chunk_sentences
from index.store import ChunkStore

logger = logging.getLogger(__name__)

CHUNKER_VERSION = "4"  # 3: chunks follow the outline and carry its heading path; 4: a bare "Chương II" keeps its title
# what a chunk's metadata holds besides its text (1: the document's number, date and issuer); part of the
# stored version, so an index built before gets them at its next ingest (vectors come from the cache)
METADATA_VERSION = "1"
EMBED_BATCH = 32  # chunks embedded (with their sentences) between two progress reports


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    chunks_written: int = 0

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)} "
            f"({self.chunks_written} chunks written)"
        )

    def summary_vi(self) -> str:
        """The summary for the browser app's staff."""
        counts: list[tuple[list[Any], str]] = [
            (self.added, "tệp mới"), (self.updated, "tệp cập nhật"), (self.removed, "tệp đã xoá"),
            (self.unchanged, "tệp không đổi"), (self.skipped, "tệp bỏ qua"),
        ]
        shown = [f"{len(items)} {label}" for items, label in counts if items]
        return "đã nạp: " + (", ".join(shown) if shown else "không có thay đổi")


def embedding_text(title: str, chunk: Chunk) -> str:
    """What the embedder sees: the document title and lead-in lines give a chunk its topic."""
    parts = [title, *(c.text for c in chunk.context), chunk.text]
    return "\n".join(dict.fromkeys(p for p in parts if p))


def build_nodes(doc: SourceDocument, version: str) -> list[tuple[TextNode, str]]:
    """The chunks of a document as nodes (no vectors yet), each with the text to embed."""
    chunks = chunk_text(doc.text)
    file_key = hashlib.sha1(doc.source.encode("utf-8")).hexdigest()[:10]
    nodes = []
    for chunk in chunks:
        embed_text = embedding_text(doc.title, chunk)
        node = TextNode(
            id_=f"{file_key}-{version[:12]}-{chunk.position:05d}",
            text=chunk.text,
            start_char_idx=chunk.start,
            end_char_idx=chunk.end,
            metadata={
                "source": doc.source,
                "title": doc.title,
                "doc_number": doc.doc_number,
                "doc_date": doc.doc_date,
                "issuer": doc.issuer,
                "start": chunk.start,
                "end": chunk.end,
                "position": chunk.position,
                "file_sha": version,
                "chunk_count": len(chunks),
                "embed_key": EmbeddingCache.key(embed_text),
                "context": json.dumps([c.__dict__ for c in chunk.context], ensure_ascii=False),
            },
        )
        if doc.pages:  # PDF: the page the chunk starts on, and the spans of the pages it runs over
            spans = [[p, s, e] for p, s, e in doc.pages if s < chunk.end and e > chunk.start]
            node.metadata["page"] = spans[0][0] if spans else doc.pages[-1][0]
            node.metadata["page_spans"] = json.dumps(spans)
        if doc.aliases:  # other files with the same text, stored once
            node.metadata["aliases"] = json.dumps(list(doc.aliases), ensure_ascii=False)
        node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc.source)
        node.excluded_embed_metadata_keys = list(node.metadata)
        node.excluded_llm_metadata_keys = list(node.metadata)
        nodes.append((node, embed_text))
    return nodes


def version_of(sha: str) -> str:
    """The stored version id of a document's content (see SourceDocument.sha)."""
    return hashlib.sha256((CHUNKER_VERSION + METADATA_VERSION + sha).encode()).hexdigest()[:16]


def refuse_empty(documents_dir: Path, skipped: list[SkippedFile]) -> NothingToIngest:
    """The error for a folder with no readable document, naming (some of) what was skipped, on one line."""
    if skipped:
        shown = "; ".join(f"{s.source}: {s.reason}" for s in skipped[:3])
        more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        found = f"no readable document in {documents_dir} (skipped {shown}{more})"
    else:
        found = f"no document in {documents_dir} (supported: {', '.join(SUPPORTED_SUFFIXES)})"
    return NothingToIngest(
        f"{found}; nothing was changed. To remove every document from the index, run `assistant ingest --allow-empty`"
    )


class Ingestor:
    """Keeps a ChunkStore in step with a documents folder (or with some of its files)."""

    def __init__(self, store: ChunkStore, embed_model: BaseEmbedding, cache: EmbeddingCache) -> None:
        self.store = store
        self.embed_model = embed_model
        self.cache = cache

    def run(
        self, documents_dir: Path, progress: Callable[[int, int], None] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        loaded: tuple[list[SourceDocument], list[SkippedFile]] | None = None, allow_empty: bool = False,
        only: Sequence[str] | None = None,
    ) -> IngestReport:
        """Bring the store in step with documents_dir (or with `loaded`, its documents already read).
        A folder with no readable document raises NothingToIngest unless allow_empty (which empties the store).
        With `only`, just those files (paths relative to the folder) and the stored documents that have the
        same text (so duplicates are stored once, as a full run stores them) are brought in step.
        progress(done, total) is called after each batch of embedded chunks."""
        states = self.store.file_states()
        scope: set[str] | None = None
        if only is not None:
            documents, skipped, scope = self._load_only(documents_dir, list(only), max_bytes)
        else:
            documents, skipped = loaded if loaded is not None else load_documents(documents_dir, max_bytes)
            if not documents and not allow_empty:
                raise refuse_empty(documents_dir, skipped)
        report = IngestReport(skipped=skipped)
        pending: list[tuple[SourceDocument, str, bool]] = []
        for doc in documents:
            version = version_of(doc.sha)
            versions = states.get(doc.source, [])
            complete = [v for v in versions if v.sha == version and v.present == v.expected]
            if complete and len(versions) == 1:
                report.unchanged.append(doc.source)
            elif complete:  # an interrupted replacement: finish removing the old version
                self.store.delete_other_versions(doc.source, version)
                report.updated.append(doc.source)
            else:
                pending.append((doc, version, bool(versions)))
        present = {d.source for d in documents} | {s.source for s in skipped if s.keep_stored}
        stored = set(states) if scope is None else set(states) & scope
        gone = sorted(stored - present)
        changes = bool(pending or gone or report.updated)
        if changes:  # readers that loaded before this run see a new generation (see ChunkStore.generation)
            self.store.mark_changed()
        all_nodes = {doc.source: build_nodes(doc, version) for doc, version, _ in pending}
        total = sum(len(n) for n in all_nodes.values())
        done = 0

        def embedded(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        for doc, version, existed in pending:
            nodes = all_nodes[doc.source]
            self.store.delete_where(doc.source, version)  # a partial write of this version
            self._embed(nodes, embedded)
            self.store.add([node for node, _ in nodes])
            self.store.delete_other_versions(doc.source, version)
            (report.updated if existed else report.added).append(doc.source)
            report.chunks_written += len(nodes)
        for source in gone:
            self.store.delete_where(source)
            report.removed.append(source)
        if changes:  # and readers that loaded while it ran
            self.store.mark_changed()
        return report

    def _load_only(
        self, documents_dir: Path, only: list[str], max_bytes: int
    ) -> tuple[list[SourceDocument], list[SkippedFile], set[str]]:
        """The files in `only`, and the stored documents (with their aliases) whose text one of them repeats."""
        documents, skipped = load_files(documents_dir, only, max_bytes)
        texts = {text_sha(d.text) for d in documents}
        same_text: set[str] = set()
        for source, versions in self.store.stored_aliases().items():
            for stored_version, aliases in versions:
                for sha in texts:
                    with_aliases = hashlib.sha256("\n".join([sha, *aliases]).encode("utf-8")).hexdigest()
                    if version_of(with_aliases if aliases else sha) == stored_version:
                        same_text |= {source, *aliases}
        same_text -= set(only)
        if same_text:
            documents, skipped = load_files(documents_dir, [*only, *same_text], max_bytes)
        return documents, skipped, set(only) | same_text

    def _embed(self, nodes: list[tuple[TextNode, str]], on_batch: Callable[[int], None]) -> None:
        """The chunks' vectors, and their sentences' (cached only: the answerer weighs a candidate statement by its own
        sentences, see assistant.retrieval.statements), a batch of chunks at a time so progress counts whole chunks."""
        compute = self.embed_model.get_text_embedding_batch
        for b in range(0, len(nodes), EMBED_BATCH):
            batch = nodes[b : b + EMBED_BATCH]
            vectors = self.cache.embed([text for _, text in batch], compute)
            self.cache.embed([node.text[s:e] for node, _ in batch for s, e in chunk_sentences(node.text)], compute)
            for (node, _), vector in zip(batch, vectors, strict=True):
                node.embedding = vector
            on_batch(len(batch))
