"""From retrieved chunks to an Answer: pick the assignment or sentence that answers, cite it.

Nothing is generated: every unit in an answer is a span of the cited text,
and when no assignment or sentence covers the question well enough the
answer says so (answered = False).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from llama_index.core.schema import TextNode

from assistant.answering.citing import chunk_sentences, cite, cited_first, preceding_sentence
from assistant.answering.coverage import coverage
from assistant.answering.leads import Leads, leads_as
from assistant.answering.phrasing import as_clause, fair_shares, partner_note, shorten
from assistant.questions.analysis import LEAD, PARTNERS, TASKS_OF, Question, TermStats, keys
from assistant.questions.asked import type_bonus
from assistant.questions.synonyms import alternatives
from assistant.reading.extraction import Assignment, find_in_sentence
from assistant.reading.units import PERSONAL_TITLES, UNIT_START, unit_end
from assistant.retrieval.hybrid import RRF_K
from assistant.types import Answer, Citation, Retrieved
from index.sentences import sentence_spans
from index.store import context_of
from index.textnorm import fold, tokens

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
MAX_ANSWER_CHARS = 600
WINDOW_COST = 0.15
WINDOW_FLOOR = 0.2  # a window of two sentences is scored only when one of them scores this much alone
PROMOTE_REACH = 5
RERANK_WEIGHT = 0.2  # tuned on the dev, project, realdocs and ALQAC sets (see README)
PROMOTE_COVERAGE = 0.8
WEAK_ROLE_MARGIN = 0.25
FOLDED_MARGIN = 0.15
MIN_ENGLISH_DENSE = 0.78  # cosine of the best chunk for an English question (multilingual-e5-small)
ENGLISH_MARGIN = 0.15  # only glossary words can match an English question: ask for more of them
CANDIDATE_CHUNKS = 10
SAME_PASSAGE_MARGIN = 0.3  # an assignment inside the best sentence window answers unless it covers much less
PREMISE_MARGIN = 0.15  # another unit's task matches this much better: "Vụ X phối hợp ..." names the wrong lead
TASKS_REACH = 1  # a unit's tasks are listed from the document of the first passage retrieved


def load_templates(path: Path = PROMPTS_DIR / "answers.toml") -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


@dataclass
class Ranked:
    node: TextNode
    score: float


@dataclass
class Scored:
    assignment: Assignment
    score: float
    coverage: float


_AS_PARTNER_Q = re.compile(r"\b(phoi hop|tham gia|ke ca|lien quan den|involved|cooperat\w*)\b")
_HEAD_Q = re.compile(r"\b(bo|vu|cuc|so|tong cuc|ubnd|uy ban nhan dan|tap doan|ngan hang)\s+nao\b")
# a dateline ("Hà Nội, ngày 30 tháng 10 năm 2023"), a signature or distribution block answers nothing
_BOILERPLATE = re.compile(
    r"^\s*[^\W\d_][^\n,]{0,30}, ngày \d{1,2} tháng \d{1,2} năm \d{4}\.?\s*$|^\s*(Nơi nhận|KT\.|TM\.|TL\.|\(Đã ký\))",
    re.IGNORECASE,
)
_OFFICIAL_Q = re.compile(r"\b(?:cung|voi) (bo truong|thu truong|chu tich|giam doc|thu tuong|truong ban)\b")
_WHO_Q = re.compile(r"\b(ai|who|la ai)\b")


class AnswerBuilder:
    """Chooses and phrases the answer; thresholds are shares of the question's content found."""

    def __init__(
        self,
        stats: TermStats,
        assignments_of: Callable[[TextNode], list[Assignment]],
        all_assignments: Callable[[], list[Assignment]],
        node_by_id: Callable[[str], TextNode | None],
        templates: dict[str, Any] | None = None,
        min_coverage: float = 0.5,
        min_fact_coverage: float = 0.55,
    ) -> None:
        self.stats = stats
        self.assignments_of = assignments_of
        self.all_assignments = all_assignments
        self.node_by_id = node_by_id
        self.templates = templates or load_templates()
        self.min_coverage = min_coverage
        self.min_fact_coverage = min_fact_coverage
        self.leads = Leads(all_assignments)

    @staticmethod
    def weak_role(question: Question, a: Assignment) -> bool:
        """A sentence's subject, or a unit that only cooperates: not a stated lead (unless partners are asked)."""
        return a.role == "thực hiện" or (a.role == "phối hợp" and question.kind != PARTNERS)

    # -- choosing -----------------------------------------------------------------
    def best_assignments(
        self, question: Question, ranked: Sequence[Ranked], exclude: set[tuple[str, int]] = frozenset()  # type: ignore[assignment]
    ) -> list[Scored]:
        scored: list[Scored] = []
        seen: set[tuple[str, int, str]] = set()
        folded_q = fold(question.text)
        head = _HEAD_Q.search(folded_q)
        wanted_head = head.group(1) if head and question.kind == LEAD else None
        for rank, item in enumerate(ranked[:CANDIDATE_CHUNKS]):
            for a in self.assignments_of(item.node):
                key = (a.source, a.start, a.lead)
                if key in seen or (a.source, a.start) in exclude:
                    continue
                seen.add(key)
                before = preceding_sentence(item.node, a.start - int(item.node.metadata["start"]))
                cov = coverage(question, f"{a.lead_in} {a.statement}", self.stats, a.title, before, item.node.text)
                bonus = 0.02 * (CANDIDATE_CHUNKS - rank) / CANDIDATE_CHUNKS
                if self.weak_role(question, a):
                    bonus -= 0.3 if question.asks_role else 0.06
                if question.kind == PARTNERS and a.partners:
                    bonus += 0.05
                if wanted_head and not re.search(rf"\b{wanted_head}\b", fold(a.lead)):
                    bonus -= 0.5  # "Cục nào ...?" is not answered by a "Vụ"
                if a.role.startswith(("làm trưởng", "làm tổ trưởng")) and not set(tokens(a.task)) <= set(tokens(question.text)):
                    bonus -= 0.5  # "Tiểu ban nội dung do X làm Trưởng": not the head of "Tiểu ban an ninh"
                if question.kind == LEAD and fold(a.lead) in folded_q:
                    bonus -= 0.3  # "Ai ban hành ... của Bộ Công Thương?" is not answered by "Bộ Công Thương"
                scored.append(Scored(a, cov + bonus, cov))
        scored.sort(key=lambda s: -s.score)
        named = self.leads.named_unit(question) if question.kind == PARTNERS else None
        return self._led_by(named, question, scored) if named else scored

    def _led_by(self, named: str, question: Question, scored: list[Scored]) -> list[Scored]:
        """ "Vụ X phối hợp với ai để làm T?": X's own assignments, unless T is clearly someone else's task.

        The unit's name is no evidence of the task, so the task is matched without it;
        when another unit's assignment matches the task clearly better, the question's
        premise is wrong and nothing answers it.
        """
        key = fold(named)
        unit_words = set(keys(named, question.exact))
        task_only = replace(question, terms=[t for t in question.terms if not set(alternatives(t)[0]) <= unit_words],
                            bigrams={p for p in question.bigrams if not set(p) & unit_words}, cache={})
        rescored = []
        for s in scored:
            a = s.assignment
            c = self._task_coverage(task_only, a)
            rescored.append(Scored(a, s.score - s.coverage + c, c))
        seen = {(s.assignment.source, s.assignment.start) for s in scored}
        for a in self.leads.led_by(key):  # also in passages retrieval did not rank high
            if (a.source, a.start) not in seen and (c := self._task_coverage(task_only, a)) > 0:
                rescored.append(Scored(a, c, c))
        rescored.sort(key=lambda s: -s.score)
        mine = [s for s in rescored if leads_as(fold(s.assignment.lead), key)]
        if not mine:
            return scored
        if rescored[0] is not mine[0] and rescored[0].coverage - mine[0].coverage > PREMISE_MARGIN:
            return []
        return mine

    def _task_coverage(self, question: Question, a: Assignment) -> float:
        return coverage(question, f"{a.lead_in} {a.statement}", self.stats, a.title)

    def best_sentence(self, question: Question, ranked: Sequence[Ranked]) -> tuple[float, TextNode, int, int] | None:
        """The sentence (or, when it covers clearly more, two adjacent sentences) that answers best."""
        folded_q = fold(question.text)
        best: tuple[float, TextNode, int, int] | None = None
        for rank, item in enumerate(ranked[:CANDIDATE_CHUNKS]):
            node = item.node
            base = int(node.metadata["start"])
            spans = chunk_sentences(node.text)
            single: dict[tuple[int, int], float] = {}
            for s, e in spans:
                single[(s, e)] = score = self._sentence_score(question, folded_q, node, s, e, rank, 0.0)
                if best is None or score > best[0]:
                    best = (score, node, base + s, base + e)
            for a, b in pairwise(spans):
                # two sentences of one paragraph, when one of them is already close to the question
                if (
                    b[1] - a[0] > MAX_ANSWER_CHARS - 20 or "\n" in node.text[a[0] : b[1]]
                    or max(single[a], single[b]) < WINDOW_FLOOR
                ):
                    continue
                score = self._sentence_score(question, folded_q, node, a[0], b[1], rank, WINDOW_COST)
                if best is None or score > best[0]:
                    best = (score, node, base + a[0], base + b[1])
        return best

    def required_coverage(self, question: Question, a: Assignment) -> float:
        """How much of the question an assignment must contain to answer it.

        Stricter for a sentence's mere subject ("X thực hiện ..."), for questions typed without
        diacritics (folded syllables collide: "gió"/"giờ"), and English questions must also be
        close to a passage in the embedding space, since only glossary words can match.
        """
        required = self.language_required(question, self.min_coverage)
        if self.weak_role(question, a):
            required += WEAK_ROLE_MARGIN
        return required

    def _sentence_score(
        self, question: Question, folded_q: str, node: TextNode, s: int, e: int, rank: int, cost: float
    ) -> float:
        sentence = node.text[s:e]
        if _BOILERPLATE.search(sentence):
            return float("-inf")
        title = str(node.metadata.get("title", ""))
        cov = coverage(question, sentence, self.stats, title, preceding_sentence(node, s), node.text)
        score = cov + type_bonus(folded_q, sentence) + 0.02 * (CANDIDATE_CHUNKS - rank) / CANDIDATE_CHUNKS
        return score - 0.00005 * len(sentence) - cost

    @staticmethod
    def language_required(question: Question, base: float) -> float:
        """The base threshold, raised for folded and English questions; inf when an English one is far from every passage."""
        if question.english:
            return base + ENGLISH_MARGIN if question.dense_top >= MIN_ENGLISH_DENSE else float("inf")
        return base + (FOLDED_MARGIN if not question.exact else 0.0)

    def rerank(self, question: Question, ranked: Sequence[Ranked]) -> list[Ranked]:
        """Second stage: the fused rank plus how well the passage's best sentence covers the question."""
        head = list(ranked[:CANDIDATE_CHUNKS])
        scores = []
        for rank, item in enumerate(head):
            title = str(item.node.metadata.get("title", ""))
            text = item.node.text
            best = max(
                (coverage(question, text[s:e], self.stats, title, chunk=text, ranking=True) for s, e in chunk_sentences(text)),
                default=0.0,
            )
            scores.append(1.0 / (RRF_K + rank + 1) + RERANK_WEIGHT * best)
        order = sorted(range(len(head)), key=lambda i: -scores[i])
        return [Ranked(head[i].node, scores[i]) for i in order] + list(ranked[CANDIDATE_CHUNKS:])

    # -- phrasing -----------------------------------------------------------------
    def build(self, question: Question, ranked: Sequence[Ranked], exclude: set[tuple[str, int]] | None = None) -> Answer:
        ranked = self.rerank(question, ranked)
        answer = self._answer(question, ranked, exclude or set())
        confident = bool(answer.citations) and answer.citations[0].score >= PROMOTE_COVERAGE
        # only a question about the role ("chủ trì", "phối hợp", "nhiệm vụ gì") makes an assignment strong evidence
        from_assignment = confident and question.asks_role and (answer.task is not None or question.kind == TASKS_OF)
        retrieved = [
            Retrieved(str(r.node.metadata["source"]), str(r.node.metadata.get("title", "")), r.node.text,
                      round(r.score, 5), int(r.node.metadata["start"]), int(r.node.metadata["end"]))
            # an extracted assignment is strong evidence of relevance; a matching sentence is not
            for r in (cited_first(ranked, answer.citations, PROMOTE_REACH) if from_assignment else ranked)[:10]
        ]
        answer.kind = question.kind
        answer.retrieved = retrieved
        return answer

    def _answer(self, question: Question, ranked: Sequence[Ranked], exclude: set[tuple[str, int]]) -> Answer:
        if question.kind == TASKS_OF:
            subject = UNIT_START.match(question.text, question.frame_end)
            end = unit_end(question.text, subject.start()) if subject else None
            if subject and end and not self.leads.is_lead(question.text[subject.start() : end]):
                return self.not_found(question)  # "Cục X được giao gì?" and no document gives Cục X a task
            found = self.tasks_of(question, ranked, exclude)
            if found:
                return found
            if subject or self.leads.named_unit(question):
                # another unit's assignment does not say what this one must do, nor for a unit no document names
                return self.not_found(question)
        best = None
        if question.kind in (LEAD, PARTNERS, TASKS_OF):
            scored = self.best_assignments(question, ranked, exclude)
            strict = question.asks_role or question.kind != LEAD
            if scored and scored[0].coverage >= self.required_coverage(question, scored[0].assignment):
                if strict:
                    return self.assignment_answer(question, scored[0])
                best = self.best_sentence(question, ranked)
                # "Ai ban hành ...": a plain sentence may answer better than an assignment, unless it is
                # the assignment's own sentence with its neighbour
                a = scored[0].assignment
                if best is None or best[0] <= scored[0].score + 0.1 or (
                    a.source == best[1].metadata["source"] and best[2] <= a.start < best[3]
                    and best[0] <= scored[0].score + SAME_PASSAGE_MARGIN
                ):
                    return self.assignment_answer(question, scored[0])
            elif strict:
                return self.not_found(question)
        best = best or self.best_sentence(question, ranked)
        if best is None or best[0] < self.language_required(question, self.min_fact_coverage):
            return self.not_found(question)
        return self.sentence_answer(question, best)

    def _citation(self, n: int, a: Assignment, score: float) -> Citation:
        node = self.node_by_id(a.chunk_id)
        if node is None:
            return Citation(n, a.source, a.title, a.quote, a.start, a.end, round(score, 4))
        return cite(n, node, a.quote, a.start, a.end, score)

    def assignment_answer(self, question: Question, best: Scored) -> Answer:
        a = best.assignment
        t = self.templates
        role = t["roles"].get(a.role, a.role)
        partners = a.partners or [p for p in a.all_partners]
        if question.kind == PARTNERS and not partners:
            return Answer(question=question.text, answered=False, lead=a.lead[:80], task=a.task,
                          answer=t["partners"]["not_stated"].format(lead=a.lead, task=shorten(a.task, 200), n=1),
                          citations=[self._citation(1, a, best.coverage)])
        if question.kind == PARTNERS:
            template = t["partners"]["text"] if a.partners else t["partners"]["none_named"]
            text = template.format(lead=a.lead, task=shorten(a.task, 120), partners=", ".join(partners) or "—", n=1)
        else:
            partners_sentence = t["lead"]["partners_sentence"].format(partners=", ".join(partners)) if partners else ""
            room = MAX_ANSWER_CHARS - len(a.lead) - len(role) - len(partners_sentence) - 12
            text = t["lead"]["text"].format(
                lead=a.lead, role=role, task=shorten(as_clause(a.task), max(60, room)), partners_sentence=partners_sentence, n=1
            )
        return Answer(
            question=question.text, answered=True, answer=shorten(text, MAX_ANSWER_CHARS), lead=a.lead[:80],
            partners=list(a.partners), task=a.task,
            citations=[self._citation(1, a, best.coverage)],
        )

    def sentence_answer(self, question: Question, best: tuple[float, TextNode, int, int]) -> Answer:
        score, node, start, end = best
        local = node.text[start - int(node.metadata["start"]) : end - int(node.metadata["start"])]
        text = self.templates["fact"]["text"].format(sentence=shorten(local, MAX_ANSWER_CHARS - 10), n=1)
        lead = None
        if question.kind == LEAD:
            folded_q = fold(question.text)
            # who the sentence says does it ("... nhưng các đơn vị vẫn cần ..."), else a unit it names;
            # of two sentences, the one closer to the question first
            title = str(node.metadata.get("title", ""))
            spans = sorted(sentence_spans(local), key=lambda se: -coverage(question, local[se[0] : se[1]], self.stats, title, local, node.text))
            stated = [f.lead for s_, e_ in spans for f in find_in_sentence(local, s_, e_) if f.lead and fold(f.lead) not in folded_q]
            units = stated + [
                local[m.start() : e] for s_, e_ in spans for m in UNIT_START.finditer(local, s_, e_)
                if (e := unit_end(local, m.start())) and fold(local[m.start() : e]) not in folded_q
            ]
            # an organisation rather than the official who spoke about it, unless an official is asked for
            # ("Ai cùng Bộ trưởng ban hành ...?" -> "Chủ tịch Công đoàn ...")
            wants_official = bool(_WHO_Q.search(folded_q) and _OFFICIAL_Q.search(folded_q) and not _HEAD_Q.search(folded_q))
            lead = next((u for u in units if bool(PERSONAL_TITLES.match(u)) == wants_official), units[0] if units else None)
            lead = (lead or self._inherited_lead(node, start))
            lead = lead[:80] if lead else None
        citation = cite(1, node, local, start, end, score)
        return Answer(question=question.text, answered=True, answer=text, lead=lead, citations=[citation])

    def _inherited_lead(self, node: TextNode, start: int) -> str | None:
        """An item "d) Cấp, điều chỉnh ..." names no unit: the lead of the heading or lead-in it is under."""
        covering = [a for a in self.assignments_of(node) if a.lead and a.start <= start < a.end]
        if covering:
            return covering[0].lead
        for line in reversed(context_of(node)):
            heading = str(line.get("text", ""))
            for m in UNIT_START.finditer(heading):
                end = unit_end(heading, m.start())
                if end:
                    return heading[m.start() : end]
        return self.leads.document_lead(str(node.metadata["source"]))

    def tasks_of(self, question: Question, ranked: Sequence[Ranked], exclude: set[tuple[str, int]]) -> Answer | None:
        unit = self.leads.named_unit(question)
        if not unit:
            return None
        key = fold(unit)
        # "kể cả với vai trò phối hợp": the unit's tasks as a partner count too
        as_partner = bool(_AS_PARTNER_Q.search(fold(question.text)))
        mine = [
            a for a in self.all_assignments()
            if (a.source, a.start) not in exclude and (
                leads_as(fold(a.lead), key)
                or (as_partner and any(fold(p) == key for p in a.partners))
            )
        ]
        if not mine:
            return None
        order = {str(r.node.metadata["source"]): i for i, r in reversed(list(enumerate(ranked)))}
        source = min({a.source for a in mine}, key=lambda s: order.get(s, len(order)))
        if order.get(source, len(order)) >= TASKS_REACH:
            return None  # the unit has tasks, but not in the documents the question is about
        items = sorted({a.start: a for a in mine if a.source == source}.values(), key=lambda a: a.start)[:5]
        t = self.templates["tasks_of"]
        header = t["header"].format(unit=unit, count=len(items))
        budgets = fair_shares([len(a.task) for a in items], MAX_ANSWER_CHARS - len(header) - 12 * len(items))
        body = "".join(
            t["item"].format(i=i + 1, task=shorten(as_clause(a.task), b) + partner_note(a, key), n=i + 1)
            for i, (a, b) in enumerate(zip(items, budgets, strict=True))
        )
        citations = [self._citation(i + 1, a, 1.0) for i, a in enumerate(items)]
        return Answer(question=question.text, answered=True, answer=header + body, lead=unit, task=None,
                      citations=citations)

    def not_found(self, question: Question) -> Answer:
        return Answer(question=question.text, answered=False, answer=self.templates["not_found"]["with_closest"])
