"""Meetings: whether a phrase names one ("Tại cuộc họp", "Hội nghị sơ kết ..."), and who organised one ("Hội nghị ...
do Tổng cục Thủy sản tổ chức"): who chaired or organised is a fair question, though it is no task."""

from __future__ import annotations

import re

from assistant.reading.frame_table import CHAIRS, PASSIVE, Frame, knowledge
from assistant.reading.unit_lists import parse_units
from index.knowledge import alternation, load

_AT = re.compile(r"\s*(?:tại|trong|ở)\s+", re.IGNORECASE)


def names_meeting(phrase: str) -> bool:
    """The phrase is a meeting ("Hội nghị sơ kết ...", "Tại cuộc họp"), not a task ("Việc tổ chức hội nghị")."""
    at = _AT.match(phrase)
    return bool(knowledge().meeting.match(phrase, at.end() if at else 0))


_DO = re.compile(r"(?<!\w)do\s+", re.IGNORECASE)
_ORGANISES = re.compile(r"\s*(?:đã\s+)?tổ chức(?!\w)", re.IGNORECASE)
# a meeting and what it was about, right before "do" ("tại hội nghị triển khai nhiệm vụ 6 tháng cuối năm do ...")
_MEETING_BEFORE = re.compile(rf"(?<!\w)(?:{alternation(load('frames')['meeting_nouns'])})(?!\w)[^,;:.]*$", re.IGNORECASE)


def organiser_of_meeting(text: str, body: int, end: int) -> Frame | None:
    """ "Hội nghị ... do Tổng cục Thủy sản tổ chức ở Hà Nội": who organised a meeting, no task of theirs."""
    for do in _DO.finditer(text, body, end):
        units, after = parse_units(text, do.end(), end)
        meeting = _MEETING_BEFORE.search(text, body, do.start()) if units and _ORGANISES.match(text, after, end) else None
        if meeting:
            # the task says what the text says: an answer reads "X chủ trì tổ chức hội nghị ..."
            return Frame(", ".join(units), [], f"tổ chức {meeting.group().strip()}", CHAIRS, PASSIVE, lead_start=do.end(),
                         no_task=True)
    return None


__all__ = ["names_meeting", "organiser_of_meeting"]
