"""What a question asks for (a number, a date, a name, a document number) and whether a sentence has it."""

from __future__ import annotations

import re

from assistant.reading.units import UNIT_START, unit_end
from index.textnorm import fold

_WHO_Q = re.compile(r"\b(ai|who|la ai)\b")
_NUMBER_Q = re.compile(r"\b(bao nhieu|may|how many|how much|so luong|ty le|so may)\b")
_MEASURE_START = re.compile(
    r"^(muc (?:phat|thue|phi|gia|luong|ho tro|dong)|tong \w+|ty le|ty gia|so luong|gia \w+|kinh phi|von \w+|dien tich|san luong|kim ngach|toc do|chi so)\b"
)
_COUNTED = re.compile(
    r"\bbao nhieu (?!la\b|va\b|vao\b|trong\b)(\w+(?: (?!la\b|va\b|vao\b|trong\b|cua\b|theo\b|tai\b|o\b|de\b)\w+)?)"
)


def asked_quantity(folded_q: str) -> str | None:
    """What a "bao nhiêu" question counts or measures: "bao nhiêu nhóm" -> "nhom", "Mức phạt ... là bao nhiêu" -> "muc phat"."""
    counted = _COUNTED.search(folded_q)
    if counted:
        return counted.group(1)
    measure = _MEASURE_START.match(folded_q)
    return measure.group(1) if measure else None


_ORDINAL_Q = re.compile(r"\bthu may\b|\bwhich (number|time)\b")
_ORDINAL = re.compile(r"\bthu (nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi|[ivxlc]+\b|\d+)")
# spelled-out numbers (not "tư", "năm": folded, they are also "tư pháp", "năm 2020")
_NUMBER_WORDS = r"(?:mot|hai|ba|bon|sau|bay|tam|chin|muoi|muoi \w+|\w+ muoi)"
_DOCNUM_Q = re.compile(r"\b(so hieu|so ky hieu|so van ban|what number)\b")
_DOCNUM = re.compile(r"\d+/[\w\-/]*[A-ZĐ]")
_DATE_Q = re.compile(
    r"\b(khi nao|bao gio|ngay nao|thoi gian nao|thang nao|nam nao|quy nao|thoi han|han chot|thoi diem nao|when|what date|"
    r"ngay bao nhieu|thang may|quy may|nam may|by when|deadline)\b"
)
_DATE = re.compile(r"\d{1,2}[/-]\d{1,2}|\b(ngay|thang|nam|quy)\s+(\d|[ivx]+\b)|\b\d{1,2}\s*h\d{0,2}\b")
# "trước mấy giờ": a time of day ("17h00", "17 giờ")
_TIME_Q = re.compile(r"\b(may gio|gio nao|what time)\b")
_TIME = re.compile(r"\b\d{1,2}\s*(?:h|gio)(?:\s*\d{2})?\b|\b\d{1,2}:\d{2}\b")
# "bao lâu", "bao nhiêu ngày": a duration ("15 ngày", "mười lăm (15) ngày làm việc", "06 tháng")
_DURATION_Q = re.compile(r"\b(bao lau|how long|how many (?:days|months|years|weeks|hours)|(?:bao nhieu|may) (?:ngay|thang|nam|tuan|gio|phut))\b")
_DURATION = re.compile(r"(?:\d[\d.,]*|\b\w+ \(\d+\))\s*(?:ngay|thang|nam|tuan|gio|phut)\b")
_NAME = re.compile(r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){2,}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*")


def asks_document_date(folded_q: str) -> bool:
    """ "Kế hoạch 141 được ban hành ngày nào?": the date of the text itself (its dateline answers)."""
    return bool(_ISSUED_Q.search(folded_q))


_ISSUED_Q = re.compile(r"\b(ban hanh|ky|issued|signed)\b.{0,20}\b(ngay nao|khi nao|bao gio|when|what date)\b|\bngay ban hanh\b")


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
        if measured and measured.startswith(("phan", "ty le")) and re.search(r"\d\s?%", folded_s):
            return 0.05  # "bao nhiêu phần trăm": "95,5%"
        if measured and _COUNTED.search(folded_q):  # "bao nhiêu thành viên": a number of them, "15 thành viên"
            first = measured.split()[0]
            return 0.05 if re.search(rf"(\d[\d.,]*|\b{_NUMBER_WORDS})(\s+\w+)?\s+{first}\b", folded_s) else -1.0
        return 0.05 if novel and (not measured or re.search(rf"\b{measured}\b", folded_s)) else -1.0
    if _DATE_Q.search(folded_q):
        dates = list(_DATE.finditer(folded_s))
        if not dates:
            return -1.0
        # "... ban hành vào đầu tháng 5/2020": the date follows the words asked about
        asked = set(folded_q.split())
        near = any(set(folded_s[max(0, m.start() - 30) : m.start()].split()) & asked for m in dates)
        return 0.15 if near else 0.0
    if _WHO_Q.search(folded_q):
        names = [m.group() for m in _NAME.finditer(sentence) if fold(m.group()) not in folded_q]
        units = [
            sentence[m.start() : e]
            for m in UNIT_START.finditer(sentence)
            if (e := unit_end(sentence, m.start())) and fold(sentence[m.start() : e]) not in folded_q
        ]
        return 0.05 if names or units else -0.3
    return 0.0
