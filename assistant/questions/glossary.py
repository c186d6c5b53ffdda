"""A small English -> Vietnamese glossary for English questions over Vietnamese documents.

Only content words that matter for matching; the embedder handles the rest.
Values are folded Vietnamese (no diacritics), as English questions are compared folded.
"""

from __future__ import annotations

import re

from assistant.questions.glossary_terms import ADMINISTRATION, ECONOMY

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
    # time, reporting, meetings
    "each year": "hang nam", "every year": "hang nam", "annually": "hang nam", "yearly": "hang nam",
    "each month": "hang thang", "monthly": "hang thang", "quarterly": "hang quy", "regularly": "thuong xuyen",
    "send": "gui", "sends": "gui", "submit": "gui", "consolidation": "tong hop", "consolidate": "tong hop",
    "afternoon": "chieu", "morning": "sang", "online": "truc tuyen", "briefing": "giao ban", "deadline": "thoi han",
    "january": "thang 1", "february": "thang 2", "march": "thang 3", "april": "thang 4", "may": "thang 5",
    "june": "thang 6", "july": "thang 7", "august": "thang 8", "september": "thang 9", "october": "thang 10",
    "november": "thang 11", "december": "thang 12",
    # officials and bodies
    "minister": "bo truong", "deputy minister": "thu truong", "director": "giam doc",
    "deputy director": "pho giam doc", "government": "chinh phu", "prime minister": "thu tuong",
    "steering committee": "ban chi dao", "national": "quoc gia", "state management": "quan ly nha nuoc",
    "industry agency": "cuc cong nghiep", "domestic market department": "vu thi truong trong nuoc",
    "planning department": "vu ke hoach", "planning and finance department": "vu ke hoach tai chinh",
    "department of organisation and personnel": "vu to chuc can bo",
    "department of organization and personnel": "vu to chuc can bo", "personnel department": "vu to chuc can bo",
    "department of science and technology": "vu khoa hoc va cong nghe",
    "multilateral trade policy department": "vu chinh sach thuong mai da bien",
    "agency of foreign trade": "cuc xuat nhap khau", "import-export department": "cuc xuat nhap khau",
    "agency for regional industry and trade": "cuc cong thuong dia phuong",
    "electricity authority": "cuc dien luc", "chemicals agency": "cuc hoa chat", "legal department": "vu phap che",
    "trade promotion agency": "cuc xuc tien thuong mai", "trade remedies authority": "cuc phong ve thuong mai",
    "market surveillance": "quan ly thi truong", "ministry office": "van phong bo", "inspectorate": "thanh tra",
    "e-commerce and digital economy agency": "cuc thuong mai dien tu va kinh te so",
    "ministry of planning and investment": "bo ke hoach va dau tu", "ministry of science and technology": "bo khoa hoc va cong nghe",
    "ministry of natural resources and environment": "bo tai nguyen va moi truong",
    "ministry of agriculture and rural development": "bo nong nghiep va phat trien nong thon",
    "state bank": "ngan hang nha nuoc", "customs": "hai quan", "police": "cong an",
    # actions and things
    "urge": "de nghi", "urged": "de nghi", "asked": "de nghi", "requested": "de nghi", "focus": "tap trung",
    "targets": "chi tieu", "target": "chi tieu", "key tasks": "nhiem vu trong tam", "facilities": "co so",
    "emphasis": "chu trong", "set up": "thanh lap", "establish": "thanh lap", "established": "thanh lap",
    "digital transformation": "chuyen doi so", "working group": "nhom cong tac", "campaign": "cuoc van dong",
    "goods": "hang", "vietnamese goods": "hang viet nam", "clearance": "giai toa", "slow": "cham",
    "drafting": "xay dung", "draft": "xay dung", "strategy": "chien luoc", "tariff": "thue quan",
    "negotiations": "dam phan", "negotiation": "dam phan", "united states": "hoa ky", "appliances": "thiet bi",
    "energy-saving": "tiet kiem nang luong", "money": "kinh phi", "funding": "kinh phi", "budget": "ngan sach",
    "allocate": "bo tri", "recovery": "phuc hoi", "social distancing": "gian cach xa hoi", "sector": "linh vuc",
    "solutions": "giai phap", "solution": "giai phap", "effective": "hieu qua", "proposals": "de xuat",
    "counterfeit": "hang gia", "smuggling": "buon lau", "inspection teams": "doan kiem tra", "law": "luat",
    "regulation": "quy dinh", "regulations": "quy dinh", "guidance": "huong dan", "guide": "huong dan",
    "survey": "khao sat", "statistics": "thong ke", "price": "gia", "prices": "gia",
    "business": "kinh doanh", "chaired": "chu tri", "chair": "chu tri",
    "local authority": "ubnd", "local authorities": "ubnd", "ministries": "bo", "first": "thu nhat",
    "second": "thu hai", "third": "thu ba", "fourth": "thu tu", "fifth": "thu nam", "sixth": "thu sau",
    "seventh": "thu bay", "eighth": "thu tam", "ninth": "thu chin", "tenth": "thu muoi",
    "evn": "tap doan dien luc viet nam", "vietnam electricity": "tap doan dien luc viet nam", "direct": "chi dao",
    "secure": "bao dam", "newspaper": "bao", "report on": "dua tin", "coordinate with": "phoi hop voi",
    "supply": "nguon cung", "shortage": "thieu hut", "petrol": "xang dau", "fuel": "xang dau",
}
# the general tables first: this module's own entries win
_GLOSSARY = {key.replace("-", " "): value for key, value in {**ADMINISTRATION, **ECONOMY, **_GLOSSARY}.items()}
_PHRASES = sorted(_GLOSSARY, key=len, reverse=True)
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")


def translate_english(folded_question: str) -> list[str]:
    """Folded Vietnamese terms for an English question (unknown words are kept as they are)."""
    terms: list[str] = []

    def replace(match: re.Match[str]) -> str:
        terms.extend(_GLOSSARY[match.group(1)].split())
        return " "

    rest = _PHRASE_RE.sub(replace, re.sub(r"(?<=\w)-(?=\w)|'s\b", lambda m: " " if m.group() == "-" else "", folded_question))
    terms.extend(w for w in re.findall(r"\w+", rest) if w not in ENGLISH_STOPWORDS)
    return terms
