"""Anaphora: a bare head ("Sở", "Bộ này") or a kind with a demonstrative ("Cơ quan này") stands for a body named in
full before it. News reports name a body in full once, then by its head."""

from __future__ import annotations

import re

from assistant.reading.units import HEAD_ALTERNATION, OFFICIALS_ALTERNATION, PERSONAL_TITLES, clean_unit, unit_end
from index.knowledge import alternation, load

_UNITS = load("units")

_ANAPHORIC = re.compile(rf"({alternation(_UNITS['anaphoric_heads'])})(?:\s+(?:{alternation(_UNITS['demonstratives'])}))?")


_ANY_BODY = re.compile(rf"(?:{alternation(_UNITS['anaphoric_kinds'])})\s+(?:{alternation(_UNITS['demonstratives'])})", re.IGNORECASE)
_BODY = re.compile(rf"(?<![\w])(?:{HEAD_ALTERNATION})(?= +[A-ZĐ])")
_AFTER_TITLE = re.compile(rf"(?:{OFFICIALS_ALTERNATION})\s+$")


def antecedent(text: str, name: str, start: int, end: int) -> str | None:
    """ "Sở", "Sở này" in the statement text[start:end]: a bare head stands for the last body with that head named in
    full before it (in the text or earlier in its own sentence); "Cơ quan này", "đơn vị này", for the last body of any
    head. None for a name that is no such head."""
    bare = _ANAPHORIC.fullmatch(name.strip())
    kind = _ANY_BODY.fullmatch(name.strip()) if bare is None else None
    if bare is None and kind is None:
        return None
    said = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)(?! +[A-ZĐ])").search(text, start, end)
    if said is None:
        return None
    before = said.start()
    head = bare.group(1) if bare else ""
    mentions = re.compile(rf"(?<!\w){re.escape(head)} +(?=[A-ZĐ])") if bare else _BODY
    for mention in reversed(list(mentions.finditer(text, 0, before))):
        if _AFTER_TITLE.search(text, max(0, mention.start() - 30), mention.start()):
            continue  # "Bộ trưởng Bộ Công Thương Trần Tuấn Anh": the name runs on into the official's
        line_end = text.find("\n", mention.start(), before)
        name_end = unit_end(text, mention.start(), before if line_end < 0 else line_end)
        full = clean_unit(text[mention.start() : name_end]) if name_end else ""
        if len(full.split()) > len(head.split()) and not (kind and (_ANY_BODY.fullmatch(full) or PERSONAL_TITLES.match(full))):
            return full
    return None


__all__ = ["antecedent"]
