"""Reading every ingested document: its text put back together from its chunks, then its assignments.

Chunks are whole lines at exact offsets, so a document's text is its chunks placed at their
spans (the blank lines between them restored as line breaks). Each assignment is tied to the
chunk that holds the start of its statement.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from llama_index.core.schema import TextNode

from assistant.reading.assignments import Assignment, read_assignments
from assistant.reading.confidence import AssignmentModel, features, structure_of


def document_texts(nodes: Iterable[TextNode]) -> dict[str, str]:
    """source -> the document's text, rebuilt from its chunks (offsets as in the file)."""
    by_source: dict[str, list[TextNode]] = {}
    for node in nodes:
        by_source.setdefault(str(node.metadata["source"]), []).append(node)
    texts: dict[str, str] = {}
    for source, chunks in by_source.items():
        chunks.sort(key=lambda n: int(n.metadata["start"]))
        parts: list[str] = []
        pos = 0
        for node in chunks:
            start = int(node.metadata["start"])
            if start > pos:
                parts.append("\n" * (start - pos))
            elif start < pos:  # overlapping chunks do not occur; keep the offsets right if they ever do
                parts.append(node.text[pos - start :])
                pos = start + len(node.text)
                continue
            parts.append(node.text)
            pos = start + len(node.text)
        texts[source] = "".join(parts)
    return texts


@dataclass
class ReadCorpus:
    assignments: list[Assignment]
    by_chunk: dict[str, list[Assignment]]
    texts: dict[str, str]
    about: dict[str, str]  # source -> its title and header (issuer, number, place and date): what the whole text is about
    header_end: dict[str, int]  # source -> where its header ends


HEADER_LINES = 10
_OUTLINE_ITEM = re.compile(r"(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\)|Điều \d|Chương [IVXLC])\s")


def header_span(text: str) -> int:
    """Where the opening lines of a text end: issuer, "Số: ...", place and date, the kind of text. A numbered item
    or a part of the outline ("1. Sở Tài chính chủ trì ...", "I. NHIỆM VỤ", "Điều 1.") starts the body: a short text's
    first task is no header."""
    count, pos = 0, 0
    for match in re.finditer(r"[^\n]+", text):
        line = match.group().strip()
        if not line:
            continue
        if len(line) > 160 or count >= HEADER_LINES or _OUTLINE_ITEM.match(line):
            break
        count, pos = count + 1, match.end()
    return pos


def header_of(text: str) -> str:
    """The opening lines as one string (" / " between them)."""
    return " / ".join(line.strip() for line in text[: header_span(text)].splitlines() if line.strip())


def read_text(text: str, model: AssignmentModel | None = None) -> list[Assignment]:
    """A document's assignments, each with the confidence that the table should list it."""
    found = read_assignments(text)
    if model is not None:
        structured = structure_of(text)
        for a in found:
            a.confidence = model.probability(features(a, structured)) if a.is_task else 0.0
            a.listed = a.is_task and a.confidence >= model.threshold
    else:
        for a in found:
            a.listed = a.is_task
    return found


def read_corpus(nodes: list[TextNode], model: AssignmentModel | None = None) -> ReadCorpus:
    """The assignments of every document, each tied to the chunk where its statement starts."""
    texts = document_texts(nodes)
    chunks: dict[str, list[TextNode]] = {}
    for node in nodes:
        chunks.setdefault(str(node.metadata["source"]), []).append(node)
    found: list[Assignment] = []
    by_chunk: dict[str, list[Assignment]] = {}
    for source, text in texts.items():
        doc_chunks = sorted(chunks[source], key=lambda n: int(n.metadata["start"]))
        starts = [int(n.metadata["start"]) for n in doc_chunks]
        title = str(doc_chunks[0].metadata.get("title", ""))
        for a in read_text(text, model):
            i = max(0, bisect.bisect_right(starts, a.start) - 1)
            node = doc_chunks[i]
            placed = replace(a, source=source, title=title, chunk_id=node.node_id)
            found.append(placed)
            by_chunk.setdefault(node.node_id, []).append(placed)
    about = {source: header_of(text) for source, text in texts.items()}
    header_end = {source: header_span(text) for source, text in texts.items()}
    return ReadCorpus(found, by_chunk, texts, about, header_end)


__all__ = ["ReadCorpus", "document_texts", "header_of", "read_corpus", "read_text"]
