"""What a question asks for (a number, a date, a name, a document number) and whether a sentence has it.

The question words are data (the `[asked]` table of `knowledge/questions.toml`), compared folded;
the regular expressions here give the order of the words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.questions.analysis import ORDINALS
from assistant.reading.units import UNIT_START, unit_end
from index.knowledge import alternation, load
from index.textnorm import fold

_ASKED = load("questions")["asked"]


def _any(key: str) -> str:
    """The folded words of a list as an alternation; "_" in a word stands for any one word."""
    return alternation(fold(w) for w in _ASKED[key]).replace("_", r"\w+")


_WHO_Q = re.compile(rf"\b({_any('who')})\b")
_NUMBER_Q = re.compile(rf"\b({_any('number')})\b")
_MEASURE_START = re.compile(rf"^({_any('measures')})\b")
_NOT_COUNTED = "|".join(rf"{re.escape(fold(w))}\b" for w in _ASKED["not_counted"])
_COUNTED_END = "|".join(rf"{re.escape(fold(w))}\b" for w in [*_ASKED["not_counted"], *_ASKED["counted_ends"]])
# "bao nhiêu thành viên": what is counted, the one or two words after "bao nhiêu"
_COUNTED = re.compile(rf"\bbao nhieu (?!{_NOT_COUNTED})(\w+(?: (?!{_COUNTED_END})\w+)?)")
_PERCENT = tuple(fold(w) for w in _ASKED["percent"])
_MONEY = tuple(fold(w) for w in _ASKED["money"])
_AMOUNT = re.compile(rf"\d[\d.,]*\s*(?:\w+\s+)?(?:{_any('money_units')})\b")


_PARTNER_CUE = re.compile(rf"\b({_any('partner_cues')})\b")


def names_cooperation(text: str) -> bool:
    """The text speaks of units working together ("phối hợp", "cùng", "với", ...)."""
    return bool(_PARTNER_CUE.search(fold(text)))


def asked_quantity(folded_q: str) -> str | None:
    """What a "bao nhiêu" question counts or measures: "bao nhiêu nhóm" -> "nhom", "Mức phạt ... là bao nhiêu" -> "muc phat"."""
    counted = _COUNTED.search(folded_q)
    if counted:
        return counted.group(1)
    measure = _MEASURE_START.match(folded_q)
    return measure.group(1) if measure else None


_ORDINAL_Q = re.compile(rf"\b(?:{_any('ordinal_questions')})\b")
_ORDINAL = re.compile(rf"\bthu ({alternation(ORDINALS)}|[ivxlc]+\b|\d+)")
# spelled-out numbers (not "tư", "năm": folded, they are also "tư pháp", "năm 2020")
_NUMBER_WORDS = rf"(?:{_any('spelled_numbers')})"
_DOCNUM_Q = re.compile(rf"\b({_any('document_number')})\b")
_DOCNUM = re.compile(r"\d+/[\w\-/]*[A-ZĐ]")
# the same, folded, with the date after it: a text cited ("58/2022/nd-cp ngay 31 thang 8 nam 2022")
_CITED = re.compile(
    r"\d+/[\w/.\-]*[a-z][\w\-]*(?:\s+ngay\s+\d{1,2}(?:\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?|[/-]\d{1,2}(?:[/-]\d{2,4})?))?"
)
_DATE_Q = re.compile(rf"\b({_any('date')})\b")
_DATE = re.compile(rf"\d{{1,2}}[/-]\d{{1,2}}|\b({_any('date_nouns')})\s+(\d|[ivx]+\b)|\b\d{{1,2}}\s*h\d{{0,2}}\b")
# "trước mấy giờ": a time of day ("17h00", "17 giờ")
_TIME_Q = re.compile(rf"\b({_any('time')})\b")
_TIME = re.compile(rf"\b\d{{1,2}}\s*(?:{_any('hour_units')})(?:\s*\d{{2}})?\b|\b\d{{1,2}}:\d{{2}}\b")
# "bao lâu", "bao nhiêu ngày": a duration ("15 ngày", "mười lăm (15) ngày làm việc", "06 tháng")
_UNITS = _any("duration_units")
_DURATION_Q = re.compile(
    rf"\b({_any('duration')}|(?:{_any('how_many_en')}) (?:{_any('duration_units_en')})|(?:{_any('how_many')}) (?:{_UNITS}))\b"
)
# ... and "05 (năm) ngày làm việc", the number then its words
_DURATION = re.compile(rf"(?:\d[\d.,]*(?:\s*\([^()\d]{{1,25}}\))?|\b\w+ \(\d+\))\s*(?:{_UNITS})\b")
_NAME = re.compile(r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){2,}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*")


def asks_document_date(folded_q: str) -> bool:
    """ "Kế hoạch 141 được ban hành ngày nào?": the date of the text itself (its dateline answers)."""
    return bool(_ISSUED_Q.search(folded_q))


_ISSUED_Q = re.compile(rf"\b({_any('issued')})\b.{{0,20}}\b({_any('issued_when')})\b|\b(?:{_any('issue_date')})\b")


def type_bonus(folded_q: str, sentence: str) -> float:
    """Questions that ask for a number, a date or a name need a sentence that has one."""
    folded_s = fold(sentence)
    if _TIME_Q.search(folded_q):
        return 0.15 if _TIME.search(folded_s) else -1.0
    if _DURATION_Q.search(folded_q):
        return 0.15 if _DURATION.search(folded_s) else -1.0
    if _DOCNUM_Q.search(folded_q):
        return 0.05 if _DOCNUM.search(sentence) else -1.0
    if _ORDINAL_Q.search(folded_q):  # "nhóm công tác thứ mấy", "lần thứ mấy"
        return 0.05 if _ORDINAL.search(folded_s) else -1.0
    if _NUMBER_Q.search(folded_q):
        novel = set(re.findall(r"\d+", folded_s)) - set(re.findall(r"\d+", folded_q))
        # no number, or a number of something else ("Mức phạt ... là bao nhiêu?"): cannot answer
        measured = asked_quantity(folded_q)
        if measured and re.search(rf"\b{_NUMBER_WORDS} {measured}\b", folded_s):
            return 0.05  # "hai kịch bản"
        if measured and measured.startswith(_PERCENT) and re.search(r"\d\s?%", folded_s):
            return 0.05  # "bao nhiêu phần trăm": "95,5%"
        if measured and _COUNTED.search(folded_q):  # "bao nhiêu thành viên": a number of them, "15 thành viên"
            first = measured.split()[0]
            # a unit may be written on its number ("3.300ha", "12km"); not a share ("100% cơ sở" counts none)
            if re.search(rf"(\d[\d.,]*\s*|\b{_NUMBER_WORDS}\s+)(\w+\s+)?{first}\b", folded_s):
                return 0.05
            if first in _MONEY and _AMOUNT.search(folded_s):
                return 0.05
            return -1.0
        return 0.05 if novel and (not measured or re.search(rf"(?<![^\W\d_]){measured}\b", folded_s)) else -1.0
    if _DATE_Q.search(folded_q):
        # the date of a text cited ("Nghị định số 58/2022/NĐ-CP ngày 31 tháng 8 năm 2022") answers no "khi nào",
        # unless the question asks when a text was issued
        dates = list(_DATE.finditer(folded_s if asks_document_date(folded_q) else _CITED.sub(" ", folded_s)))
        if not dates:
            return -1.0
        # "... ban hành vào đầu tháng 5/2020": the date follows the words asked about
        asked = set(folded_q.split())
        near = any(set(folded_s[max(0, m.start() - 30) : m.start()].split()) & asked for m in dates)
        return 0.15 if near else 0.0
    if _WHO_Q.search(folded_q):
        return 0.05 if any(name not in folded_q for name in _named(sentence)) else -0.3
    return 0.0


@lru_cache(maxsize=16384)
def _named(sentence: str) -> tuple[str, ...]:
    """The people (three capitalised words or more) and the units a sentence names, folded; kept per sentence, as
    the same passages come back for many questions."""
    names = [fold(m.group()) for m in _NAME.finditer(sentence)]
    units = [fold(sentence[m.start() : e]) for m in UNIT_START.finditer(sentence) if (e := unit_end(sentence, m.start()))]
    return tuple(names + units)
