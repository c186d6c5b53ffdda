"""A small English -> Vietnamese glossary for English questions over Vietnamese documents.

Only content words that matter for matching; the embedder handles the rest.
Values are folded Vietnamese (no diacritics), as English questions are compared folded.
"""

from __future__ import annotations

import re

# words that mark a question as English: none is a Vietnamese syllable typed without diacritics
ENGLISH_MARKERS = frozenset(
    ["which", "who", "whom", "whose", "what", "when", "where", "how", "why", "is", "are", "was", "were", "does", "did", "of", "for", "with", "from", "by", "and", "should", "must", "will", "shall", "department", "ministry", "agency", "leads", "lead", "leading", "responsible", "charge", "focal", "cooperate", "cooperates", "work", "works", "assigned", "task", "tasks"]
)
ENGLISH_STOPWORDS = frozenset(
    ["the", "a", "an", "of", "for", "in", "on", "to", "is", "are", "was", "were", "be", "been", "which", "who", "whom", "what", "when", "where", "how", "does", "do", "did", "and", "or", "with", "by", "from", "at", "that", "this", "these", "those", "it", "its", "their", "there", "as", "into", "about", "under", "over", "than", "unit", "units", "department", "departments", "agency", "agencies", "ministry", "body", "office", "should", "must", "will", "shall", "can", "has", "have", "had", "according", "tasked", "task", "tasks", "lead", "leads", "leading", "led", "responsible", "in", "charge", "focal", "point", "many", "much"]
)

_GLOSSARY: dict[str, str] = {
    "ministry of industry and trade": "bo cong thuong", "moit": "bo cong thuong",
    "industry and trade": "cong thuong", "department of industry and trade": "so cong thuong",
    "people's committee": "uy ban nhan dan", "peoples committee": "uy ban nhan dan",
    "import export": "xuat nhap khau", "import-export": "xuat nhap khau", "export": "xuat khau",
    "import": "nhap khau", "imports": "nhap khau", "exports": "xuat khau",
    "domestic market": "thi truong trong nuoc", "market": "thi truong", "markets": "thi truong",
    "logistics": "logistics", "centre": "trung tam", "center": "trung tam", "centres": "trung tam",
    "centers": "trung tam", "policy": "chinh sach", "policies": "chinh sach", "mechanism": "co che",
    "mechanisms": "co che", "proposal": "de xuat", "propose": "de xuat", "proposing": "de xuat",
    "research": "nghien cuu", "study": "nghien cuu", "develop": "phat trien", "development": "phat trien",
    "build": "xay dung", "building": "xay dung", "criteria": "tieu chi", "pilot": "thi diem",
    "industrial": "cong nghiep", "industry": "cong nghiep", "city": "thanh pho", "modern": "hien dai",
    "human resources": "nhan luc", "workforce": "nhan luc", "high-quality": "chat luong cao",
    "high quality": "chat luong cao", "talent": "nhan luc", "attract": "thu hut", "attracting": "thu hut",
    "free trade agreement": "hiep dinh thuong mai tu do", "free trade agreements": "hiep dinh thuong mai tu do",
    "fta": "fta", "ftas": "fta", "free trade zone": "khu thuong mai tu do", "free trade zones": "khu thuong mai tu do",
    "investment": "dau tu", "invest": "dau tu", "promotion": "xuc tien", "promote": "xuc tien",
    "projects": "du an", "project": "du an", "key": "trong diem", "science": "khoa hoc",
    "technology": "cong nghe", "marine": "bien", "sea": "bien", "supporting industry": "cong nghiep ho tro",
    "support industry": "cong nghiep ho tro", "supporting industries": "cong nghiep ho tro",
    "red river delta": "dong bang song hong", "report": "bao cao", "reports": "bao cao",
    "annual": "hang nam", "results": "ket qua", "summarize": "tong hop", "compile": "tong hop",
    "safety": "an toan", "production": "san xuat", "inspect": "kiem tra", "inspection": "kiem tra",
    "supervise": "giam sat", "monitor": "giam sat", "petitions": "kien nghi", "recommendations": "kien nghi",
    "localities": "dia phuong", "local": "dia phuong", "provinces": "tinh", "northern": "phia bac",
    "north": "phia bac", "conference": "hoi nghi", "meeting": "cuoc hop", "plan": "ke hoach",
    "action plan": "ke hoach hanh dong", "action programme": "chuong trinh hanh dong",
    "action program": "chuong trinh hanh dong", "programme": "chuong trinh", "program": "chuong trinh",
    "resolution": "nghi quyet", "directive": "chi thi", "decision": "quyet dinh", "emulation": "thi dua",
    "movement": "phong trao", "industrial clusters": "cum cong nghiep", "industrial cluster": "cum cong nghiep",
    "clusters": "cum cong nghiep", "districts": "quan huyen", "district": "quan huyen",
    "ocop": "ocop", "stores": "diem ban", "points of sale": "diem ban", "sales points": "diem ban",
    "stimulus": "kich cau", "events": "su kien", "trade": "thuong mai", "e-commerce": "thuong mai dien tu",
    "chemicals": "hoa chat", "chemical": "hoa chat", "energy": "nang luong", "electricity": "dien",
    "power": "dien", "finance": "tai chinh", "financial": "tai chinh", "justice": "tu phap",
    "foreign affairs": "ngoai giao", "construction": "xay dung", "transport": "giao thong van tai",
    "health": "y te", "insurance": "bao hiem", "data": "du lieu", "digital": "so", "enterprises": "doanh nghiep",
    "businesses": "doanh nghiep", "companies": "doanh nghiep", "training": "dao tao", "vocational": "nghe",
    "rural": "nong thon", "workers": "lao dong", "rivers": "song", "canals": "kenh rach", "economic zone": "khu kinh te",
    "hai phong": "hai phong", "haiphong": "hai phong", "hanoi": "ha noi", "ha noi": "ha noi",
    "ho chi minh city": "ho chi minh", "organization": "to chuc", "personnel": "to chuc can bo",
    "planning": "ke hoach", "multilateral trade policy": "chinh sach thuong mai da bien",
    "ministry of foreign affairs": "bo ngoai giao", "ministry of construction": "bo xay dung",
    "ministry of transport": "bo giao thong van tai", "ministry of finance": "bo tai chinh",
    "cooperate": "phoi hop", "cooperates": "phoi hop", "cooperating": "phoi hop", "coordinate": "phoi hop",
}
_PHRASES = sorted(_GLOSSARY, key=len, reverse=True)
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")


def translate_english(folded_question: str) -> list[str]:
    """Folded Vietnamese terms for an English question (unknown words are kept as they are)."""
    terms: list[str] = []

    def replace(match: re.Match[str]) -> str:
        terms.extend(_GLOSSARY[match.group(1)].split())
        return " "

    rest = _PHRASE_RE.sub(replace, folded_question)
    terms.extend(w for w in re.findall(r"\w+", rest) if w not in ENGLISH_STOPWORDS)
    return terms
