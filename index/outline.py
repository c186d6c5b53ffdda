"""The outline of a Vietnamese administrative text: which line is under which heading.

Every non-blank line gets a marker kind (roman numeral, "1.", "a)", dash, "Điều 3.", ... as
`knowledge/outline.toml` lists them, or none), and a parent: the heading or lead-in line it
belongs to. A document may nest its markers in any order; the outline follows the order the
document uses: a kind that is already open closes everything opened after it, and a kind not
yet open nests under the current line unless its usual rank puts it higher. Unmarked lines
belong to the nearest open line that heads a block (a short title, or a line ending in ":").
Field lines ("Đơn vị chủ trì: Sở Tư pháp.") belong to the task items just above them.

Spans are offsets into the text, so an item's path of headings can be shown and cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.knowledge import load
from index.sentences import line_spans
from index.textnorm import in_capitals

PLAIN = "text"
FIELD = "field"
ROW = "row"


@dataclass(frozen=True)
class Marker:
    kind: str
    pattern: re.Pattern[str]
    rank: float


@dataclass
class OutlineLine:
    start: int  # span of the line in the text (a line continued on the next one includes it)
    end: int
    body: int  # where the text after the marker starts
    kind: str  # a marker kind, PLAIN, FIELD or ROW
    parent: int = -1  # index of the line it belongs to, -1 at the top
    opens: bool = False  # heads a block: unmarked lines after it belong to it
    field_role: str = ""  # for FIELD lines: "lead", "partners" or "other"
    children: int = 0


@lru_cache(maxsize=1)
def markers() -> tuple[Marker, ...]:
    return tuple(
        Marker(m["kind"], re.compile(rf"(?:{m['pattern']})\s*"), float(m["rank"])) for m in load("outline")["marker"]
    )


@lru_cache(maxsize=1)
def _fields() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((f["role"], re.compile(f["pattern"], re.IGNORECASE)) for f in load("outline")["field"])


def _ranks() -> dict[str, float]:
    return {m.kind: m.rank for m in markers()}


def match_marker(text: str, pos: int = 0, end: int | None = None) -> tuple[str, int] | None:
    """The marker kind at pos and where the text after it starts, or None."""
    end = len(text) if end is None else end
    for marker in markers():
        m = marker.pattern.match(text, pos, end)
        if m:
            return marker.kind, m.end()
    return None


def field_role(text: str, pos: int = 0, end: int | None = None) -> tuple[str, int] | None:
    """ "Đơn vị chủ trì: X" -> ("lead", where X starts); None for a line that is no field."""
    end = len(text) if end is None else end
    for role, pattern in _fields():
        m = pattern.match(text, pos, end)
        if m:
            return role, m.end()
    return None


def heads_block(line: str) -> bool:
    """A lead-in ("... như sau:") or a short title with no closing punctuation ("1. Sở Tài chính")."""
    heading = load("outline")["heading"]
    stripped = line.rstrip()
    if stripped.endswith(":"):
        return True
    return len(stripped) <= int(heading["max_chars"]) and not stripped.endswith(tuple(heading["closing"]))


def parse_outline(text: str) -> list[OutlineLine]:
    """The outline of text: one OutlineLine a non-blank line (a lower-case continuation joins its line)."""
    ranks = _ranks()
    lines: list[OutlineLine] = []
    stack: list[int] = []
    last_item = -1  # the last line that is neither a field nor a row
    for a, b in line_spans(text):
        marker = match_marker(text, a, b)
        body = marker[1] if marker else a
        if marker is None and lines and _continues(text, a, lines[-1]):
            lines[-1].end = b  # a line broken inside a sentence ("... các cơ quan, đơn vị, địa phương\nliên quan.")
            continue
        if marker is None and lines and _titles(text, a, b, lines[-1]):
            lines[-1].end, lines[-1].body = b, a  # "Chương III" then "HỖ TRỢ NGƯỜI LAO ĐỘNG ...": the bare marker's title
            continue
        field = field_role(text, body, b)
        if field:
            parent = last_item if last_item >= 0 else (stack[-1] if stack else -1)
            lines.append(OutlineLine(a, b, field[1], FIELD, parent, field_role=field[0]))
            continue
        if marker is None and text.count(" | ", a, b) >= 1:
            lines.append(OutlineLine(a, b, a, ROW, stack[-1] if stack else -1))
            continue
        opens = heads_block(text[a:b]) or (marker is not None and body >= b)  # a bare "1." heads its text
        if marker is None:
            # an unmarked line ends the items that head nothing, and a lead-in whose items are over
            while stack and (not lines[stack[-1]].opens or (lines[stack[-1]].kind == PLAIN and lines[stack[-1]].children)):
                stack.pop()
            line = OutlineLine(a, b, a, PLAIN, stack[-1] if stack else -1, opens=text[a:b].rstrip().endswith(":"))
        else:
            kind = marker[0]
            open_kinds = [lines[i].kind for i in stack]
            if kind in open_kinds:
                while lines[stack[-1]].kind != kind:
                    stack.pop()
                stack.pop()
            else:
                while stack and lines[stack[-1]].kind != PLAIN and ranks.get(lines[stack[-1]].kind, 99) >= ranks[kind]:
                    stack.pop()
            line = OutlineLine(a, b, body, kind, stack[-1] if stack else -1, opens=opens)
        if line.parent >= 0:
            lines[line.parent].children += 1
        lines.append(line)
        index = len(lines) - 1
        last_item = index
        if line.opens or marker is not None:
            stack.append(index)
    return lines


def _continues(text: str, start: int, previous: OutlineLine) -> bool:
    """A line that starts in lower case after a line that does not end a sentence continues it."""
    first = text[start : start + 1]
    before = text[previous.end - 1 : previous.end]
    return first.islower() and before not in ".:;!?" and previous.kind != ROW


def _titles(text: str, start: int, end: int, previous: OutlineLine) -> bool:
    """A line in capitals right under a bare marker ("Chương III", "Mục 2") is that marker's title."""
    bare = previous.kind not in (PLAIN, FIELD, ROW) and not text[previous.body : previous.end].strip()
    return bare and text[start:end].isupper()


def path(lines: list[OutlineLine], index: int) -> list[int]:
    """The indices of the lines above lines[index], outermost first."""
    found: list[int] = []
    parent = lines[index].parent
    while parent >= 0:
        found.append(parent)
        parent = lines[parent].parent
    return found[::-1]


def marker_level(line: str) -> float | None:
    """The usual rank of the line's marker (smaller is outer), or None when it has none."""
    marker = match_marker(line)
    return float(_ranks()[marker[0]]) if marker else None


@dataclass(frozen=True)
class _HeaderLines:
    known: re.Pattern[str]  # lines that are header wherever they stand
    recipient: re.Pattern[str]
    opens_recipients: re.Pattern[str]
    closing: tuple[str, ...]
    max_lines: int
    max_chars: int
    title_max_chars: int


@lru_cache(maxsize=1)
def _header_lines() -> _HeaderLines:
    header = load("outline")["header"]
    return _HeaderLines(
        re.compile("|".join(f"(?:{p})" for p in header["line"])), re.compile(header["recipient"]),
        re.compile(header["opens_recipients"]), tuple(header["closing"]), int(header["max_lines"]),
        int(header["max_chars"]), int(header["title_max_chars"]),
    )


def header_span(text: str) -> int:
    """Where a text's opening lines end: the first run of lines that are header by what they are (issuer and motto
    in capitals, "Số: ...", place and date, the kind of text and its title, "Kính gửi" and its recipients). The
    first line that is none of them, or a part of the outline ("1. ...", "I. ...", "Điều 1."), starts the body."""
    h = _header_lines()
    pos, count, after_capitals, recipients = 0, 0, False, False
    for a, b in line_spans(text):
        line = text[a:b]
        if count >= h.max_lines:
            break
        titled = len(line) <= h.title_max_chars and not line.endswith(h.closing)
        if recipients and h.recipient.match(line):
            pass
        elif len(line) > h.max_chars:
            break
        elif h.known.match(line) or not any(c.isalnum() for c in line):
            pass
        elif match_marker(line) is not None:
            break
        elif in_capitals(line, 0.8) and len(line) <= h.title_max_chars:
            after_capitals = True
        elif not (titled and (count == 0 or after_capitals)):
            break
        recipients = recipients or bool(h.opens_recipients.match(line))
        count, pos = count + 1, b
    return pos


__all__ = ["FIELD", "PLAIN", "ROW", "OutlineLine", "field_role", "header_span", "heads_block", "marker_level", "match_marker",
           "parse_outline", "path"]
