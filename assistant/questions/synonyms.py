"""Words staff use for what official texts say otherwise: "kho vận" for "logistics", "gom" for "tổng hợp".

A question term that has synonyms becomes one *group* term: its own words
first, then each equivalent, separated by "|" (words of a phrase by spaces, as
comparison keys). A passage contains the group when it contains every word of
any one of its phrases. Only the question side is expanded, so the index and
the term statistics are unaffected, and a question worded as the document is
matched exactly as before.

The table is general Vietnamese of administration and trade, not tied to one
document; each row is a set of interchangeable phrases.
"""

from __future__ import annotations

from functools import lru_cache

from index.textnorm import exact_tokens, tokens

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    # time
    ("hằng năm", "hàng năm", "mỗi năm", "định kỳ năm"),
    ("hằng tháng", "hàng tháng", "mỗi tháng"),
    ("hằng quý", "hàng quý", "mỗi quý"),
    ("thời hạn", "hạn chót", "thời điểm hoàn thành"),
    # doing, making, leading
    ("tiêu chuẩn", "tiêu chí"),
    ("thử nghiệm", "thí điểm"),
    ("đặt ra", "xây dựng", "đề ra"),
    ("soạn", "soạn thảo", "xây dựng"),
    ("lập", "thành lập", "xây dựng"),
    ("chuyển", "cụ thể hóa"),
    ("gom", "tổng hợp"),
    ("gom lại", "tổng hợp"),
    ("phản hồi", "trả lời", "giải đáp"),
    ("đề xuất", "kiến nghị"),
    ("ý kiến", "kiến nghị"),
    ("kiểm soát", "khống chế"),
    ("theo dõi", "giám sát"),
    ("thanh tra", "kiểm tra"),
    ("sát", "bám sát"),
    ("thực tế", "thực tiễn"),
    ("đầy đủ", "toàn diện"),
    ("đánh giá", "rà soát"),
    ("sửa", "sửa đổi"),
    ("bổ sung", "thêm"),
    ("giúp", "hỗ trợ"),
    ("trợ giúp", "hỗ trợ"),
    ("tăng cường", "đẩy mạnh"),
    ("thúc đẩy", "đẩy mạnh"),
    ("triển khai", "thực hiện", "tổ chức thực hiện"),
    ("ban hành", "phát hành"),
    ("phổ biến", "tuyên truyền"),
    ("quán triệt", "phổ biến"),
    ("lên kế hoạch", "xây dựng kế hoạch"),
    ("tính chuyện", "nghiên cứu"),
    ("tìm hiểu", "nghiên cứu"),
    ("khai thác", "tận dụng"),
    ("mở rộng", "phát triển"),
    ("giảm", "cắt giảm"),
    ("xử lý", "giải quyết"),
    ("tháo gỡ", "giải quyết"),
    ("đào tạo", "bồi dưỡng"),
    ("thu hút", "kêu gọi"),
    # things
    ("kho vận", "logistics"),
    ("hậu cần", "logistics"),
    ("đô thị", "thành phố"),
    ("chính quyền địa phương", "ubnd", "ủy ban nhân dân"),
    ("chính quyền thành phố", "ubnd", "ủy ban nhân dân"),
    ("chính quyền tỉnh", "ubnd", "ủy ban nhân dân"),
    ("tỉnh", "địa phương"),
    ("các tỉnh", "các địa phương"),
    ("doanh nghiệp ngoại", "doanh nghiệp nước ngoài", "doanh nghiệp fdi"),
    ("nước ngoài", "quốc tế"),
    ("nhân sự", "nhân lực"),
    ("người lao động", "lao động", "công nhân"),
    ("hàng giả", "hàng nhái"),
    ("buôn lậu", "hàng lậu"),
    ("chợ truyền thống", "chợ"),
    ("siêu thị", "trung tâm thương mại"),
    ("điện năng", "điện"),
    ("năng lượng tái tạo", "năng lượng sạch"),
    ("tiết kiệm năng lượng", "sử dụng năng lượng tiết kiệm và hiệu quả"),
    ("xăng dầu", "nhiên liệu"),
    ("hiệp định thương mại tự do", "fta"),
    ("thương mại điện tử", "tmđt"),
    ("công nghệ thông tin", "cntt"),
    ("chuyển đổi số", "số hóa"),
    ("khu công nghiệp", "kcn"),
    ("cụm công nghiệp", "ccn"),
    ("doanh nghiệp nhỏ và vừa", "dnnvv"),
    ("ủy ban nhân dân", "ubnd"),
    ("bql", "ban quản lý"),
    ("kkt", "khu kinh tế"),
    ("gtvt", "giao thông vận tải"),
    ("bhyt", "bảo hiểm y tế"),
    ("bhxh", "bảo hiểm xã hội"),
    ("atgt", "an toàn giao thông"),
    ("xnk", "xuất nhập khẩu"),
    ("xttm", "xúc tiến thương mại"),
    ("qltt", "quản lý thị trường"),
    ("cnht", "công nghiệp hỗ trợ"),
    ("ptnt", "phát triển nông thôn"),
    ("khđt", "kế hoạch và đầu tư"),
    ("ttg", "thủ tướng"),
    ("tp", "thành phố"),
    ("hcm", "hồ chí minh"),
    ("tphcm", "thành phố hồ chí minh"),
    ("lực lượng", "đội ngũ"),
    ("hội đồng nhân dân", "hđnd"),
    ("thủ tướng", "thủ tướng chính phủ"),
    ("văn bản quy phạm pháp luật", "vbqppl"),
    ("đại dịch", "dịch bệnh"),
    ("kế hoạch hành động", "chương trình hành động"),
    ("nhiệm vụ", "công việc"),
    ("mục tiêu", "chỉ tiêu"),
    ("kinh phí", "ngân sách", "vốn"),
    ("tiền", "kinh phí", "vốn"),
    ("giấy phép", "cấp phép"),
    ("an toàn sản xuất", "an toàn"),
    ("khó khăn", "vướng mắc"),
    ("hạn chế", "tồn tại"),
)


@lru_cache(maxsize=2)
def _table(exact: bool) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """phrase (as comparison keys) -> its equivalents, longest phrases first."""
    keys = exact_tokens if exact else tokens
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in SYNONYM_GROUPS:
        phrases = [tuple(keys(p)) for p in group]
        for phrase in phrases:
            others = table.setdefault(phrase, [])
            others.extend(p for p in phrases if p != phrase and p not in others)
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def group_synonyms(words: list[str], exact: bool) -> list[str]:
    """The question's keys with each phrase that has synonyms replaced by its group term."""
    table = _table(exact)
    longest = max((len(p) for p in table), default=1)
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            if phrase in table:
                out.append("|".join(" ".join(p) for p in (phrase, *table[phrase])))
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def alternatives(term: str) -> list[list[str]]:
    """The phrases (each a list of keys) a term stands for; a plain term is its own only phrase."""
    return [alt.split(" ") for alt in term.split("|")]


def is_group(term: str) -> bool:
    return "|" in term

