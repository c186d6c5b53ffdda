"""The addressees of an official letter (công văn), what its body asks of them, and where its body ends.

A letter names the bodies it is sent to on its "Kính gửi:" line, and its body then calls
them by a bare kind: "Tổng cục Thuế đề nghị các đơn vị lưu ý ...", "đề nghị Quý cơ quan
...". Such a request is asked of the addressees; the assignment names them, and quotes the
"Kính gửi" line with the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.reading.frames import EXECUTES, REQUESTED
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import MAX_UNIT_CHARS
from index.knowledge import alternation, load
from index.outline import OutlineLine

if TYPE_CHECKING:
    from assistant.reading.assignments import Assignment

_HEADER = load("outline")["header"]
_DATA = load("outline")["letters"]
# "Kính gửi:", or a dispatch's "THỦ TƯỚNG CHÍNH PHỦ điện:" (the header's own patterns)
_ADDRESS = re.compile(rf"\s*(?:{_HEADER['opens_recipients']})\s*:?\s*")
_ITEM = re.compile(rf"\s*(?={_HEADER['recipient']})[-–—•+]\s*")
_HEADER_LINES = int(_HEADER["max_lines"])
_REFERENCE = re.compile(
    rf"(?:{alternation(_DATA['references'])})(?:\s+(?:{alternation(_DATA['reference_endings'])}))?", re.IGNORECASE)
_REFERENCE_WORDS = int(_DATA["reference_max_words"])
_DISTRIBUTION = re.compile(rf"\s*(?:{alternation(_DATA['distribution_list'])})\s*:", re.IGNORECASE)
# case matters: "KẾ HOẠCH" alone on its line is a title, "Kế hoạch" is a word
_ATTACHED = re.compile(
    rf"\s*(?:(?:{alternation(_DATA['attached_text'])})\s*$|(?:{alternation(_DATA['attached_lead_in'])})\b)")


@dataclass(frozen=True)
class Addressees:
    names: list[str]
    start: int  # span of the "Kính gửi" line (and the lines that list more addressees)
    end: int


def addressees(text: str, lines: Sequence[OutlineLine]) -> Addressees | None:
    """The units a letter's "Kính gửi:" line names (with the dash lines under it), if it has one."""
    for index, line in enumerate(lines[:_HEADER_LINES]):
        address = _ADDRESS.match(text, line.start, line.end)
        if not address:
            continue
        names, end = list(parse_units(text, address.end(), line.end)[0]), line.end
        for more in lines[index + 1 : index + 12]:
            item = _ITEM.match(text, more.start, more.end)
            listed = parse_units(text, item.end(), more.end)[0] if item else []
            if not listed:
                break
            names += listed
            end = more.end
        return Addressees(names, line.start, end) if names else None
    return None


def distribution_spans(text: str, lines: Sequence[OutlineLine]) -> list[tuple[int, int]]:
    """Where a letter's distribution list ("Nơi nhận:") and signature run: from that line to the text's end, or to
    the title of a text issued with it and printed after the signature ("KẾ HOẠCH", "(Ban hành kèm theo ...)"),
    where a body starts again."""
    spans: list[tuple[int, int]] = []
    start = None
    for line in lines:
        if start is None and _DISTRIBUTION.match(text, line.start, line.end):
            start = line.start
        elif start is not None and _ATTACHED.match(text, line.start, line.end):
            spans.append((start, line.start))
            start = None
    return spans + ([(start, len(text))] if start is not None else [])


def _reference(lead: str) -> bool:
    """ "các đơn vị", "Quý cơ quan": a bare kind, the way a letter's body calls its addressees (not "doanh nghiệp",
    whom a tax office's letter to its branches asks nothing of directly)."""
    return len(lead.split()) <= _REFERENCE_WORDS and bool(_REFERENCE.fullmatch(lead.strip()))


def address_requests(found: list[Assignment], text: str, to: Addressees) -> None:
    """Names the addressees as the lead of each request the body makes of a bare kind."""
    lead = ", ".join(to.names)
    if len(lead) > MAX_UNIT_CHARS:
        return  # a list of addressees longer than a unit's name is not named as one lead
    for a in found:
        if a.role in (REQUESTED, EXECUTES) and a.start > to.end and _reference(a.lead):
            a.lead, a.explicit = lead, False
            a.lead_in, a.heading_start, a.heading_end = text[to.start : to.end].strip(), to.start, to.end


__all__ = ["Addressees", "address_requests", "addressees", "distribution_spans"]
