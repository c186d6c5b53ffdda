"""Typed results of the assistant: what the CLI prints and the UI formats."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    n: int
    source: str
    title: str
    text: str  # the quoted passage
    start: int  # span of the stating sentence in the source document
    end: int
    score: float
    passage: str = ""  # the surrounding chunk, for expanding the citation
    passage_start: int = 0
    page: int | None = None  # PDF page of the quoted sentence
    aliases: list[str] = field(default_factory=list)  # other files with the same text


@dataclass
class Retrieved:
    source: str
    title: str
    text: str
    score: float
    start: int
    end: int


@dataclass
class Answer:
    question: str
    answered: bool
    answer: str
    lead: str | None = None
    partners: list[str] = field(default_factory=list)
    task: str | None = None
    kind: str = "fact"
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Retrieved] = field(default_factory=list)
    latency_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["latency_ms"] = round(self.latency_ms, 1)
        return data


@dataclass
class DocumentInfo:
    source: str
    title: str
    chunks: int
    assignments: int
