"""Connecting to Chroma: the embedded store on disk, or a server whose URL is given.

A server must connect within CONNECT_SECONDS and answer its heartbeat within PROBE_SECONDS, so
one that is down, unreachable or hung gives one clear error naming its URL in a few seconds; a
collection on a server turns a lost connection into the same kind of error (ServerCollection).
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from index.errors import StoreError
from index.store_errors import check_index_dir, damaged, forget_client

logger = logging.getLogger(__name__)

# A Chroma server must connect within CONNECT_SECONDS and answer its heartbeat
# within PROBE_SECONDS in all, so a server that is down, unreachable or hung
# gives one clear error in a few seconds; later requests are bounded by
# REQUEST_SECONDS (reads of a large collection and big writes take a while).
CONNECT_SECONDS = 2.0
PROBE_SECONDS = 4.0
REQUEST_SECONDS = 120.0
def server_hint(chroma_url: str) -> str:
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
            + server_hint(chroma_url)
        )
    error = outcome.get("error")
    if error is not None:
        reason = str(error) or type(error).__name__
        raise StoreError(f"cannot reach the Chroma server at {chroma_url} ({reason}): {server_hint(chroma_url)}")
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


def server_url_problem(chroma_url: str) -> str | None:
    """What is wrong with a Chroma server URL (None: it looks like http://host:port)."""
    parsed = urlparse(chroma_url)
    try:
        port = parsed.port
    except ValueError:  # not a number, or out of range
        port = -1
    if parsed.scheme not in ("http", "https") or not parsed.hostname or port == -1:
        return "must look like http://host:port"
    return None


def open_client(index_dir: Path, chroma_url: str | None, create: bool = True) -> Any:
    if not chroma_url:
        check_index_dir(index_dir)
        if not create and not (index_dir / "chroma").is_dir():
            raise StoreError(NOT_INGESTED)  # a read-only command leaves no empty store behind
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not chroma_url:
        return _embedded_client(index_dir, chroma_settings)
    problem = server_url_problem(chroma_url)
    if problem:
        raise StoreError(f"ASSISTANT_CHROMA_URL {problem}, got {chroma_url!r}")
    parsed = urlparse(chroma_url)
    assert parsed.hostname is not None  # server_url_problem checked it
    _probe(chroma_url)
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 80),
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )
        _bound_requests(client)
        client.heartbeat()
    except Exception as exc:
        raise StoreError(f"cannot use the Chroma server at {chroma_url}: {exc or type(exc).__name__}") from exc
    return client


def is_missing_collection(exc: BaseException) -> bool:
    from chromadb.errors import NotFoundError

    return isinstance(exc, NotFoundError) or (isinstance(exc, ValueError) and "does not exist" in str(exc))


def is_transport_error(exc: BaseException) -> bool:
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
                raise StoreError(f"lost the Chroma server at {self._url} ({reason}): {server_hint(self._url)}") from exc

        return call

    def __bool__(self) -> bool:
        return True
