"""Sentence and line spans for Vietnamese administrative text.

Spans are (start, end) character offsets into the original text, so a
citation can point at exactly the words that state an assignment.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A period after these does not end a sentence ("UBND TP. Hải Phòng").
_ABBREVIATIONS = frozenset(
    ["tp", "tt", "ts", "ths", "pgs", "gs", "bs", "ks", "ls", "cn", "q", "p", "tx", "tr", "st", "no", "vs", "v.v", "vv", "ubnd", "đ", "ông", "bà"]
)
_BOUNDARY = re.compile(r"[.!?…;]+[\"”’)]*(?=\s+[\"“‘(]?[A-ZÀ-Ỹ0-9Đ])")


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Non-blank lines of text[start:end], trimmed of surrounding white space."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        a, b = pos, line_end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        pos = line_end + 1
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].casefold()
    if not word:
        return text[dot - 1 : dot].isdigit() and (dot < 2 or not text[dot - 2].isdigit())
    return word in _ABBREVIATIONS or (len(word) == 1 and text[word_start].isupper())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of each line of text[start:end]; a line break always ends a sentence."""
    spans: list[tuple[int, int]] = []
    for a, b in line_spans(text, start, end):
        seg_start = a
        for match in _BOUNDARY.finditer(text, a, b):
            if text[match.start()] == "." and _is_abbreviation(text, match.start()):
                continue
            spans.append((seg_start, match.end()))
            seg_start = match.end()
            while seg_start < b and text[seg_start].isspace():
                seg_start += 1
        if seg_start < b:
            spans.append((seg_start, b))
    return spans


@lru_cache(maxsize=4096)
def chunk_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """The sentence spans of a chunk's text (cached: chunks are read many times per question, and at ingest their
    sentences are embedded from the same spans)."""
    return tuple(sentence_spans(text))
