"""Loading the stored chunks into an app process, with what is built from them: BM25 and term statistics.

Reading 100,000 chunks from Chroma and building BM25 and the term statistics
over them takes tens of seconds, so all three are saved in a local cache folder
and loaded from it when the chunks are the same. A cache entry is named by a
hash of the chunk ids, read from Chroma first (about a second at 100,000); a
chunk id names the file, the content hash of its version and the chunk's
position (see index.ingest), so equal ids mean equal chunks. Nothing in the
cache is needed: a missing, partial or unreadable entry is rebuilt from Chroma,
and each app keeps its own cache (one folder per Chroma server).

Up to `exact_limit` chunks, their vectors are read from Chroma too (and cached),
and the dense search is exact, in memory (see HybridRetriever.dense_search).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.schema import TextNode

from assistant.questions.analysis import TermStats
from assistant.retrieval.hybrid import CANDIDATES, FoldedBM25
from index.store import ChunkStore
from index.textnorm import fold, syllable_key

logger = logging.getLogger(__name__)

CACHE_VERSION = "3"  # bump when what is cached, or how it is built, changes
KEEP_ENTRIES = 2  # another process may still be reading the previous entry
STALE_SECONDS = 3600
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class LoadedIndex:
    generation: str  # the store's generation when loading began (see ChunkStore.generation)
    nodes: list[TextNode]
    bm25: FoldedBM25 | None
    stats: TermStats
    from_cache: bool
    vectors: np.ndarray | None = None  # a row per node, in their order; None above the exact-search limit


def cache_root(index_dir: Path, chroma_url: str | None) -> Path:
    """Where an app keeps its load cache: next to the embedded store, or a folder per Chroma server."""
    where = "embedded" if not chroma_url else hashlib.sha1(chroma_url.rstrip("/").encode()).hexdigest()[:16]
    return index_dir / "load-cache" / where


def ids_key(ids: Iterable[str]) -> str:
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for node_id in sorted(ids):
        digest.update(node_id.encode() + b"\n")
    return digest.hexdigest()[:24]


def term_stats(texts: Iterable[str]) -> TermStats:
    """TermStats(texts), computed a distinct word at a time (the same counts, several times faster)."""
    stats = TermStats(())
    forms: dict[str, tuple[str, str]] = {}
    for text in texts:
        exact: set[str] = set()
        folded: set[str] = set()
        for word in set(_WORD.findall(text)):
            form = forms.get(word)
            if form is None:
                form = forms[word] = (syllable_key(word), fold(word))
            exact.add(form[0])
            folded.add(form[1])
        stats.df_exact.update(exact)
        stats.df_folded.update(folded)
        stats.n += 1
    return stats


def load_index(store: ChunkStore, root: Path | None, exact_limit: int = 0) -> LoadedIndex:
    """The stored chunks, their BM25 index and term statistics (and their vectors, when there are at most
    `exact_limit`): from the cache under root when it holds them for exactly these chunks, else read and
    built (and saved there)."""
    generation = store.generation()  # first: a change while reading shows as a new generation later
    if root is not None:
        key = ids_key(store.ids())
        cached = _read(root / key)
        if cached is not None:
            cached_nodes, cached_bm25, cached_stats, vectors = cached
            logger.info("loaded %d chunks, their BM25 index and term statistics from %s", len(cached_nodes), root / key)
            if len(cached_nodes) > exact_limit:
                vectors = None
            elif vectors is None:  # cached by an app with a lower limit
                vectors = store.vectors([n.node_id for n in cached_nodes])
            return LoadedIndex(generation, cached_nodes, cached_bm25, cached_stats, from_cache=True, vectors=vectors)
    # vectors None when an ingest elsewhere removed some of these chunks meanwhile: Chroma's index searches this
    # load, and the store's new generation brings a reload
    nodes, vectors = store.read_all(vectors_up_to=exact_limit)
    bm25 = FoldedBM25.build(nodes, CANDIDATES) if nodes else None
    stats = term_stats(n.text for n in nodes)
    if root is not None and bm25 is not None:
        # the chunks read, not the ids above
        _write(root, ids_key(n.node_id for n in nodes), nodes, bm25, stats, vectors)
    return LoadedIndex(generation, nodes, bm25, stats, from_cache=False, vectors=vectors)


def _read(folder: Path) -> tuple[list[TextNode], FoldedBM25, TermStats, np.ndarray | None] | None:
    if not (folder / "complete").is_file():
        return None
    try:
        rows = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        bm25 = FoldedBM25.load(folder / "bm25", CANDIDATES)
        raw = json.loads((folder / "stats.json").read_text(encoding="utf-8"))
        nodes = [_node(*row) for row in rows]
        if [n.node_id for n in nodes] != bm25.ids:
            raise ValueError("chunks and BM25 index differ")
        vectors = np.load(folder / "vectors.npy") if (folder / "vectors.npy").is_file() else None
        if vectors is not None and vectors.shape[0] != len(nodes):
            raise ValueError("chunks and vectors differ")
    except (OSError, ValueError, KeyError, TypeError) as exc:  # removed by another process meanwhile, or damaged
        logger.warning("ignoring the load cache %s (%s)", folder, exc)
        return None
    stats = TermStats(())
    stats.n = int(raw["n"])
    stats.df_exact = Counter(raw["exact"])
    stats.df_folded = Counter(raw["folded"])
    return nodes, bm25, stats, vectors


def _node(node_id: str, text: str, metadata: dict[str, Any], start: int | None, end: int | None) -> TextNode:
    """A chunk as ChunkStore.all_nodes gives it (the fields the assistant reads)."""
    return TextNode(id_=node_id, text=text, metadata=metadata, start_char_idx=start, end_char_idx=end,
                    excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=list(metadata))


def _write(
    root: Path, key: str, nodes: list[TextNode], bm25: FoldedBM25, stats: TermStats, vectors: np.ndarray | None
) -> None:
    """Save an entry (written aside, then renamed into place), and drop all but the newest entries."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.glob(".tmp-*"):  # left by a process that died while saving
            if time.time() - stale.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        rows = [[n.node_id, n.text, n.metadata, n.start_char_idx, n.end_char_idx] for n in nodes]
        (work / "chunks.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        (work / "bm25").mkdir()
        bm25.save(work / "bm25")
        payload = {"n": stats.n, "exact": dict(stats.df_exact), "folded": dict(stats.df_folded)}
        (work / "stats.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        if vectors is not None:
            np.save(work / "vectors.npy", vectors)
        (work / "complete").write_text(key, encoding="utf-8")
        try:
            os.rename(work, root / key)
        except OSError:  # another process saved the same entry first
            shutil.rmtree(work, ignore_errors=True)
        entries = sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP_ENTRIES]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:  # a read-only or full disk: the app runs without the cache
        logger.warning("cannot save the load cache under %s (%s)", root, exc)
