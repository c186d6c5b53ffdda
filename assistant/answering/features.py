"""The signals the decision model weighs for each candidate answer.

Every feature is a number computed from what the reader already knows: how much of the
question the candidate states (assistant.answering.coverage), where its passage was retrieved,
the role and word order of an assignment, whether the question's role, kind of body and
units match, and whether the candidate has what the question asks for (a number, a date).
The names and their order are fixed: the fitted model (knowledge/decision.json) is keyed by them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.candidates import ASSIGNMENT, SENTENCE, TASKS, Candidate
from assistant.answering.citing import preceding_sentence
from assistant.answering.coverage import content_share, measure
from assistant.answering.phrasing import sentence_lead
from assistant.answering.signals import QuestionSignals, names_unit, role_family
from assistant.questions.analysis import FACT, LEAD, PARTNERS, TASKS_OF, Question, TermStats, keys
from assistant.questions.asked import asks_document_date, names_cooperation, type_bonus
from assistant.questions.places import governed_places
from assistant.reading.units import PERSONAL_TITLES, UNIT_START, is_generic
from index.store import context_of
from index.textnorm import fold

ROLES = ("lead", "cooperate", "requested", "directed", "gives", "heads", "chairs", "executes", "guides", "receives", "entitled")
ORDERS = ("subject", "object", "passive", "heading", "field", "row", "executes", "apposition", "continued", "copula")
_BOILERPLATE = re.compile(
    r"^\s*[^\W\d_][^\n,]{0,30}, ngày \d{1,2} tháng \d{1,2} năm \d{4}\.?\s*$|^\s*(Nơi nhận|KT\.|TM\.|TL\.|\(Đã ký\)|Số:)",
    re.IGNORECASE,
)

NAMES: tuple[str, ...] = (
    "bias",
    "q_lead", "q_partners", "q_fact", "q_tasks", "q_english", "q_folded", "q_asks_role", "q_dense_top",
    "c_assignment", "c_sentence", "c_window", "c_tasks", "c_within",
    "rank_inv", "rank_top", "dense", "bm25_inv", "same_doc_top",
    "share", "phrase", "missing", "other_place", "lost_names", "cov", "cov_x_assignment", "cov_x_sentence",
    "share_statement", "share_title_only", "task_share", "trigrams", "type_bonus", "length",
    *(f"role_{r}" for r in ROLES), *(f"order_{o}" for o in ORDERS),
    "explicit", "is_task", "has_partners", "lead_generic", "lead_official", "lead_in_question",
    "role_asked_match", "role_asked_other", "head_match", "head_mismatch", "partner_in_question", "other_unit_in_question",
    "unit_in_sentence", "sentence_lead", "boilerplate", "asks_document_date", "dateline_x_asks_date", "share_own", "task_share_own", "tasks_count",
    "lead_x_q_lead", "partners_x_q_partners", "sentence_x_q_fact", "role_match_x_q_lead", "sentence_dense",
)


_JOINED_UNITS = re.compile(r"\s(?:và|and)\s+(?:các\s+)?[A-ZĐ]")
CANNOT_ANSWER = "cannot_answer"  # beside the features: the candidate cannot answer this kind of question


def task_question(question: Question, signals: QuestionSignals) -> Question:
    """The question without the units it names: what is asked of them ("Công an tỉnh phối hợp với ai để <task>")."""
    cached = question.cache.get("task")
    if isinstance(cached, Question):
        return cached
    unit_words = {w for u in signals.units for w in keys(u, False)}
    def is_unit(term: str) -> bool:
        return {fold(w) for w in term.split("|")[0].split()} <= unit_words
    task = replace(question, terms=[t for t in question.terms if not is_unit(t)],
                   bigrams=tuple(p for p in question.bigrams if not {fold(w) for w in p} <= unit_words), cache={})
    question.cache["task"] = task
    return task


def _trigrams(words: list[str]) -> set[tuple[str, str, str]]:
    return {(a, b, c) for a, b, c in zip(words, words[1:], words[2:], strict=False)}


def trigram_share(question: Question, text: str) -> float:
    """Share of the question's three-word phrases (those with two words of content) the text has in order."""
    cached = question.cache.get("trigrams")
    if not isinstance(cached, set):
        content = {w for t in question.terms for w in t.split("|")[0].split()} | {w for p in question.bigrams for w in p}
        cached = {g for g in _trigrams(keys(question.text, question.exact)) if sum(w in content for w in g) >= 2}
        question.cache["trigrams"] = cached
    if not cached:
        return 0.0
    return len(cached & _trigrams(keys(text, question.exact))) / len(cached)


def compute(
    question: Question, signals: QuestionSignals, c: Candidate, stats: TermStats, *, dense: dict[str, float],
    bm25_rank: dict[str, int], top_source: str, about: str = "", header_end: int = 0, sentence_dense: float = 0.0,
    locale: str = "",
) -> dict[str, float]:
    node = c.node
    # the headings above a statement name what it is about ("III. Nhiệm vụ ... phòng cháy rừng"): they count as
    # the title does (half, see coverage.measure)
    stated = c.assignment or c.within  # the assignment the candidate is, or is a sentence of
    headings = stated.context if stated is not None else " / ".join(str(h["text"]) for h in context_of(node))
    # what the whole text is about: its title and header (issuer, place, date) name the place and year a question asks
    title = " / ".join(p for p in (about or str(node.metadata.get("title", "")), headings) if p)
    base = int(node.metadata["start"])
    before = preceding_sentence(node, max(0, c.start - base)) if c.kind != TASKS else ""
    a = stated
    text = (f"{a.lead_in} {c.text}" if a.lead_in else c.text) if a is not None else c.text
    # the place the paragraphs before name ("UBND tỉnh Kiên Giang ..."), as the sentence before names a number
    # (unless the statement names a place of its own)
    if locale and not governed_places(text):
        before = f"{before} {locale}"
    m = measure(question, text, stats, title, before, node.text)
    f: dict[str, float] = dict.fromkeys(NAMES, 0.0)
    f["bias"] = 1.0
    f["q_lead"] = float(question.kind == LEAD)
    f["q_partners"] = float(question.kind == PARTNERS)
    f["q_fact"] = float(question.kind == FACT)
    f["q_tasks"] = float(question.kind == TASKS_OF)
    f["q_english"] = float(question.english)
    f["q_folded"] = float(not question.exact and not question.english)
    f["q_asks_role"] = float(question.asks_role)
    f["q_dense_top"] = question.dense_top
    f["c_assignment"] = float(c.kind == ASSIGNMENT)
    f["c_sentence"] = float(c.kind == SENTENCE)
    f["c_window"] = float(c.window)
    f["c_tasks"] = float(c.kind == TASKS)
    f["c_within"] = float(c.within is not None)
    f["rank_inv"] = 1.0 / (1 + c.rank)
    f["rank_top"] = float(c.rank == 0)
    f["dense"] = dense.get(node.node_id, 0.0)
    f["sentence_dense"] = sentence_dense
    f["bm25_inv"] = 1.0 / (1 + bm25_rank[node.node_id]) if node.node_id in bm25_rank else 0.0
    f["same_doc_top"] = float(c.source == top_source)
    f["share"], f["phrase"], f["missing"] = m.share, m.phrase, min(1.0, m.missing)
    f["other_place"], f["lost_names"] = float(m.other_place), float(min(2, m.lost_names))
    f["cov"] = m.score()
    f["task_share"] = content_share(task_question(question, signals), text, stats, title) if signals.units else m.share
    f["trigrams"] = trigram_share(question, text)
    f["cov_x_assignment"] = f["cov"] * f["c_assignment"]
    f["cov_x_sentence"] = f["cov"] * f["c_sentence"]
    # how long the quoted statement is (a unit's task list quotes several: the length of one of them)
    quoted = len(c.text) / max(1, len(c.tasks)) if c.kind == TASKS else len(c.text)
    f["length"] = min(quoted, 1200) / 600
    f["boilerplate"] = float(bool(_BOILERPLATE.search(c.text)) or c.start < header_end)
    f["asks_document_date"] = float(asks_document_date(fold(question.text)))
    f["dateline_x_asks_date"] = f["boilerplate"] * f["asks_document_date"]
    own = content_share(question, c.text, stats)  # the candidate's own words, no title or headings
    f["share_own"] = own
    # the task asked, in the candidate's own words: a unit the question names is no evidence of its task
    f["task_share_own"] = content_share(task_question(question, signals), c.text, stats) if signals.units else own
    if c.kind != TASKS:
        f["type_bonus"] = type_bonus(fold(question.text), c.text)
    # a partners question: a statement that names no working together cannot answer it (a veto, not a feature)
    # ("Bộ Công Thương và Ngân hàng Thế giới đã tổ chức ...": two units together)
    if question.kind == PARTNERS and not (a is not None and a.all_partners):
        f[CANNOT_ANSWER] = float(not names_cooperation(text) and not _JOINED_UNITS.search(text))
    if a is not None:
        f["share_statement"] = own  # a candidate's text is its assignment's statement
        f["share_title_only"] = max(0.0, m.share - own)
        f[f"role_{a.role}"] = 1.0 if a.role in ROLES else 0.0
        f[f"order_{a.order}"] = 1.0 if a.order in ORDERS else 0.0
        f["explicit"] = float(a.explicit)
        f["is_task"] = float(a.is_task)
        f["has_partners"] = float(bool(a.partners))
        f["lead_generic"] = float(is_generic(a.lead))
        f["lead_official"] = float(bool(PERSONAL_TITLES.match(a.lead)))
        f["lead_in_question"] = float(names_unit(signals.units, a.lead) or fold(a.lead) in fold(question.text))
        family = role_family(a.role)
        f["role_asked_match"] = float(family in signals.roles)
        f["role_asked_other"] = float(bool(signals.roles) and family not in signals.roles)
        f["partner_in_question"] = float(any(names_unit(signals.units, p) for p in a.partners))
        # "Vụ X phối hợp với ai ...": the question names a unit this assignment does not
        named = [u for u in signals.units if not any(names_unit((u,), n) for n in (a.lead, *a.all_partners, a.issuer) if n)]
        f["other_unit_in_question"] = float(bool(named))
        if signals.asked_head:
            lead_key = fold(a.lead)
            f["head_match"] = float(bool(re.search(rf"\b{re.escape(signals.asked_head)}\b", lead_key)))
            f["head_mismatch"] = 1.0 - f["head_match"]
    elif c.kind == SENTENCE and c.within is None:
        f["unit_in_sentence"] = float(any(
            not names_unit(signals.units, c.text[u.start() : u.start() + 30]) for u in UNIT_START.finditer(c.text)))
        lead = sentence_lead(question, c.text, c.covering)[0]  # cached on the question for the phrasing
        f["sentence_lead"] = float(lead is not None)
        if lead is not None:  # what the answer would name, as for an assignment
            f["lead_generic"] = float(is_generic(lead))
            f["lead_official"] = float(bool(PERSONAL_TITLES.match(lead)))
        if signals.asked_head:
            found = lead is not None and bool(re.search(rf"\b{re.escape(signals.asked_head)}\b", fold(lead)))
            f["head_match"], f["head_mismatch"] = float(found), float(not found)
    else:
        f["tasks_count"] = min(len(c.tasks), 5) / 5
        f["lead_in_question"] = 1.0
    f["lead_x_q_lead"] = f["c_assignment"] * f["q_lead"]
    f["partners_x_q_partners"] = f["has_partners"] * f["q_partners"]
    f["sentence_x_q_fact"] = f["c_sentence"] * f["q_fact"]
    f["role_match_x_q_lead"] = f["role_asked_match"] * f["q_lead"]
    return f


__all__ = ["CANNOT_ANSWER", "NAMES", "ORDERS", "ROLES", "compute"]
