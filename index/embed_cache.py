"""Embeddings cached by content hash, so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

_SCHEMA = "CREATE TABLE IF NOT EXISTS embeddings (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"


class EmbeddingCache:
    def __init__(self, path: Path, model: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute(_SCHEMA)
        self._model = model

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            part = list(keys[i : i + 500])
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT key, vector FROM embeddings WHERE model = ? AND key IN ({marks})", [self._model, *part]
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_many(self, items: dict[str, list[float]]) -> None:
        rows = [(self._model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)

    def embed(
        self, texts: Sequence[str], compute: Callable[[list[str]], list[list[float]]], batch_size: int = 32,
        on_batch: Callable[[int], None] | None = None,
    ) -> list[list[float]]:
        """Vectors for texts, computing (in batches) only those not cached yet."""
        keys = [self.key(t) for t in texts]
        cached = self.get_many(keys)
        first_of: dict[str, int] = {}
        for i, k in enumerate(keys):
            if k not in cached:
                first_of.setdefault(k, i)  # the same text twice in one call is embedded once
        missing = list(first_of.values())
        # similar lengths in one batch waste less padding
        missing.sort(key=lambda i: len(texts[i]))
        for b in range(0, len(missing), batch_size):
            idx = missing[b : b + batch_size]
            vectors = compute([texts[i] for i in idx])
            fresh = {keys[i]: v for i, v in zip(idx, vectors, strict=True)}
            self.put_many(fresh)
            cached.update(fresh)
            if on_batch:
                on_batch(len(idx))
        return [cached[k] for k in keys]

    def close(self) -> None:
        self._db.close()
