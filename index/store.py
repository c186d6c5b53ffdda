"""The Chroma collection that holds chunks, their metadata and their vectors.

Embedded on disk by default; a Chroma server when a URL is given. Vectors are
always computed by the project's embedder: the collection is created without
an embedding function, so Chroma's default one (which downloads a model) can
never run.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.errors import StoreError
from index.store_errors import DamagedStore, check_index_dir, damaged, forget_client, move_aside

logger = logging.getLogger(__name__)

COLLECTION = "documents"
GENERATION_KEY = "generation"  # collection metadata: a new random value after every change (see mark_changed)


@dataclass(frozen=True)
class FileState:
    sha: str
    present: int
    expected: int


# A Chroma server must connect within CONNECT_SECONDS and answer its heartbeat
# within PROBE_SECONDS in all, so a server that is down, unreachable or hung
# gives one clear error in a few seconds; later requests are bounded by
# REQUEST_SECONDS (reads of a large collection and big writes take a while).
CONNECT_SECONDS = 2.0
PROBE_SECONDS = 4.0
REQUEST_SECONDS = 120.0
# Rows per collection.get / add call: Chroma caps a write batch (5461 by default),
# and reading a large collection a page at a time bounds the memory of a load
# (at 10,000 chunks, pages of 1,000 rows peak ~150 MiB below one get of all).
PAGE_SIZE = 1000
IDS_PAGE_SIZE = 20000
ADD_BATCH = 1000


def _server_hint(chroma_url: str) -> str:
    port = urlparse(chroma_url).port or 8000
    return (
        f"check that the server is running (`chroma run --path <data dir> --port {port}`) and the URL is right, "
        "or unset ASSISTANT_CHROMA_URL to use the embedded store"
    )


def _probe(chroma_url: str) -> None:
    """Raise StoreError unless a Chroma server answers its heartbeat at chroma_url, within PROBE_SECONDS."""
    import httpx

    url = chroma_url.rstrip("/") + "/api/v2/heartbeat"
    outcome: dict[str, Any] = {}

    def call() -> None:
        try:
            timeout = httpx.Timeout(PROBE_SECONDS, connect=CONNECT_SECONDS)
            outcome["response"] = httpx.get(url, timeout=timeout)
        except Exception as exc:  # reported below, with the URL
            outcome["error"] = exc

    # a thread bounds the whole probe, name resolution included (httpx's time-outs do not cover it)
    worker = threading.Thread(target=call, name="chroma-probe", daemon=True)
    worker.start()
    worker.join(PROBE_SECONDS)
    if worker.is_alive():
        raise StoreError(
            f"the Chroma server at {chroma_url} did not answer within {PROBE_SECONDS:.0f} s: "
            + _server_hint(chroma_url)
        )
    error = outcome.get("error")
    if error is not None:
        reason = str(error) or type(error).__name__
        raise StoreError(f"cannot reach the Chroma server at {chroma_url} ({reason}): {_server_hint(chroma_url)}")
    response = outcome["response"]
    try:
        ok = response.status_code == 200 and "nanosecond heartbeat" in response.json()
    except ValueError:
        ok = False
    if not ok:
        raise StoreError(
            f"{chroma_url} does not answer like a Chroma server (HTTP {response.status_code} on /api/v2/heartbeat): "
            "check ASSISTANT_CHROMA_URL"
        )


def _bound_requests(client: Any) -> None:
    """Give the HTTP client's requests finite time-outs (chromadb creates it with none)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(REQUEST_SECONDS, connect=CONNECT_SECONDS)
    else:  # a chromadb version with another layout: still usable, only unbounded
        logger.warning("cannot set time-outs on the Chroma HTTP client (%s)", type(session).__name__)


NOT_INGESTED = "nothing is ingested yet: run `assistant ingest` first"


def _embedded_client(index_dir: Path, chroma_settings: Any) -> Any:
    import chromadb

    try:
        (index_dir / "chroma").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the index folder {index_dir} ({exc.strerror or exc})") from exc
    try:
        return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=chroma_settings)
    except Exception as exc:  # sqlite "file is not a database", "disk image is malformed", ...
        forget_client(index_dir / "chroma")
        raise damaged(index_dir, exc) from exc


def _client(index_dir: Path, chroma_url: str | None, create: bool = True) -> Any:
    if not chroma_url:
        check_index_dir(index_dir)
        if not create and not (index_dir / "chroma").is_dir():
            raise StoreError(NOT_INGESTED)  # a read-only command leaves no empty store behind
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not chroma_url:
        return _embedded_client(index_dir, chroma_settings)
    parsed = urlparse(chroma_url)
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if parsed.scheme not in ("http", "https") or not parsed.hostname or port == -1:
        raise StoreError(f"ASSISTANT_CHROMA_URL must look like http://host:port, got {chroma_url!r}")
    _probe(chroma_url)
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=port or (443 if parsed.scheme == "https" else 80),
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )
        _bound_requests(client)
        client.heartbeat()
    except Exception as exc:
        raise StoreError(f"cannot use the Chroma server at {chroma_url}: {exc or type(exc).__name__}") from exc
    return client


def _is_missing_collection(exc: BaseException) -> bool:
    from chromadb.errors import NotFoundError

    return isinstance(exc, NotFoundError) or (isinstance(exc, ValueError) and "does not exist" in str(exc))


def _is_transport_error(exc: BaseException) -> bool:
    import httpx

    return isinstance(exc, httpx.TransportError)


class ServerCollection:
    """A collection on a Chroma server: a lost connection or a time-out becomes a StoreError naming the URL."""

    def __init__(self, collection: Any, chroma_url: str) -> None:
        self._collection = collection
        self._url = chroma_url

    def __getattr__(self, name: str) -> Any:
        import httpx

        if name.startswith("__") or name in ("_collection", "_url"):
            raise AttributeError(name)
        value = getattr(self._collection, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return value(*args, **kwargs)
            except httpx.TransportError as exc:
                reason = str(exc) or type(exc).__name__
                raise StoreError(f"lost the Chroma server at {self._url} ({reason}): {_server_hint(self._url)}") from exc

        return call

    def __bool__(self) -> bool:
        return True


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

        client = _client(index_dir, chroma_url, create)
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
            if chroma_url and _is_transport_error(exc):
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
            client = _client(index_dir, chroma_url)
        except DamagedStore as exc:
            return move_aside(index_dir / "chroma", exc.__cause__ or exc)
        try:
            client.delete_collection(COLLECTION)
        except Exception as exc:  # no collection yet, or a damaged store
            if chroma_url and _is_transport_error(exc):
                raise StoreError(f"lost the Chroma server at {chroma_url} ({exc or type(exc).__name__})") from exc
            if chroma_url or _is_missing_collection(exc):
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
                if self.chroma_url and _is_transport_error(exc):
                    raise StoreError(f"lost the Chroma server at {self.chroma_url} ({exc or type(exc).__name__}): "
                                     + _server_hint(self.chroma_url)) from exc
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
        return self.read_all(with_vectors=False)[0]

    def read_all(self, with_vectors: bool) -> tuple[list[TextNode], np.ndarray | None]:
        """Every stored chunk as a llama-index node, in document order, and (`with_vectors`) their vectors, a row
        each in the same order, read in the same pass (float32, unit length). The vectors are None when a page's
        could not be read: another process ingesting deleted one of its chunks meanwhile.

        Read by ids, a page at a time: Chroma finds rows by id faster than by offset (at 100,000
        chunks, 10 s instead of 13)."""
        from chromadb.errors import ChromaError

        found: list[tuple[TextNode, Any]] = []
        ids = self.ids()
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
