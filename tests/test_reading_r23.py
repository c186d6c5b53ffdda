"""Structure read from texts of blind rounds r23 and r24 (development material after their first runs) and texts
they showed were misread too: each case is a real sentence or passage, trimmed."""

from assistant.reading.assignments import read_assignments
from assistant.reading.unit_lists import parse_units

DECISION_WITH_PLAN = """QUYẾT ĐỊNH VỀ BAN HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN THÔNG TƯ SỐ 09/2013/TT-BXD

ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH
Số: 3210/QĐ-UBND
Thành phố Hồ Chí Minh, ngày 28 tháng 6 năm 2014

QUYẾT ĐỊNH
Điều 1. Ban hành kèm theo Quyết định này “Kế hoạch triển khai thực hiện Thông tư số 09/2013/TT-BXD”.
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.
Điều 3. Chánh Văn phòng Ủy ban nhân dân Thành phố, Giám đốc Sở Xây dựng, Giám đốc Sở Tài chính chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận: - Như Điều 3; - Thủ tướng Chính phủ; - Bộ Xây dựng; - Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Hữu Tín

KẾ HOẠCH

TRIỂN KHAI THỰC HIỆN THÔNG TƯ SỐ 09/2013/TT-BXD

III. TỔ CHỨC THỰC HIỆN

1. Lập Đề án hỗ trợ người có công với cách mạng về nhà ở

Trên cơ sở đề nghị của Ủy ban nhân dân quận, huyện, Sở Xây dựng chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội, Sở Tài chính lập Đề án hỗ trợ người có công với cách mạng về nhà ở trên địa bàn Thành phố.

2. Bố trí kinh phí

Sau khi Ủy ban nhân dân Thành phố phê duyệt Đề án, Sở Tài chính lập thủ tục bố trí kinh phí; đồng thời, hướng dẫn Ủy ban nhân dân quận, huyện lập thủ tục dự toán và giải ngân kinh phí thực hiện theo quy định.

3. Ủy ban nhân dân xã, phường, thị trấn thành lập Ban Chỉ đạo thực hiện hỗ trợ nhà ở cho người có công với cách mạng.
"""


def test_a_plan_printed_after_the_decisions_signature_is_read() -> None:
    found = read_assignments(DECISION_WITH_PLAN)
    # the distribution list ends at the attached plan's title: its body is read again
    assert ("Sở Xây dựng", ["Sở Lao động - Thương binh và Xã hội", "Sở Tài chính"]) in [(a.lead, a.partners) for a in found]
    # nothing in the distribution list or the signature is a task
    assert not any("Như Điều 3" in a.statement or "Nguyễn Hữu Tín" in a.lead for a in found)


def test_the_proposer_before_the_subject_is_not_a_lead() -> None:
    found = read_assignments(DECISION_WITH_PLAN)
    leads = {a.lead for a in found if a.task.startswith("lập Đề án")}
    assert leads == {"Sở Xây dựng"}  # "Trên cơ sở đề nghị của Ủy ban nhân dân quận, huyện, ..."


def test_a_comma_inside_a_name_opens_no_clause() -> None:
    found = read_assignments(DECISION_WITH_PLAN)
    # "hướng dẫn Ủy ban nhân dân quận, huyện lập ...": "huyện" is the end of a name, not a subject
    assert not any(a.lead == "huyện" for a in found)
    # "thị trấn thành lập": "thành lập" is the verb, not a word of the name
    assert ("Ủy ban nhân dân xã, phường, thị trấn", "thành lập Ban Chỉ đạo") in [(a.lead, a.task[:21]) for a in found]


def test_a_speakers_conclusions_are_not_the_speakers_tasks() -> None:
    text = ("THÔNG BÁO KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ HỒ QUỐC DŨNG TẠI CUỘC HỌP VỀ TÌNH HÌNH THỰC HIỆN NGHỊ QUYẾT SỐ 66-NQ/TW\n"
            "Sau khi nghe báo cáo của Bộ Tư pháp và ý kiến của đại diện các Bộ, cơ quan dự họp, Phó Thủ tướng Chính phủ "
            "Hồ Quốc Dũng kết luận như sau:\n"
            "1. Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ đề cao trách nhiệm; trong đó lưu ý chú trọng thực hiện "
            "tốt một số nội dung trọng tâm sau:\n"
            "- Tập trung rà soát, xác định rõ tình hình thực hiện các nhiệm vụ và thời hạn hoàn thành của từng Bộ, cơ quan.\n"
            "- Chủ động rà soát các nhiệm vụ được giao cụ thể theo tinh thần sáu rõ.\n")
    found = read_assignments(text)
    assert not any(a.is_task and a.lead.startswith("Phó Thủ tướng") for a in found)
    # "các Bộ, cơ quan dự họp": the comma is inside the group's name; "cơ quan dự" is no subject of "họp"
    assert not any(a.lead.startswith("cơ quan dự") for a in found)


def test_two_abbreviations_make_one_name_a_title_in_capitals_does_not() -> None:
    found = read_assignments("Công an thành phố phối hợp với BQL ATTP thành phố và Sở Nông nghiệp &PTNT tổ chức kiểm tra "
                             "liên ngành theo kế hoạch.")
    assert [(a.lead, a.partners) for a in found] == [("Công an thành phố", ["BQL ATTP thành phố", "Sở Nông nghiệp &PTNT"])]
    assert not parse_units("KINH PHÍ THỰC HIỆN", 0)[0]  # "KINH" followed by a syllable in capitals: a title


def test_a_confederation_is_a_body_and_a_closing_formula_no_task() -> None:
    found = read_assignments("đ) Đề nghị Tổng Liên đoàn lao động Việt Nam theo thâm quyền xem xét, hướng dẫn thời điểm "
                             "đóng kinh phí công đoàn phù hợp.")
    assert [(a.lead, a.is_task) for a in found] == [("Tổng Liên đoàn lao động Việt Nam", True)]
    # "xin thông báo": the office announces, it is given nothing; the name ends before "xin"
    found = read_assignments("Văn phòng Chính phủ xin thông báo để các Bộ, cơ quan liên quan biết, thực hiện./.")
    assert [(a.lead, a.is_task) for a in found] == [("Văn phòng Chính phủ", False)]
    found = read_assignments("Cục trưởng Cục Hải quan TP HCM Đinh Ngọc Thắng chia sẻ về vụ việc.")
    assert [(a.lead, a.is_task) for a in found] == [("Cục trưởng Cục Hải quan TP HCM Đinh Ngọc Thắng", False)]


def test_an_adverb_between_the_unit_and_its_verb_is_a_filler() -> None:
    found = read_assignments("Các tỉnh thống nhất chỉ đạo Bộ đội Biên phòng làm tốt việc tuần tra kiểm soát.")
    assert ("Bộ đội Biên phòng", "directed") in [(a.lead, a.role) for a in found]


def test_a_ministry_whose_name_has_a_comma_is_one_item_of_a_list() -> None:
    found = read_assignments("b) Bộ Ngoại giao chủ trì, phối hợp các Bộ: Văn hóa, Thể thao và Du lich, Công An, Tài chính và các "
                             "cơ quan liên quan mở rộng diện xét.")
    assert found[0].partners == ["Bộ Văn hóa, Thể thao và Du lich", "Bộ Công An", "Bộ Tài chính"]
    found = read_assignments("Bộ Công Thương phối hợp với các Bộ: Tài chính, Kế hoạch và Đầu tư rà soát.")
    assert found[0].partners == ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"]


def test_a_verb_after_a_label_and_a_colon_opens_the_sentence() -> None:
    found = read_assignments("3. Về bố trí các nguồn lực đầu tư cho ngành Giáo dục và Đào tạo tỉnh Điện Biên: Giao Bộ Giáo dục và "
                             "Đào tạo chủ trì, phối hợp với Bộ Tài chính nghiên cứu kiến nghị của tỉnh Điện Biên.")
    assert [(a.lead, a.role, a.partners) for a in found] == [("Bộ Giáo dục và Đào tạo", "lead", ["Bộ Tài chính"])]


def test_a_name_that_ends_with_a_field_after_va_takes_no_object() -> None:
    # "Đào tạo" closes "Sở Giáo dục và Đào tạo"; "tổ chức" is its verb, not a word of its name
    found = read_assignments("Sở Giáo dục và Đào tạo tổ chức đào tạo ngắn giáo viên giáo dục quốc phòng - an ninh.")
    assert [a.lead for a in found] == ["Sở Giáo dục và Đào tạo"]
    # "đào tạo" goes on a lower-case name too ("Trung tâm đào tạo nghề")
    found = read_assignments("Trung tâm đào tạo nghề của tỉnh có trách nhiệm tổ chức đào tạo nghề theo phương án được phê duyệt.")
    assert [a.lead for a in found] == ["Trung tâm đào tạo nghề của tỉnh"]


def test_a_generic_agent_after_do_is_the_lead() -> None:
    found = read_assignments("Thành lập Ban Chỉ đạo 1237 cấp tỉnh do một đồng chí Phó Chủ tịch làm Trưởng ban, do cơ quan quân sự "
                             "làm thường trực.")
    assert ("cơ quan quân sự", "lead") in [(a.lead, a.role) for a in found]


def test_an_en_dash_inside_a_name_is_part_of_it() -> None:
    found = read_assignments("Sở Lao động – Thương binh và Xã hội chủ trì phối hợp cùng chính quyền địa phương tổ chức di chuyển "
                             "đến nơi quy định.")
    assert [(a.lead, a.partners) for a in found] == [("Sở Lao động – Thương binh và Xã hội", ["chính quyền địa phương"])]


def test_a_project_owner_is_a_participant() -> None:
    found = read_assignments("5.3. Đối với mộ chưa có người nhận (mộ vô chủ), Tổ chức làm nhiệm vụ bồi thường lập phương án bồi "
                             "thường; chủ dự án chủ trì phối hợp với chính quyền địa phương tổ chức di chuyển đến nơi quy định.")
    assert ("chủ dự án", ["chính quyền địa phương"]) in [(a.lead, a.partners) for a in found]


def test_an_item_that_directs_after_a_condition_is_its_headings_unit() -> None:
    text = ("Điều 2. Hội đồng quản trị Tập đoàn Điện lực Việt Nam có trách nhiệm:\n"
            "1. Chỉ đạo xây dựng Điều lệ Tổ chức và hoạt động của Tổng công ty Điện lực miền Bắc.\n"
            "2. Căn cứ tình hình thực tế về vốn, cán bộ quản lý, chỉ đạo Tổng công ty Điện lực Miền Bắc xây dựng lộ trình, "
            "phương án chuyển Điện lực các tỉnh sang hoạt động theo mô hình công ty.\n")
    found = [(a.lead, a.role, a.task[:20]) for a in read_assignments(text)]
    assert ("Hội đồng quản trị Tập đoàn Điện lực Việt Nam", "gives", "chỉ đạo Tổng công ty") in found
    assert ("Tổng công ty Điện lực Miền Bắc", "directed", "xây dựng lộ trình, p") in found


def test_who_organised_a_meeting_is_read_and_is_no_task() -> None:
    found = read_assignments("Chiều 4-7 tại hội nghị triển khai nhiệm vụ trọng tâm 6 tháng cuối năm do Tổng cục Thủy sản (Bộ Nông "
                             "nghiệp và Phát triển nông thôn - NN-PTNT) tổ chức ở Hà Nội, các chuyên gia về thủy sản đề nghị "
                             "toàn ngành thủy sản cần tập trung khắc phục.")
    organised = [a for a in found if a.lead == "Tổng cục Thủy sản"]
    assert [(a.role, a.is_task, a.task[:17]) for a in organised] == [("chairs", False, "tổ chức hội nghị ")]
    # a plan carried out by a unit is no meeting
    assert not any(a.role == "chairs" for a in read_assignments("Kế hoạch do Sở Công Thương tổ chức thực hiện."))
    # a name ends before "tổ chức." at the end of a sentence
    assert [a.lead for a in read_assignments("Diễn đàn do Cục Xúc tiến thương mại tổ chức.")] == ["Cục Xúc tiến thương mại"]
