"""Structure read from texts of blind rounds r23 and r25 (development material after their first runs): each case is
a real sentence or passage, trimmed."""

from assistant.questions.asked import type_bonus
from assistant.reading.assignments import read_assignments
from assistant.reading.corpus import ReadCorpus, place_mentions
from index.textnorm import fold

# a news report names its city once, then speaks of "Công an thành phố", "Sở Nông nghiệp"
REPORT = """Chấm dứt bơm chích tạp chất vào tôm

Vừa qua, UBND thành phố Đà Nẵng đã có văn bản yêu cầu Ban quản lý An toàn thực phẩm (ATTP) thành phố tăng cường kiểm tra, thanh tra điều kiện bảo đảm ATTP tại các cơ sở thu gom, sơ chế thủy sản.

Công an thành phố phối hợp với BQL ATTP thành phố và Sở Nông nghiệp &PTNT tổ chức kiểm tra liên ngành theo kế hoạch và đột xuất.

UBND các quận, huyện chỉ đạo các cơ quan chức năng và các xã, phường trên địa bàn phát động quần chúng nhân dân lên án, tố giác các hành vi gian lận.

Mới đây, UBND tỉnh Kiên Giang cũng đã ban hành Công văn số 555/UBND-KTCN về việc tăng cường triển khai thực hiện Đề án.

Sở Nông nghiệp và Phát triển nông thôn đẩy mạnh công tác tuyên truyền, phổ biến các văn bản pháp luật.
"""


def _corpus(text: str) -> ReadCorpus:
    return ReadCorpus([], {}, {"report.txt": text}, {}, {}, {"report.txt": place_mentions(text)})


def test_a_statement_takes_the_place_the_paragraphs_before_name():
    corpus = _corpus(REPORT)
    police = REPORT.index("Công an thành phố phối hợp")
    department = REPORT.index("Sở Nông nghiệp và Phát triển")
    assert "Đà Nẵng" in corpus.locale("report.txt", police)
    assert "Kiên Giang" in corpus.locale("report.txt", department)
    assert "Đà Nẵng" not in corpus.locale("report.txt", department)
    assert corpus.locale("report.txt", REPORT.index("Vừa qua")) == ""  # nothing before names a place
    assert corpus.locale("other.txt", police) == ""


def test_a_place_named_long_before_holds_no_more():
    far = REPORT.replace("\n\nCông an thành phố", "\n\n" + "Các lực lượng chức năng tăng cường kiểm tra. " * 40 + "\n\nCông an thành phố")
    assert _corpus(far).locale("report.txt", far.index("Công an thành phố phối hợp")) == ""


def test_the_level_after_a_bracketed_abbreviation_stays_in_the_name():
    asked = [a for a in read_assignments(REPORT) if a.role == "requested"]
    assert asked and asked[0].lead == "Ban quản lý An toàn thực phẩm (ATTP) thành phố"
    assert asked[0].task.startswith("tăng cường kiểm tra")


def test_a_unit_that_directs_another_has_that_task():
    found = read_assignments(REPORT)
    directing = [a for a in found if fold(a.lead) == fold("UBND các quận, huyện")]
    assert directing and directing[0].is_task and directing[0].task.startswith("chỉ đạo các cơ quan chức năng")
    # an official's instruction is the text's word, not a task of the official
    premier = read_assignments("Thủ tướng Chính phủ chỉ đạo Bộ Công Thương kiểm tra việc cung ứng xăng dầu.")
    assert [a.lead for a in premier if a.is_task] == ["Bộ Công Thương"]
    # what a unit has done is no task
    past = read_assignments("Bộ Công Thương đã chỉ đạo Cục Quản lý thị trường tăng cường kiểm tra.")
    assert "Bộ Công Thương" not in [a.lead for a in past if a.is_task]


def test_a_measure_written_on_its_number_answers_how_many():
    asked = fold("Ở Bạc Liêu, bao nhiêu ha tôm nuôi bị thiệt hại do dịch bệnh?")
    assert type_bonus(asked, "Dịch bệnh đã làm hơn 3.300ha tôm nuôi thiệt hại.") > 0
    assert type_bonus(asked, "Dịch bệnh đã làm nhiều hộ nuôi tôm thiệt hại.") < 0
    km = fold("Tuyến đường dài bao nhiêu km?")
    assert type_bonus(km, "Tuyến đường dài 12km.") > 0
    assert type_bonus(km, "Tuyến đường có 12 cầu.") < 0


def test_a_duration_written_with_its_words_and_an_amount_of_money():
    days = fold("Sở có tối đa bao nhiêu ngày làm việc để kiểm tra hồ sơ?")
    assert type_bonus(days, "Trong thời hạn không quá 05 (năm) ngày làm việc, kể từ ngày nhận được văn bản.") > 0
    money = fold("Cục Quản lý thị trường phạt người phát hành hóa đơn bao nhiêu tiền?")
    assert type_bonus(money, "Cục đã ra quyết định phạt vi phạm hành chính với số tiền 20 triệu đồng.") > 0
    assert type_bonus(money, "Cục đã ra quyết định xử phạt vi phạm hành chính.") < 0
    # a share is no count: "100% cơ sở" answers no "bao nhiêu cơ sở"
    assert type_bonus(fold("Tỉnh còn bao nhiêu cơ sở nghi vấn?"), "Yêu cầu 100% cơ sở ký cam kết.") < 0


def test_names_that_hold_a_verb_like_word():
    council = read_assignments("- Thường trực Hội đồng nhân dân, các ban và đại biểu Hội đồng nhân dân tỉnh giám sát, kiểm tra"
                               " việc thực hiện nghị quyết.")
    assert council[0].lead == "Thường trực Hội đồng nhân dân, các ban và đại biểu Hội đồng nhân dân tỉnh"
    company = read_assignments("Công ty phân phối điện chủ trì thực hiện việc cấp điện.")
    assert company[0].lead == "Công ty phân phối điện"


def test_who_chairs_a_council_session_is_no_task():
    found = read_assignments("Các Phó Chủ tịch HĐND tỉnh chủ trì kỳ họp.")
    assert [a.role for a in found] == ["chairs"] and not found[0].is_task


def test_a_person_named_before_the_office_chairs():
    found = read_assignments("Các đồng chí: Hồ Quốc Dũng - Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"
                             " chủ trì kỳ họp.")
    chairs = [a for a in found if a.role == "chairs"]
    assert chairs and chairs[0].lead.startswith("Hồ Quốc Dũng - Ủy viên Trung ương Đảng")
    # a dateline's place before a dash is no person
    dated = read_assignments("Hà Nội - Chủ tịch UBND thành phố chủ trì hội nghị.")
    assert [a.lead for a in dated if a.role == "chairs"] == ["Chủ tịch UBND thành phố"]


def test_a_tasks_question_asks_for_the_tasks_of_its_subject_not_of_its_partner():
    from assistant.answering.answerer import _asked_units

    asked = fold("Theo Chỉ thị 11/CT-TTg, Bộ Y tế được giao chủ trì phối hợp với Bộ Công Thương để làm gì?")
    assert _asked_units(["Bộ Công Thương"], asked) == []
    assert _asked_units(["Bộ Công Thương"], fold("Bộ Công Thương phối hợp với Bộ Y tế để làm gì?")) == ["Bộ Công Thương"]
    assert _asked_units(["Bộ Y tế", "Bộ Công Thương"], fold("bo y te phoi hop voi bo cong thuong de lam gi")) == ["Bộ Y tế"]


def test_what_speaks_of_working_together():
    from assistant.questions.asked import names_cooperation

    assert names_cooperation("Công an thành phố phối hợp với BQL ATTP thành phố tổ chức kiểm tra liên ngành.")
    assert names_cooperation("VietinBank đã đồng hành cùng cơ quan Hải quan đẩy mạnh truyền thông.")
    assert not names_cooperation("Các tập đoàn, tổng công ty, công ty phân phối hàng đầu thế giới đầu tư kinh doanh.")


def test_a_list_of_offices_is_no_person_heading_a_body():
    listed = read_assignments("Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố chịu trách"
                              " nhiệm thi hành Quyết định này.")
    assert not [a for a in listed if a.role == "heads"]
    offices = read_assignments("Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Bình Định dự lễ khai mạc.")
    assert not [a for a in offices if a.role == "heads"]
    person = read_assignments("Ông Trần Quốc Mạnh, Chủ tịch HĐQT Công ty Cổ phần Sản xuất thương mại Sài Gòn cho biết.")
    assert [(a.lead, a.task) for a in person if a.role == "heads"] == [
        ("Ông Trần Quốc Mạnh", "Chủ tịch HĐQT Công ty Cổ phần Sản xuất thương mại Sài Gòn")]
    dashed = read_assignments("Bộ trưởng Bộ Tài chính - Phó Trưởng ban Thường trực Ban Chỉ đạo 389 quốc gia chỉ đạo quyết liệt.")
    assert [a.lead for a in dashed if a.role == "heads"] == ["Bộ trưởng Bộ Tài chính"]


def test_a_kind_of_body_named_by_its_field_is_a_partner():
    found = read_assignments("Cục QLTT phối hợp với cơ quan Công an, Thanh tra Sở Khoa học và Công nghệ kiểm tra cơ sở sản xuất.")
    assert found[0].partners == ["cơ quan Công an", "Thanh tra Sở Khoa học và Công nghệ"]
    vague = read_assignments("Sở Công Thương phối hợp với các cơ quan, đơn vị liên quan kiểm tra.")
    assert vague[0].partners == []
