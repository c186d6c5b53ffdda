"""Chunking that keeps Vietnamese administrative structure intact.

Rules:
- a chunk never cuts a sentence;
- a chunk is whole lines of the document's outline (see index.outline); a heading or lead-in
  line ("a) Vụ Xuất nhập khẩu chủ trì, phối hợp với các Vụ:", "2. Sở Tài chính:") stays with
  the items under it, and every chunk carries the path of headings above its first line as
  *context* (text and span), so the reader knows who leads each item and a citation can show
  heading + item;
- a task item stays with its field lines ("Đơn vị chủ trì: ...");
- every chunk records its exact character span in the source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.outline import FIELD, OutlineLine, marker_level, parse_outline, path
from index.sentences import sentence_spans

__all__ = ["Chunk", "ContextLine", "chunk_text", "marker_level"]


@dataclass(frozen=True)
class ContextLine:
    start: int
    end: int
    text: str


@dataclass
class Chunk:
    text: str
    start: int
    end: int
    position: int
    context: list[ContextLine] = field(default_factory=list)


@dataclass
class _Piece:
    start: int
    end: int
    line: int  # index of its outline line
    top: bool  # the first piece of a line with no parent that heads other lines
    heads: bool  # the last piece of a line that heads other lines
    field: bool


def _pieces(text: str, lines: list[OutlineLine], max_chars: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    for i, line in enumerate(lines):
        heads = line.children > 0 or line.opens
        top = line.parent < 0 and line.children > 0
        if line.end - line.start <= max_chars:
            pieces.append(_Piece(line.start, line.end, i, top, heads, line.kind == FIELD))
            continue
        spans = sentence_spans(text, line.start, line.end)
        for n, (s, e) in enumerate(spans):
            pieces.append(_Piece(s, e, i, top and n == 0, heads and n == len(spans) - 1, False))
    return pieces


def chunk_text(text: str, target_chars: int = 700, max_chars: int = 1100) -> list[Chunk]:
    """Split text into chunks of whole lines (or whole sentences of very long lines)."""
    lines = parse_outline(text)
    chunks: list[Chunk] = []
    current: list[_Piece] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0].start, current[-1].end
        above = path(lines, current[0].line)
        context = [ContextLine(lines[i].start, lines[i].end, text[lines[i].start : lines[i].end]) for i in above]
        chunks.append(Chunk(text[start:end], start, end, len(chunks), context))
        current.clear()

    for piece in _pieces(text, lines, max_chars):
        size = current[-1].end - current[0].start if current else 0
        too_big = size + (piece.end - piece.start) > max_chars
        soft_break = size >= target_chars and not current[-1].heads and not piece.field if current else False
        section = piece.top and size >= target_chars // 3
        if current and (too_big or soft_break or section):
            flush()
        current.append(piece)
    flush()
    return chunks
