"""Lists of units ("Bộ Tài chính, Bộ Công Thương và các địa phương", "các Bộ: Xây dựng, Quốc phòng") in running text."""

from __future__ import annotations

import re

from assistant.reading.units import UNIT_START, clean_unit, name_goes_on, starts_unit, unit_end
from index.knowledge import alternation, load
from index.textnorm import fold

_UNITS = load("units")

# longest first: "Văn hóa, Thể thao và Du lịch" before "Văn hóa, Thể thao"
_COMMA_FIELDS = sorted((fold(f) for f in _UNITS["comma_fields"]), key=len, reverse=True)
_ENUMERATION = re.compile(r"các\s+(Vụ|Cục|Bộ|Sở|Ban|Tổng cục)\s*:\s*", re.IGNORECASE)
# "Thủ trưởng các cơ quan: Văn phòng UBND tỉnh, Sở Công Thương, ...": the list names its units in full
_GENERIC_LIST = re.compile(r"(?:(?:Thủ trưởng|Lãnh đạo|Giám đốc)\s+)?các\s+(?:cơ quan|đơn vị|Bộ, ngành|bộ, ngành|sở, ngành)"
                           r"(?:,\s*(?:đơn vị|địa phương))?\s*:\s*")
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,80}\)")
_ABBREVIATED = re.compile(r"\s*\([A-ZĐ][\w&.\-]{1,11}\)")  # "Tập đoàn Dầu khí Việt Nam (PVN)": the name keeps it
_PLACE_AFTER_ABBREVIATION = re.compile(r"\s+(?:" + alternation(_UNITS["after_abbreviation"], longest_first=True)
                                       + r")(?!\w)")
_LIST_SEPARATOR = re.compile(r"\s*(?:,?\s*(?:đặc biệt là|nhất là|trước hết là|trong đó có)|,|;|và|cùng|hoặc)\s*")


def _listed(text: str, listed: re.Match[str], limit: int) -> tuple[list[str], int]:
    """ "các Bộ: Xây dựng, Quốc phòng theo ..." -> ["Bộ Xây dựng", "Bộ Quốc phòng"] and where the list ends."""
    head = listed.group(1)
    units: list[str] = []
    pos = listed.end()
    while pos < limit and text[pos : pos + 1].isupper():
        own = unit_end(text, pos, limit, split_commas=True) if UNIT_START.match(text, pos, limit) else None
        field = next((len(f) for f in _COMMA_FIELDS if fold(text[pos : pos + len(f)]) == f), 0)
        if own:  # "các Vụ: Kế hoạch, Cục Hoá chất": a unit of another type, named in full
            units.append(clean_unit(text[pos:own]))
            pos = own
        elif field:
            units.append(clean_unit(f"{head} {text[pos : pos + field]}"))
            pos += field
        else:
            probe = f"{head} {text[pos:limit]}"
            end = unit_end(probe, 0, split_commas=True)
            if end is None or end <= len(head) + 1:
                break
            units.append(clean_unit(probe[:end]))
            pos += end - len(head) - 1
        sep = re.compile(r"\s*(?:,|và)\s*").match(text, pos, limit)
        if not sep or not text[sep.end() : sep.end() + 1].isupper():
            break
        pos = sep.end()
    return units, pos


def parse_units(text: str, pos: int, limit: int | None = None) -> tuple[list[str], int]:
    """A list of units "A, B và các C liên quan" (or "các Bộ: X, Y") starting at pos; returns (units, end)."""
    limit = len(text) if limit is None else limit
    units: list[str] = []
    while pos < limit:
        listing = _GENERIC_LIST.match(text, pos, limit)
        if listing and starts_unit(text, listing.end(), limit):
            pos = listing.end()
            continue
        enum = _ENUMERATION.match(text, pos, limit)
        if enum:
            listed, pos = _listed(text, enum, limit)
            units += listed
        else:
            end = unit_end(text, pos, limit)
            if end is None:
                break
            abbreviated = _ABBREVIATED.match(text, end, limit)
            if abbreviated:
                end = abbreviated.end()
                placed = _PLACE_AFTER_ABBREVIATION.match(text, end, limit)
                if placed:
                    end = name_goes_on(text, pos, placed.end(), limit)
            units.append(clean_unit(text[pos:end]))
            pos = end
            aside = _PARENTHETICAL.match(text, pos, limit)
            if aside:
                pos = aside.end()
        sep = _LIST_SEPARATOR.match(text, pos, limit)
        if not sep or not starts_unit(text, sep.end(), limit):
            break
        pos = sep.end()
    return [u for u in units if u], pos


__all__ = ["parse_units"]
