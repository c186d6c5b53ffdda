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
    doc_number: str = ""  # what the document says of itself (index.metadata); empty when it does not say
    doc_date: str = ""  # ISO date, "2025-09-23"
    issuer: str = ""
    context_before: str = ""  # the document's text just before the quoted sentence, and just after it
    context_after: str = ""


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
    doc_number: str = ""
    doc_date: str = ""  # ISO date
    issuer: str = ""

    @property
    def year(self) -> str:
        return self.doc_date[:4]
