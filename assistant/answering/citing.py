"""Citations: the quoted span of a document with its chunk, page and other file names."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol, TypeVar

from llama_index.core.schema import TextNode

from assistant.types import Citation
from index.outline import match_marker
from index.sentences import chunk_sentences


class HasNode(Protocol):
    node: TextNode


R = TypeVar("R", bound=HasNode)


def preceding_sentence(node: TextNode, offset: int) -> str:
    """The sentence before the one at `offset` of the chunk, if in the same paragraph."""
    text = node.text
    paragraph_start = text.rfind("\n", 0, offset) + 1
    before = [(s, e) for s, e in chunk_sentences(text) if s >= paragraph_start and e <= offset]
    return text[before[-1][0] : before[-1][1]] if before else ""


def with_marker(node: TextNode, text: str, start: int) -> tuple[str, int]:
    """A quote that begins an outline item keeps the item's marker ("3. Sở Văn hóa ...", "b) Bộ Nội vụ ..."), as
    staff cite it; the marker is read from the chunk's text, so the span stays that of the document."""
    offset = start - int(node.metadata["start"])
    if not 0 < offset <= len(node.text):
        return text, start
    line_start = node.text.rfind("\n", 0, offset) + 1
    marker = match_marker(node.text, line_start, offset)
    if marker is None or marker[1] != offset or not node.text[line_start:offset].strip():
        return text, start
    return node.text[line_start:offset] + text, start - (offset - line_start)


def cite(n: int, node: TextNode, text: str, start: int, end: int, score: float) -> Citation:
    """A citation of text[start:end] of the document, with the chunk around it, its page and other file names."""
    meta = node.metadata
    text, start = with_marker(node, text, start)
    page = meta.get("page")
    for p, s, e in json.loads(str(meta.get("page_spans") or "[]")):
        if s <= start < e:
            page = p
    return Citation(
        n=n, source=str(meta["source"]), title=str(meta.get("title", "")), text=text, start=start, end=end,
        score=round(score, 4), passage=node.text, passage_start=int(meta["start"]),
        page=int(page) if page not in (None, "") else None, aliases=list(json.loads(str(meta.get("aliases") or "[]"))),
    )


def cited_first(ranked: Sequence[R], citations: Sequence[Citation], reach: int) -> list[R]:
    """Among the first `reach` passages, those the answer quotes come first."""

    def cites(r: R) -> bool:
        start, end = int(r.node.metadata["start"]), int(r.node.metadata["end"])
        return any(c.source == r.node.metadata["source"] and start <= c.start < end for c in citations)

    return sorted(ranked[:reach], key=lambda r: not cites(r)) + list(ranked[reach:])
