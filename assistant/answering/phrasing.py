"""Phrasing an answer from the chosen candidate, with the named templates of prompts/answers.toml.

Every answer names its lead and partners when the candidate states them (a fact question
answered by an assignment still says who), quotes what it rests on, and stays under 600 characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from assistant.answering.candidates import (
    ASSIGNMENT,
    MAX_ANSWER_CHARS,
    SENTENCE,
    TASKS,
    TASKS_SHOWN,
    Candidate,
    task_as_listed,
)
from assistant.answering.leads import lead_members
from assistant.answering.signals import names_unit, question_signals, role_family
from assistant.questions.analysis import FACT, PARTNERS, Question
from assistant.questions.synonyms import spelled_out
from assistant.reading.assignments import Assignment
from assistant.reading.frames import COOPERATE, find_frames
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import PERSONAL_TITLES, UNIT_START
from assistant.types import Answer, Citation
from index.sentences import sentence_spans
from index.textnorm import fold

Cite = Callable[[int, str, str, int, int, float], Citation]  # n, chunk id, quoted text, span, score


def as_clause(task: str) -> str:
    """ "Đẩy mạnh công tác ..." -> "đẩy mạnh công tác ..." (a name such as "Hải Phòng ..." keeps its capital)."""
    task = task.strip().rstrip(" .;:")
    words = task.split(maxsplit=2)
    if len(words) >= 2 and words[0][:1].isupper() and words[1][:1].islower() and not words[0].isupper():
        return task[0].lower() + task[1:]
    return task


def lead_field(lead: str, limit: int = 80) -> str:
    """The units of a lead that fit the answer's lead field, whole ("Bộ Tài chính, Bộ Công Thương, ...")."""
    if len(lead) <= limit:
        return lead
    kept = ""
    for unit in lead.split(", "):
        if len(kept) + len(unit) + 2 > limit:
            break
        kept = f"{kept}, {unit}" if kept else unit
    return kept or lead[:limit]


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def partner_note(a: Assignment, unit_words: str) -> str:
    """ " (phối hợp với X)" when the unit (its words, abbreviations written out) takes part in the task
    without leading it."""
    if any(f"{spelled_out(member)} ".startswith(f"{unit_words} ") for member in [a.lead, *lead_members(a.lead)[1:]]):
        return ""
    return f" (phối hợp với {lead_field(a.lead, 60)})"


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


def sentence_lead(
    question: Question, text: str, covering: Sequence[Assignment] = ()
) -> tuple[str | None, list[str]]:
    """Who a sentence says does what the question asks: a frame's unit the question does not name
    (of the role the question asks for first), else the unit of an assignment stated over it (its
    heading's), else a unit it names that the question does not."""
    key = ("lead", text, len(covering))
    cached = question.cache.get(key)  # the features and the phrasing both ask
    if cached is None:
        cached = question.cache[key] = _sentence_lead(question, text, covering)
    return cached  # type: ignore[return-value]


def _sentence_lead(question: Question, text: str, covering: Sequence[Assignment]) -> tuple[str | None, list[str]]:
    signals = question_signals(question.text)
    folded_q = fold(question.text)
    frames: list[Any] = [f for s, e in sentence_spans(text) for f in _frames(text, s, e) if f.lead]
    frames += list(covering)
    if question.kind == PARTNERS:  # "Cục X phối hợp với ai ...": the frame of the unit the question names
        named = [f for f in frames if f.partners and (names_unit(signals.units, f.lead) or fold(f.lead) in folded_q)]
        if named:
            return named[0].lead, list(named[0].partners)
    frames = [f for f in frames if not names_unit(signals.units, f.lead) and fold(f.lead) not in folded_q]
    frames.sort(key=lambda f: role_family(f.role) not in signals.roles)
    if frames:
        return frames[0].lead, list(frames[0].partners)
    units = []
    bylines = [m.span() for m in _BYLINE.finditer(text)]
    for m in UNIT_START.finditer(text):
        if any(s <= m.start() < e for s, e in bylines):
            continue
        found, _ = parse_units(text, m.start(), len(text))
        # a title in capitals ("... CƠ QUAN, ĐƠN VỊ KHÁC CÓ LIÊN QUAN") names no one who acts
        units += [u for u in found[:1] if not names_unit(signals.units, u) and fold(u) not in folded_q
                  and not (u.isupper() and " " in u)]
    wants_official = bool(signals.roles & {"heads", "chairs"}) or " ai " in f" {folded_q} "
    units.sort(key=lambda u: bool(PERSONAL_TITLES.match(u)) != wants_official)
    return (units[0] if units else None), []


# a news report's source before its first sentence ("(HDDTVN) – Tổng cục ...", "(Chinhphu.vn) - ..."): no one who acts
_BYLINE = re.compile(r"^\s*\([^()\n]{2,40}\)\s*[-–—]", re.MULTILINE)


@lru_cache(maxsize=20_000)
def _frames(text: str, start: int, end: int) -> tuple[Any, ...]:
    return tuple(find_frames(text, start, end))


def phrase_candidate(question: Question, c: Candidate, templates: dict[str, Any], cite: Cite) -> Answer:
    if c.kind == TASKS:
        return _tasks(question, c, templates, cite)
    if c.kind == ASSIGNMENT and c.assignment is not None:
        return _assignment(question, c, c.assignment, templates, cite)
    return _sentence(question, c, templates, cite)


def _assignment(question: Question, c: Candidate, a: Assignment, t: dict[str, Any], cite: Cite) -> Answer:
    citation = cite(1, a.chunk_id or c.node.node_id, a.quote, a.start, a.end, c.probability)
    role = t["roles"].get(a.role, a.role)
    # the text lists the partners as the document does, "các Bộ, ngành liên quan" included; the partners
    # field keeps the named ones
    partners = list(a.all_partners) or list(a.partners)
    base = Answer(question=question.text, answered=True, answer="", lead=lead_field(a.lead), partners=list(a.partners),
                  task=a.task, citations=[citation])
    if question.kind == PARTNERS:
        if not partners and a.role == COOPERATE:
            # "Ai phải phối hợp triển khai …?" over "X phối hợp triển khai …": X is the unit that cooperates
            base.partners = [base.lead or a.lead]
            base.answer = shorten(t["partners"]["cooperates"].format(lead=a.lead, task=shorten(a.task, 200), n=1),
                                  MAX_ANSWER_CHARS)
            return base
        if not partners:
            base.answered = False
            base.answer = t["partners"]["not_stated"].format(lead=a.lead, task=shorten(a.task, 200), n=1)
            return base
        template = t["partners"]["text"] if a.partners else t["partners"]["none_named"]
        base.answer = shorten(template.format(lead=a.lead, task=shorten(a.task, 120), partners=", ".join(partners), n=1),
                              MAX_ANSWER_CHARS)
        return base
    if question.kind == FACT:
        base.answer = t["fact"]["text"].format(sentence=shorten(a.quote, MAX_ANSWER_CHARS - 10), n=1)
        return base
    partners_sentence = t["lead"]["partners_sentence"].format(partners=", ".join(partners)) if partners else ""
    room = MAX_ANSWER_CHARS - len(a.lead) - len(role) - len(partners_sentence) - 12
    base.answer = shorten(t["lead"]["text"].format(
        lead=a.lead, role=role, task=shorten(as_clause(a.task), max(60, room)), partners_sentence=partners_sentence, n=1,
    ), MAX_ANSWER_CHARS)
    return base


def _sentence(question: Question, c: Candidate, t: dict[str, Any], cite: Cite) -> Answer:
    if c.within is not None:
        # a sentence of an assignment: its unit and partners, and the whole statement cited; a fact quotes the sentence
        answer = _assignment(question, c, c.within, t, cite)
        if question.kind == FACT:
            answer.answer = t["fact"]["text"].format(sentence=shorten(c.text, MAX_ANSWER_CHARS - 10), n=1)
        return answer
    lead, partners = sentence_lead(question, c.text, c.covering)
    text = t["fact"]["text"].format(sentence=shorten(c.text, MAX_ANSWER_CHARS - 10), n=1)
    return Answer(question=question.text, answered=True, answer=text, lead=lead_field(lead) if lead else None,
                  partners=partners, citations=[cite(1, c.node.node_id, c.text, c.start, c.end, c.probability)])


def _tasks(question: Question, c: Candidate, t: dict[str, Any], cite: Cite) -> Answer:
    unit_words = spelled_out(c.unit)
    shown = min(len(c.tasks), TASKS_SHOWN)
    all_notes = [partner_note(a, unit_words) for a in c.tasks[:shown]]
    while True:  # as many of the first tasks as leave each at least 40 characters
        items: Sequence[Assignment] = c.tasks[:shown]
        form = "header" if shown == len(c.tasks) else "header_first"
        header = t["tasks_of"][form].format(unit=c.unit, count=len(c.tasks), shown=shown)
        notes = all_notes[:shown]
        frame = len(t["tasks_of"]["item"].format(i=shown, task="", n=shown))  # what an item adds to its task
        room = MAX_ANSWER_CHARS - len(header) - sum(map(len, notes)) - frame * shown
        if room >= 40 * shown or shown == 1:
            break
        shown -= 1
    tasks = [as_clause(task_as_listed(a)) for a in items]
    budgets = fair_shares([len(task) for task in tasks], room)
    body = "".join(
        t["tasks_of"]["item"].format(i=i + 1, task=shorten(task, b) + note, n=i + 1)
        for i, (task, b, note) in enumerate(zip(tasks, budgets, notes, strict=True))
    )
    citations = [cite(i + 1, a.chunk_id, a.quote, a.start, a.end, c.probability) for i, a in enumerate(items)]
    return Answer(question=question.text, answered=True, answer=header + body, lead=c.unit, task=None, citations=citations)


__all__ = ["SENTENCE", "as_clause", "fair_shares", "partner_note", "phrase_candidate", "sentence_lead", "shorten"]
