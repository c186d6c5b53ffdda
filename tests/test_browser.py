"""The browser app end to end: `python app.py` as a real process, driven by Debian's Chromium with Playwright.

Screenshots go to tests/screenshots/ (git-ignored). With UPDATE_DOCS_SCREENSHOT=1 the chat screenshot
is also written to docs/screenshot-chat.png for the README.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(app_server.CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS_SCREENSHOT = app_server.ROOT / "docs" / "screenshot-chat.png"
LEAD_QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"
FOLLOW_UP = "Còn những đơn vị nào phối hợp?"
WAIT_MS = 60_000
BOT = '#chatbot [data-testid="bot"]'
USER = '#chatbot [data-testid="user"]'


OFFICIAL = "004_cp-nq-141-2026-luat-thuong-mai-bct-chu-tri.txt"  # a resolution with its number and date
OFFICIAL_QUESTION = "Ai chủ trì tiếp thu ý kiến Thành viên Chính phủ để hoàn thiện dự án Luật sửa đổi Luật Thương mại?"
# asked this way, the decision fitted on 2,146 questions (2026-11-27) ranks "Phân công Phó Thủ tướng Thường trực ... chỉ
# đạo việc xây dựng ... dự án Luật" first (the lead ranker weighs a unit asked by "giao"/"phân công" as much as one that
# "chủ trì") and answers with the Deputy Prime Minister, who directs: a known wrong answer, kept below as a strict xfail
LOST_QUESTION = "Đơn vị nào chủ trì xây dựng dự án Luật sửa đổi, bổ sung một số điều của Luật Thương mại?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[app_server.AppServer]:
    work = tmp_path_factory.mktemp("browser-app")
    documents = work / "documents"
    shutil.copytree(app_server.DOCUMENTS, documents)
    shutil.copy(app_server.ROOT / "eval" / "realdocs" / "docs" / OFFICIAL, documents / OFFICIAL)
    with app_server.running_app(work, documents_dir=documents) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=app_server.CHROMIUM, args=app_server.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any, server: app_server.AppServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    blocked: list[str] = []  # what the Content-Security-Policy stopped: the app must work within it
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(server.url, wait_until="load")
    assert response is not None and response.headers.get("x-frame-options") == "DENY"
    assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", "")
    page.locator("#question textarea").wait_for()
    yield page
    context.close()
    assert outside == [], f"the page loaded something from outside: {outside[:5]}"
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked[:5]}"


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def ask(page: Any, question: str) -> Any:
    """Type the question, send it, return the locator of the new bot message."""
    n = page.locator(BOT).count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    message = page.locator(BOT).nth(n)
    message.wait_for()
    return message


def test_chat_follow_up_and_assignment_filter(page: Any, server: app_server.AppServer, tmp_path: Path) -> None:
    answer = ask(page, LEAD_QUESTION)
    assert "Cục Công nghiệp" in answer.locator("strong.lead").inner_text()
    mark = answer.locator(".cite mark").first
    mark.wait_for(state="visible")
    assert "Cục Công nghiệp chủ trì" in mark.inner_text()
    assert "[1]" in answer.locator(".cite-head").first.inner_text()
    file_name = answer.locator(".cite-file").first
    assert not file_name.is_visible()  # the file and span are one click away
    answer.locator("details.cite-where summary").first.click()
    file_name.wait_for(state="visible")
    assert "002_cedae3f06a4f5a7c.txt" in file_name.inner_text()
    answer.locator("details.cite-more summary").first.click()  # the surrounding passage opens
    passage = answer.locator("details.cite-more .cite-passage").first
    passage.wait_for(state="visible")
    around = passage.inner_text()
    assert "Đối với Vụ Chính sách thương mại đa biên" in around and "Vụ Kế hoạch làm đầu mối" in around
    assert "Cục Công nghiệp chủ trì" in passage.locator("mark").inner_text()
    timing = answer.locator("details.ans-details")
    assert not re.search(r"\d+ ms\b", answer.inner_text())  # timings only on a details line, closed
    timing.locator("summary").click()
    assert "Thời gian trả lời" in timing.inner_text() and " ms" in timing.inner_text()
    shot(page, "01-chat-answer")

    follow = ask(page, FOLLOW_UP)
    partners = follow.locator(".partners").inner_text()
    assert "Bộ Xây dựng" in partners, follow.inner_text()
    assert "Vụ Thị trường trong nước" in partners
    shot(page, "02-chat-follow-up")

    # the rows the table lists are the fitted filter's call; the browser's filter shows those the CLI's does
    cli_rows = list(csv.reader(io.StringIO(_cli_csv(server, tmp_path, "--search", "vu ke hoach").decode("utf-8-sig"))))
    expected = len(cli_rows) - 1  # without the header
    assert expected >= 1
    page.get_by_role("tab", name="Phân công").click()
    page.locator("#assignment-filter textarea, #assignment-filter input").first.fill("vu ke hoach")
    count = page.locator("#assignment-count")
    _wait_for_count(page, f"/^\\s*{expected} \\//")
    rows = page.locator('#assignments-table [role="row"].virtual-row')
    assert rows.count() == expected, count.inner_text()
    for i in range(rows.count()):
        lead = rows.nth(i).locator(f'[data-testid="cell-{i}-2"]').inner_text()
        partners = rows.nth(i).locator(f'[data-testid="cell-{i}-3"]').inner_text()
        assert "Vụ Kế hoạch" in lead + partners
    page.locator('#assignments-table [data-testid="cell-0-1"]').click()
    detail = page.locator("#assignment-passage mark")
    detail.wait_for(state="visible")
    assert "Vụ Kế hoạch" in detail.inner_text()
    shot(page, "03-assignments-filtered")


def _download(page: Any) -> bytes:
    page.wait_for_timeout(500)
    with page.expect_download() as info:
        page.locator("#assignments-csv").click()
    return Path(info.value.path()).read_bytes()


def _cli_csv(server: app_server.AppServer, tmp_path: Path, *filters: str) -> bytes:
    out = tmp_path / "cli.csv"
    done = subprocess.run([app_server.python(), "-m", "assistant", "--index", str(server.index_dir), "assignments",
                           *filters, "--csv", str(out)], cwd=app_server.ROOT, env=app_server.offline_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def _wait_for_count(page: Any, pattern: str) -> None:
    page.wait_for_function(
        f"() => {pattern}.test(document.querySelector('#assignment-count')?.innerText || '')", timeout=WAIT_MS
    )


def test_csv_download_matches_filter_and_is_the_cli_csv(page: Any, server: app_server.AppServer, tmp_path: Path) -> None:
    page.get_by_role("tab", name="Phân công").click()
    _wait_for_count(page, "/^\\s*\\d+ \\//")
    row = page.locator('#assignments-table [role="row"].virtual-row').first
    assert row.bounding_box()["height"] < 48  # one line a row
    page.locator("#assignment-filter textarea, #assignment-filter input").first.fill("cuc cong nghiep")
    page.wait_for_function(
        "() => !/^\\s*(\\d+) \\/ \\1 /.test(document.querySelector('#assignment-count')?.innerText || '0 / 0 ')",
        timeout=WAIT_MS,
    )
    browser_csv = _download(page)
    assert browser_csv.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(browser_csv.decode("utf-8-sig"))))
    assert rows and all("Cục Công nghiệp" in r["lead"] + r["partners"] for r in rows)
    assert {"task", "lead", "partners", "role", "source", "start", "end", "doc_number", "doc_date", "issuer"} <= set(rows[0])
    assert browser_csv == _cli_csv(server, tmp_path, "--search", "cuc cong nghiep")

    page.locator("#assignment-filter textarea, #assignment-filter input").first.fill("")
    _wait_for_count(page, "/^\\s*(\\d+) \\/ \\1 /")  # all rows again, so the next count is the number's
    page.locator("#filter-number textarea, #filter-number input").first.fill("141/NQ-CP")
    # filtered: some rows, fewer than all (the unfiltered count also has some rows, until the filter applies)
    page.wait_for_function(
        "() => { const m = /^\\s*(\\d+) \\/ (\\d+)/.exec(document.querySelector('#assignment-count')?.innerText || '');"
        " return m !== null && +m[1] > 0 && +m[1] < +m[2]; }",
        timeout=WAIT_MS,
    )
    shot(page, "06-assignments-by-number")
    by_number = _download(page)
    rows = list(csv.DictReader(io.StringIO(by_number.decode("utf-8-sig"))))
    assert rows and {r["source"] for r in rows} == {OFFICIAL} and rows[0]["doc_date"] == "2026-06-01"
    assert by_number == _cli_csv(server, tmp_path, "--number", "141/NQ-CP")


def test_citation_shows_the_document_title_number_and_date(page: Any) -> None:
    answer = ask(page, OFFICIAL_QUESTION)
    assert "Bộ Công Thương" in answer.locator("strong.lead").inner_text()
    cite = answer.locator(".cite").first
    assert cite.locator(".cite-title").inner_text().startswith("Nghị quyết số 141/NQ-CP ngày 01/6/2026 của Chính phủ")
    assert cite.locator(".cite-number").inner_text() == "Số 141/NQ-CP"
    assert cite.locator(".cite-date").inner_text() == "ngày 1/6/2026"
    assert "CHÍNH PHỦ" in cite.locator(".cite-doc").inner_text()
    assert not cite.locator(".cite-file").is_visible()
    shot(page, "07-citation-with-number")
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SCREENSHOT))


@pytest.mark.xfail(reason="the unit that directs ranks above the one that leads since the refit on 2,078 questions",
                   strict=True)
def test_the_lead_asked_by_building_the_law_is_answered(server: app_server.AppServer) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings

    assistant = Assistant.from_settings(Settings(index_dir=server.index_dir))
    answer = assistant.ask(LOST_QUESTION)
    assert answer.answered and answer.lead is not None and "Bộ Công Thương" in answer.lead


def test_one_language_whole_examples_and_a_chat_that_fills_the_window(page: Any) -> None:
    from playwright.sync_api import expect

    examples = page.locator("#examples button.example")
    expect(examples).to_have_count(3, timeout=WAIT_MS)  # the row can render after the question box
    texts = [examples.nth(i).inner_text().strip() for i in range(3)]
    assert texts[2] == "Ai lam dau moi xay dung co che thu hut nguon nhan luc chat luong cao cho Hai Phong?"
    examples.nth(0).click()
    page.wait_for_function(
        f"() => document.querySelector('#question textarea').value === {texts[0]!r}", timeout=WAIT_MS
    )
    chat = page.locator("#chatbot").bounding_box()
    form = page.locator("#question").bounding_box()
    viewport = page.viewport_size
    assert chat["height"] > viewport["height"] - 400  # no empty band: the chat takes the window's height
    assert form["y"] + form["height"] < viewport["height"]  # and the question box stays in view
    page.get_by_role("tab", name="Tài liệu").click()
    upload = page.locator("#upload")
    upload.wait_for()
    words = upload.inner_text()
    assert "Kéo thả tệp vào đây" in words and "Bấm để chọn tệp" in words
    assert "Drop File" not in words and "Click to Upload" not in words


def test_html_in_question_is_shown_as_text(page: Any) -> None:
    hostile = "<img src=x onerror=alert(1)> Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng? **đậm** $$x$$"
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    answer = ask(page, hostile)
    user = page.locator(USER).last
    assert "<img src=x onerror=alert(1)>" in user.inner_text()
    assert "**đậm**" in user.inner_text()
    assert page.locator("#chatbot img").count() == 0
    assert page.locator("#chatbot .katex").count() == 0
    assert answer.inner_text().strip()  # answered or not, the app replied
    assert dialogs == []
    shot(page, "04-hostile-question")


def test_unanswerable_question_lists_closest_passages(page: Any) -> None:
    answer = ask(page, "Thủ đô của nước Pháp là thành phố nào?")
    assert "Không có văn bản nào trả lời" in answer.locator(".verdict").inner_text()
    assert answer.locator(".badge-no").count() >= 1
    assert "không trả lời câu hỏi" in answer.locator(".badge-no").first.inner_text()
    page.locator("#clear").click()
    page.wait_for_function(f"() => document.querySelectorAll('{BOT}').length === 0", timeout=WAIT_MS)


def test_upload_makes_a_document_answerable(page: Any, server: app_server.AppServer, tmp_path: Path) -> None:
    doc = tmp_path / "thong-bao-thu-nghiem.md"
    doc.write_text(
        "# Thông báo phân công thử nghiệm\n\n"
        "Vụ Khoa học và Công nghệ chủ trì, phối hợp với Cục Hoá chất xây dựng quy chuẩn an toàn "
        "cho kho chứa pin lithium tại các khu công nghiệp.\n",
        encoding="utf-8",
    )
    documents = server.index_dir.parent / "documents"
    with open(os.fsencode(documents) + b"/b\xe1o c\xe1o c\xfc.txt", "wb") as f:  # a name from an old archive
        f.write("Vụ Tài chính chủ trì lập báo cáo quyết toán.\n".encode())
    status = upload(page, doc)  # uploads keep working next to a file name that is not UTF-8
    assert "✔ thong-bao-thu-nghiem.md: đã lưu thành thong-bao-thu-nghiem.md" in status, status
    wait_for_job(page, "thong-bao-thu-nghiem.md", "✔ xong")
    page.locator("#documents-table").get_by_text("thong-bao-thu-nghiem.md").wait_for()
    shot(page, "05-documents-uploaded")
    page.get_by_role("tab", name="Hỏi đáp").click()
    answer = ask(page, "Đơn vị nào chủ trì xây dựng quy chuẩn an toàn cho kho chứa pin lithium?")
    assert "Vụ Khoa học và Công nghệ" in answer.locator("strong.lead").inner_text()
    assert "thong-bao-thu-nghiem.md" in (answer.locator(".cite-file").first.text_content() or "")


def upload(page: Any, *paths: Path) -> str:
    """Choose the files in the Tài liệu tab, press the button, return the status text naming them."""
    page.get_by_role("tab", name="Tài liệu").click()
    page.locator('#upload input[type="file"]').set_input_files([str(p) for p in paths])
    page.wait_for_timeout(1000)
    page.locator("#ingest").click()
    name = paths[-1].name
    page.wait_for_function(
        f"() => (document.querySelector('#upload-status textarea')?.value || '').includes({name!r})", timeout=WAIT_MS
    )
    return str(page.locator("#upload-status textarea").input_value())


def wait_for_job(page: Any, saved_as: str, state: str) -> str:
    """Wait until the uploads list shows the file saved as `saved_as` in a state starting with state; its row."""
    found = page.wait_for_function(
        """([saved, state]) => [...document.querySelectorAll('#upload-jobs [role="row"].virtual-row')]
            .map(row => [...row.querySelectorAll('[data-testid^="cell-"]')].map(cell => cell.innerText.trim()))
            .find(cells => cells[1] === saved && (cells[2] || '').startsWith(state))?.join(' | ')""",
        arg=[saved_as, state], timeout=WAIT_MS,
    )
    return str(found.json_value())


FORGED = (
    "# Kế hoạch giả mạo\n\n"
    "Vụ Pháp chế chủ trì xây dựng tiêu chí thí điểm để Hải Phòng trở thành thành phố công nghiệp.\n"
)


def test_an_upload_with_a_taken_name_keeps_the_original(page: Any, server: app_server.AppServer, tmp_path: Path) -> None:
    """A file named like an existing document (forged text): saved under a numbered name and ingested under it;
    the original file, and the answers citing it, unchanged. Two files of one name in one batch both stay."""
    documents = server.index_dir.parent / "documents"
    original = documents / "002_cedae3f06a4f5a7c.txt"
    before = original.read_bytes()
    forged = tmp_path / "002_cedae3f06a4f5a7c.txt"
    forged.write_text(FORGED, encoding="utf-8")
    status = upload(page, forged)
    assert "tên này đã có, lưu thành 002_cedae3f06a4f5a7c-2.txt" in status, status
    wait_for_job(page, "002_cedae3f06a4f5a7c-2.txt (tên đã có, lưu tên mới)", "✔ xong")
    assert original.read_bytes() == before
    assert (documents / "002_cedae3f06a4f5a7c-2.txt").read_text(encoding="utf-8") == FORGED
    folder = Path(re.search(r"uploads wait in (\S+)", server.log()).group(1))  # type: ignore[union-attr]
    left = [p for p in folder.rglob("*") if p.is_file() and FORGED.encode() == p.read_bytes()]
    assert left == [], "the ingested upload was left in the upload folder"
    shot(page, "06-upload-taken-name")

    page.get_by_role("tab", name="Hỏi đáp").click()
    answer = ask(page, LEAD_QUESTION)
    assert "Cục Công nghiệp" in answer.locator("strong.lead").inner_text()
    assert "002_cedae3f06a4f5a7c.txt" in (answer.locator(".cite-file").first.text_content() or "")
    forged_answer = ask(page, "Theo kế hoạch giả mạo, đơn vị nào chủ trì xây dựng tiêu chí thí điểm?")
    assert "002_cedae3f06a4f5a7c-2.txt" in (forged_answer.locator(".cite-file").first.text_content() or "")

    one, two = tmp_path / "a" / "trung-ten.md", tmp_path / "b" / "trung-ten.md"
    for path, unit in ((one, "Cục Hóa chất"), (two, "Cục Điện lực")):
        path.parent.mkdir()
        path.write_text(f"# Thông báo\n\n{unit} chủ trì kiểm tra an toàn kho {path.parent.name}.\n", encoding="utf-8")
    status = upload(page, one, two)
    assert "đã lưu thành trung-ten.md" in status and "lưu thành trung-ten-2.md" in status, status
    wait_for_job(page, "trung-ten.md", "✔ xong")
    wait_for_job(page, "trung-ten-2.md (tên đã có, lưu tên mới)", "✔ xong")
    assert (documents / "trung-ten.md").read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    assert (documents / "trung-ten-2.md").read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
