"""A text's opening lines, read by what each line is: from real texts of the evaluation sets."""

from index.outline import header_span

DECREE = """NGHỊ ĐỊNH Quy định chi tiết một số điều của Luật Phục hồi, phá sản

CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 187/2026/NĐ-CP
Hà Nội, ngày 27 tháng 5 năm 2026
Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;
Điều 1. Phạm vi điều chỉnh
"""

DISPATCH = """CÔNG ĐIỆN V/V TẬP TRUNG ỨNG PHÓ VÀ KỊP THỜI KHẮC PHỤC HẬU QUẢ MƯA LŨ TẠI KHU VỰC TRUNG BỘ

CÔNG ĐIỆN
V/V TẬP TRUNG ỨNG PHÓ VÀ KỊP THỜI KHẮC PHỤC HẬU QUẢ MƯA LŨ TẠI KHU VỰC TRUNG BỘ
THỦ TƯỚNG CHÍNH PHỦ điện:
- Đồng chí Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh, Quảng Trị, Huế;
- Bộ trưởng các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường.
Theo báo cáo của Trung tâm dự báo khí tượng thủy văn quốc gia, mưa lớn tiếp tục xảy ra.
1. Bộ trưởng các Bộ: Quốc phòng, Công an chỉ đạo triển khai công tác ứng phó.
"""

NEWS = """Lấy mẫu xét nghiệm Covid-19 trên thực phẩm nhập khẩu thế nào?

(HDDTVN)- Trong thông báo 67/TB-VPCP, Phó Thủ tướng Thường trực Trương Hòa Bình giao 6 nhiệm vụ trọng tâm.
Tổng cục Hải quan yêu cầu Cục Hải quan các tỉnh phối hợp.
"""


def test_a_decree_header_ends_at_its_preamble() -> None:
    end = header_span(DECREE)
    assert DECREE[:end].rstrip().endswith("Hà Nội, ngày 27 tháng 5 năm 2026")


def test_a_dispatch_header_keeps_its_recipients_and_ends_at_the_first_paragraph() -> None:
    end = header_span(DISPATCH)
    assert DISPATCH[:end].rstrip().endswith("Nông nghiệp và Môi trường.")
    assert "Theo báo cáo" not in DISPATCH[:end]


def test_a_news_headline_is_header_and_its_first_paragraph_is_not() -> None:
    end = header_span(NEWS)
    assert NEWS[:end].strip() == "Lấy mẫu xét nghiệm Covid-19 trên thực phẩm nhập khẩu thế nào?"


def test_a_one_paragraph_text_has_no_header() -> None:
    # a short upload whose only line is its task: the task is no header, whatever its length
    text = "Giao Trung tâm Lưu trữ điện tử chủ trì, phối hợp với Văn phòng Bộ xây dựng kho dữ liệu văn bản điện tử.\n"
    assert header_span(text) == 0
    assert header_span("1. Sở Tài chính chủ trì bố trí kinh phí.\n") == 0
