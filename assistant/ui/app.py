"""The Gradio app: Chat, Phân công (assignments) and Tài liệu (documents) tabs over one Assistant.

The UI only calls the service and formats its typed results; the service never imports gradio.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr

from assistant.assignment_table import SCOPE_UNITS, AssignmentFilter, filter_assignments, issuers, years
from assistant.reading.assignments import Assignment
from assistant.service import Assistant, QuestionError
from assistant.settings import Settings
from assistant.types import Answer
from assistant.ui import tables
from assistant.ui.i18n import TRANSLATIONS
from assistant.ui.render import CSS, render_answer, render_error, render_question
from assistant.uploads import UploadError

logger = logging.getLogger(__name__)

MAX_HISTORY = 10  # answers kept per conversation for follow-ups
CONCURRENCY = 4
SESSION_CAPACITY = 200  # conversations kept in memory; API callers without a session would otherwise pile up
EXAMPLES = [
    "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?",
    "Còn những đơn vị nào phối hợp?",
    "Ai lam dau moi xay dung co che thu hut nguon nhan luc chat luong cao cho Hai Phong?",
]
CHAT_HEIGHT = "calc(100vh - 300px)"  # the chat fills the window above the question box and examples
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
EMPTY_PASSAGE = '<div class="passage-view muted">Chọn một dòng trong bảng để xem đoạn văn gốc.</div>'

Message = dict[str, str]


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """ASSISTANT_AUTH="user:password" as the (user, password) pair gradio expects."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError("ASSISTANT_AUTH must look like user:password")
    return user, password


class AppHandlers:
    """The event handlers, bound to one Assistant shared by every session."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._upload_lock = threading.Lock()

    # -- chat -----------------------------------------------------------------
    def format_answer(self, answer: Answer) -> str:
        nodes = self.assistant.nodes
        return render_answer(answer, [tables.citation_passage(nodes, c) for c in answer.citations])

    def send(
        self, message: str, chat: list[Message] | None, history: list[Answer] | None
    ) -> tuple[str, list[Message], list[Answer]]:
        chat, history = list(chat or []), list(history or [])
        question = (message or "").strip()
        if not question:
            return "", chat, history
        chat.append({"role": "user", "content": render_question(question)})
        self.pick_up_other_ingests()
        try:
            answer = self.assistant.ask(question, history)
        except QuestionError as exc:
            chat.append({"role": "assistant", "content": render_error(str(exc))})
            return "", chat, history
        except Exception:
            logger.exception("answering failed: %r", question[:200])
            chat.append({"role": "assistant", "content": render_error("Lỗi khi trả lời câu hỏi. Hãy thử lại.")})
            return "", chat, history
        logger.info("answered=%s lead=%s in %.0f ms", answer.answered, answer.lead, answer.latency_ms)
        chat.append({"role": "assistant", "content": self.format_answer(answer)})
        return "", chat, [*history, answer][-MAX_HISTORY:]

    @staticmethod
    def clear() -> tuple[str, list[Message], list[Answer]]:
        return "", [], []

    def ask_api(self, question: str) -> dict[str, Any]:
        """Answer one question from the ingested documents; returns the answer record (lead, partners, citations…)."""
        self.pick_up_other_ingests()
        try:
            return self.assistant.ask(question).to_json()
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc

    # -- assignments ----------------------------------------------------------
    def filter_table(
        self, query: str, scope: str, issuer: str | None = None, number: str | None = None, year: str | None = None
    ) -> tuple[Any, str, Any, list[Assignment]]:
        snapshot = list(self.assistant.assignments())
        documents = self.assistant.catalog.infos()
        flt = AssignmentFilter(
            text=query or "", scope=tables.SCOPES.get(scope, SCOPE_UNITS), issuer=issuer or "", number=number or "",
            year="" if not year or year == tables.ALL_YEARS else year,
        )
        indices = filter_assignments(snapshot, documents, flt)
        rows = tables.assignment_rows(snapshot, indices, documents)
        count = f"{len(indices)} / {len(snapshot)} phân công"
        csv_path = str(tables.assignments_csv(snapshot, indices, documents))
        frame = gr.Dataframe(value=rows or [["", "", "", "", ""]], headers=tables.ASSIGNMENT_HEADERS)
        return frame, count, gr.DownloadButton(value=csv_path), snapshot

    def filter_choices(self) -> tuple[Any, Any]:
        """The issuers and years of the ingested documents, for the filter's lists."""
        documents = self.assistant.catalog.infos()
        return (gr.Dropdown(choices=["", *issuers(documents)]),
                gr.Dropdown(choices=[tables.ALL_YEARS, *years(documents)]))

    def select_row(self, snapshot: list[Assignment] | None, evt: gr.SelectData) -> str:
        row = evt.row_value or []
        try:
            number = int(row[0])
        except (IndexError, TypeError, ValueError):
            return EMPTY_PASSAGE
        if not snapshot or not 1 <= number <= len(snapshot):
            return EMPTY_PASSAGE
        a = snapshot[number - 1]
        passage = tables.passage_of(self.assistant.nodes, a.source, a.start, a.end, a.chunk_id)
        return tables.render_assignment(a, passage, self.assistant.catalog.info(a.source))

    # -- documents ------------------------------------------------------------
    def document_table(self) -> list[list[Any]]:
        return tables.document_rows(self.assistant.documents()) or [["", "", "", "", "", 0, 0]]

    def upload(self, files: list[str] | str | None) -> tuple[str, None]:
        paths = [files] if isinstance(files, str) else list(files or [])
        if not paths:
            return "Chưa chọn tệp nào.", None
        lines = []
        with self._upload_lock:
            for path in paths:
                name = Path(path).name
                try:
                    report = self.assistant.add_document(name, Path(path).read_bytes())
                    lines.append(f"✔ {name}: {report.summary_vi()}")
                    logger.info("uploaded %s: %s", name, report.summary())
                except UploadError as exc:
                    lines.append(f"✘ {name}: {exc}")
                except Exception:
                    logger.exception("ingesting upload %s failed", name)
                    lines.append(f"✘ {name}: lỗi khi nạp tài liệu.")
        return "\n".join(lines), None

    def pick_up_other_ingests(self) -> None:
        """Another process may have ingested into the same index: reload, at most every few seconds."""
        try:
            if self.assistant.refresh_if_due():
                logger.info("index changed: reloaded")
        except Exception:
            logger.exception("refreshing the index failed; answering from the last loaded state")

    def reload(self) -> list[list[Any]]:
        """Pick up documents ingested by another process, then list the documents."""
        try:
            if self.assistant.refresh():
                logger.info("index changed on disk: reloaded")
        except Exception:
            logger.exception("refreshing the index failed")
        return self.document_table()


def build_ui(assistant: Assistant) -> gr.Blocks:
    """The Vietnamese browser interface over an already-loaded Assistant."""
    h = AppHandlers(assistant)
    with gr.Blocks(title="Trợ lý văn bản — phân công nhiệm vụ", analytics_enabled=False, delete_cache=(3600, 3600),
                   fill_height=True) as demo:
        gr.Markdown("## Trợ lý văn bản: đơn vị nào chủ trì, đơn vị nào phối hợp")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat"):
                history = gr.State([])
                chatbot = gr.Chatbot(
                    label="Hội thoại", show_label=False, height=CHAT_HEIGHT, min_height=320, elem_id="chatbot",
                    buttons=["copy_all"], sanitize_html=True, allow_tags=False,
                    latex_delimiters=[], feedback_options=None, render_markdown=True,
                    placeholder="Hỏi về phân công nhiệm vụ trong các văn bản đã nạp (có dấu hoặc không dấu).",
                )
                with gr.Row():
                    question = gr.Textbox(
                        show_label=False, placeholder="Nhập câu hỏi, ví dụ: Đơn vị nào chủ trì …?",
                        scale=8, elem_id="question", max_lines=4, autofocus=True,
                    )
                    send = gr.Button("Gửi", variant="primary", scale=1, elem_id="send")
                    clear = gr.Button("Xoá hội thoại", scale=1, elem_id="clear")
                with gr.Row(elem_id="examples", equal_height=False):
                    gr.Markdown("Câu hỏi mẫu:", elem_classes=["examples-label"])
                    for example in EXAMPLES:  # whole questions (gr.Examples cuts them), put in the box on click
                        gr.Button(example, size="sm", elem_classes=["example"]).click(
                            lambda text=example: text, None, question, api_visibility="private", queue=False
                        )
                chat_io: dict[str, Any] = {
                    "fn": h.send, "inputs": [question, chatbot, history], "outputs": [question, chatbot, history],
                    "api_visibility": "private",
                }
                question.submit(**chat_io)
                send.click(**chat_io)
                clear.click(h.clear, None, [question, chatbot, history], api_visibility="private", queue=False)
                chatbot.clear(h.clear, None, [question, chatbot, history], api_visibility="private", queue=False)

            with gr.Tab("Phân công", id="assignments"):
                snapshot = gr.State([])
                with gr.Row():
                    filter_box = gr.Textbox(
                        label="Lọc (không cần dấu)", placeholder="ví dụ: vu ke hoach", scale=4, elem_id="assignment-filter"
                    )
                    scope = gr.Radio([tables.SCOPE_UNITS, tables.SCOPE_ALL], value=tables.SCOPE_UNITS,
                                     label="Tìm trong", scale=2)
                    download = gr.DownloadButton("Tải CSV", scale=1, elem_id="assignments-csv")
                with gr.Row():
                    issuer = gr.Dropdown(choices=[""], value="", label="Cơ quan ban hành", allow_custom_value=True,
                                         scale=3, elem_id="filter-issuer")
                    number = gr.Textbox(label="Số hiệu văn bản", placeholder="ví dụ: 141/NQ-CP", scale=2,
                                        elem_id="filter-number")
                    year = gr.Dropdown(choices=[tables.ALL_YEARS], value=tables.ALL_YEARS, label="Năm ban hành",
                                       scale=1, elem_id="filter-year")
                count = gr.Markdown(elem_id="assignment-count")
                table = gr.Dataframe(
                    headers=tables.ASSIGNMENT_HEADERS, datatype="str", interactive=False, wrap=False,
                    elem_id="assignments-table", column_widths=["5%", "47%", "16%", "16%", "16%"], max_height=520,
                )
                passage_view = gr.HTML(EMPTY_PASSAGE, elem_id="assignment-passage")
                filter_inputs = [filter_box, scope, issuer, number, year]
                table_outputs = [table, count, download, snapshot]
                for box in (filter_box, number):
                    box.change(h.filter_table, filter_inputs, table_outputs, api_visibility="private",
                               trigger_mode="always_last")
                for choice in (scope, issuer, year):
                    choice.change(h.filter_table, filter_inputs, table_outputs, api_visibility="private")
                table.select(h.select_row, [snapshot], passage_view, api_visibility="private")

            with gr.Tab("Tài liệu", id="documents"):
                documents = gr.Dataframe(
                    headers=tables.DOCUMENT_HEADERS, interactive=False, wrap=True, elem_id="documents-table",
                    column_widths=["20%", "36%", "13%", "8%", "13%", "5%", "5%"],
                )
                with gr.Row():
                    files = gr.File(label="Thêm tài liệu (.txt, .md)", file_count="multiple",
                                    file_types=[".txt", ".md"], elem_id="upload", scale=3)
                    with gr.Column(scale=1):
                        add = gr.Button("Nạp tài liệu", variant="primary", elem_id="ingest")
                        refresh = gr.Button("Làm mới", elem_id="refresh")
                status = gr.Textbox(label="Kết quả", interactive=False, lines=3, elem_id="upload-status")
                add.click(h.upload, [files], [status, files], api_visibility="private", concurrency_limit=1).then(
                    h.document_table, None, documents, api_visibility="private"
                ).then(h.filter_table, filter_inputs, table_outputs, api_visibility="private").then(
                    h.filter_choices, None, [issuer, year], api_visibility="private"
                )
                refresh.click(h.reload, None, documents, api_visibility="private").then(
                    h.filter_table, filter_inputs, table_outputs, api_visibility="private"
                ).then(h.filter_choices, None, [issuer, year], api_visibility="private")

        gr.api(h.ask_api, api_name="ask")
        demo.load(h.reload, None, documents, api_visibility="private").then(
            h.filter_table, filter_inputs, table_outputs, api_visibility="private"
        ).then(h.filter_choices, None, [issuer, year], api_visibility="private")
    return demo


def launch_app(assistant: Assistant, settings: Settings, prevent_thread_lock: bool = False) -> gr.Blocks:
    """Serve the app on settings.host:settings.port: queue on, no share link, no analytics, nothing from the internet."""
    auth = parse_auth(settings.auth)
    demo = build_ui(assistant)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    logger.info("serving on http://%s:%d (login %s)", settings.host, settings.port, "on" if auth else "off")
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        auth_message="Đăng nhập để dùng trợ lý văn bản." if auth else None,
        share=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        max_file_size=f"{settings.max_upload_mb}mb",
        state_session_capacity=SESSION_CAPACITY,
        theme=THEME,
        css=CSS,
        footer_links=["api"],
        i18n=gr.I18n(**TRANSLATIONS),
        prevent_thread_lock=prevent_thread_lock,
        quiet=True,
    )
    return demo
