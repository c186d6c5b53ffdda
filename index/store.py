"""The Chroma collection that holds chunks, their metadata and their vectors.

Embedded on disk by default; a Chroma server when a URL is given. Vectors are
always computed by the project's embedder: the collection is created without
an embedding function, so Chroma's default one (which downloads a model) can
never run.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

logger = logging.getLogger(__name__)

COLLECTION = "documents"


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what to do."""


@dataclass(frozen=True)
class FileState:
    sha: str
    present: int
    expected: int


def _client(index_dir: Path, chroma_url: str | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not chroma_url:
        (index_dir / "chroma").mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=chroma_settings)
    parsed = urlparse(chroma_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"ASSISTANT_CHROMA_URL must look like http://host:port, got {chroma_url!r}")
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 80),
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception as exc:
        raise StoreError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    return client


class ChunkStore:
    """Chunks of all documents in one Chroma collection, keyed by stable ids."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        self.vector_store = ChromaVectorStore(chroma_collection=collection)

    @classmethod
    def open(cls, index_dir: Path, chroma_url: str | None, embed_model: str, create: bool) -> ChunkStore:
        client = _client(index_dir, chroma_url)
        if create:
            collection = client.get_or_create_collection(
                COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine", "embed_model": embed_model}
            )
        else:
            try:
                collection = client.get_collection(COLLECTION, embedding_function=None)
            except Exception as exc:
                raise StoreError("nothing is ingested yet: run `assistant ingest` first") from exc
        built_with = (collection.metadata or {}).get("embed_model")
        if built_with and built_with != embed_model:
            raise StoreError(
                f"the index was built with the embed model {built_with!r}, not {embed_model!r}: "
                "run `assistant ingest --reset` to rebuild it"
            )
        return cls(collection)

    @staticmethod
    def reset(index_dir: Path, chroma_url: str | None) -> None:
        client = _client(index_dir, chroma_url)
        try:
            client.delete_collection(COLLECTION)
        except Exception:  # no collection yet
            logger.debug("no collection to delete")

    def count(self) -> int:
        return int(self.collection.count())

    def file_states(self) -> dict[str, list[FileState]]:
        """For each stored source, the file versions present and how complete each is."""
        counts: dict[str, dict[tuple[str, int], int]] = defaultdict(lambda: defaultdict(int))
        for meta in self._metadatas():
            counts[str(meta["source"])][(str(meta["file_sha"]), int(meta["chunk_count"]))] += 1
        return {
            source: [FileState(sha, present, expected) for (sha, expected), present in versions.items()]
            for source, versions in counts.items()
        }

    def _metadatas(self) -> list[dict[str, Any]]:
        result = self.collection.get(include=["metadatas"])
        return list(result["metadatas"] or [])

    def add(self, nodes: list[TextNode]) -> None:
        if nodes:
            self.vector_store.add(nodes)  # type: ignore[arg-type]

    def delete_where(self, source: str, file_sha: str | None = None) -> None:
        where: dict[str, Any] = {"source": source}
        if file_sha is not None:
            where = {"$and": [{"source": source}, {"file_sha": file_sha}]}
        self.collection.delete(where=where)

    def delete_other_versions(self, source: str, keep_sha: str) -> None:
        self.collection.delete(where={"$and": [{"source": source}, {"file_sha": {"$ne": keep_sha}}]})

    def embeddings_by_text(self, source: str) -> dict[str, list[float]]:
        """Stored vectors of a source's chunks, keyed by their chunk text hash."""
        result = self.collection.get(where={"source": source}, include=["metadatas", "embeddings"])
        found: dict[str, list[float]] = {}
        for meta, vector in zip(result["metadatas"] or [], result["embeddings"] if result["embeddings"] is not None else []):
            found[str(meta.get("embed_key", ""))] = list(map(float, vector))
        return found

    def all_nodes(self) -> list[TextNode]:
        """Every stored chunk as a llama-index node (text and metadata), in document order."""
        result = self.collection.get(include=["metadatas", "documents"])
        nodes: list[TextNode] = []
        for meta, text in zip(result["metadatas"] or [], result["documents"] or []):
            node = metadata_dict_to_node(dict(meta), text=text)
            if isinstance(node, TextNode):
                nodes.append(node)
        nodes.sort(key=lambda n: (str(n.metadata["source"]), int(n.metadata["position"])))
        return nodes


def context_of(node: TextNode) -> list[dict[str, Any]]:
    """The lead-in lines a chunk carries (see index.chunker)."""
    raw = node.metadata.get("context") or "[]"
    return list(json.loads(raw))
