"""HTML for the chat: an Answer turned into escaped, single-block markup.

Every piece of document or user text goes through `esc`, so hostile input
(tags, Markdown, LaTeX delimiters) is shown as text. Messages contain no blank
line, so the chatbot's Markdown renderer treats each one as a single HTML block
and does not reinterpret its content.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.types import Answer, Citation, Retrieved

# characters that Markdown or the LaTeX renderer would interpret, as entities
_MARKDOWN_ENTITIES = str.maketrans({
    "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;",
    "(": "&#40;", ")": "&#41;", "#": "&#35;", "!": "&#33;", "|": "&#124;", "~": "&#126;",
    "$": "&#36;", "{": "&#123;", "}": "&#125;",
})
SNIPPET_CHARS = 320
CLOSEST_SHOWN = 3


def esc(text: str | None) -> str:
    """Text made inert for the chatbot: HTML-escaped, Markdown and LaTeX characters as entities, newlines as <br>."""
    escaped = html.escape(text or "", quote=True).translate(_MARKDOWN_ENTITIES)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def shorten(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Passage:
    """A chunk of a document and where it starts in that document."""

    text: str
    start: int


def highlight(passage: Passage | None, start: int, end: int, quote: str = "") -> str | None:
    """The passage, escaped, with [start, end) (document offsets) in <mark>; None when the span is not inside it."""
    if passage is None or not passage.text:
        return None
    a, b = start - passage.start, min(end - passage.start, len(passage.text))
    if not (0 <= a < b):
        statement = quote.split("\n")[-1].strip()
        found = passage.text.find(statement) if statement else -1
        if found < 0:
            return None
        a, b = found, found + len(statement)
    text = passage.text
    return f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"


def _source_line(n: int | None, title: str, source: str, start: int, end: int) -> str:
    number = f'<span class="cite-n">[{n}]</span> ' if n is not None else ""
    return (
        f'<div class="cite-head">{number}<span class="cite-title">{esc(title or source)}</span> '
        f'<span class="cite-file">{esc(source)}</span> '
        f'<span class="cite-span">ký tự {start}–{end}</span></div>'
    )


def render_citation(c: Citation, passage: Passage | None) -> str:
    """One numbered citation: title and file, the stating sentence highlighted, the passage expandable."""
    quote = f"<mark>{esc(c.text)}</mark>"
    marked = highlight(passage, c.start, c.end, c.text)
    expand = (
        f'<details class="cite-more"><summary>Xem đoạn văn xung quanh</summary>'
        f'<div class="cite-passage">{marked}</div></details>'
        if marked
        else ""
    )
    return (
        f'<div class="cite">{_source_line(c.n, c.title, c.source, c.start, c.end)}'
        f'<blockquote class="cite-quote">{quote}</blockquote>{expand}</div>'
    )


def render_closest(items: Sequence[Retrieved]) -> str:
    """Passages the assistant looked at that do not answer the question."""
    if not items:
        return ""
    rows = []
    for r in items[:CLOSEST_SHOWN]:
        full = esc(r.text)
        snippet = esc(shorten(r.text, SNIPPET_CHARS))
        body = (
            f'<details class="cite-more"><summary>{snippet}</summary><div class="cite-passage">{full}</div></details>'
            if len(r.text) > SNIPPET_CHARS
            else f'<div class="cite-passage">{full}</div>'
        )
        rows.append(
            f'<li class="closest-item"><span class="badge-no">không trả lời câu hỏi</span>'
            f"{_source_line(None, r.title, r.source, r.start, r.end)}{body}</li>"
        )
    return f'<div class="closest"><div class="section">Các đoạn gần nhất đã xem:</div><ol>{"".join(rows)}</ol></div>'


def render_answer(answer: Answer, passages: Sequence[Passage | None] = ()) -> str:
    """The assistant's chat message for an Answer; passages[i] is the chunk around citations[i] when known."""
    parts = [f'<div class="ans {"answered" if answer.answered else "unanswered"}">']
    if not answer.answered:
        parts.append('<div class="verdict">Không có văn bản nào trả lời câu hỏi này.</div>')
    if answer.lead:
        parts.append(f'<div class="who"><span class="who-label">Chủ trì:</span> <strong class="lead">{esc(answer.lead)}</strong></div>')
    if answer.partners:
        names = ", ".join(f"<strong>{esc(p)}</strong>" for p in answer.partners)
        parts.append(f'<div class="who"><span class="who-label">Phối hợp:</span> <span class="partners">{names}</span></div>')
    parts.append(f'<div class="ans-text">{esc(answer.answer)}</div>')
    if answer.citations:
        cites = [
            render_citation(c, passages[i] if i < len(passages) else None) for i, c in enumerate(answer.citations)
        ]
        parts.append(f'<div class="cites"><div class="section">Trích dẫn</div>{"".join(cites)}</div>')
    if not answer.answered:
        parts.append(render_closest(answer.retrieved))
    parts.append(f'<div class="latency">{answer.latency_ms:.0f} ms</div></div>')
    return "".join(parts)


def render_question(question: str) -> str:
    return f'<div class="q">{esc(question)}</div>'


def render_error(message: str) -> str:
    return f'<div class="ans error"><div class="verdict">{esc(message)}</div></div>'


CSS = """
.ans .verdict { font-weight: 600; color: #9a3412; margin-bottom: .4em; }
.ans .who { font-size: 1.05em; margin: .15em 0; }
.ans .who-label { color: #475569; }
.ans .ans-text { margin: .5em 0; }
.ans .section { font-weight: 600; margin: .6em 0 .3em; color: #334155; }
.ans .cite { border-left: 3px solid #f59e0b; padding: .2em .6em; margin: .4em 0; }
.ans .cite-n { font-weight: 700; }
.ans .cite-title { font-weight: 600; }
.ans .cite-file { font-family: var(--font-mono); font-size: .85em; color: #64748b; }
.ans .cite-span { font-size: .85em; color: #64748b; }
#assignments-table, #assignments-table *, #documents-table, #documents-table * { font-family: var(--font) !important; }
.passage-view code { font-family: var(--font-mono); }
.ans blockquote.cite-quote, .prose .ans blockquote.cite-quote { margin: .3em 0 !important; padding: 0 !important; border: none; }
.ans mark, .passage-view mark { background: #fde68a; color: inherit; padding: 0 .1em; }
.ans details.cite-more summary { cursor: pointer; color: #2563eb; }
.ans .cite-passage { white-space: normal; margin: .3em 0; color: #334155; }
.ans .badge-no { display: inline-block; font-size: .8em; background: #fee2e2; color: #991b1b;
  border-radius: 4px; padding: 0 .4em; margin-right: .4em; }
.ans .closest ol { padding-left: 1.2em; }
.ans .closest details.cite-more summary { color: inherit; }
.ans .latency { font-size: .75em; color: #94a3b8; text-align: right; }
.passage-view { border-left: 3px solid #f59e0b; padding: .4em .8em; }
.passage-view .meta { color: #475569; margin-bottom: .4em; }
"""
