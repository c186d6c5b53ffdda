"""Reading every ingested document: its text put back together from its chunks, then its assignments.

Chunks are whole lines at exact offsets, so a document's text is its chunks placed at their
spans (the blank lines between them restored as line breaks). Each assignment is tied to the
chunk that holds the start of its statement.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from llama_index.core.schema import TextNode

from assistant.questions.places import governed_places
from assistant.reading.assignments import Assignment, read_assignments
from assistant.reading.confidence import AssignmentModel, features, structure_of
from index.outline import header_span, match_marker
from index.sentences import line_spans, sentence_spans


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
    about: dict[str, str]  # source -> its opening (title, issuer, number, place and date, lede): what the whole text is about
    header_end: dict[str, int]  # source -> where its header ends (lines that are no statements)
    locales: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # source -> place_mentions(text)

    def locale(self, source: str, pos: int) -> str:
        """The places of the last sentence before `pos` (within LOCALE_CHARS) that names an authority's place."""
        mentions = self.locales.get(source, [])
        i = bisect.bisect_right(mentions, (pos, "")) - 1
        return mentions[i][1] if i >= 0 and pos - mentions[i][0] <= LOCALE_CHARS else ""


# a report names its place once ("UBND thành phố Đà Nẵng đã có văn bản yêu cầu ...") and then speaks of
# "Công an thành phố", "Sở Nông nghiệp": the place holds for the paragraphs that follow
LOCALE_CHARS = 1500


def place_mentions(text: str) -> list[tuple[int, str]]:
    """Where each sentence that names an authority's place ends, and those places ("tỉnh Kiên Giang")."""
    found = []
    for a, b in sentence_spans(text):
        places = governed_places(text[a:b])
        if places:
            found.append((b, "; ".join(places)))
    return found


OPENING_LINES = 10
OPENING_LINE_CHARS = 160
LEDE_CHARS = 500


def opening_span(text: str, header_end: int) -> int:
    """Where a text's opening ends: its header, and the short lines that open it (a report's lede, "Thứ trưởng X
    đề nghị ..."), up to its first item or part of its outline; the first longer paragraph ends it, itself in it
    when it is a lede's length ("Nhằm ..., Chủ tịch UBND tỉnh Phú Yên đã ký ban hành Chỉ thị số 17/CT-UBND ...":
    where, who and which text the report is about). What the text says of itself, not boilerplate: a task there
    is still a task."""
    count, pos = 0, 0
    for a, b in line_spans(text):
        line = text[a:b]
        marker = match_marker(line)
        if count >= OPENING_LINES or (marker is not None and marker[0] != "dash"):
            break
        if b - a > OPENING_LINE_CHARS:
            pos = b if b - a <= LEDE_CHARS and a >= header_end else pos
            break
        count, pos = count + 1, b
    return max(pos, header_end)


def header_of(text: str, header_end: int) -> str:
    """The text's opening (header and lede) as one string (" / " between its lines): what the whole text is about.
    `header_end`: where its header ends (`header_span`)."""
    end = opening_span(text, header_end)
    return " / ".join(line.strip() for line in text[:end].splitlines() if line.strip())


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
    header_end = {source: header_span(text) for source, text in texts.items()}
    about = {source: header_of(text, header_end[source]) for source, text in texts.items()}
    locales = {source: place_mentions(text) for source, text in texts.items()}
    return ReadCorpus(found, by_chunk, texts, about, header_end, locales)


__all__ = ["ReadCorpus", "document_texts", "header_of", "place_mentions", "read_corpus", "read_text"]
