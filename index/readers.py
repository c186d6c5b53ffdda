"""Plain text out of HTML, Word (.docx) and PDF files, with the well-kept libraries for each format.

- HTML (BeautifulSoup + lxml): visible text only (no script, style, nav, header,
  footer, hidden elements); block elements become lines, list items "- " lines.
- DOCX (python-docx): paragraphs and tables in document order; numbered or
  bulleted paragraphs become "- " lines.
- PDF (pypdf): the text layer of each page, with the page's span in the text.

Tables become one line per row. A table of assignments (a "chủ trì" column and a
task column, e.g. "Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp") gives lines the
extractor reads as statements: "<lead> chủ trì, phối hợp với <partners>: <task>."
Other tables give "<header>: <value>; ..." lines.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from index.outline import marker_level
from index.sentences import line_spans, sentence_spans
from index.textnorm import fold


class Unreadable(ValueError):
    """A file the reader refuses; the message is the reason shown to the user."""


_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def normalise_text(text: str) -> str:
    """NFC, "\\n" line ends, no NUL; idempotent, so spans computed on its output stay valid."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_LINE_BREAKS).replace("\x00", ""))


MAX_SENTENCE_CHARS = 800


def break_runaway_sentences(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """Turn a space into a line break inside any "sentence" longer than limit (a line with no punctuation).

    The chunker splits long lines only at sentence ends, so such a line would be one
    huge chunk that extraction handles in quadratic time. Replacing a space by "\\n"
    keeps every offset, so spans (and PDF page spans) stay valid.
    """
    if len(text) <= limit or all(len(line) <= limit for line in text.split("\n")):
        return text
    chars = list(text)
    for a, b in line_spans(text):
        if b - a <= limit:
            continue
        for s, e in sentence_spans(text, a, b):
            start = s
            while e - start > limit:
                cut = text.rfind(" ", start + 1, start + limit)
                if cut <= start:
                    break  # no space to break at: a run of letters without words is harmless
                chars[cut] = "\n"
                start = cut + 1
    return "".join(chars)


def _squash(text: str) -> str:
    return " ".join(text.split())


# -- tables ----------------------------------------------------------------------------------------
_LEAD_HEADER = re.compile(r"chu tri")
_PARTNER_HEADER = re.compile(r"phoi hop")
_TASK_HEADER = re.compile(r"nhiem vu|noi dung|cong viec|hoat dong|ten (?:de an|du an|nhiem vu|van ban)|de an|chuong trinh")
_NUMBER_HEADER = re.compile(r"^(?:s\.?\s*t\.?\s*t|tt|so tt|so thu tu|#)\.?$")
_EMPTY_CELL = {"", "-", "–", "—", "x", "/", "không", "khong"}


def _find(headers: Sequence[str], pattern: re.Pattern[str], taken: set[int]) -> int | None:
    for i, header in enumerate(headers):
        if i not in taken and pattern.search(header):
            return i
    return None


def _sentence(text: str) -> str:
    return text.strip().rstrip(" .;,:")


def _assignment_row(row: Sequence[str], header: Sequence[str], lead: int, task: int, partner: int | None,
                    skip: set[int]) -> str:
    lead_text, task_text = _sentence(row[lead]), _sentence(row[task])
    partners = _sentence(row[partner]) if partner is not None else ""
    if not lead_text or not task_text:
        return "; ".join(c for c in row if c)
    if partners.casefold() in _EMPTY_CELL:
        line = f"{lead_text} chủ trì: {task_text}."
    else:
        line = f"{lead_text} chủ trì, phối hợp với {partners}: {task_text}."
    extras = [
        f"{_sentence(header[i]) or 'Ghi chú'}: {_sentence(row[i])}."
        for i in range(len(row)) if i not in skip and row[i].strip() and row[i].casefold() not in _EMPTY_CELL
    ]
    return " ".join([line, *extras])


def _assignment_columns(header: Sequence[str]) -> tuple[int, int, int | None] | None:
    """(lead, task, partner) column indexes of an assignment table's header row, or None."""
    folded = [fold(h) for h in header]
    lead = _find(folded, _LEAD_HEADER, set())
    if lead is None:
        return None
    partner = _find(folded, _PARTNER_HEADER, {lead})
    task = _find(folded, _TASK_HEADER, {lead} | ({partner} if partner is not None else set()))
    return (lead, task, partner) if task is not None else None


def _plain(row: Sequence[str]) -> str:
    return " ".join(c for c in dict.fromkeys(row) if c)


def table_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """One readable line per table row (see the module docstring)."""
    cleaned = [[_squash(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return []
    for h, header in enumerate(cleaned[:3]):  # the header may sit under a title row
        columns = _assignment_columns(header)
        if columns is None or h == len(cleaned) - 1:
            continue
        lead, task, partner = columns
        folded = [fold(c) for c in header]
        numbers = {i for i, c in enumerate(folded) if _NUMBER_HEADER.match(c)}
        skip = {lead, task, *numbers, *([partner] if partner is not None else [])}
        lines = [_plain(row) for row in cleaned[:h]]
        for row in cleaned[h + 1 :]:
            if len(row) != len(header) or len(set(c for c in row if c)) == 1:  # a section row spanning the table
                lines.append(_plain(row))
            elif [fold(c) for c in row] != folded:  # not the header repeated on a new page
                lines.append(_assignment_row(row, header, lead, task, partner, skip))
        return lines
    header = cleaned[0]
    # a header over at least two data rows labels them; smaller tables (a letterhead) stay plain rows
    labelled = len(cleaned) > 2 and len(header) > 1 and all(0 < len(h) <= 60 for h in header)
    lines = []
    for row in cleaned[1:] if labelled else cleaned:
        if labelled and len(row) == len(header):
            lines.append("; ".join(f"{h}: {c}" for h, c in zip(header, row, strict=True) if c) + ".")
        else:
            lines.append(" | ".join(c for i, c in enumerate(row) if c and (i == 0 or row[i - 1] != c)))
    return lines


# -- HTML ------------------------------------------------------------------------------------------
_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "head", "iframe", "svg",
              "object", "embed", "canvas", "button", "select", "input", "textarea", "meta", "link"]
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "ul", "caption", "center", "title", "body", "html",
})
_WHITESPACE = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _is_hidden(tag: Any) -> bool:
    attrs = getattr(tag, "attrs", None) or {}
    return "hidden" in attrs or attrs.get("aria-hidden") == "true" or bool(_HIDDEN_STYLE.search(str(attrs.get("style", ""))))


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 100))
    except ValueError:
        return 1


def _html_table_rows(table: Any) -> list[list[str]]:
    """The table's rows as a grid: a cell spanning rows or columns is repeated in each (like Word's)."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered) from a rowspan above
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a nested table's row
        row: list[str] = []
        cells = iter(tr.find_all(["td", "th"], recursive=False))
        while True:
            column = len(row)
            if column in pending:
                text, left = pending.pop(column)
                row.append(text)
                if left > 1:
                    pending[column] = (text, left - 1)
                continue
            cell = next(cells, None)
            if cell is None:
                if pending and max(pending) > column:
                    row.append("")  # a hole before a spanned column
                    continue
                break
            text = cell.get_text(" ", strip=True)
            for i in range(_span(cell, "colspan")):
                row.append(text)
                if _span(cell, "rowspan") > 1:
                    pending[column + i] = (text, _span(cell, "rowspan") - 1)
        rows.append(row)
    return rows


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one line per block element."""
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        if not tag.decomposed:
            tag.decompose()
    pieces: list[str] = []
    stack: list[Any] = [soup]
    while stack:  # iterative walk: deeply nested pages cannot exhaust the recursion limit
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            pieces.append(node)  # a block separator pushed below
        elif isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        elif isinstance(node, NavigableString):
            # source line breaks are plain white space in HTML, except inside <pre>
            pieces.append(str(node) if node.find_parent("pre") else _WHITESPACE.sub(" ", str(node)))
        elif isinstance(node, Tag):
            name = node.name
            if name == "br":
                pieces.append("\n")
            elif name == "table":
                pieces.append("\n" + "\n".join(table_lines(_html_table_rows(node))) + "\n")
            elif name in _BLOCK_TAGS or name in ("tr", "td", "th"):
                pieces.append("\n- " if name == "li" else "\n")
                stack.append("\n")
                stack.extend(reversed(list(node.children)))
            else:
                stack.extend(reversed(list(node.children)))
    lines = (_squash(line) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line and line != "-")


# -- DOCX ------------------------------------------------------------------------------------------
def _unique_cells(row: Any) -> list[Any]:
    """A row's cells, a horizontally merged cell once."""
    cells: list[Any] = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def _is_list_item(paragraph: Any) -> bool:
    """Numbered or bulleted, directly or through its style (Word does not store the number in the text)."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style
    for _ in range(10):  # the style's base styles, bounded against cycles
        if style is None:
            return False
        style_ppr = style.element.pPr
        if style_ppr is not None and style_ppr.numPr is not None:
            return True
        style = style.base_style
    return False


def docx_to_text(data: bytes, max_unpacked: int) -> str:
    """Paragraphs and table rows of a Word document, in order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_unpacked:
        raise Unreadable(f"too large when unpacked ({unpacked / 1e6:.0f} MB; limit {max_unpacked / 1e6:.0f} MB)")
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text
            if _is_list_item(block) and text.strip() and marker_level(text.strip()) is None:
                text = "- " + text.strip()
            lines.extend(text.split("\n"))
        elif isinstance(block, Table):
            rows = [[cell.text for cell in _unique_cells(row)] for row in block.rows]
            lines.extend(table_lines(rows))
    return "\n".join(lines)


# -- PDF -------------------------------------------------------------------------------------------
_END_OF_SENTENCE = (".", ":", ";", "!", "?", "…")
_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–\s]*$", re.IGNORECASE)


def unwrap_lines(text: str) -> str:
    """Join the visual lines of a PDF page back into paragraphs.

    A line is continued by the next one when it does not end a sentence, the next
    line is no list item, and either the next line starts in lower case or the line
    ran to (nearly) the full width of the page's text. Lone page numbers are dropped.
    """
    lines = [_squash(line) for line in text.split("\n")]
    lines = [line for line in lines if line and not _PAGE_NUMBER.match(line)]
    if not lines:
        return ""
    width = max(len(line) for line in lines)
    out = [lines[0]]
    last_width = len(lines[0])  # of the previous visual line
    for line in lines[1:]:
        previous = out[-1]
        continues = (
            not previous.endswith(_END_OF_SENTENCE)
            and marker_level(line) is None
            and (line[:1].islower() or (width >= 40 and last_width >= 0.75 * width))
        )
        if continues:
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
        last_width = len(line)
    return "\n".join(out)


def pdf_to_text(data: bytes) -> tuple[str, list[tuple[int, int, int]], int]:
    """(text, [(page number, start, end)], page count) of a PDF's text layer; text is normalised."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):  # many "protected" PDFs have an empty user password
        raise Unreadable("is password-protected")
    parts: list[str] = []
    pages: list[tuple[int, int, int]] = []
    position = 0
    for number, page in enumerate(reader.pages, start=1):
        text = unwrap_lines(normalise_text(page.extract_text() or ""))
        if not text.strip():
            continue
        if parts:
            position += 1  # the "\n" that joins pages
        pages.append((number, position, position + len(text)))
        parts.append(text)
        position += len(text)
    return "\n".join(parts), pages, len(reader.pages)


__all__ = ["Unreadable", "break_runaway_sentences", "docx_to_text", "html_to_text", "normalise_text", "pdf_to_text", "table_lines", "unwrap_lines"]
