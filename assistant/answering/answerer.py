"""From retrieved chunks to an Answer: gather candidates, let the fitted decision pick one or none, phrase it.

Nothing is generated: every unit in an answer is a span of the cited text, and when no
candidate is likely enough to be right (knowledge/decision.json) the answer says so.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from llama_index.core.schema import TextNode

from assistant.answering.candidates import (
    ASSIGNMENT,
    CANDIDATE_CHUNKS,
    TASKS,
    Candidate,
    Ranked,
    assignment_candidates,
    sentence_candidates,
    task_candidates,
)
from assistant.answering.citing import cite, cited_first
from assistant.answering.coverage import sentence_coverage
from assistant.answering.decision import Decision
from assistant.answering.features import compute
from assistant.answering.leads import Leads
from assistant.answering.phrasing import phrase_candidate
from assistant.answering.signals import question_signals
from assistant.questions.analysis import LEAD, PARTNERS, TASKS_OF, Question, TermStats
from assistant.reading.corpus import ReadCorpus
from assistant.retrieval.hybrid import RRF_K, RankedLists
from assistant.retrieval.statements import SentenceVectors
from assistant.types import Answer, Citation, Retrieved
from index.sentences import chunk_sentences
from index.textnorm import fold

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
PROMOTE_REACH = 5
RERANK_WEIGHT = 0.2  # tuned on the dev, project, realdocs and ALQAC sets (see README)
_AS_PARTNER_Q = re.compile(r"\b(phoi hop|tham gia|ke ca|lien quan den|involved|cooperat\w*)\b")
# "Bộ Y tế chủ trì, phối hợp với Bộ Công Thương để làm gì?": the unit named after these is the partner, not the one asked
_PARTNER_BEFORE = re.compile(r"\b(?:phoi hop voi|phoi hop|cung voi|cung|with)\s+(?:cac\s+)?$")


def _asked_units(units: list[str], folded_question: str) -> list[str]:
    """The units whose tasks a tasks_of question asks for: not those it names as the partner of another."""
    def partner(unit: str) -> bool:
        at = f" {folded_question} ".find(f" {fold(unit)} ")
        return at > 0 and bool(_PARTNER_BEFORE.search(folded_question[: at - 1] + " "))

    return [u for u in units if not partner(u)]


def load_templates(path: Path = PROMPTS_DIR / "answers.toml") -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


class Answerer:
    """Chooses and phrases the answer of one question."""

    def __init__(
        self, stats: TermStats, corpus: ReadCorpus, node_by_id: Callable[[str], TextNode | None],
        decision: Decision | None = None, templates: dict[str, Any] | None = None,
        sentences: SentenceVectors | None = None,
    ) -> None:
        self.stats = stats
        self.corpus = corpus
        self.node_by_id = node_by_id
        self.decision = decision or Decision.load_or_bootstrap()
        self.templates = templates or load_templates()
        self.leads = Leads(corpus.assignments)
        self.sentences = sentences

    def rerank(self, question: Question, ranked: Sequence[Ranked]) -> list[Ranked]:
        """Second stage: the fused rank plus how well the passage's best sentence covers the question."""
        head = list(ranked[:CANDIDATE_CHUNKS])
        scores = []
        for rank, item in enumerate(head):
            title = str(item.node.metadata.get("title", ""))
            text = item.node.text
            best = max(
                (sentence_coverage(question, item.node.node_id, text, s, e, self.stats, title) for s, e in chunk_sentences(text)),
                default=0.0,
            )
            scores.append(1.0 / (RRF_K + rank + 1) + RERANK_WEIGHT * best)
        order = sorted(range(len(head)), key=lambda i: -scores[i])
        return [Ranked(head[i].node, scores[i]) for i in order] + list(ranked[CANDIDATE_CHUNKS:])

    def candidates(
        self, question: Question, ranked: Sequence[Ranked], lists: RankedLists, exclude: set[tuple[str, int]],
    ) -> list[Candidate]:
        """Every candidate answer with its features (ranked must be reranked already)."""
        signals = question_signals(question.text)
        found = assignment_candidates(ranked, self.corpus, exclude)
        stated = {(c.source, c.start, c.end) for c in found}
        # a sentence that is an assignment's whole statement is that assignment (which knows its unit and partners)
        found += [c for c in sentence_candidates(question, ranked, self.stats, self.corpus)
                  if (c.source, c.start, c.end) not in stated]
        if question.kind == TASKS_OF or signals.units:
            asked = fold(question.text[question.frame_end :])
            units = self.leads.named_units(asked)
            if units and question.kind == TASKS_OF:
                units = _asked_units(units, asked)
                as_partner = bool(_AS_PARTNER_Q.search(fold(question.text)))
                found += task_candidates(units[:2], ranked, self.leads, exclude, as_partner)
        dense = dict(lists.dense)
        bm25_rank = {node_id: i for i, (node_id, _) in enumerate(lists.bm25)}
        top_source = str(ranked[0].node.metadata["source"]) if ranked else ""
        for c in found:
            c.features = compute(question, signals, c, self.stats, dense=dense, bm25_rank=bm25_rank, top_source=top_source,
                                 about=self.corpus.about.get(c.source, ""), header_end=self.corpus.header_end.get(c.source, 0),
                                 locale=self.corpus.locale(c.source, c.start),
                                 sentence_dense=self._sentence_dense(c, lists))
        return found

    def _sentence_dense(self, c: Candidate, lists: RankedLists) -> float:
        """How near the question the candidate's own sentences are (0 without sentence vectors)."""
        if self.sentences is None or lists.query_vector is None:
            return 0.0
        if c.kind != TASKS:
            return self.sentences.similarity(lists.query_vector, c.node, [(c.start, c.end)])
        # a unit's tasks lie in several chunks of its document: the nearest task counts
        by_chunk: dict[str, list[tuple[int, int]]] = {}
        for a in c.tasks:
            by_chunk.setdefault(a.chunk_id, []).append((a.start, a.end))
        nodes = [(self.node_by_id(chunk_id), spans) for chunk_id, spans in by_chunk.items()]
        return max((self.sentences.similarity(lists.query_vector, node, spans) for node, spans in nodes if node is not None),
                   default=0.0)

    def answer(
        self, question: Question, ranked: Sequence[Ranked], lists: RankedLists, exclude: set[tuple[str, int]] | None = None,
        established: Sequence[tuple[str, int, int]] = (),
    ) -> Answer:
        ranked = self.rerank(question, ranked)
        found = self.candidates(question, ranked, lists, exclude or set())
        choice = self.decision.choose([c.features for c in found])
        best = found[choice.index] if choice.index >= 0 else None
        if best is not None:
            best.probability = choice.probability
        # a follow-up ("Còn những đơn vị nào phối hợp?") whose best candidate is the statement the previous answer
        # quoted asks another part of it: the conversation, not the gate's evidence of relevance, has settled that
        # the statement is what the question is about
        settled = best is not None and question.kind in (LEAD, PARTNERS) and best.kind == ASSIGNMENT and any(
            best.source == source and start <= best.start < end for source, start, end in established)
        if best is None or not (choice.answers or settled):
            answer = self.not_found(question)
        else:
            answer = phrase_candidate(question, best, self.templates, self._cite)
        from_assignment = answer.answered and best is not None and best.kind in (ASSIGNMENT, TASKS)
        answer.kind = question.kind
        answer.retrieved = [
            Retrieved(str(r.node.metadata["source"]), str(r.node.metadata.get("title", "")), r.node.text,
                      round(r.score, 5), int(r.node.metadata["start"]), int(r.node.metadata["end"]))
            # an extracted assignment is strong evidence of relevance; a matching sentence is not
            for r in (cited_first(ranked, answer.citations, PROMOTE_REACH) if from_assignment else ranked)[:10]
        ]
        return answer

    def _cite(self, n: int, chunk_id: str, text: str, start: int, end: int, score: float) -> Citation:
        node = self.node_by_id(chunk_id)
        if node is None:  # the chunk left the index since this answer's passages were read
            return Citation(n, "", "", text, start, end, round(score, 4))
        return cite(n, node, text, start, end, score)

    def not_found(self, question: Question) -> Answer:
        return Answer(question=question.text, answered=False, answer=self.templates["not_found"]["with_closest"])


__all__ = ["Answerer", "load_templates"]
