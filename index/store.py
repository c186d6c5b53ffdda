"""The Chroma collection that holds chunks, their metadata and their vectors.

Embedded on disk by default; a Chroma server when a URL is given. Vectors are
always computed by the project's embedder: the collection is created without
an embedding function, so Chroma's default one (which downloads a model) can
never run.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.chroma_client import (
    NOT_INGESTED,
    ServerCollection,
    is_missing_collection,
    is_transport_error,
    open_client,
    server_hint,
)
from index.errors import StoreError
from index.store_errors import DamagedStore, damaged, forget_client, move_aside

__all__ = ["NOT_INGESTED", "ChunkStore", "FileState", "StoreError", "context_of"]

logger = logging.getLogger(__name__)

COLLECTION = "documents"
GENERATION_KEY = "generation"  # collection metadata: a new random value after every change (see mark_changed)


@dataclass(frozen=True)
class FileState:
    sha: str
    present: int
    expected: int


# Rows per collection.get / add call: Chroma caps a write batch (5461 by default),
# and reading a large collection a page at a time bounds the memory of a load
# (at 10,000 chunks, pages of 1,000 rows peak ~150 MiB below one get of all).
PAGE_SIZE = 1000
IDS_PAGE_SIZE = 20000
ADD_BATCH = 1000


class ChunkStore:
    """Chunks of all documents in one Chroma collection, keyed by stable ids."""

    def __init__(self, collection: Any, client: Any = None, chroma_url: str | None = None) -> None:
        self.collection = collection
        self.vector_store = ChromaVectorStore(chroma_collection=collection)
        self._client = client
        self.chroma_url = chroma_url

    @classmethod
    def open(cls, index_dir: Path, chroma_url: str | None, embed_model: str, create: bool) -> ChunkStore:
        from chromadb.errors import NotFoundError

        client = open_client(index_dir, chroma_url, create)
        try:
            if create:
                collection = client.get_or_create_collection(
                    COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine", "embed_model": embed_model}
                )
            else:
                try:
                    collection = client.get_collection(COLLECTION, embedding_function=None)
                except NotFoundError as exc:
                    raise StoreError(NOT_INGESTED) from exc
                except ValueError as exc:  # older chromadb: "Collection documents does not exist"
                    if "does not exist" not in str(exc):
                        raise
                    raise StoreError(NOT_INGESTED) from exc
        except StoreError:
            raise
        except Exception as exc:
            if chroma_url and is_transport_error(exc):
                raise StoreError(f"lost the Chroma server at {chroma_url} ({exc or type(exc).__name__})") from exc
            if not chroma_url:
                raise damaged(index_dir, exc) from exc
            raise
        built_with = (collection.metadata or {}).get("embed_model")
        if built_with and built_with != embed_model:
            raise StoreError(
                f"the index was built with the embed model {built_with!r}, not {embed_model!r}: "
                "run `assistant ingest --reset` to rebuild it"
            )
        return cls(ServerCollection(collection, chroma_url) if chroma_url else collection, client, chroma_url)

    @staticmethod
    def reset(index_dir: Path, chroma_url: str | None) -> Path | None:
        """Drop the collection. An embedded store that cannot be opened is moved aside (to
        chroma.damaged-<time>, returned) and a new one is started: nothing is deleted."""
        try:
            client = open_client(index_dir, chroma_url)
        except DamagedStore as exc:
            return move_aside(index_dir / "chroma", exc.__cause__ or exc)
        try:
            client.delete_collection(COLLECTION)
        except Exception as exc:  # no collection yet, or a damaged store
            if chroma_url and is_transport_error(exc):
                raise StoreError(f"lost the Chroma server at {chroma_url} ({exc or type(exc).__name__})") from exc
            if chroma_url or is_missing_collection(exc):
                logger.debug("no collection to delete")
                return None
            forget_client(index_dir / "chroma")
            return move_aside(index_dir / "chroma", exc)
        return None

    def count(self) -> int:
        return int(self.collection.count())

    def generation(self) -> str:
        """Changes whenever the stored chunks change: the collection's id, its count and the marker an ingest
        sets (see mark_changed). Cheap (two small requests), so other processes' ingests are seen quickly."""
        fresh = self.collection
        if self._client is not None:
            try:
                fresh = self._client.get_collection(COLLECTION, embedding_function=None)  # fresh metadata
            except Exception as exc:
                if self.chroma_url and is_transport_error(exc):
                    raise StoreError(f"lost the Chroma server at {self.chroma_url} ({exc or type(exc).__name__}): "
                                     + server_hint(self.chroma_url)) from exc
                raise StoreError("the index was deleted: run `assistant ingest`") from exc
            if str(fresh.id) != str(self.collection.id):  # reset and rebuilt by another process
                self.collection = ServerCollection(fresh, self.chroma_url) if self.chroma_url else fresh
                self.vector_store = ChromaVectorStore(chroma_collection=self.collection)
        marker = (fresh.metadata or {}).get(GENERATION_KEY, "")
        return f"{fresh.id}:{self.count()}:{marker}"

    def mark_changed(self) -> None:
        """Give the collection a new generation marker: called by an ingest before and after it writes."""
        metadata = {k: v for k, v in (self.collection.metadata or {}).items() if not k.startswith("hnsw:")}
        metadata[GENERATION_KEY] = uuid.uuid4().hex  # chroma refuses a metadata update that names hnsw: settings
        self.collection.modify(metadata=metadata)

    def file_states(self) -> dict[str, list[FileState]]:
        """For each stored source, the file versions present and how complete each is."""
        counts: dict[str, dict[tuple[str, int], int]] = defaultdict(lambda: defaultdict(int))
        for page in self._pages(["metadatas"]):
            for meta in page["metadatas"] or []:
                counts[str(meta["source"])][(str(meta["file_sha"]), int(meta["chunk_count"]))] += 1
        return {
            source: [FileState(sha, present, expected) for (sha, expected), present in versions.items()]
            for source, versions in counts.items()
        }

    def stored_aliases(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """For each stored source, its versions (file_sha) with the other names of the same text (see
        index.loader's duplicates); one row per version is read (the chunk at position 0)."""
        found: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for page in self._pages(["metadatas"], where={"position": 0}):
            for meta in page["metadatas"] or []:
                aliases = tuple(json.loads(str(meta.get("aliases") or "[]")))
                found[str(meta["source"])].append((str(meta["file_sha"]), aliases))
        return dict(found)

    def _pages(
        self, include: list[str], where: dict[str, Any] | None = None, size: int = PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """collection.get over all matching rows, `size` rows a call, so the raw rows of a large
        collection (and a server's responses) stay small."""
        offset = 0
        while True:
            page = self.collection.get(where=where, include=include, limit=size, offset=offset)
            yield page
            if len(page["ids"]) < size:
                return
            offset += size

    def _get_all(
        self, include: list[str], where: dict[str, Any] | None = None, size: int = PAGE_SIZE
    ) -> dict[str, list[Any]]:
        """All matching rows (ids always included), as one result."""
        merged: dict[str, list[Any]] = {"ids": [], **{key: [] for key in include}}
        for page in self._pages(include, where, size):
            merged["ids"].extend(page["ids"])
            for key in include:
                values = page.get(key)
                merged[key].extend(list(values) if values is not None else [])
        return merged

    def ids(self) -> list[str]:
        return [str(i) for i in self._get_all([], size=IDS_PAGE_SIZE)["ids"]]

    def add(self, nodes: list[TextNode]) -> None:
        for i in range(0, len(nodes), ADD_BATCH):
            self.vector_store.add(nodes[i : i + ADD_BATCH])  # type: ignore[arg-type]

    def delete_where(self, source: str, file_sha: str | None = None) -> None:
        where: dict[str, Any] = {"source": source}
        if file_sha is not None:
            where = {"$and": [{"source": source}, {"file_sha": file_sha}]}
        self.collection.delete(where=where)

    def delete_other_versions(self, source: str, keep_sha: str) -> None:
        self.collection.delete(where={"$and": [{"source": source}, {"file_sha": {"$ne": keep_sha}}]})

    def embeddings_by_text(self, source: str) -> dict[str, list[float]]:
        """Stored vectors of a source's chunks, keyed by their chunk text hash."""
        result = self._get_all(["metadatas", "embeddings"], where={"source": source})
        found: dict[str, list[float]] = {}
        for meta, vector in zip(result["metadatas"], result["embeddings"], strict=True):
            found[str(meta.get("embed_key", ""))] = list(map(float, vector))
        return found

    def vectors(self, ids: list[str]) -> np.ndarray | None:
        """The stored vectors of these chunks, a row each in the order given (float32, unit length); None when
        some are gone (another process ingesting removed them since they were read)."""
        from chromadb.errors import ChromaError

        rows: dict[str, Any] = {}
        try:
            for i in range(0, len(ids), PAGE_SIZE):
                page = self.collection.get(ids=ids[i : i + PAGE_SIZE], include=["embeddings"])
                rows.update(zip(page["ids"], page["embeddings"], strict=True))
        except ChromaError as exc:  # "Error finding id": a chunk deleted while its vector was being read
            logger.info("vectors not read (%s): the chunks changed meanwhile", exc)
            return None
        if len(rows) < len(set(ids)):
            return None
        return _unit_rows([rows[i] for i in ids])

    def all_nodes(self) -> list[TextNode]:
        """Every stored chunk as a llama-index node (text and metadata), in document order."""
        return self.read_all(vectors_up_to=0)[0]

    def read_all(self, vectors_up_to: int) -> tuple[list[TextNode], np.ndarray | None]:
        """Every stored chunk as a llama-index node, in document order, and (when there are at most
        `vectors_up_to`) their vectors, a row each in the same order, read in the same pass (float32, unit
        length). The vectors are None above that, or when a page's could not be read: another process
        ingesting deleted one of its chunks meanwhile.

        Read by ids, a page at a time: Chroma finds rows by id faster than by offset (at 100,000
        chunks, 10 s instead of 13)."""
        from chromadb.errors import ChromaError

        found: list[tuple[TextNode, Any]] = []
        ids = self.ids()
        with_vectors = 0 < len(ids) <= vectors_up_to
        for i in range(0, len(ids), PAGE_SIZE):
            page_ids = ids[i : i + PAGE_SIZE]
            page = None
            if with_vectors:
                try:
                    page = self.collection.get(ids=page_ids, include=["metadatas", "documents", "embeddings"])
                except ChromaError as exc:  # "Error finding id": a chunk deleted while its vector was being read
                    logger.info("vectors not read (%s): the chunks changed meanwhile", exc)
                    with_vectors = False
            if page is None:
                page = self.collection.get(ids=page_ids, include=["metadatas", "documents"])
            vectors = page["embeddings"] if with_vectors else None
            for k, (meta, text) in enumerate(zip(page["metadatas"] or [], page["documents"] or [], strict=True)):
                node = metadata_dict_to_node(dict(meta), text=text)
                if isinstance(node, TextNode):
                    found.append((node, vectors[k] if vectors is not None else None))
        found.sort(key=lambda pair: (str(pair[0].metadata["source"]), int(pair[0].metadata["position"])))
        nodes = [node for node, _ in found]
        return nodes, _unit_rows([vector for _, vector in found]) if with_vectors and nodes else None


def _unit_rows(rows: list[Any]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def context_of(node: TextNode) -> list[dict[str, Any]]:
    """The lead-in lines a chunk carries (see index.chunker)."""
    raw = node.metadata.get("context") or "[]"
    return list(json.loads(raw))
