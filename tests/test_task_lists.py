"""A unit's task list, from a plan read by the real reader: every task counted once, the answer within 600 characters.

The plan below is in the form of Sở/Ban sections of provincial plans (pool-f6, Đồng Tháp KH 552): a unit heading,
then its items; one item is repeated word for word, as such plans do when two programmes share it.
"""

from __future__ import annotations

from llama_index.core.schema import TextNode

from assistant.answering.answerer import load_templates
from assistant.answering.candidates import TASKS_SHOWN, Ranked, task_candidates
from assistant.answering.leads import Leads
from assistant.answering.phrasing import phrase_candidate
from assistant.questions.analysis import TASKS_OF, analyse
from assistant.reading.assignments import read_assignments
from assistant.types import Citation
from index.textnorm import fold

ITEMS = [
    "Chủ trì triển khai các chương trình khuyến công nhằm hỗ trợ các doanh nghiệp đổi mới máy móc, thiết bị và công nghệ.",
    "Hỗ trợ doanh nghiệp ứng dụng công nghệ số trong quản trị sản xuất, kinh doanh, đặc biệt là thương mại điện tử và logistics.",
    "Phát triển thị trường cho sản phẩm công nghệ cao, đổi mới sáng tạo của tỉnh.",
    "Hỗ trợ doanh nghiệp ứng dụng công nghệ số trong quản trị sản xuất, kinh doanh, đặc biệt là thương mại điện tử và logistics.",
    "Phối hợp với Sở Khoa học và Công nghệ xây dựng cơ sở dữ liệu về doanh nghiệp công nghiệp chế biến, chế tạo.",
    "Tổ chức hội chợ, triển lãm giới thiệu sản phẩm công nghiệp nông thôn tiêu biểu.",
    "Hướng dẫn các cụm công nghiệp áp dụng mô hình sản xuất sạch hơn, tiết kiệm năng lượng.",
    "Xây dựng chương trình sử dụng năng lượng tiết kiệm trong các cơ sở sản xuất công nghiệp.",
    "Rà soát, đề xuất cơ chế hỗ trợ doanh nghiệp tham gia chuỗi cung ứng toàn cầu.",
    "Tổng hợp, báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 15 tháng 12 hằng năm.",
]
PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nKẾ HOẠCH\nLộ trình đổi mới công nghệ đến năm 2035\n"
    "III. TỔ CHỨC THỰC HIỆN\n1. Sở Khoa học và Công nghệ\n"
    "- Chủ trì theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch.\n"
    "2. Sở Công Thương\n" + "".join(f"- {item}\n" for item in ITEMS)
)


def _cite(n: int, chunk_id: str, text: str, start: int, end: int, score: float) -> Citation:
    return Citation(n, chunk_id, "", text, start, end, score)


def test_a_long_task_list_counts_each_task_once_and_fits_the_answer() -> None:
    source = "dong-thap-kh-552.txt"
    assignments = read_assignments(PLAN)
    for a in assignments:
        a.source = source
    node = TextNode(text=PLAN, id_="c0", metadata={"source": source, "start": 0, "end": len(PLAN)})
    question = analyse("Sở Công Thương Đồng Tháp được giao những nhiệm vụ gì trong kế hoạch đổi mới công nghệ?")
    assert question.kind == TASKS_OF
    [candidate] = task_candidates(["Sở Công Thương"], [Ranked(node, 1.0)], Leads(assignments), set(), False)
    assert len(candidate.tasks) == len(ITEMS) - 1  # the repeated item once
    answer = phrase_candidate(question, candidate, load_templates(), _cite)
    assert answer.answered and len(answer.answer) <= 600
    assert answer.answer.startswith(f"Sở Công Thương được giao {len(ITEMS) - 1} nhiệm vụ; ")  # all counted, not the shown
    shown = answer.answer.count("\n")
    assert 1 <= shown <= TASKS_SHOWN and f"; {shown} nhiệm vụ đầu:" in answer.answer
    assert answer.answer.count("thương mại điện tử") <= 1 and "khuyến công" in answer.answer
    assert len(answer.citations) == shown
    # the item done with another unit's lead is not the heading unit's own: no "(phối hợp với Sở Công Thương)"
    assert "(phối hợp với Sở Công Thương)" not in answer.answer


def test_a_short_task_list_is_listed_whole() -> None:
    text = "KẾ HOẠCH\nIII. TỔ CHỨC THỰC HIỆN\n2. UBND các xã, phường\n" + "".join(f"- {i}\n" for i in ITEMS[5:8])
    assignments = read_assignments(text)
    for a in assignments:
        a.source = "x.txt"
    node = TextNode(text=text, id_="c0", metadata={"source": "x.txt", "start": 0, "end": len(text)})
    question = analyse("ubnd cac xa, phuong duoc giao gi?")
    assert question.kind == TASKS_OF
    [candidate] = task_candidates(["UBND các xã, phường"], [Ranked(node, 1.0)], Leads(assignments), set(), False)
    answer = phrase_candidate(question, candidate, load_templates(), _cite)
    assert answer.answer.startswith("UBND các xã, phường được giao 3 nhiệm vụ:\n1. tổ chức hội chợ")
    assert "phối hợp với" not in answer.answer


def test_a_title_in_capitals_is_context_not_an_answer() -> None:
    # Quyết định 08/2022/QĐ-TTg: the chapter title repeats the question's words but holds no amount; the item does
    from assistant.answering.candidates import sentence_candidates
    from assistant.questions.analysis import TermStats
    from assistant.reading.corpus import ReadCorpus

    text = ("Chương III\nHỖ TRỢ NGƯỜI LAO ĐỘNG QUAY TRỞ LẠI THỊ TRƯỜNG LAO ĐỘNG\n"
            "Điều 9. Mức, thời gian hỗ trợ và phương thức chi trả\n1. Mức hỗ trợ: 1.000.000 đồng/người/tháng.\n")
    node = TextNode(text=text, id_="c1", metadata={"source": "qd-08.txt", "start": 0, "title": "Quyết định 08/2022/QĐ-TTg"})
    question = analyse("Mức hỗ trợ cho người lao động quay trở lại thị trường lao động là bao nhiêu?")
    corpus = ReadCorpus([], {}, {}, {}, {})
    found = sentence_candidates(question, [Ranked(node, 1.0)], TermStats([text]), corpus)
    assert found and not any(c.text.isupper() for c in found), [c.text for c in found]
    assert any("1.000.000" in c.text for c in found)


def _tasks_answer(text: str, unit: str, question_text: str) -> str:
    assignments = read_assignments(text)
    for a in assignments:
        a.source = "x.txt"
    node = TextNode(text=text, id_="c0", metadata={"source": "x.txt", "start": 0, "end": len(text)})
    leads = Leads(assignments)
    units = leads.named_units(fold(question_text))
    assert units and units[0] == unit, units
    [candidate] = task_candidates(units[:1], [Ranked(node, 1.0)], leads, set(), False)
    return phrase_candidate(analyse(question_text), candidate, load_templates(), _cite).answer


def test_an_item_under_the_units_heading_is_listed_as_written() -> None:
    # Quyết định 27/2025/QĐ-UBND Thái Nguyên: what the Sở is to do with the others is part of its task
    text = ("Điều 8. Trách nhiệm của các sở, ngành\n2. Sở Tài chính\n"
            "a) Phối hợp các sở, ban, ngành của tỉnh theo chức năng, lĩnh vực quản lý chuyên ngành trong quá trình thực "
            "hiện các nhiệm vụ bảo vệ, xử lý vi phạm hành lang bảo vệ an toàn công trình điện lực theo quy định.\n"
            "b) Phối hợp cung cấp thông tin về quy hoạch để phục vụ công tác lập hồ sơ đầu tư xây dựng.\n"
            "3. Sở Xây dựng\na) Kiểm tra chuyên ngành theo phân cấp.\n")
    answer = _tasks_answer(text, "Sở Tài chính", "Sở Tài chính được giao những nhiệm vụ gì?")
    assert answer.startswith("Sở Tài chính được giao 2 nhiệm vụ:\n1. phối hợp các sở, ban, ngành của tỉnh theo"), answer


def test_a_unit_named_after_another_in_a_joint_heading_has_its_tasks() -> None:
    # a 2010 district directive on tobacco control: the heading names three units, the last one is asked about
    text = ("2. Trách nhiệm của các cơ quan\n2.4 Phòng Kinh tế, Công an Kinh tế, Đội Quản lý thị trường 12 B:\n"
            "Tăng cường công tác kiểm tra và xử lý nghiêm những trường hợp vi phạm quy định về kinh doanh thuốc lá điếu.\n"
            "2.5 Phòng Tài chính - Kế hoạch:\nBố trí kinh phí cho công tác phòng, chống tác hại thuốc lá.\n")
    answer = _tasks_answer(text, "Đội Quản lý thị trường 12 B", "Đội Quản lý thị trường 12 B được giao làm gì?")
    assert answer.startswith("Đội Quản lý thị trường 12 B được giao 1 nhiệm vụ:\n1. tăng cường công tác kiểm tra"), answer
    assert "phối hợp với" not in answer and "kinh phí" not in answer

