"""Questions worded otherwise than the documents, and near misses that must not be answered."""

import pytest

from assistant.answering.coverage import coverage
from assistant.questions.analysis import TermStats, analyse
from assistant.questions.synonyms import alternatives, group_synonyms
from index.textnorm import exact_tokens, fold


def test_a_phrase_with_synonyms_becomes_one_group_term() -> None:
    grouped = group_synonyms(exact_tokens("dịch vụ kho vận tại cảng"), exact=True)
    assert len(grouped) == 5  # "kho vận" is one term
    [group] = [t for t in grouped if "|" in t]
    assert ["logistics"] in alternatives(group)
    assert alternatives(group)[0] == exact_tokens("kho vận")  # the question's own words first


def test_a_group_term_found_in_part_counts_in_part() -> None:
    stats = TermStats(["kế hoạch năm 2024", "chương trình hành động", "báo cáo"])
    question = analyse("Kế hoạch hành động này do ai chủ trì?")
    whole = coverage(question, "Chương trình hành động", stats)
    part = coverage(question, "kế hoạch", stats)
    none = coverage(question, "báo cáo", stats)
    assert whole > part > none == 0.0


def test_paraphrased_lead_question(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    # the document: "Cục Công nghiệp chủ trì ... xây dựng tiêu chí thí điểm cho Hải Phòng trở thành thành phố công nghiệp"
    answer = seed_assistant.ask("Ai dẫn dắt việc xây dựng bộ tiêu chuẩn thử nghiệm cho Hải Phòng trở thành thành phố công nghiệp?")
    assert answer.answered and answer.lead == "Cục Công nghiệp"
    assert "tiêu chí thí điểm" in answer.citations[0].text


def test_another_region_is_not_answered(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from assistant.answering.features import NAMES

    question = "Hội nghị ngành Công Thương khu vực phía Bắc năm 2024 có bao nhiêu tỉnh, thành phố tham dự?"
    # the north: the candidate ranked first states the count (whether the gate answers is the fitted model's call,
    # at its margin here: an opening line of a speech with a unit in it)
    _, candidates = seed_assistant.candidates(question)
    x = np.asarray([[c.features[n] for n in NAMES] for c in candidates])
    best = seed_assistant.answerer.decision.choose_matrix(x).index
    assert "28 tỉnh, thành phố khu vực phía Bắc" in candidates[best].text
    north = seed_assistant.ask(question)
    assert not north.answered or "28" in north.answer
    south = seed_assistant.ask(question.replace("phía Bắc", "phía Nam"))
    assert not south.answered


@pytest.mark.xfail(strict=True, reason=(
    "known gap of the fitted ranker and gate: the named unit's own assignment (another task, with partners) is "
    "ranked first and passes the partners gate although another lead's statement covers the task better"))
def test_partners_question_naming_the_wrong_lead_is_not_answered(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    task = "để nghiên cứu xây dựng Trung tâm hỗ trợ phát triển công nghiệp hỗ trợ?"
    right = seed_assistant.ask(f"Cục Công nghiệp phối hợp với những bộ nào {task}")
    assert right.answered and "Bộ Khoa học và Công nghệ" in right.partners
    wrong = seed_assistant.ask(f"Vụ Tổ chức cán bộ phối hợp với những bộ nào {task}")
    assert not wrong.answered and wrong.partners == []


def test_a_quantity_the_documents_never_state_is_not_answered(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    for question in (
        "Mức phạt khi xử lý vi phạm an toàn hành lang lưới điện trên địa bàn Hà Nội là bao nhiêu?",
        "Tổng kinh phí cho các chương trình kích cầu tiêu dùng của Hà Nội là bao nhiêu tỷ đồng?",
    ):
        assert not seed_assistant.ask(question).answered, question


def test_english_follow_up_stays_english(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    first = seed_assistant.ask("Who leads the proposal of solutions to make effective use of free trade agreements for Hai Phong?")
    assert first.lead == "Vụ Chính sách thương mại đa biên"
    follow_up = seed_assistant.ask("Which bodies does it work with on this?", [first])
    assert follow_up.answered and {"UBND TP. Hải Phòng", "Bộ Ngoại giao"} <= set(follow_up.partners)


def test_a_framing_clause_is_matched_by_the_document_not_the_sentence() -> None:
    question = analyse("Theo Nghị quyết 122/NQ-CP phiên họp Chính phủ tháng 4, bộ nào chủ trì đàm phán thuế quan với Hoa Kỳ?")
    assert question.frame_terms and "122" in question.frame_constraints
    sentence = "g) Chủ trì đẩy nhanh tiến độ đàm phán thuế quan với Hoa Kỳ."
    stats = TermStats([sentence, "Nghị quyết phiên họp Chính phủ thường kỳ", "Bộ Tài chính chủ trì giải ngân vốn."])
    right = coverage(question, sentence, stats, title="Nghị quyết số 122/NQ-CP: Phiên họp Chính phủ thường kỳ tháng 4")
    other = coverage(question, sentence, stats, title="Nghị quyết số 45/NQ-CP về cải cách hành chính")
    assert right >= 0.9 and right - other > 0.3


def test_what_a_question_asks_for_must_be_in_the_sentence() -> None:
    from assistant.questions.asked import type_bonus

    ordinal_q = fold("Nhóm công tác thứ mấy nói về tái cơ cấu doanh nghiệp?")
    assert type_bonus(ordinal_q, "Nhóm công tác thứ tư, đẩy nhanh việc tái cơ cấu doanh nghiệp.") > 0
    assert type_bonus(ordinal_q, "Các nhóm công tác tập trung tái cơ cấu doanh nghiệp.") < 0
    count_q = fold("Hà Nội đặt ra bao nhiêu kịch bản tăng trưởng?")
    assert type_bonus(count_q, "nhằm đạt hai kịch bản tăng trưởng thành phố đã đặt ra") > 0
    assert type_bonus(count_q, "tăng trưởng 7% trong năm 2020") < 0  # a number, but not of scenarios


def test_asking_who_an_official_is_wants_a_name_not_a_unit() -> None:
    assert analyse("Vị Phó Giám đốc Sở Công Thương Hà Nội phát biểu tại hội nghị là ai?").kind == "fact"
    assert analyse("Đơn vị nào chủ trì xây dựng tiêu chí thí điểm?").kind == "lead"


def test_names_the_question_is_about() -> None:
    from assistant.questions.names import missing, names

    def key(name: str) -> str:
        return " ".join(exact_tokens(name))

    assert names("Bộ nào chủ trì đàm phán thuế quan với Hoa Kỳ?") == [key("Hoa Kỳ")]
    assert names("Hội nghị ngành Công Thương khu vực phía Nam năm 2024 ở đâu?") == [key("Nam")]
    assert names("Đơn vị nào thuộc Bộ Công Thương chủ trì?") == []  # the names every document repeats
    assert missing([key("Hoa Kỳ")], "đàm phán thuế quan với Hoa Kỳ") == 0
    assert missing([key("Mỹ")], "đàm phán thuế quan với Hoa Kỳ") == 0  # another name of the same country
    assert missing(names("Bộ nào đàm phán với Liên minh châu Âu?"), "đàm phán thuế quan với Hoa Kỳ") == 2


def test_a_document_of_another_place_does_not_answer() -> None:
    from assistant.questions.places import constraints

    text = "Theo chỉ thị của UBND thành phố Hà Nội, Sở Tư pháp phải trình chương trình lập quy trước ngày nào?"
    question = analyse(text)
    question.constraints += constraints(text)  # as the service adds them
    sentence = "Sở Tư pháp trình chương trình lập quy trước ngày 01 tháng 12 của năm trước."
    stats = TermStats([sentence, "chỉ thị về xây dựng văn bản", "Sở Nội vụ rà soát"])
    right = coverage(question, sentence, stats, title="Chỉ thị của Ủy ban nhân dân thành phố Hà Nội về lập quy")
    other = coverage(question, sentence, stats, title="Chỉ thị của Ủy ban nhân dân Thành phố Hồ Chí Minh về lập quy")
    assert right > 0.5 and other < 0


def test_english_quoting_a_vietnamese_name_is_english() -> None:
    from assistant.questions.analysis import is_english

    assert is_english("Which units does the Vietnam Law newspaper (Báo Pháp luật Việt Nam) coordinate with?")
    assert not is_english("Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?")
    assert analyse("Theo Chỉ thị của Bộ Tư pháp, Sở Tư pháp được giao những nhiệm vụ gì?").frame_end > 0


def test_a_count_needs_a_number_of_the_things_counted() -> None:
    from assistant.questions.asked import type_bonus

    q = fold("Hội đồng thẩm định cấp quận có tối thiểu bao nhiêu thành viên?")
    assert type_bonus(q, "Hội đồng thẩm định gồm 5 thành viên.") > 0
    assert type_bonus(q, "Cơ quan thẩm định (Sở Tư pháp thành phố, 24 quận) phải bảo đảm chất lượng.") < 0


def test_the_date_of_a_cited_text_answers_no_when() -> None:
    from assistant.questions.asked import type_bonus

    cited = "Tổng kết thi hành Nghị định số 58/2022/NĐ-CP ngày 31 tháng 8 năm 2022 của Chính phủ về đăng ký."
    assert type_bonus(fold("Bộ Ngoại giao phải trình sửa đổi Nghị định 58/2022 trước quý nào?"), cited) < 0
    assert type_bonus(fold("Nghị định 58/2022 được ban hành ngày nào?"), cited) > 0  # unless the text's own date is asked
    assert type_bonus(fold("Hạn báo cáo là trước ngày nào?"), "báo cáo Thủ tướng trước ngày 30 tháng 11 hằng năm") > 0


def test_tasks_of_a_unit_no_document_assigns(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = seed_assistant.ask("Cục Hóa chất được giao những nhiệm vụ gì trong Chương trình hành động về Hải Phòng?")
    assert not answer.answered


def test_the_unit_a_tasks_question_is_about_is_its_subject(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    question = "Vụ Kế hoạch có những nhiệm vụ gì liên quan đến Vụ Thị trường trong nước?"
    assert seed_assistant.answerer.leads.named_units(fold(question))[0] == "Vụ Kế hoạch"  # not the longer name later on


def test_words_that_look_like_a_unit_head_do_not_ask_for_a_unit() -> None:
    from assistant.answering.signals import question_signals

    # round r16: "văn bản nào" asks for a document, not a "Ban"; "hỗ trợ" is no partner's verb
    assert analyse("Công văn năm 2016 dẫn chiếu văn bản nào của Văn phòng thường trực Ban chỉ đạo 389 quốc gia?").kind == "fact"
    assert analyse("chinh phu nuoc nao ho tro xay dung cong thong tin dien tu ve FTA?").kind != "partners"
    assert analyse("Những đơn vị nào phối hợp với Vụ Kế hoạch?").kind == "partners"
    # "Hải Phòng" names no "Phòng"; "Giao Phòng Kinh tế ..." does
    assert question_signals("Chương trình hành động về Hải Phòng được gửi về đơn vị nào?").units == ()
    assert question_signals("Giao Phòng Kinh tế huyện làm gì?").units == ("phong kinh te huyen",)
