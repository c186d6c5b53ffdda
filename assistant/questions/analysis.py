"""Understanding a question: its kind, its language, and the words that carry its content.

Content words are compared in one of two spaces: with diacritics (tone
placement normalised) when the question has them, folded when it was typed
without; "nạo vét" must not match "nào". The words that tell the kinds apart are
data (the `[kinds]` table of `knowledge/questions.toml`); the patterns here give
their order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from assistant.questions.glossary import ENGLISH_MARKERS, translate_english
from assistant.questions.names import foreign_names
from assistant.questions.names import names as proper_names
from assistant.questions.synonyms import alternatives, group_synonyms
from index.knowledge import alternation, load
from index.textnorm import exact_tokens, fold, has_diacritics, tokens

_KINDS = load("questions")["kinds"]
ORDINALS = [fold(w) for w in load("questions")["asked"]["ordinals"]]  # "nhat", "hai", ... "muoi"


def _folded(key: str) -> str:
    """A word list of `[kinds]`, folded, as an alternation."""
    return alternation(dict.fromkeys(fold(w) for w in _KINDS[key]))


def _both(key: str) -> str:
    """A word list of `[kinds]` with and without its diacritics, as an alternation (for the question's own text)."""
    return alternation(dict.fromkeys([*_KINDS[key], *(fold(w) for w in _KINDS[key])]))


def _patterns(key: str) -> str:
    """A list of `[kinds]` written as regular expressions."""
    return "|".join(_KINDS[key])


# words that ask rather than describe
_QUESTION_WORDS_VI: str = _KINDS["question_words"]
# "nội dung gì", "những việc nào": the thing asked for, not content to match
_INTERROGATIVE_PHRASE = re.compile(rf"\b({_both('asked_things')})\s+(gì|gi|nào|nao)\b", re.IGNORECASE)
# ways of saying "leads" that are not the documents' words ("Ai đứng ra ...", "Cơ quan nào dẫn dắt ...")
_ROLE_PARAPHRASE = re.compile(rf"\b({_both('role_paraphrases')})\b", re.IGNORECASE)
_QUESTION_WORDS_EXACT = set(exact_tokens(_QUESTION_WORDS_VI))
_QUESTION_WORDS_FOLDED = set(tokens(_QUESTION_WORDS_VI))
_LEAD_Q = re.compile(rf"\b({_folded('lead_heads')})( \w+)? nao\b|\bai\b")
_HEAD_LOOKALIKE = re.compile(rf"\b({_folded('head_lookalikes')})\b")
_LEAD_ROLE = re.compile(rf"\b({_folded('lead_roles')})\b")
_LEAD_VERB = re.compile(rf"\b({_folded('lead_verbs')})\b")
_PERSON_Q = re.compile(rf"\b({_folded('person_titles')})\b.*\bla ai\s*\??\s*$")
_WHICH = re.compile(r"\b(nao|ai)\b")
# the word order of the question kinds (the words that vary are in knowledge/questions.toml)
_PARTNERS = re.compile(
    r"\b(nao|ai)\b(?:\s+\w+){0,3}?\s+(?:se\s+|duoc\s+|can\s+|cung\s+)?(?:phoi hop)\b|"
    r"\b(?:don vi|co quan)\s+phoi hop\b|"
    r"\bphoi hop (?:voi|cung) (?:nhung |cac )?(?:don vi|co quan|bo nganh|ai|bo)\b|"
    # "Những bộ nào cùng Vụ X ...": those working with a named unit (not "Ai cùng Bộ trưởng ...": a peer)
    rf"\b(?:nao|ai)\s+(?:se\s+|duoc\s+)?cung\s+(?:voi\s+)?(?:{_folded('with_heads')})\b(?!\s+truong)"
)
# the unit asked for leads: "Ai chủ trì ...", "... do sở nào chủ trì", "đơn vị nào được giao chủ trì"
_LEAD_SLOT = re.compile(
    r"\b(?:ai|nao)\s+(?:(?:se|duoc|la|phai|can|dang)\s+)*(?:giao\s+)?(?:chu tri|lam dau moi|dau moi|dung ra)\b|"
    r"\b(?:do|giao)\s+(?:\w+\s+){0,2}?(?:ai|nao)\s+(?:lam\s+)?(?:chu tri|dau moi)\b"
)
# the unit asked for is who a named unit works with: "X phối hợp (chặt chẽ) với (những) sở nào", "... cùng với ai",
# "ký quy chế phối hợp ... với doanh nghiệp nào", "cơ quan phối hợp gồm những ai"
_PARTNER_SLOT = re.compile(
    r"\b(?:phoi hop|lam viec|ky (?:ket|quy che)[\w\s]{0,60}?|cung tham gia)\s+(?:chat che\s+|thuong xuyen\s+)?(?:hon\s+)?"
    r"(?:voi|cung(?: voi)?)\s+(?:nhung\s+|cac\s+)?(?:\w+\s+){0,2}?(?:nao|ai)\b|"
    r"\b(?:co quan|don vi|luc luong)\s+phoi hop\b.{0,30}\b(?:nao|ai|gom|la)\b|"
    r"\bngoai\b.{1,60}\b(?:nhung|cac)\s+(?:\w+\s+){0,2}nao\b|"
    r"\bgiua\s+(?:nhung|cac)\s+(?:\w+\s+){0,2}nao\b"
)
_TASKS = re.compile(
    rf"\b(nhung|cac)? ?({_folded('task_nouns')})( cu the)? (gi|nao)\b|\bduoc giao (chu tri )?(nhung|cac) |"
    rf"\bphu trach (nhung )?(gi|viec gi)|\blam (nhung )?gi\b|\b({_folded('duty_nouns')}) (gi|nao)\b|"
    # "được giao gì", "được Thủ tướng yêu cầu những gì": what its subject is assigned
    rf"\bduoc( \w+){{0,3}} (giao|yeu cau|de nghi|chi dao) (nhung |cac )?(gi|viec gi)\b"
)
_EN_LEAD = re.compile(rf"\bwhom?\b|\b(which|what)\s+(\w+\s+){{0,2}}?({_patterns('en_unit_nouns')})\b")
_EN_PARTNERS = re.compile(rf"\b({_patterns('en_partners')})\b")
_EN_TASKS = re.compile(rf"\b(what|which) ({_patterns('en_task_nouns')})\b|\b(?:{_patterns('en_task_phrases')})\b")
_EN_ROLE = re.compile(rf"\b({_patterns('en_roles')})\b")

# "Theo Nghị quyết 122/NQ-CP, ...", "Trong Kế hoạch ..., ", "Under Resolution ..., ": which document is asked about
_FRAME = re.compile(
    rf"^\s*((?:{_both('frame_openers')})\s[^,?]{{3,200}}),|"
    # "Chỉ thị liên tịch về thi đua năm 2020 yêu cầu ...": the document as the subject
    rf"^\s*((?:{_both('document_types')})\b[^,?]{{3,150}}?)"
    rf"\s+(?:{_both('frame_verbs')})\b",
    re.IGNORECASE,
)
LEAD, PARTNERS, FACT, TASKS_OF = "lead", "partners", "fact", "tasks_of"
# "nhóm công tác thứ năm", "Quyết định 279/2005", "năm 2030": a passage without them is about something else
_CONSTRAINT = re.compile(rf"\bthu (?:{alternation(ORDINALS)}|\d+)\b|\b\d+(?:[/.\-]\d+)*\b")
_ORDINAL_WORDS = {str(n): word for n, word in enumerate(ORDINALS[:9], start=1)}  # "thứ 3" is "thứ ba"
# "(năm|giai đoạn|đến) 2030": the year of what is asked, not of the document
_PERIOD = _folded("period_words")


@dataclass
class Question:
    text: str
    kind: str
    english: bool
    exact: bool  # compare with diacritics
    terms: list[str]
    bigrams: tuple[tuple[str, str], ...] = ()  # in the question's order: sums over them must not vary by run
    asks_role: bool = False  # names the role ("chủ trì", "đầu mối"): only a real assignment answers it
    dense_top: float = 1.0  # similarity of the best chunk by embedding, filled in by the retriever
    constraints: list[str] = field(default_factory=list)  # numbers and ordinals the answer must mention
    names: list[str] = field(default_factory=list)  # names and regions ("Hoa Kỳ", "phía Nam") the passage must name, as keys
    # terms and numbers of a leading "Theo Nghị quyết ..., " that name the document rather than the passage
    frame_terms: set[str] = field(default_factory=set)
    frame_constraints: set[str] = field(default_factory=set)
    frame_names: set[str] = field(default_factory=set)
    frame_end: int = 0  # where the framing clause ends in the text
    cache: dict[object, object] = field(default_factory=dict, repr=False, compare=False)  # see coverage._prepare


def is_english(text: str) -> bool:
    """English, possibly quoting a Vietnamese name ("the Vietnam Law newspaper (Báo Pháp luật Việt Nam)")."""
    words = re.findall(r"\w+", text)
    markers = sum(w.lower() in ENGLISH_MARKERS for w in words)
    if not has_diacritics(text):
        return markers >= 2
    vietnamese = sum(has_diacritics(w) for w in words)
    return markers >= 3 and vietnamese * 3 < len(words)


@lru_cache(maxsize=50_000)
def _cached_keys(text: str, exact: bool) -> tuple[str, ...]:
    return tuple(exact_tokens(text) if exact else tokens(text))


def keys(text: str, exact: bool) -> list[str]:
    """Comparison keys of a text; passages recur across questions, so they are cached."""
    return list(_cached_keys(text, exact))


def names_its_own_lead(text: str) -> bool:
    """ "Chủ tịch nước chịu trách nhiệm ... trước cơ quan nào?" asks about something else than the lead."""
    from assistant.reading.frames import LEAD, find_frames  # the reader imports nothing from here

    for found in find_frames(text):
        words = found.lead.split()
        if not (found.role == LEAD and found.lead_start >= 0 and len(words) >= 2):
            continue
        before = text[: found.lead_start].split()
        if fold(words[-1]) in ("nao", "gi", "ai") or (before and fold(before[-1]) in ("cua", "thuoc", "voi")):
            continue  # "Vụ nào của Bộ Công Thương chủ trì ...": Bộ Công Thương is not the subject
        return True
    return False




def classify(folded: str, english: bool, text: str = "") -> tuple[str, bool]:
    if english:
        if _EN_TASKS.search(folded):
            return TASKS_OF, True
        if _EN_PARTNERS.search(folded):
            return PARTNERS, True
        if _EN_LEAD.search(folded):
            return LEAD, bool(_EN_ROLE.search(folded))
        return FACT, False
    if _TASKS.search(folded):
        return TASKS_OF, True
    asks_role = bool(_LEAD_ROLE.search(folded) or _ROLE_PARAPHRASE.search(text))
    if _LEAD_SLOT.search(folded):  # "Ai chủ trì ..., phối hợp với ai?": the lead first (the answer names partners)
        return LEAD, True
    if _PARTNER_SLOT.search(folded) or (
        _PARTNERS.search(folded) and _WHICH.search(folded) and not _LEAD_VERB.search(folded)
    ):
        return PARTNERS, True
    if _PERSON_Q.search(folded):  # "vị Phó Giám đốc ... là ai?": a person's name, not a unit
        return FACT, False
    if _LEAD_Q.search(_HEAD_LOOKALIKE.sub("_", folded)) and not names_its_own_lead(text):
        return LEAD, asks_role
    return FACT, False


def analyse(text: str, english: bool | None = None) -> Question:
    """The question's kind and content words; `english` overrides the language detection."""
    english = is_english(text) if english is None else english
    folded = fold(text)
    kind, asks_role = classify(folded, english, text)
    exact = has_diacritics(text)
    if english:
        words = grouped = translate_english(folded)
    else:
        stop = _QUESTION_WORDS_EXACT if exact else _QUESTION_WORDS_FOLDED
        content = _ROLE_PARAPHRASE.sub(" ", _INTERROGATIVE_PHRASE.sub(" ", text))
        all_words = keys(content, exact)
        words = [k for k in all_words if k not in stop]
        # a phrase made only of question words ("thực hiện") stays a question word
        grouped = [t for t in group_synonyms(all_words, exact) if not all(w in stop for w in alternatives(t)[0])]
    terms = list(dict.fromkeys(grouped))
    bigrams = tuple(dict.fromkeys(pairwise(words)))
    # "thứ 3" is written "thứ ba" as often: the constraint is the word form
    constraints = list(dict.fromkeys(
        re.sub(r"^thu (\d)$", lambda d: f"thu {_ORDINAL_WORDS.get(d.group(1), d.group(1))}", m.group())
        for m in _CONSTRAINT.finditer(folded)
    ))
    if english:  # "sixth" -> "thu sau"; a month name is no constraint ("April" is "24/4" in the text)
        constraints += [m.group() for m in _CONSTRAINT.finditer(" ".join(words)) if m.group().startswith("thu ")]
    question = Question(text, kind, english, exact and not english, terms, bigrams, asks_role, constraints=constraints,
                        names=[] if english else proper_names(text) if exact else foreign_names(text))
    frame = _FRAME.match(text)
    if frame and frame.end() < len(text) - 10:
        question.frame_end = frame.end()
        framed = analyse(frame.group(1) or frame.group(2), english)
        question.frame_terms = set(framed.terms) & set(terms)
        question.frame_constraints = set(framed.constraints) & set(constraints)
        question.frame_names = set(framed.names) & set(question.names)
    # a year or a document number ("ASEAN 2010", "52-CT/TW") names the document: the chunk may state it;
    # not the year of what is asked ("tỷ lệ nhập siêu năm 2011")
    question.frame_constraints |= {
        c for c in constraints
        if re.fullmatch(r"(19|20)\d\d|\d+[/\-]\S+", c)
        and not re.search(rf"\b({_PERIOD}) {re.escape(c)}\b", folded)
    }
    return question


class TermStats:
    """Document frequencies of terms over all chunks, in both comparison spaces."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.df_exact: Counter[str] = Counter()
        self.df_folded: Counter[str] = Counter()
        self.n = 0
        for text in texts:
            self.n += 1
            self.df_exact.update(set(exact_tokens(text)))
            self.df_folded.update(set(tokens(text)))

    def idf(self, term: str, exact: bool) -> float:
        df = (self.df_exact if exact else self.df_folded).get(term, 0)
        return math.log((self.n + 1) / (df + 0.5))

    def known(self, term: str, exact: bool) -> bool:
        return term in (self.df_exact if exact else self.df_folded)
