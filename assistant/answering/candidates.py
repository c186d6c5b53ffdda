"""What could answer a question: the assignments and sentences of the passages retrieved, and a unit's task list.

Each candidate carries what the decision model needs (see assistant.answering.features): the
chunk it comes from and its rank, its span in the document, and for an assignment the
assignment itself. Nothing is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from llama_index.core.schema import TextNode

from assistant.answering.coverage import sentence_coverage
from assistant.answering.leads import Leads
from assistant.questions.analysis import Question, TermStats
from assistant.questions.asked import asks_document_date
from assistant.reading.assignments import Assignment
from assistant.reading.corpus import ReadCorpus
from assistant.reading.frames import LEAD
from index.metadata import dateline_spans
from index.sentences import chunk_sentences
from index.textnorm import fold

ASSIGNMENT, SENTENCE, TASKS = "assignment", "sentence", "tasks"
CANDIDATE_CHUNKS = 10  # passages read for candidates
MAX_SENTENCES = 14  # sentences kept per question (by a first, cheap coverage), with their two-sentence windows
MAX_ANSWER_CHARS = 600
TASK_DOCUMENTS = 3  # a unit's tasks are listed from one of the documents of the first passages
TASKS_SHOWN = 8  # of a unit's tasks, the first ones an answer lists (its header counts them all)


@dataclass
class Ranked:
    node: TextNode
    score: float


@dataclass
class Candidate:
    kind: str  # ASSIGNMENT, SENTENCE or TASKS
    node: TextNode  # the chunk that holds the statement
    rank: int  # of that chunk among the passages retrieved (reranked)
    start: int  # span of the statement in the document
    end: int
    text: str
    assignment: Assignment | None = None
    tasks: list[Assignment] = field(default_factory=list)  # TASKS: the unit's tasks in one document
    unit: str = ""  # TASKS: the unit
    window: bool = False  # SENTENCE: two sentences
    covering: list[Assignment] = field(default_factory=list)  # SENTENCE: assignments stated over it (a heading's unit)
    within: Assignment | None = None  # SENTENCE: the assignment whose statement holds it (its unit and partners)
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0

    @property
    def source(self) -> str:
        return str(self.node.metadata["source"])


def assignment_candidates(
    ranked: Sequence[Ranked], corpus: ReadCorpus, exclude: set[tuple[str, int]]
) -> list[Candidate]:
    found: list[Candidate] = []
    seen: set[tuple[str, int, str, str]] = set()
    for rank, item in enumerate(ranked[:CANDIDATE_CHUNKS]):
        for a in corpus.by_chunk.get(item.node.node_id, []):
            key = (a.source, a.start, a.lead, a.role)
            if key in seen or (a.source, a.start) in exclude:
                continue
            seen.add(key)
            found.append(Candidate(ASSIGNMENT, item.node, rank, a.start, a.end, a.statement, assignment=a))
    return found


def sentence_candidates(
    question: Question, ranked: Sequence[Ranked], stats: TermStats, corpus: ReadCorpus
) -> list[Candidate]:
    """The sentences closest to the question (by a first coverage), and each with its neighbour in its paragraph."""
    scored: list[tuple[float, Candidate, list[tuple[int, int]], int]] = []
    for rank, item in enumerate(ranked[:CANDIDATE_CHUNKS]):
        node = item.node
        base = int(node.metadata["start"])
        title = str(node.metadata.get("title", ""))
        spans = list(chunk_sentences(node.text))
        for i, (s, e) in enumerate(spans):
            if node.text[s:e].isupper():  # a title in capitals ("HỖ TRỢ NGƯỜI LAO ĐỘNG ..."): context, never the answer
                continue
            first = sentence_coverage(question, node.node_id, node.text, s, e, stats, title)
            if first <= 0:
                continue
            scored.append((first - 0.01 * rank, Candidate(SENTENCE, node, rank, base + s, base + e, node.text[s:e]), spans, i))
    scored.sort(key=lambda x: -x[0])
    found: list[Candidate] = []
    if asks_document_date(fold(question.text)):  # "Kế hoạch 252 được ban hành ngày nào?": the datelines answer
        for rank, item in enumerate(ranked[:CANDIDATE_CHUNKS]):
            base = int(item.node.metadata["start"])
            found += [Candidate(SENTENCE, item.node, rank, base + s, base + e, item.node.text[s:e])
                      for s, e in dateline_spans(item.node.text)]
    for _, cand, spans, i in scored[:MAX_SENTENCES]:
        found.append(cand)
        node = cand.node
        base = int(node.metadata["start"])
        pairs = ([(spans[i - 1], spans[i])] if i > 0 else []) + ([(spans[i], spans[i + 1])] if i + 1 < len(spans) else [])
        for a, b in pairs:
            if b[1] - a[0] > MAX_ANSWER_CHARS - 20 or "\n" in node.text[a[0] : b[1]]:
                continue
            found.append(Candidate(SENTENCE, node, cand.rank, base + a[0], base + b[1], node.text[a[0] : b[1]], window=True))
    unique: dict[tuple[str, int, int], Candidate] = {}
    for c in found:
        unique.setdefault((c.source, c.start, c.end), c)
    for c in unique.values():
        c.covering = [a for a in corpus.by_chunk.get(c.node.node_id, []) if a.start < c.end and a.end > c.start]
        enclosing = [a for a in c.covering if a.start <= c.start and c.end <= a.end and a.role != "gives"]
        c.within = min(enclosing, key=lambda a: (not a.is_task, a.end - a.start), default=None)
    return list(unique.values())


def task_candidates(
    units: Sequence[str], ranked: Sequence[Ranked], leads: Leads, exclude: set[tuple[str, int]], as_partner: bool,
) -> list[Candidate]:
    """For each unit the question names: its tasks in each of the first documents retrieved."""
    order: dict[str, tuple[int, TextNode]] = {}
    for rank, item in enumerate(ranked):
        order.setdefault(str(item.node.metadata["source"]), (rank, item.node))
    documents = sorted(order.items(), key=lambda kv: kv[1][0])[:TASK_DOCUMENTS]
    found: list[Candidate] = []
    for unit in units:
        mine = [a for a in leads.tasks_of(unit, as_partner) if (a.source, a.start) not in exclude]
        for source, (rank, node) in documents:
            items = _distinct_tasks(a for a in mine if a.source == source)
            if items:
                text = "\n".join(a.statement for a in items[:TASKS_SHOWN])
                found.append(Candidate(TASKS, node, rank, items[0].start, items[0].end, text, tasks=items, unit=unit))
    return found


def _distinct_tasks(assignments: Iterable[Assignment]) -> list[Assignment]:
    """In the order of the text, each task once: a plan may repeat an item word for word under two headings, and
    the sentences of one item under a heading are that item, listed once (as its leading part, when it has one)."""
    kept: dict[str, Assignment] = {}
    items: set[int] = set()
    for a in sorted(assignments, key=lambda a: (a.start, a.role != LEAD)):
        if a.item and not a.explicit:
            if a.start in items:
                continue
            items.add(a.start)
        kept.setdefault(" ".join(fold(task_as_listed(a)).split()), a)
    return list(kept.values())


def task_as_listed(a: Assignment) -> str:
    """What a tasks answer shows of one task. An item under the unit's heading is the unit's task as a whole, so it
    is shown as written, all its sentences ("Phối hợp với Sở X hướng dẫn ... . Tham gia giám sát ..."), but for the
    words that say it leads ("Chủ trì, phối hợp với các cơ quan, đơn vị ..."): the answer says so already. A sentence
    naming the unit gives its task without the frame ("Sở Y chủ trì, phối hợp với ...")."""
    if not a.item or a.explicit:
        return a.task
    item = " ".join(a.item.split())
    task = " ".join(a.task.split())
    start = item.find(task) if a.role == LEAD and task else -1
    return item[start:] if start > 0 else item


__all__ = ["ASSIGNMENT", "CANDIDATE_CHUNKS", "MAX_ANSWER_CHARS", "SENTENCE", "TASKS", "TASKS_SHOWN", "Candidate", "Ranked",
           "assignment_candidates", "sentence_candidates", "task_as_listed", "task_candidates"]
