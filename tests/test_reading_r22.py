"""Structure read from texts of blind rounds r18, r21 and r22 (development material after their first runs): each
case is a real sentence or passage, trimmed."""

import pytest

from assistant.reading.assignments import read_assignments
from assistant.reading.frames import find_frames

PLAN = """KẾ HOẠCH
Triển khai thực hiện Đề án tìm kiếm, quy tập hài cốt liệt sĩ
VIII. BẢO ĐẢM PHƯƠNG TIỆN, TRANG BỊ, KINH PHÍ, CHẾ ĐỘ, CHÍNH SÁCH CHO NHIỆM VỤ TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ
1. Nội dung, biện pháp
a) Rà soát phương tiện hiện có, tiếp tục đề xuất phương án bảo đảm và bổ sung phương tiện thay thế hằng năm;
b) Hoàn thành việc xây dựng nhà tạm cho các Đội quy tập ở Lào, Campuchia;
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì: Bộ Quốc phòng; Bộ Tài chính.
b) Cơ quan phối hợp
- Các quân khu, các tỉnh
- Văn phòng Ban Chỉ đạo và cơ quan thường trực các cấp.
3. Thời gian thực hiện: Từ năm 2013 đến năm 2020 và tiếp theo.
IX. THU THẬP, KẾT NỐI, XỬ LÝ THÔNG TIN VỀ LIỆT SĨ, MỘ LIỆT SĨ
1. Nội dung, biện pháp
a) Thu thập, kết nối, xử lý thông tin về liệt sĩ, mộ liệt sĩ phục vụ công tác tìm kiếm, quy tập hài cốt liệt sĩ;
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì
- Ban Chỉ đạo quốc gia.
- Bộ Quốc phòng; Bộ Lao động - Thương binh và Xã hội.
b) Cơ quan phối hợp
- Mặt trận Tổ quốc Việt Nam, Hội Cựu chiến binh, Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp.
3. Thời gian thực hiện: Từ năm 2013 đến năm 2020 và tiếp theo.
"""


def test_a_role_block_names_the_leads_and_partners_of_its_sections_tasks() -> None:
    found = [(a.lead, a.partners, a.task[:20]) for a in read_assignments(PLAN)]
    assert ("Bộ Quốc phòng, Bộ Tài chính", ["Văn phòng Ban Chỉ đạo"], "Rà soát phương tiện ") in found
    assert ("Bộ Quốc phòng, Bộ Tài chính", ["Văn phòng Ban Chỉ đạo"], "Hoàn thành việc xây ") in found
    # each item under "Cơ quan chủ trì" is a group of leads of its own
    listed = [(lead, partners) for lead, partners, task in found if task.startswith("Thu thập")]
    partners = ["Mặt trận Tổ quốc Việt Nam", "Hội Cựu chiến binh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp"]
    assert listed == [("Ban Chỉ đạo quốc gia", partners), ("Bộ Quốc phòng, Bộ Lao động - Thương binh và Xã hội", partners)]
    # the labels are no units ("Cơ quan" that "chủ trì"), and the block is quoted with the task
    assert not any(lead.startswith("Cơ quan") for lead, _, _ in found)
    quoted = next(a for a in read_assignments(PLAN) if a.task.startswith("Rà soát")).quote
    assert "a) Cơ quan chủ trì: Bộ Quốc phòng; Bộ Tài chính." in quoted and "VIII. BẢO ĐẢM" in quoted


def test_sentences_under_trach_nhiem_thuc_hien_are_no_role_block() -> None:
    text = ("V. TỔ CHỨC THỰC HIỆN\n1. Thời gian: năm 2025.\n2. Trách nhiệm thực hiện\n"
            "- Sở Văn hóa, Thể thao và Du lịch phối hợp với Ban Tuyên giáo và Dân vận Tỉnh ủy tiếp tục chỉ đạo các cơ "
            "quan truyền thông đẩy mạnh tuyên truyền.\n- Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua.\n")
    leads = {a.lead for a in read_assignments(text)}
    assert {"Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ"} <= leads


def test_a_later_clause_that_opens_with_cooperation_names_the_leads_partners() -> None:
    [a] = read_assignments("2. Sở Kế hoạch - Đầu tư có trách nhiệm hướng dẫn xây dựng, đôn đốc việc kiểm tra, giám sát "
                           "việc thực hiện kế hoạch, phối hợp cùng với Sở Tài chính hàng năm bố trí kinh phí.")
    assert (a.lead, a.partners) == ("Sở Kế hoạch - Đầu tư", ["Sở Tài chính"])
    [inside] = read_assignments("Sở Công Thương chủ trì xây dựng quy chế phối hợp với các tỉnh.")
    assert inside.partners == []  # cooperation inside the task names no partner


@pytest.mark.parametrize(("text", "role", "lead", "partners"), [
    # a bare head: the last body with that head named in full
    ("Thời gian qua, Sở Nông nghiệp và Phát triển nông thôn thành phố Đà Nẵng đã tích cực phối hợp các lực lượng chức "
     "năng hướng dẫn ngư dân. Đến nay, Sở đã chủ trì phối hợp với Ban chỉ huy Bộ đội Biên phòng và UBND các quận tổ "
     "chức 07 lớp tuyên truyền.", "lead", "Sở Nông nghiệp và Phát triển nông thôn thành phố Đà Nẵng",
     ["Ban chỉ huy Bộ đội Biên phòng", "UBND các quận"]),
    # "Cơ quan này": the last body named, of any head
    ("Bộ Công Thương VN cho rằng mức thuế mà Mỹ đưa ra là không khách quan, mang tính bảo hộ quá mức.\nCơ quan này "
     "đang phối hợp chặt chẽ với Hiệp hội chế biến và xuất khẩu thủy sản Việt Nam (VASEP), các doanh nghiệp xuất khẩu "
     "của Việt Nam để trao đổi thông tin.", "cooperate", "Bộ Công Thương VN",
     ["Hiệp hội chế biến và xuất khẩu thủy sản Việt Nam (VASEP)"]),
    # the body named earlier in the same sentence, not a "Bộ" of the sentence before (r23)
    ("Bộ Thương mại Hoa Kỳ đã khởi xướng điều tra.\nĐại diện Bộ Công Thương cho biết, trong các vụ việc đã xử lý, Bộ "
     "đã phối hợp chặt chẽ với Hiệp hội Chế biến và Xuất khẩu thủy sản Việt Nam.", "cooperate", "Bộ Công Thương",
     ["Hiệp hội Chế biến và Xuất khẩu thủy sản Việt Nam"]),
])
def test_a_bare_head_stands_for_the_body_named_before(text: str, role: str, lead: str, partners: list[str]) -> None:
    found = next(a for a in read_assignments(text) if a.role == role)
    assert (found.lead, found.partners) == (lead, partners)


def test_a_capitalised_verb_after_a_capitalised_word_is_part_of_a_name() -> None:
    frames = find_frames("Trưởng Ban Chỉ đạo Nhà nước về Du lịch ban hành Quy chế hoạt động.")
    assert not any(f.role == "gives" for f in frames)


def test_a_partner_of_no_known_kind_is_a_group_or_a_name_not_a_thing() -> None:
    [group] = read_assignments("Sở Tài chính phối hợp với chủ đầu tư kiểm tra hồ sơ.")
    assert group.partners == ["chủ đầu tư"]
    [named] = read_assignments("Bộ NN-PTNT phối hợp chặt chẽ với Quảng Ninh trong đào tạo, cung cấp tài liệu.")
    assert named.partners == ["Quảng Ninh"]
    thing = read_assignments("Ngân hàng Nhà nước điều hành chính sách tiền tệ, phối hợp với chính sách tài khóa và "
                             "các chính sách khác.")
    assert all(not a.partners for a in thing)


def test_an_item_that_opens_with_a_verb_is_its_headings_unit_even_when_it_directs_others() -> None:
    text = ("2.7. Giao Vụ QLN\n- Đánh giá kỹ tình hình nợ và tham mưu Tổng cục chỉ đạo, đôn đốc các Cục Thuế địa phương "
            "thực hiện quyết liệt công tác quản lý nợ và cưỡng chế nợ thuế. Đẩy mạnh rà soát, xử lý nợ sai, nợ ảo.\n"
            "2.8. Giao Vụ KK&KTT\n- Giao Cục Thuế các tỉnh rà soát hồ sơ hoàn thuế.\n")
    found = [(a.lead, a.role, a.task[:12]) for a in read_assignments(text)]
    assert ("Vụ QLN", "executes", "Đánh giá kỹ ") in found
    assert ("các Cục Thuế địa phương", "requested", "thực hiện qu") in found
    assert not any(lead == "các Cục Thuế địa phương" and role == "executes" for lead, role, _ in found)
    # an item that opens by asking someone is the text's own request, not the heading unit's task
    assert not any(lead == "Vụ KK&KTT" for lead, _, _ in found)


def test_who_is_the_standing_office_of_a_committee() -> None:
    frames = find_frames("b) Thành lập Ban Chỉ đạo ở các quân khu do đồng chí Phó Chính ủy làm Trưởng Ban Chỉ đạo, do Cục "
                         "Chính trị quân khu làm thường trực.")
    assert [(f.lead, f.role) for f in frames] == [("đồng chí Phó Chính ủy", "heads"), ("Cục Chính trị quân khu", "lead")]


def test_a_body_named_by_its_activity_ends_before_a_word_of_time() -> None:
    [a] = read_assignments("Đặc biệt, đến cuối tháng 12/2020, lực lượng kiểm soát hải quan đã chủ trì, phối hợp với các "
                           "lực lượng chức năng trong và ngoài ngành bắt giữ 318 vụ.")
    assert (a.lead, a.role, a.partners) == ("lực lượng kiểm soát hải quan", "lead", ["các lực lượng chức năng"])
    said = read_assignments("Bộ Công Thương nêu rõ đang phối hợp với các bộ, ngành để xây dựng cơ chế.")
    assert [a.lead for a in said] == ["Bộ Công Thương"]  # a speech verb names no body

