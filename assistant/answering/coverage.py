"""How much of a question a passage contains: IDF-weighted terms, synonyms, phrases, and what must be named.

A question's numbers, ordinals and names must be named by the passage (or
its title, or the sentence before); a framing clause ("Theo Nghị quyết X, ...")
is matched by the document rather than the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from assistant.questions.analysis import Question, TermStats, keys
from assistant.questions.names import missing as n_missing
from assistant.questions.places import find_places
from assistant.questions.synonyms import alternatives, is_group
from index.textnorm import fold


@lru_cache(maxsize=20_000)
def _key_set(text: str, exact: bool) -> frozenset[str]:
    return frozenset(keys(text, exact)) if text else frozenset()


NAME_PENALTY = 0.3


def term_idf(term: str, stats: TermStats, exact: bool) -> float:
    """A synonym group weighs what the question's own words weigh."""
    if not is_group(term):
        return stats.idf(term, exact)
    return sum(stats.idf(w, exact) for w in alternatives(term)[0])


TITLE_CREDIT = 0.5


@lru_cache(maxsize=10_000)
def _names_a_place(title: str) -> bool:
    return bool(find_places(title))


_YEAR = re.compile(r"(19|20)\d\d")


def _constraint_weight(constraint: str) -> float:
    if _YEAR.fullmatch(constraint):
        return 0.5
    return 0.2 if constraint[:1].isdigit() else 0.4


def _mentions(folded_text: str, constraint: str) -> bool:
    if _YEAR.fullmatch(constraint):  # a year, also in a date ("24/4/2020")
        return bool(re.search(rf"(?<!\d){constraint}(?!\d)", folded_text))
    return bool(re.search(rf"(?<![\w/.]){re.escape(constraint)}(?![\w])", folded_text))


@dataclass
class _Prepared:
    """What coverage() needs of a question, computed once per question and term statistics."""

    stats: TermStats
    terms: list[str]
    idf: dict[str, float]  # of each term (a group: of the question's own words)
    word_idf: dict[str, float]  # of each word of the question's bigrams and groups
    alts: dict[str, list[list[str]]]
    plain: frozenset[str]  # terms that are one word with no synonyms
    pair_idf: dict[tuple[str, str], float]  # weight of each bigram of the question (no title)
    all_words: frozenset[str] = frozenset()  # every word of every term and synonym
    alt_sets: dict[str, list[frozenset[str]]] = field(default_factory=dict)  # each term's phrases, as sets
    own_idf: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # each term's own words, weighed
    by_title: dict[str, tuple[dict[str, float], dict[str, float], float]] = field(default_factory=dict)


def _prepare(question: Question, stats: TermStats) -> _Prepared:
    cached = question.cache.get("coverage")
    if isinstance(cached, _Prepared) and cached.stats is stats:
        return cached
    terms = [t for t in question.terms if stats.known(t, False)] if question.english else list(question.terms)
    alts = {t: alternatives(t) for t in terms}
    words = {w for t in terms for w in alts[t][0]} | {w for p in question.bigrams for w in p}
    prepared = _Prepared(
        stats, terms, {t: term_idf(t, stats, question.exact) for t in terms},
        {w: stats.idf(w, question.exact) for w in words}, alts,
        frozenset(t for t in terms if not is_group(t)),
        {},
    )
    prepared.pair_idf = {pair: min(prepared.word_idf[pair[0]], prepared.word_idf[pair[1]]) for pair in question.bigrams}
    prepared.all_words = frozenset(w for t in terms for alt in alts[t] for w in alt)
    prepared.alt_sets = {t: [frozenset(alt) for alt in alts[t]] for t in terms}
    prepared.own_idf = {t: [(w, prepared.word_idf[w]) for w in alts[t][0]] for t in terms}
    question.cache["coverage"] = prepared
    return prepared


def _share(present: set[str] | frozenset[str], term: str, p: _Prepared) -> float:
    """1 when the text has the term (or a synonym), else the IDF share of the question's own words it has."""
    if any(alt <= present for alt in p.alt_sets[term]):
        return 1.0
    own = p.own_idf[term]
    total = sum(w for _, w in own)
    return sum(w for word, w in own if word in present) / total if total else 0.0


def _shares(present: set[str] | frozenset[str], p: _Prepared) -> dict[str, float]:
    return {t: (1.0 if t in present else 0.0) if t in p.plain else _share(present, t, p) for t in p.terms}


@dataclass
class Coverage:
    """How much of a question a text states, in parts (the decision model weighs them)."""

    share: float = 0.0  # IDF-weighted share of the question's content found (title words count half)
    phrase: float = 0.0  # share of the question's word pairs found in order
    missing: float = 0.0  # weight of the numbers, ordinals and years the question names and the text does not
    other_place: bool = False  # the question names a place; the document is about another
    lost_names: int = 0  # names the question is about ("Hoa Kỳ") that the text does not name

    def score(self, ranking: bool = False) -> float:
        if ranking:
            return self.share + 0.3 * self.phrase - min(0.4, self.missing)
        return (self.share + 0.3 * self.phrase - min(0.8, self.missing) - (1.0 if self.other_place else 0.0)
                - min(2 * NAME_PENALTY, NAME_PENALTY * self.lost_names))


def _title_weights(
    p: _Prepared, title: str, in_title: frozenset[str]
) -> tuple[dict[str, float], dict[str, float], float]:
    """What the title has of each term, and the terms' weights (half when the title has them): once per title."""
    found = p.by_title.get(title)
    if found is None:
        in_titles = _shares(in_title, p) if in_title else dict.fromkeys(p.terms, 0.0)
        weights = {t: p.idf[t] * (0.5 if in_titles[t] == 1.0 else 1.0) for t in p.terms}
        found = p.by_title[title] = (in_titles, weights, sum(weights.values()))
    return found


def _share_of(
    question: Question, p: _Prepared, words: list[str], title: str, chunk: str
) -> float | None:
    """The IDF-weighted share of the question's content in `words`; None when they have none of it."""
    present = set(words)
    if not p.terms or p.all_words.isdisjoint(present):
        return None  # nothing of the question (the common case when ranking a chunk's sentences)
    in_title = _key_set(title, question.exact)
    # the document a framing clause names is found in the title or the rest of the chunk
    in_document = in_title | _key_set(chunk, question.exact) if question.frame_terms else frozenset()
    in_text = _shares(present, p)
    in_titles, weights, total = _title_weights(p, title, in_title)
    # who leads "... của Ban Công tác ASEAN 2010": the title names that body (the decision model also sees
    # how much the candidate's own text has, see assistant.answering.features)
    title_credit = TITLE_CREDIT
    got = sum(
        w * max(in_text[t], _share(in_document, t, p) if t in question.frame_terms else title_credit * in_titles[t])
        for t, w in weights.items()
    )
    return got / total if total else 0.0


def content_share(question: Question, text: str, stats: TermStats, title: str = "") -> float:
    """measure(...).share alone, without the checks of what the text fails to name (cheaper)."""
    p = _prepare(question, stats)
    found = _share_of(question, p, keys(text, question.exact) if p.terms else [], title, "")
    return found or 0.0


def measure(
    question: Question, text: str, stats: TermStats, title: str = "", context: str = "", chunk: str = "",
    ranking: bool = False,
) -> Coverage:
    """Share of the question's content (IDF-weighted) that the text contains, and what it fails to name.

    Terms that also occur in the document title name the document rather than the passage, so
    they count half. Numbers and ordinals the question names may be in the title or in
    `context` (the sentence before, same paragraph). What a leading "Theo Nghị quyết X, ..."
    names may be anywhere in the title or the `chunk`. `ranking` skips the checks that only
    deciding to answer needs (names).
    """
    p = _prepare(question, stats)
    words = keys(text, question.exact) if p.terms else []
    found = _share_of(question, p, words, title, chunk)
    if found is None:
        return Coverage()
    result = Coverage(share=found)
    in_title = _key_set(title, question.exact)
    if question.constraints:
        # "Nghị quyết 122/NQ-CP" may name the document, or the sentence before ("Theo đó, ... Nghị quyết số 45 ...")
        folded_text = f"{fold(title)} {fold(context)} {fold(text)}"  # each part's fold is cached
        folded_chunk = fold(chunk) if question.frame_constraints else ""
        missing = [
            c for c in question.constraints
            if not _mentions(folded_text, c) and not (c in question.frame_constraints and _mentions(folded_chunk, c))
        ]
        # "nhóm công tác thứ ba" is another item than "thứ tư", "tỉnh Nghệ An" another place than "Hà Nội",
        # "năm 2010" another year than "năm 2011": these weigh more than another number
        result.missing = 0.2 * len(missing) if ranking else sum(_constraint_weight(c) for c in missing)
        # the title, or the statement itself ("Sở Công Thương tỉnh Lào Cai chủ trì ..."), names another place
        result.other_place = any(c[:1].isalpha() and not c.startswith("thu ") for c in missing) and (
            _names_a_place(title) or _names_a_place(text))
    if question.names and not ranking:
        # "Liên minh châu Âu" is not "Hoa Kỳ", "phía Nam" not "phía Bắc": a passage that does not name it is about another
        # names in a framing clause ("Theo Thứ trưởng Tân, ...") name the document's speaker or issuer: not checked here
        result.lost_names = n_missing([n for n in question.names if n not in question.frame_names], f"{title} {context} {text}")
    if question.bigrams:
        pairs = set(pairwise(words))
        pair_weights = p.pair_idf if not in_title else {
            pair: min(p.word_idf[a] * (0.5 if a in in_title else 1.0), p.word_idf[b] * (0.5 if b in in_title else 1.0))
            for pair in question.bigrams
            for a, b in [pair]
        }
        pair_total = sum(pair_weights.values())
        if pair_total:
            result.phrase = sum(w for pair, w in pair_weights.items() if pair in pairs) / pair_total
    return result


def coverage(
    question: Question, text: str, stats: TermStats, title: str = "", context: str = "", chunk: str = "",
    ranking: bool = False,
) -> float:
    """measure(...) as one score: share plus a phrase bonus, minus what the text fails to name."""
    return measure(question, text, stats, title, context, chunk, ranking).score(ranking)


def sentence_coverage(question: Question, node_id: str, text: str, start: int, end: int, stats: TermStats, title: str
                      ) -> float:
    """The ranking coverage of a chunk's sentence, computed once per question (reranking and candidates both ask)."""
    key = ("rank", node_id, start, end)
    found = question.cache.get(key)
    if found is None:
        found = question.cache[key] = coverage(question, text[start:end], stats, title, chunk=text, ranking=True)
    return found  # type: ignore[return-value]
