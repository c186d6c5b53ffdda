"""The ingested documents as staff know them, and the text around a quoted sentence.

Both come from the stored chunks: each carries its document's title, number, date and issuer
(index.metadata, written at ingest), and chunks' spans tile their document, so the text before and
after a quote is rebuilt from its neighbouring chunks (whitespace between chunks aside).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from assistant.types import Citation, DocumentInfo

SURROUNDING_CHARS = 500  # at most this much text before and after a quoted sentence
_BOUNDARIES = ("\n", ". ", "; ", ": ")


def document_info(metadata: dict[str, Any]) -> DocumentInfo:
    """A document's description (without counts) from one of its chunks' metadata."""
    return DocumentInfo(
        source=str(metadata["source"]), title=str(metadata.get("title", "")), chunks=0, assignments=0,
        doc_number=str(metadata.get("doc_number") or ""), doc_date=str(metadata.get("doc_date") or ""),
        issuer=str(metadata.get("issuer") or ""),
    )


def _trim_start(text: str) -> str:
    """Text cut before its first boundary, so it starts with a whole line or sentence (… when not a line)."""
    line = text.find("\n")
    if 0 <= line < len(text) * 0.6:
        return text[line + 1 :]
    cut = min((i + len(b) for b in _BOUNDARIES[1:] if 0 <= (i := text.find(b)) < len(text) * 0.6), default=-1)
    if cut < 0:
        space = text.find(" ")
        cut = space + 1 if 0 <= space < len(text) * 0.3 else 0
    return "… " + text[cut:].lstrip()


def _trim_end(text: str) -> str:
    """Text cut after its last boundary, so it ends with a whole line or sentence (… when not a line)."""
    line = text.rfind("\n")
    if line > len(text) * 0.4:
        return text[:line]
    cut = max((i + len(b.rstrip()) for b in _BOUNDARIES[1:] if (i := text.rfind(b)) > len(text) * 0.4), default=-1)
    if cut < 0:
        space = text.rfind(" ")
        cut = space if space > len(text) * 0.7 else len(text)
    return text[:cut].rstrip() + " …"


class DocumentCatalog:
    """Per document: its description and its chunks' spans, built once per load."""

    def __init__(self, nodes: Sequence[Any]) -> None:
        self._info: dict[str, DocumentInfo] = {}
        self._chunks: dict[str, list[tuple[int, int, str]]] = {}
        for node in nodes:
            meta = node.metadata
            source = str(meta["source"])
            if source not in self._info:
                self._info[source] = document_info(meta)
            start = int(meta["start"])
            self._chunks.setdefault(source, []).append((start, int(meta.get("end", start + len(node.text))), node.text))
        for spans in self._chunks.values():
            spans.sort()

    def info(self, source: str) -> DocumentInfo | None:
        return self._info.get(source)

    def infos(self) -> dict[str, DocumentInfo]:
        return dict(self._info)

    def text(self, source: str, start: int, end: int) -> str:
        """The document's text[start:end] as far as its chunks hold it; gaps between chunks as whitespace."""
        parts: list[str] = []
        pos = start
        for c_start, c_end, text in self._chunks.get(source, []):
            if c_end <= pos or c_start >= end:
                continue
            if c_start > pos:  # whitespace between two chunks: at least a line break
                parts.append("\n")
                pos = c_start
            piece = text[pos - c_start : min(end, c_end) - c_start]
            parts.append(piece)
            pos += len(piece)
        return "".join(parts)

    def surrounding(self, source: str, start: int, end: int, chars: int = SURROUNDING_CHARS) -> tuple[str, str]:
        """The text before [start, end) and after it, up to `chars` each, cut at line or sentence boundaries."""
        spans = self._chunks.get(source, [])
        before = self.text(source, max(0, start - chars), start)
        after = self.text(source, end, end + chars)
        if before and spans and start - chars > spans[0][0]:  # the document goes on before the window
            before = _trim_start(before)
        if after and spans and end + chars < spans[-1][1]:  # and after it
            after = _trim_end(after)
        return before.lstrip().rstrip(" "), after.lstrip(" ").rstrip()

    def enrich(self, citation: Citation) -> Citation:
        """The citation with its document's number, date and issuer and the text around the quote."""
        info = self.info(citation.source)
        before, after = self.surrounding(citation.source, citation.start, citation.end)
        return replace(
            citation, doc_number=info.doc_number if info else "", doc_date=info.doc_date if info else "",
            issuer=info.issuer if info else "", context_before=before, context_after=after,
        )
