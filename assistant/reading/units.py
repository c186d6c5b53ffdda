"""Recognising unit names ("Vụ Thị trường trong nước", "UBND TP. Hải Phòng") in running text.

A unit name starts with a known head word (Bộ, Vụ, Cục, Sở, UBND, ...) and runs
until a verb, a clause boundary or a separator that introduces another unit.
Capitalisation matters: "Vụ Tổ chức cán bộ" is a name, "tổ chức" a verb.
"""

from __future__ import annotations

import re

from index.textnorm import fold, syllable_key

_HEADS = [
    "Phó Thủ tướng", "Thủ tướng", "Chính phủ", "Bộ trưởng", "Thứ trưởng", "Phó Giám đốc", "Tổng Giám đốc",
    "Giám đốc", "Phó Chủ tịch", "Chủ tịch", "Thủ trưởng", "Thủ tưởng", "Lãnh đạo", "Trưởng ban", "Bộ Tư lệnh",
    "Chánh Văn phòng", "Chánh Thanh tra", "Vụ trưởng", "Cục trưởng", "Viện trưởng", "Tổng cục trưởng",
    "Bộ", "Vụ", "Cục", "Tổng cục", "Tổng Cục", "Chi cục", "Sở", "Ban(?! hành| bố)", "Viện kiểm sát", "Viện", "Học viện",
    "Văn phòng", "Trung tâm", "Thanh tra", "Ủy ban", "Uỷ ban", "UBND", "HĐND", "Hội đồng", "Tập đoàn",
    "Tổng công ty", "Tổng Công ty", "Công ty", "Thương vụ", "Ngân hàng", "Kho bạc", "Đài", "Hiệp hội",
    "Hội(?! nghị| thảo| chợ)", "Liên đoàn", "Công đoàn", "Đoàn(?! kết)", "Mặt trận", "Tòa án", "Toà án",
    "Kiểm toán", "Đại học", "Cơ quan", "Quỹ", "Bảo hiểm xã hội", "Thông tấn xã", "Phòng(?! chống| ngừa)",
    "Công an", "Cảnh sát", "Hải quan", "Lực lượng", "Cơ quan đại diện", "Đại sứ quán", "Tổ công tác",
    "Ban Chỉ đạo", "Ban chỉ đạo", "Ban quản lý", "Ban Quản lý", "Nhà nước", "Báo(?! cáo)", "Tạp chí", "thủ trưởng", "người đứng đầu",
    "lãnh đạo", "chủ tịch", "giám đốc",
]
_GENERIC_HEADS = ["bộ", "ngành", "cơ quan", "đơn vị", "địa phương", "sở", "ban", "tỉnh", "doanh nghiệp", "tổ chức", "Bộ,"]
# longest literal first ("Ban quản lý" before "Ban"); a look-ahead is not part of the length
_HEAD_RE = "|".join(sorted(_HEADS, key=lambda h: len(re.sub(r"\(\?!.*?\)", "", h)), reverse=True))
UNIT_START = re.compile(rf"(?:(?:[Cc]ác|[Mm]ột số|[Nn]hững)\s+)?(?:{_HEAD_RE})(?=[\s,.:;]|$)")
GENERIC_START = re.compile(
    r"(?:[Cc]ác\s+)?(?:bộ|ngành|cơ quan|đơn vị|địa phương|sở|ban|tỉnh|doanh nghiệp|quận|huyện|thị xã|xã|phường|"
    r"thành phố|hiệp hội|tập đoàn|tổng công ty|trường|bệnh viện|hợp tác xã)\b"
)

# words that never continue a name: auxiliaries, prepositions, conjunctions
_AUXILIARIES = {syllable_key(w) for w in ["sẽ", "cần", "phải", "đã", "đang", "được", "là", "làm", "có", "chịu", "cùng", "với", "để", "nhằm", "khi", "nếu", "thì", "mà", "theo", "vừa", "vẫn", "cũng", "vào", "đi", "về", "như", "bằng", "từ", "do", "bị", "ra", "lên", "xuống", "đến", "đối", "này", "đó", "nào", "gì", "trước", "sau", "ngày", "hằng", "hàng", "cho", "trên", "còn", "đều", "luôn"]}
# first syllables of verbs
_VERB_STARTS = {syllable_key(w) for w in ["thường", "tiếp", "khẩn", "phối", "xúc", "tiến", "thực", "chỉ", "rà", "xây", "nghiên", "kiểm", "tăng", "đẩy", "báo", "trình", "tổng", "bố", "cân", "hoàn", "nâng", "tuyên", "phổ", "nắm", "xác", "thẩm", "đôn", "lập", "sửa", "soạn", "đánh", "gửi", "nghiêm", "thúc", "duy", "ưu", "rút", "mở", "yêu", "đề", "bàn", "biểu", "quyết", "ký", "họp", "phát", "chuẩn", "hướng", "sớm", "kịp", "ngay", "nhanh", "tích", "chuyển", "đưa", "thu", "kêu", "tạo", "giữ", "dành", "góp", "lựa", "chấp", "gắn", "hạn", "huy", "khắc", "khuyến", "kết", "lồng", "mời", "nhận", "tháo", "thống", "tìm", "trao", "trả", "khẳng", "nhấn", "lắng", "nêu", "ghi", "chúc", "mong", "biết", "thấy", "đặt"]}
_STOP_WORDS = _AUXILIARIES | _VERB_STARTS
# capitalised first syllable + verb-like second syllable inside a name
_NAME_COMPOUNDS = {" ".join(syllable_key(p) for p in w.split()) for w in ("xúc tiến", "cải tiến", "tiên tiến", "đào tạo")}
_STOP_BIGRAMS = {" ".join(syllable_key(p) for p in w.split()) for w in (
    "tổ chức", "ban hành", "quản lý", "hỗ trợ", "bảo đảm", "đảm bảo", "giám sát", "vận động", "áp dụng",
    "ứng dụng", "xử lý", "giải quyết", "tham mưu", "tham gia", "phân bổ", "phân công", "sắp xếp",
    "cải cách", "công bố", "khai thác", "bổ sung", "điều chỉnh", "điều hành", "cấp phép", "tập trung",
    "tập huấn", "lấy ý", "ưu tiên", "triển khai", "đầu tư", "thanh tra", "chủ trì", "chủ động", "giải phóng",
    "thi công", "nhanh chóng", "quán triệt", "kiện toàn", "sơ kết", "tổng kết", "khắc phục",
)}
# "sản xuất, kinh doanh": a comma inside one name
_COORDINATED = {" | ".join(" ".join(syllable_key(w) for w in side.split()) for side in pair) for pair in (
    ("sản xuất", "kinh doanh"), ("xuất khẩu", "nhập khẩu"), ("kinh doanh", "dịch vụ"),
)}
_MANAGING = re.compile(r"quản lý (?:chuyên ngành|ngành|nhà nước)(?=[\s,.;:]|$)")
# lower-case words after a comma that continue a name ("UBND các quận, huyện")
_ADMIN_NOUNS = {syllable_key(w) for w in ["huyện", "thị", "thành", "tỉnh", "quận", "ngành", "ban", "đoàn", "địa", "xã", "phường", "cơ", "đơn", "sở"]}
_TOKEN = re.compile(r"[\w&.'/-]+|[,;:()\[\]\"“”]", re.UNICODE)
MAX_UNIT_CHARS = 80
_CO = syllable_key("có")
_NOMINALISERS = {syllable_key(w) for w in ["chủ", "nhà", "người"]}


def _is_upper(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def unit_end(text: str, pos: int, limit: int | None = None, split_commas: bool = False) -> int | None:
    """End offset of the unit name starting at pos, or None when none starts there."""
    limit = len(text) if limit is None else limit
    head = UNIT_START.match(text, pos, limit)
    generic = head is None
    head = head or GENERIC_START.match(text, pos, limit)
    if not head:
        return None
    return _name_end(text, pos, head.end(), limit, generic, split_commas)


def phrase_end(text: str, pos: int, limit: int | None = None) -> int | None:
    """End of a noun phrase with no unit head ("chủ đầu tư"), up to the next verb or clause boundary."""
    limit = len(text) if limit is None else limit
    first = _TOKEN.match(text, pos, limit)
    if not first or not first.group()[:1].isalnum() or syllable_key(first.group()) in _STOP_WORDS:
        return None
    end = _name_end(text, pos, first.end(), limit, True, True)
    return end if end - pos <= 40 else None


def _name_end(text: str, pos: int, end: int, limit: int, generic: bool, split_commas: bool) -> int:
    tokens = list(_TOKEN.finditer(text, end, limit))
    i = 0
    in_name_object = False
    while i < len(tokens):
        tok = tokens[i]
        word = tok.group()
        if text[end : tok.start()].strip():
            break  # something the tokenizer skipped: treat as a boundary
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        key = syllable_key(word)
        if word in (",", "và", "cùng"):
            if i + 1 >= len(tokens):
                break
            nxt_start = tokens[i + 1].start()
            continues_generic = generic and word == "," and GENERIC_START.match(text, nxt_start, limit)
            if starts_unit(text, nxt_start, limit) and not continues_generic:
                break  # a separator between two units
            nxt_key = syllable_key(nxt)
            pair = f"{_key_before(tokens, i, 2)} | {nxt_key} {syllable_key(tokens[i + 2].group()) if i + 2 < len(tokens) else ''}"
            if word == "," and pair in _COORDINATED:  # "các doanh nghiệp sản xuất, kinh doanh"
                end = tokens[i + 2].end()
                i += 3
                continue
            listing = word == "," and in_name_object and nxt_key not in _STOP_WORDS  # "Xúc tiến đầu tư, thương mại và du lịch"
            if word == "," and not listing and (split_commas or not (_is_upper(nxt) or nxt_key in _ADMIN_NOUNS)):
                break
            if word != "," and not _is_upper(nxt) and (
                nxt_key in _STOP_WORDS or f"{nxt_key} {syllable_key(tokens[i + 2].group()) if i + 2 < len(tokens) else ''}" in _STOP_BIGRAMS
            ):
                break  # "và tổ chức ...": a verb, not "Vụ Khoa học và công nghệ"
            end = tok.end()
            i += 1
            continue
        if word in (";", ":", "(", ")", "[", "]", '"', "“", "”"):
            break
        if word.endswith(".") and word not in ("TP.", "Tp.", "TT.") and not word[:-1].isdigit():
            if len(word) > 1:
                end = tok.end() - 1
            break
        if key == _CO and nxt == "liên":  # "các đơn vị có liên quan"
            end = tok.end()
            i += 1
            continue
        previous = tokens[i - 1].group() if i > 0 else text[pos:end].split()[-1]
        if fold(previous) == "quan" and i > 1 and fold(tokens[i - 2].group()) == "lien" and fold(word) not in ("cua", "thuoc"):
            break  # "các bộ, ngành liên quan | tiến hành ..."
        managing = _MANAGING.match(text, tok.start(), limit)
        if i == 0 and managing:  # "các Vụ quản lý ngành": the departments that manage the sectors
            end = managing.end()
            i += len(_TOKEN.findall(managing.group()))
            continue
        after_nominaliser = syllable_key(previous) in _NOMINALISERS  # "chủ đầu tư"
        if not _is_upper(word) and not after_nominaliser:
            compound = _is_upper(previous) and f"{syllable_key(previous)} {key}" in _NAME_COMPOUNDS  # "Cục Xúc tiến"
            if key in _AUXILIARIES or (key in _VERB_STARTS and not compound):
                break
            # "Trung tâm Xúc tiến đầu tư": the object of a name's verb is part of the name
            object_of_name = i >= 2 and f"{_key_before(tokens, i, 2)}" in _NAME_COMPOUNDS and _is_upper(tokens[i - 2].group())
            in_name_object = in_name_object or object_of_name
            if not compound and not object_of_name and f"{key} {syllable_key(nxt)}" in _STOP_BIGRAMS:
                break
        if tok.end() - pos > MAX_UNIT_CHARS:
            break
        end = tok.end()
        i += 1
    return end


def _key_before(tokens: list[re.Match[str]], i: int, n: int) -> str:
    """The keys of the n tokens before tokens[i], space-separated."""
    return " ".join(syllable_key(t.group()) for t in tokens[max(0, i - n) : i])


def starts_unit(text: str, pos: int, limit: int | None = None) -> bool:
    limit = len(text) if limit is None else limit
    return bool(UNIT_START.match(text, pos, limit) or GENERIC_START.match(text, pos, limit))


def is_generic(name: str) -> bool:
    """"các bộ, ngành liên quan" and the like: real, but not a named partner."""
    if UNIT_START.match(name):
        return False  # a named unit, even "Uỷ ban nhân dân các quận - huyện liên quan"
    return bool(GENERIC_START.match(name)) or "lien quan" in fold(name)


PERSONAL_TITLES = re.compile(
    r"^(?:Phó\s+)?(?:Chánh Văn phòng|Chánh Thanh tra|Vụ trưởng|Cục trưởng|Viện trưởng|Thủ tướng|Bộ trưởng|Thứ trưởng|Giám đốc|Chủ tịch|Thủ trưởng|Thủ tưởng|Lãnh đạo|Tổng Giám đốc|Trưởng ban|"
    r"thủ trưởng|lãnh đạo|chủ tịch|giám đốc|người đứng đầu)\b"
)


def clean_unit(name: str) -> str:
    return name.strip(" ,;:.-–").strip()
