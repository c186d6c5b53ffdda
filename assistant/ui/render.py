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
from index.metadata import display_date

# characters that Markdown or the LaTeX renderer would interpret, as entities
_MARKDOWN_ENTITIES = str.maketrans({
    "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;",
    "(": "&#40;", ")": "&#41;", "#": "&#35;", "!": "&#33;", "|": "&#124;", "~": "&#126;",
    "$": "&#36;", "{": "&#123;", "}": "&#125;",
})
SNIPPET_CHARS = 320
CLOSEST_SHOWN = 3
KIND_NAMES = {
    "lead": "đơn vị chủ trì", "partners": "đơn vị phối hợp", "tasks_of": "nhiệm vụ của một đơn vị",
    "fact": "thông tin trong văn bản",
}


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


def _where(source: str, start: int, end: int, page: int | None = None, aliases: Sequence[str] = ()) -> str:
    """The file and character span, one click away (staff read the title, number and date first)."""
    place = ", ".join([*([f"trang {page}"] if page else []), f"ký tự {start}–{end}"])
    also = f'<div class="cite-aliases">cùng nội dung: {esc(", ".join(aliases))}</div>' if aliases else ""
    return (
        f'<details class="cite-where"><summary>Tệp gốc</summary><span class="cite-file">{esc(source)}</span> '
        f'<span class="cite-span">{esc(place)}</span>{also}</details>'
    )


def _doc_facts(number: str, date: str, issuer: str) -> str:
    facts = [
        f'<span class="cite-number">Số {esc(number)}</span>' if number else "",
        f'<span class="cite-date">ngày {esc(display_date(date))}</span>' if date else "",
        f'<span class="cite-issuer">{esc(issuer)}</span>' if issuer else "",
    ]
    shown = " · ".join(f for f in facts if f)
    return f'<div class="cite-doc">{shown}</div>' if shown else ""


def _head(n: int | None, title: str, source: str) -> str:
    number = f'<span class="cite-n">[{n}]</span> ' if n is not None else ""
    return f'<div class="cite-head">{number}<span class="cite-title">{esc(title or source)}</span></div>'


def _surrounding(c: Citation, passage: Passage | None) -> str | None:
    """The quoted sentence marked within what comes before and after it in the document, or None if nothing does."""
    if c.context_before or c.context_after:
        statement = c.text.split("\n")[-1]
        return f"{esc(c.context_before)}<mark>{esc(statement)}</mark>{esc(c.context_after)}"
    if passage is not None and " ".join(passage.text.split()) != " ".join(c.text.split()):
        return highlight(passage, c.start, c.end, c.text)
    return None


def render_citation(c: Citation, passage: Passage | None = None) -> str:
    """One numbered citation: the document's title, number and date; the stating sentence highlighted; the text
    around it and the file one click away each."""
    quote = f"<mark>{esc(c.text)}</mark>"
    around = _surrounding(c, passage)
    expand = (
        f'<details class="cite-more"><summary>Xem đoạn văn xung quanh</summary>'
        f'<div class="cite-passage">{around}</div></details>'
        if around
        else ""
    )
    return (
        f'<div class="cite">{_head(c.n, c.title, c.source)}{_doc_facts(c.doc_number, c.doc_date, c.issuer)}'
        f'<blockquote class="cite-quote">{quote}</blockquote>{expand}'
        f"{_where(c.source, c.start, c.end, c.page, c.aliases)}</div>"
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
            f"{_head(None, r.title, r.source)}{body}{_where(r.source, r.start, r.end)}</li>"
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
    parts.append(_details(answer))
    parts.append("</div>")
    return "".join(parts)


def _details(answer: Answer) -> str:
    """Timing and kind of question, out of the way: one click on "Chi tiết"."""
    facts = [
        f"Loại câu hỏi: {KIND_NAMES.get(answer.kind, answer.kind)}",
        f"Đã xem {len(answer.retrieved)} đoạn văn",
        f"Thời gian trả lời: {answer.latency_ms:.0f} ms",
    ]
    return f'<details class="ans-details"><summary>Chi tiết</summary>{esc(" · ".join(facts))}</details>'



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
.ans .cite-doc { font-size: .92em; color: #334155; margin: .1em 0; }
.ans .cite-number { font-weight: 600; }
.ans details.cite-where { font-size: .85em; color: #64748b; }
.ans details.cite-where summary { cursor: pointer; }
.ans .cite-file { font-family: var(--font-mono); }
.ans details.ans-details { font-size: .8em; color: #94a3b8; margin-top: .4em; }
.ans details.ans-details summary { cursor: pointer; }
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
.passage-view { border-left: 3px solid #f59e0b; padding: .4em .8em; }
#examples { align-items: center; gap: .4em; flex-wrap: wrap; }
#examples .examples-label { flex: 0 0 auto; min-width: 0; color: #64748b; font-size: .9em; }
#examples button.example { flex: 0 1 auto; min-width: 0; white-space: normal; text-align: left; height: auto;
  font-weight: normal; }
#assignments-table td { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.passage-view .meta { color: #475569; margin-bottom: .4em; }
"""
