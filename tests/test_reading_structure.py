"""Structure read from texts the reader had never seen (blind rounds r19 and r20): each case is a real sentence or
passage, trimmed."""

from pathlib import Path

from assistant.answering.leads import Leads
from assistant.questions.names import foreign_names, names
from assistant.reading.assignments import read_assignments
from assistant.reading.corpus import header_of
from assistant.reading.frames import find_frames
from assistant.reading.unit_lists import parse_units
from index.outline import header_span
from index.textnorm import fold


def leads_of(text: str) -> list[tuple[str, str, str]]:
    return [(a.lead, a.role, a.order) for a in read_assignments(text)]


def test_a_short_phrase_before_a_comma_sets_the_scene_for_the_subject() -> None:
    [frame] = [f for f in find_frames("Đặc biệt, Cục Thuế XNK cần đặt mục tiêu, tập trung, đôn đốc xử lý giảm nợ thuế "
                                      "xuống mức thấp nhất.") if f.lead]
    assert (frame.lead, frame.role) == ("Cục Thuế XNK", "executes")
    assert frame.task.startswith("đặt mục tiêu")


def test_inside_a_sentence_a_list_after_a_colon_sets_no_scene() -> None:
    text = ("1. Bộ trưởng các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương, Y tế, Giáo dục "
            "và Đào tạo và các Bộ, ngành có liên quan; Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các tỉnh, "
            "thành phố nêu trên theo chức năng, nhiệm vụ, thẩm quyền:")
    leads = [lead for lead, _, _ in leads_of(text)]
    assert leads[0] == "Bộ trưởng các Bộ" and not any(lead.startswith("Công an") for lead in leads)


def test_a_kind_named_by_its_members_is_one_lead() -> None:
    [a] = read_assignments("Hàng năm, các địa phương sản xuất giống tôm như Khánh Hòa, Ninh Thuận và Bình Thuận sẽ "
                           "cung cấp danh sách các cơ sở sản xuất giống tôm nước lợ.")
    assert a.lead == "các địa phương sản xuất giống tôm như Khánh Hòa, Ninh Thuận và Bình Thuận"
    assert a.task.startswith("cung cấp danh sách")


def test_one_member_after_nhu_may_be_the_subject_of_its_own_verb() -> None:
    leads = [lead for lead, _, _ in leads_of(
        "Cần có sự tham gia tích cực của các bộ, ngành như Bộ Công Thương chỉ đạo các đơn vị chức năng rà soát.")]
    assert "Bộ Công Thương" in leads


def test_paragraphs_that_open_with_a_verb_after_a_units_title_are_its_items() -> None:
    text = ("Nỗ lực loại bỏ tàu giã cào\n\n"
            "UBND tỉnh yêu cầu các sở, ban, ngành cùng vào cuộc. Cụ thể:\n"
            "Sở NN&PTNT: Không cấp văn bản chấp thuận đóng mới, cải hoán đối với các tàu lưới kéo; Huy động tối đa "
            "nguồn lực triển khai công tác thanh tra.\n"
            "Thực hiện nghiêm công tác thanh tra, kiểm tra tàu cá xuất, nhập bến theo quy định; Giám sát chặt chẽ các "
            "tàu lưới kéo ra vào cảng cá, khu neo đậu.\n"
            "Bộ Chỉ huy Bộ đội Biên phòng tỉnh: Thực hiện kiểm tra, kiểm soát chặt chẽ tàu lưới kéo khi xuất, nhập bến.\n"
            "Tổ chức tuần tra, kiểm tra và xử lý nghiêm tàu lưới kéo khai thác thủy sản trái phép trên biển.\n"
            "Theo quy định tại Chỉ thị này, tàu lưới kéo vi phạm sẽ xử lý ở mức cao nhất.\n")
    found = read_assignments(text)
    watch = next(a for a in found if a.task.startswith("Giám sát chặt chẽ"))
    assert (watch.lead, watch.order, watch.lead_in) == ("Sở NN&PTNT", "heading", "Sở NN&PTNT:")
    patrol = next(a for a in found if a.task.startswith("Tổ chức tuần tra"))
    assert patrol.lead == "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"
    # the title's items end at the first sentence that does not open with a verb
    assert not any(a.statement.startswith("Theo quy định") for a in found)


def test_a_letters_body_asks_its_addressees_by_a_bare_kind() -> None:
    text = ("CÔNG VĂN V/v tăng cường công tác thanh tra, kiểm tra thuế\n\n"
            "TỔNG CỤC THUẾ\n"
            "Kính gửi: Cục Thuế các tỉnh, thành phố trực thuộc Trung ương.\n"
            "Để hoàn thành dự toán thu năm 2016, Tổng cục Thuế đề nghị các đơn vị tập trung chỉ đạo thực hiện tốt công "
            "tác thanh tra, kiểm tra thuế.\n")
    [asked] = [a for a in read_assignments(text) if a.role == "requested"]
    assert asked.lead == "Cục Thuế các tỉnh, thành phố trực thuộc Trung ương"
    assert asked.lead_in.startswith("Kính gửi:") and not asked.explicit


def test_whom_a_letter_asks_nothing_of_directly_keeps_its_name() -> None:
    text = ("TỔNG CỤC THUẾ\n"
            "Kính gửi: Cục Thuế các tỉnh, thành phố trực thuộc Trung ương.\n"
            "9/ Các đoàn thanh tra, kiểm tra trong quá trình thanh tra, kiểm tra tại doanh nghiệp phải xác định, đối "
            "chiếu và ghi nhận đầy đủ biểu quan hệ ngân sách trong biên bản để có cơ sở theo dõi, đôn đốc doanh nghiệp "
            "thực hiện đầy đủ nghĩa vụ ngân sách nhà nước.\n")
    assert ("doanh nghiệp", "requested", "object") in leads_of(text)


def test_a_news_reports_lede_tells_what_the_whole_text_is_about() -> None:
    text = ("Nỗ lực loại bỏ tàu giã cào\n\n"
            "Nhằm chấm dứt hoạt động của tàu giã cào, vừa qua, Chủ tịch UBND tỉnh Phú Yên đã ký ban hành Chỉ thị số "
            "17/CT-UBND về tăng cường công tác quản lý tàu lưới kéo trên địa bàn tỉnh.\n"
            "Theo đó, UBND tỉnh yêu cầu các sở, ngành cùng vào cuộc, với nhiều nhiệm vụ cụ thể được giao cho từng đơn "
            "vị, từ tuyên truyền, kiểm tra đến xử lý nghiêm các tàu vi phạm trên biển và tại cảng cá của tỉnh.\n")
    about = header_of(text, header_span(text))
    assert "Phú Yên" in about and "Theo đó" not in about


def test_a_first_word_no_vietnamese_syllable_is_written_so_is_a_name() -> None:
    assert names("Agribank đã thực hiện bao nhiêu giao dịch nộp thuế điện tử?") == ["agribank"]
    assert names("Which agency certifies shrimp exports to the EU market?") == ["eu"]
    assert names("Bộ Công Thương chủ trì việc gì?") == []


def test_a_question_without_diacritics_keeps_only_names_written_the_same_either_way() -> None:
    question = "Agribank da thuc hien bao nhieu giao dich nop thue cho Tong cuc Hai quan?"
    assert foreign_names(question) == ["agribank"]


def test_a_question_may_name_a_unit_by_its_head_and_first_words() -> None:
    leads = Leads(read_assignments(
        "Sở NN&PTNT: Không cấp văn bản chấp thuận đóng mới, cải hoán đối với các tàu lưới kéo.\n"
        "UBND huyện, thị xã, thành phố ven biển: Tăng cường tuyên truyền cho các chủ tàu.\n"))
    assert leads.named_units(fold("so nong nghiep Phu Yen duoc giao nhung nhiem vu gi")) == ["Sở NN&PTNT"]
    assert leads.named_units(fold("UBND các huyện, thị xã ven biển phải làm gì?")) == [
        "UBND huyện, thị xã, thành phố ven biển"]


def test_a_connective_before_the_subject_opens_no_other_subject() -> None:
    [a] = read_assignments("Do vậy, lực lượng Hải quan phải tiếp tục nêu cao tinh thần trách nhiệm, áp dụng các biện "
                           "pháp nghiệp vụ.")
    assert (a.lead, a.role) == ("lực lượng Hải quan", "executes")


def test_partners_named_by_their_kind_and_members_after_a_colon() -> None:
    [a] = read_assignments("Bộ Công Thương chủ trì, phối hợp với các lực lượng chức năng như: Biên phòng, Công an, "
                           "Cảnh sát biển, Quản lý thị trường kiểm tra hàng hóa.")
    assert a.partners == ["các lực lượng chức năng như: Biên phòng, Công an, Cảnh sát biển, Quản lý thị trường"]
    assert a.task == "kiểm tra hàng hóa"


def test_after_a_names_own_verb_cac_opens_its_object() -> None:
    [a] = read_assignments("Ban quản lý các cảng cá Bình Định thực hiện đúng chức năng, nhiệm vụ, quyền hạn, không để "
                           "xảy ra sai sót.")
    assert a.lead == "Ban quản lý các cảng cá Bình Định"
    assert parse_units("Sở Công Thương quản lý các chợ trên địa bàn.", 0, 44)[0] == ["Sở Công Thương"]


def test_a_name_ends_before_lien_he() -> None:
    text = "Đề nghị Cục Thuế liên hệ với cán bộ Vụ HTQT, Tổng cục Thuế để nhận bản mềm."
    assert any(lead == "Cục Thuế" for lead, _, _ in leads_of(text))


def test_a_letters_distribution_list_holds_no_task() -> None:
    path = Path(__file__).parent.parent / "eval/rounds/r19/docs/309_tct-cv-4495-2018-bo-luat-hinh-su-linh-vuc-thue.txt"
    text = path.read_text(encoding="utf-8")
    found = read_assignments(text)
    assert found and all(a.start < text.index("Noi nhận:") for a in found)
