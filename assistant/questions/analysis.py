"""Understanding a question: its kind, its language, and the words that carry its content.

Content words are compared in one of two spaces: with diacritics (tone
placement normalised) when the question has them, folded when it was typed
without; "nạo vét" must not match "nào".
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
from assistant.questions.names import names as proper_names
from assistant.questions.synonyms import alternatives, group_synonyms
from index.textnorm import exact_tokens, fold, has_diacritics, tokens

# words that ask rather than describe (folded)
_QUESTION_WORDS_VI = (
    "đơn vị nào cơ quan ai là gì những các chủ trì đầu mối phối hợp với trách nhiệm chịu được giao "
    "đề nghị thực hiện nhiệm vụ việc của cho về và thế bao nhiêu khi mấy ở đâu trong tại có hay không "
    "phải cần sẽ đã đang làm một số sao vậy như còn thì mà bởi hoặc cũng vào ra để theo từ đến tới bằng qua đâu "
    "hãy cho biết mình"
)
# "nội dung gì", "những việc nào": the thing asked for, not content to match
_INTERROGATIVE_PHRASE = re.compile(
    r"\b(nội dung|noi dung|vấn đề|van de|điều|dieu|thông tin|thong tin|hoạt động|hoat dong)\s+(gì|gi|nào|nao)\b",
    re.IGNORECASE,
)
# ways of saying "leads" that are not the documents' words ("Ai đứng ra ...", "Cơ quan nào dẫn dắt ...")
_ROLE_PARAPHRASE = re.compile(
    r"\b(đứng ra|dẫn dắt|đảm nhận|đảm nhiệm|cầm trịch|đứng đầu|chịu trách nhiệm chính|lo việc|lo chuyện|lo liệu|giữ vai trò|"
    r"dung ra|dan dat|dam nhan|dam nhiem|cam trich|dung dau|chiu trach nhiem chinh|lo viec|lo chuyen|lo lieu|giu vai tro)\b",
    re.IGNORECASE,
)
_QUESTION_WORDS_EXACT = set(exact_tokens(_QUESTION_WORDS_VI))
_QUESTION_WORDS_FOLDED = set(tokens(_QUESTION_WORDS_VI))
_LEAD_Q = re.compile(
    r"\b(don vi|co quan|to chuc|bo|vu|cuc|so|ban|dia phuong|ubnd|uy ban|nganh|doanh nghiep|tap doan|luc luong|cap|ben)"
    r"( \w+)? nao\b|\bai\b"
)
_LEAD_ROLE = re.compile(r"\b(chu tri|dau moi|trach nhiem|duoc giao|phu trach|duoc de nghi|dong chu tri|lam truong|dung dau)\b")
_PERSON_Q = re.compile(r"\b(giam doc|bo truong|thu truong|chu tich|truong ban|tong bi thu|thu tuong)\b.*\bla ai\s*\??\s*$")
_WHICH = re.compile(r"\b(nao|ai)\b")
_PARTNERS = re.compile(
    r"\b(nao|ai)\b(?:\s+\w+){0,3}?\s+(?:se\s+|duoc\s+|can\s+|cung\s+)?(?:phoi hop|ho tro)\b|"
    r"\b(?:don vi|co quan)\s+phoi hop\b|"
    r"\bphoi hop (?:voi|cung) (?:nhung |cac )?(?:don vi|co quan|bo nganh|ai|bo)\b|"
    # "Những bộ nào cùng Vụ X ...": those working with a named unit (not "Ai cùng Bộ trưởng ...": a peer)
    r"\b(?:nao|ai)\s+(?:se\s+|duoc\s+)?cung\s+(?:voi\s+)?(?:vu|cuc|bo|so|ban|ubnd|uy ban|tong cuc|trung tam|vien)\b(?!\s+truong)"
)
_TASKS = re.compile(
    r"\b(nhung|cac)? ?(nhiem vu|viec|cong viec)( cu the)? (gi|nao)\b|\bduoc giao (chu tri )?(nhung|cac) |"
    r"\bphu trach (nhung )?(gi|viec gi)|\blam (nhung )?gi\b|\b(trach nhiem|vai tro) (gi|nao)\b"
)
_EN_LEAD = re.compile(
    r"\bwhom?\b|\b(which|what)\s+(\w+\s+){0,2}?(units?|departments?|agenc\w+|ministr\w+|bod\w+|offices?|"
    r"authorit\w+|organi[sz]ations?|localit\w+|provinces?|committees?)\b"
)
_EN_PARTNERS = re.compile(
    r"\b(cooperat(e|es|ing)|collaborat(e|es|ing)|work(s|ing)? with|coordinat(e|es|ing) with|partners?|assist(s|ing)?)\b"
)
_EN_TASKS = re.compile(r"\b(what|which) (tasks|duties|assignments|responsibilities)\b|\bassigned to do\b")
_EN_ROLE = re.compile(r"\b(lead\w*|in charge|responsible|focal|chair\w*|assigned|charged|urg\w+|ask\w*|request\w*)\b")

# "Theo Nghị quyết 122/NQ-CP, ...", "Trong Kế hoạch ..., ", "Under Resolution ..., ": which document is asked about
_FRAME = re.compile(
    r"^\s*((?:theo|trong|tại|tai|căn cứ|can cu|under|according to|in)\s[^,?]{3,200}),|"
    # "Chỉ thị liên tịch về thi đua năm 2020 yêu cầu ...": the document as the subject
    r"^\s*((?:chỉ thị|nghị quyết|quyết định|kế hoạch|chương trình|thông báo|công văn|đề án|nghị định|thông tư|"
    r"chi thi|nghi quyet|quyet dinh|ke hoach|chuong trinh|thong bao|cong van|de an|nghi dinh|thong tu)\b[^,?]{3,150}?)"
    r"\s+(?:yêu cầu|đề ra|nêu|quy định|đặt ra|xác định|giao|yeu cau|de ra|neu|quy dinh|dat ra|xac dinh)\b",
    re.IGNORECASE,
)
LEAD, PARTNERS, FACT, TASKS_OF = "lead", "partners", "fact", "tasks_of"
# "nhóm công tác thứ năm", "Quyết định 279/2005", "năm 2030": a passage without them is about something else
_CONSTRAINT = re.compile(r"\bthu (?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi|\d+)\b|\b\d+(?:[/.\-]\d+)*\b")
_ORDINAL_WORDS = {"1": "nhat", "2": "hai", "3": "ba", "4": "tu", "5": "nam", "6": "sau", "7": "bay", "8": "tam", "9": "chin"}


@dataclass
class Question:
    text: str
    kind: str
    english: bool
    exact: bool  # compare with diacritics
    terms: list[str]
    bigrams: set[tuple[str, str]] = field(default_factory=set)
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
    if _PARTNERS.search(folded) and _WHICH.search(folded) and not re.search(r"\b(chu tri|dau moi)\b", folded):
        return PARTNERS, True
    if _PERSON_Q.search(folded):  # "vị Phó Giám đốc ... là ai?": a person's name, not a unit
        return FACT, False
    if _LEAD_Q.search(folded) and not names_its_own_lead(text):
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
    bigrams = set(pairwise(words))
    # "thứ 3" is written "thứ ba" as often: the constraint is the word form
    constraints = list(dict.fromkeys(
        re.sub(r"^thu (\d)$", lambda d: f"thu {_ORDINAL_WORDS.get(d.group(1), d.group(1))}", m.group())
        for m in _CONSTRAINT.finditer(folded)
    ))
    if english:  # "sixth" -> "thu sau"; a month name is no constraint ("April" is "24/4" in the text)
        constraints += [m.group() for m in _CONSTRAINT.finditer(" ".join(words)) if m.group().startswith("thu ")]
    question = Question(text, kind, english, exact and not english, terms, bigrams, asks_role, constraints=constraints,
                        names=proper_names(text) if exact and not english else [])
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
        and not re.search(rf"\b(nam|giai doan|den|truoc|tu|trong) {re.escape(c)}\b", folded)
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
