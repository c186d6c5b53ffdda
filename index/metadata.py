"""What a document says about itself: its title, number, date and issuing body.

An official Vietnamese document opens with a letterhead: the issuing body on the left ("UỶ BAN
NHÂN DÂN / TỈNH NGHỆ AN", "BỘ CÔNG THƯƠNG"), its number below it ("Số: 137/2025/QĐ-UBND"), the
national motto on the right, and the place and date below that ("Hà Nội, ngày 23 tháng 9 năm
2025"); then the document type ("QUYẾT ĐỊNH") and its subject. Extracted text keeps these as lines,
in varying order, or as cells of one line ("BỘ CÔNG THƯƠNG | CỘNG HÒA ...", from a .docx table).
Only the first lines are read, up to the preamble ("Căn cứ ...", "Thực hiện ..."): numbers and
dates further down belong to the documents cited. A title line naming the document ("Nghị quyết số
141/NQ-CP ngày 01/6/2026 của Chính phủ về ...") gives what the letterhead does not. News articles
have none of these: their title is the headline. Absent fields are empty strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.textnorm import fold, in_capitals

HEADER_LINES = 25
MAX_ISSUER_LINE = 80
MAX_TITLE = 300

_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc")
_MOTTO_START = re.compile(r"C[ỘO]NG H[ÒOÓ]A X[ÃA] H[ỘO]I", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\W_]*$")
_PREAMBLE = re.compile(r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Trên cơ sở|Để|Nhằm)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^S[ốỐ]\s*[:.]?\s*(\d[\w./\-–]*\w)")
_WORD = r"[^\W\d_][\w.'’-]*"
_PLACE_DATE = re.compile(
    rf"(?P<place>{_WORD}(?:\s+{_WORD}){{0,5}})\s*,\s*ngày\s+(?P<d>\d{{1,2}})\s*"
    r"(?:tháng\s+(?P<m>\d{1,2})\s+năm\s+|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*)(?P<y>\d{4})",
    re.IGNORECASE,
)
_TYPE = r"[A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[a-zđà-ỹ][^\W\d_]*){0,3}"
_TITLE_NUMBER = re.compile(rf"^{_TYPE}\s+số\s+(?P<number>\d[\w./\-–]*\w)")
_TITLE_DATE = re.compile(
    r"^\S+(?:\s+\S+){0,3}?\s+số\s+\S+\s+ngày\s+(?P<d>\d{1,2})\s*"
    r"(?:tháng\s+(?P<m>\d{1,2})\s+năm\s+|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*)(?P<y>\d{4})"
)
_TITLE_ISSUER = re.compile(
    rf"^{_TYPE}(?:\s+số\s+\S+)?(?:\s+ngày\s+\d{{1,2}}(?:/\d{{1,2}}/\d{{4}}|\s+tháng\s+\d{{1,2}}\s+năm\s+\d{{4}}))?"
    r"\s+của\s+(?P<issuer>.+?)(?=\s+(?:về|phê duyệt|ban hành|sửa đổi|tại|trong|đối với|giao|quy định)[\s,]|\s*:|$)"
)
_DOCUMENT_TYPES = {
    "quyet dinh", "nghi quyet", "chi thi", "ke hoach", "thong bao", "thong tu", "nghi dinh", "cong van",
    "bao cao", "to trinh", "chuong trinh", "de an", "quy dinh", "quy che", "huong dan", "luat", "lenh",
    "thong tri", "ket luan",
}


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    number: str = ""  # as written: "137/2025/QĐ-UBND"
    date: str = ""  # ISO: "2025-09-23"
    issuer: str = ""  # as written: "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the lines that give a text's place and date ("Hà Nội, ngày 11 tháng 11 năm 2013"), with the number
    line right above one ("Số: 252/KH-BCĐQG1237"): the letterhead's number and date, read together."""
    spans = []
    number_line: re.Match[str] | None = None  # the line before, when it is the text's number
    for line in re.finditer(r"[^\n]+", text):
        found = _PLACE_DATE.search(line.group())
        if found and len(line.group()) <= _DATELINE_CHARS:
            start = number_line.start() if number_line else line.start() + found.start()
            spans.append((start, line.start() + found.end()))
        number_line = line if _NUMBER.match(line.group().strip()) else None
    return spans


_DATELINE_CHARS = 120  # a longer line that names a date is a sentence of the body


def display_date(iso: str) -> str:
    """"2025-09-23" as Vietnamese write it: "23/9/2025"."""
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return iso
    return f"{day}/{month}/{year}"


def _iso(day: str, month: str | None, year: str) -> str:
    d, m, y = int(day), int(month or 0), int(year)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= d <= 31 and 1 <= m <= 12 and 1900 <= y <= 2200 else ""


def _is_motto(cell: str) -> bool:
    return bool(_MOTTO.search(fold(cell)))


def _is_upper(cell: str) -> bool:
    return in_capitals(cell, 0.9)


def _cells(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, cell) of the header: table cells split, and a body written before the motto on its line."""
    cells = []
    for i, line in enumerate(lines):
        for cell in line.split(" | "):
            motto = _MOTTO_START.search(cell)
            if motto and motto.start() > 0:  # "BỘ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI ..." on one line
                cells.append((i, cell[: motto.start()].strip()))
                cell = cell[motto.start() :]
            cells.append((i, cell.strip()))
    return cells


def _header(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines()[: HEADER_LINES * 2]:
        if _PREAMBLE.match(line.strip()) or len(lines) >= HEADER_LINES:
            break
        lines.append(line.strip())
    return lines


def _issuer(cells: list[tuple[int, str]]) -> tuple[str, set[int]]:
    """The issuing body: the upper-case cells just above the number or the motto (the first of them);
    and the line indices it was read from."""
    anchor = next((k for k, (_, c) in enumerate(cells) if _is_motto(c) or _NUMBER.match(c)), None)
    if anchor is None:
        return "", set()
    block: list[tuple[int, str]] = []
    for line, cell in reversed(cells[:anchor]):
        if cell and _SEPARATOR.match(cell):
            continue
        if not cell or not _is_upper(cell) or len(cell) > MAX_ISSUER_LINE or _is_motto(cell):
            break
        if block and fold(block[0][1]) == fold(cell):  # a repeated line: the block starts after it
            break
        block.insert(0, (line, cell))
    return " ".join(c for _, c in block), {line for line, _ in block}


def _letterhead_title(lines: list[str], skip: set[int]) -> str:
    """For a document that opens with its letterhead: the type line and its subject ("QUYẾT ĐỊNH Về việc ...")."""
    rest = [
        (i, line) for i, line in enumerate(lines)
        if line and i not in skip and not _SEPARATOR.match(line) and not _is_motto(line)
        and not _NUMBER.match(line) and not _PLACE_DATE.match(line)
    ]
    if not rest:
        return ""
    first_index, first = rest[0]
    parts = [first]
    if fold(first) in _DOCUMENT_TYPES:
        for i, line in rest[1:3]:
            if i != first_index + len(parts) or _PREAMBLE.match(line) or (_is_upper(line) and len(line) < 40):
                break
            parts.append(line)
    return " ".join(parts)


def document_title(text: str, fallback: str) -> str:
    """The first line (the headline of an article), or, when the text opens with a letterhead,
    the document type and subject below it."""
    return parse_metadata(text, fallback).title


def parse_metadata(text: str, fallback_title: str = "") -> DocumentMeta:
    lines = _header(text)
    cells = _cells(lines)
    issuer, issuer_lines = _issuer(cells)
    number = next((m.group(1) for _, c in cells if (m := _NUMBER.match(c))), "")
    date = ""
    for _, cell in cells:
        number_first = _NUMBER.match(cell)  # "Số: 12/KH-BCT Hà Nội, ngày ..." on one line
        found = _PLACE_DATE.match(cell[number_first.end() :].strip() if number_first else cell)
        if found and found.group("place").split()[0].lower() not in ("căn", "thực", "theo"):
            date = _iso(found.group("d"), found.group("m") or found.group("m2"), found.group("y"))
            if date:
                break
    first = next((i for i, line in enumerate(lines) if line and not _SEPARATOR.match(line)), None)
    opens_with_letterhead = first is not None and (
        first in issuer_lines or _is_motto(lines[first]) or bool(_NUMBER.match(lines[first]))
    )
    skip = set(issuer_lines)
    title = _letterhead_title(lines, skip) if opens_with_letterhead else ""
    if not title:
        title = next((line.lstrip("#").strip() for line in text.splitlines()
                      if line.strip().lstrip("#").strip() and not _is_motto(line)), "")
    title = title[:MAX_TITLE] or fallback_title
    if not number and (m := _TITLE_NUMBER.match(title)):
        number = m.group("number")
        if not date and (d := _TITLE_DATE.match(title)):
            date = _iso(d.group("d"), d.group("m") or d.group("m2"), d.group("y"))
    if not issuer and (m := _TITLE_ISSUER.match(title)):
        issuer = m.group("issuer").strip(" ,;")
    return DocumentMeta(title=title, number=number, date=date, issuer=issuer)
