"""Chunking that keeps Vietnamese administrative structure intact.

Rules:
- a chunk never cuts a sentence;
- a lead-in line such as "a) Vụ Xuất nhập khẩu chủ trì, phối hợp với các Vụ:"
  stays with the items under it; when the items do not fit in one chunk, the
  following chunks carry the lead-in lines as *context* (text and span), so the
  extractor still knows who leads each item;
- every chunk records its exact character span in the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.sentences import line_spans, sentence_spans

_MARKERS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"^(?:Chương|Mục|Phần|Điều)\s+[\dIVXLC]+", re.IGNORECASE), 0.0),
    (re.compile(r"^[IVXLC]+[iIvVxX]*\.\s"), 0.0),
    (re.compile(r"^\d+\.\d+(?:\.\d+)*\.?\s"), 2.0),
    (re.compile(r"^\d+[.)]\s"), 1.0),
    (re.compile(r"^[a-zđ][)]\s"), 3.0),
    (re.compile(r"^[-–•*]\s*"), 4.0),
    (re.compile(r"^\+\s*"), 5.0),
]
# "- Đơn vị chủ trì: Bộ Công an." belongs with the task line above it
FIELD_LINE = re.compile(r"^[-–+•]?\s*(?:(?:Đơn vị|Cơ quan) (?:chủ trì|phối hợp)|Thời (?:gian|hạn)|Sản phẩm|Kinh phí)[^:]{0,30}:")
PLAIN_LEVEL = 6.0
PLAIN_LEAD_IN_LEVEL = 0.5


def is_heading(line: str, level: float | None) -> bool:
    """A short numbered line with no closing period ("4. Bộ Ngoại giao") heads what follows it."""
    return level is not None and level <= 3.0 and len(line) <= 90 and not line.rstrip().endswith((".", ";", ","))


def marker_level(line: str) -> float | None:
    for pattern, level in _MARKERS:
        if pattern.match(line):
            return level
    return None


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
class _Line:
    start: int
    end: int
    level: float
    lead_in: bool
    field: bool = False


def _structured_lines(text: str, max_chars: int) -> list[_Line]:
    lines: list[_Line] = []
    for a, b in line_spans(text):
        body = text[a:b]
        level = marker_level(body)
        lead_in = body.endswith(":") or is_heading(body, level)
        if level is None:
            level = PLAIN_LEAD_IN_LEVEL if lead_in else PLAIN_LEVEL
        if b - a <= max_chars:
            lines.append(_Line(a, b, level, lead_in, bool(FIELD_LINE.match(body))))
            continue
        pieces = sentence_spans(text, a, b)
        for i, (s, e) in enumerate(pieces):
            # the first piece keeps the line's level; the rest continue it
            lines.append(_Line(s, e, level if i == 0 else PLAIN_LEVEL, lead_in and i == len(pieces) - 1))
    return lines


def chunk_text(text: str, target_chars: int = 700, max_chars: int = 1100) -> list[Chunk]:
    """Split text into chunks of whole lines (or whole sentences of very long lines)."""
    chunks: list[Chunk] = []
    stack: list[_Line] = []  # active lead-in lines, outermost first
    current: list[_Line] = []
    current_context: list[_Line] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0].start, current[-1].end
        context = [ContextLine(c.start, c.end, text[c.start : c.end]) for c in current_context]
        chunks.append(Chunk(text[start:end], start, end, len(chunks), context))
        current.clear()

    for line in _structured_lines(text, max_chars):
        if line.level < PLAIN_LEVEL:
            while stack and stack[-1].level >= line.level:
                stack.pop()
        size = current[-1].end - current[0].start if current else 0
        ends_in_lead_in = bool(current) and current[-1].lead_in
        heading = line.level <= 1.0 and size >= target_chars // 3
        too_big = size + (line.end - line.start) > max_chars
        soft_break = size >= target_chars and not ends_in_lead_in and not line.field
        if current and (too_big or soft_break or heading):
            flush()
        if not current:
            current_context = list(stack)
        current.append(line)
        if line.lead_in:
            stack.append(line)
    flush()
    return chunks
