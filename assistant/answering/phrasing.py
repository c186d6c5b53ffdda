"""Phrasing an answer: a task as a clause, a text cut to a length, fair shares of the room for a list."""

from __future__ import annotations

from assistant.reading.extraction import Assignment
from index.textnorm import fold


def as_clause(task: str) -> str:
    """ "Đẩy mạnh công tác ..." -> "đẩy mạnh công tác ..." (a name such as "Hải Phòng ..." keeps its capital)."""
    task = task.strip().rstrip(" .;:")
    words = task.split(maxsplit=2)
    if len(words) >= 2 and words[0][:1].isupper() and words[1][:1].islower() and not words[0].isupper():
        return task[0].lower() + task[1:]
    return task


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def partner_note(a: Assignment, unit_key: str) -> str:
    """ " (phối hợp với X)" when the unit takes part in the task without leading it."""
    return "" if fold(a.lead).startswith(unit_key) else f" (phối hợp với {a.lead})"


def fair_shares(lengths: list[int], total: int) -> list[int]:
    """Split total characters among items: short items take what they need, long ones share the rest."""
    shares = [0] * len(lengths)
    remaining = list(range(len(lengths)))
    budget = max(total, 40 * len(lengths))
    while remaining:
        share = budget // len(remaining)
        small = [i for i in remaining if lengths[i] <= share]
        if not small:
            for i in remaining:
                shares[i] = share
            break
        for i in small:
            shares[i] = lengths[i]
            budget -= lengths[i]
            remaining.remove(i)
    return shares
