"""The Gradio app: Chat, Phân công (assignments) and Tài liệu (documents) tabs over one Assistant.

The UI only calls the service and formats its typed results; the service never imports gradio.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr
from starlette.middleware import Middleware

from assistant.assignment_table import SCOPE_UNITS, AssignmentFilter, filter_assignments, issuers, years
from assistant.reading.assignments import Assignment
from assistant.service import Assistant, QuestionError
from assistant.settings import Settings
from assistant.types import Answer
from assistant.ui import jobs, tables
from assistant.ui.guard import EdgeGuard, Limits
from assistant.ui.i18n import TRANSLATIONS
from assistant.ui.render import CSS, render_answer, render_error, render_question
from assistant.upload_queue import UploadQueue

logger = logging.getLogger(__name__)

MAX_HISTORY = 10  # answers kept per conversation for follow-ups
MAX_MESSAGES = 200  # messages shown per conversation (kept on the server)
POLL_SECONDS = 1.0  # how often an open page asks for the uploads' progress
UPLOAD_TTL_S = 600  # an upload nobody ingested is removed after this
UPLOAD_PREFIX = "assistant-uploads-"
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

    def __init__(self, assistant: Assistant, upload_dir: Path | None = None) -> None:
        self.assistant = assistant
        self.uploads = UploadQueue(assistant)
        self.upload_dir = upload_dir  # gradio's folder for this app's uploads: a handled file is removed from it

    # -- chat -----------------------------------------------------------------
    def format_answer(self, answer: Answer) -> str:
        nodes = self.assistant.nodes
        return render_answer(answer, [tables.citation_passage(nodes, c) for c in answer.citations])

    def send(
        self, message: str, chat: list[Message] | None, history: list[Answer] | None
    ) -> tuple[str, list[Message], list[Message], list[Answer]]:
        """The conversation shown is kept on the server (a gr.State) and sent to the chat box, never read back
        from it: a request carries the question only, so its size can be capped (assistant.ui.guard)."""
        chat, history = list(chat or [])[-MAX_MESSAGES:], list(history or [])
        question = (message or "").strip()
        if not question:
            return "", chat, chat, history
        chat.append({"role": "user", "content": render_question(question)})
        self.pick_up_other_ingests()
        try:
            answer = self.assistant.ask(question, history)
        except QuestionError as exc:
            chat.append({"role": "assistant", "content": render_error(str(exc))})
            return "", chat, chat, history
        except Exception:
            logger.exception("answering failed: %r", question[:200])
            chat.append({"role": "assistant", "content": render_error("Lỗi khi trả lời câu hỏi. Hãy thử lại.")})
            return "", chat, chat, history
        logger.info("answered=%s lead=%s in %.0f ms", answer.answered, answer.lead, answer.latency_ms)
        chat.append({"role": "assistant", "content": self.format_answer(answer)})
        return "", chat, chat, [*history, answer][-MAX_HISTORY:]

    @staticmethod
    def clear() -> tuple[str, list[Message], list[Message], list[Answer]]:
        return "", [], [], []

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

    def upload(self, files: list[str] | str | None) -> tuple[str, None, list[list[Any]]]:
        """Save each file (under a numbered name when its name is taken) and queue it for the background
        ingest; returns at once. The list of uploads shows each file's progress."""
        paths = [files] if isinstance(files, str) else list(files or [])
        if not paths:
            return "Chưa chọn tệp nào.", None, self.job_table()
        lines = []
        for path in paths:
            name = Path(path).name
            try:
                content = Path(path).read_bytes()
            except OSError:
                lines.append(f"✘ {name}: tệp tạm đã bị xoá, hãy chọn lại tệp.")
                continue
            self._discard(Path(path))
            lines.append(jobs.upload_line(self.uploads.submit(name, content)))
        return "\n".join(lines), None, self.job_table()

    def _discard(self, path: Path) -> None:
        """Remove a handled upload from gradio's upload folder (and its folder, when empty): the folder is
        bounded (see assistant.ui.guard), and the document now lives in the documents folder."""
        if self.upload_dir is None:
            return
        root = self.upload_dir.resolve()
        try:
            resolved = path.resolve()
            resolved.relative_to(root)
        except (OSError, ValueError):
            return  # not one of gradio's uploads: never removed
        resolved.unlink(missing_ok=True)
        if resolved.parent != root:
            with suppress(OSError):
                resolved.parent.rmdir()

    def job_table(self) -> list[list[Any]]:
        return jobs.job_rows(self.uploads.jobs()) or [["", "", ""]]

    def poll(self, seen: list[int] | None, *filters: Any) -> tuple[Any, ...]:
        """Every second from the browser: the uploads' progress when it changed, and the documents,
        assignments and filter lists when an upload finished since this page last looked."""
        version, finished = self.uploads.version, self.uploads.finished_version
        last = seen or [-1, -1]
        if [version, finished] == last:
            return (gr.skip(),) * 9
        # the first tick only learns where things stand (the page has just loaded the tables), so it cannot
        # overwrite the assignments of a filter the user is changing meanwhile
        if finished == last[1] or last == [-1, -1]:
            return (self.job_table(), *(gr.skip(),) * 7, [version, finished])
        return (self.job_table(), self.document_table(), *self.filter_table(*filters), *self.filter_choices(),
                [version, finished])

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


def build_ui(assistant: Assistant, upload_dir: Path | None = None) -> gr.Blocks:
    """The Vietnamese browser interface over an already-loaded Assistant."""
    h = AppHandlers(assistant, upload_dir)
    # uploads nobody ingested are removed after UPLOAD_TTL_S (handled ones at once, see AppHandlers._discard)
    with gr.Blocks(title="Trợ lý văn bản — phân công nhiệm vụ", analytics_enabled=False,
                   delete_cache=(UPLOAD_TTL_S, UPLOAD_TTL_S), fill_height=True) as demo:
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
                chat_log = gr.State([])  # the messages shown, kept on the server (see AppHandlers.send)
                chat_io: dict[str, Any] = {
                    "fn": h.send, "inputs": [question, chat_log, history],
                    "outputs": [question, chatbot, chat_log, history], "api_visibility": "private",
                }
                question.submit(**chat_io)
                send.click(**chat_io)
                cleared = [question, chatbot, chat_log, history]
                clear.click(h.clear, None, cleared, api_visibility="private", queue=False)
                chatbot.clear(h.clear, None, cleared, api_visibility="private", queue=False)

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
                gr.Markdown("**Tiến trình nạp tài liệu**")
                job_table = gr.Dataframe(
                    headers=jobs.JOB_HEADERS, interactive=False, wrap=True, elem_id="upload-jobs",
                    column_widths=["30%", "30%", "40%"],
                )
                seen = gr.State([-1, -1])
                add.click(h.upload, [files], [status, files, job_table], api_visibility="private")
                refresh.click(h.reload, None, documents, api_visibility="private").then(
                    h.filter_table, filter_inputs, table_outputs, api_visibility="private"
                ).then(h.filter_choices, None, [issuer, year], api_visibility="private")
                gr.Timer(POLL_SECONDS).tick(
                    h.poll, [seen, *filter_inputs], [job_table, documents, *table_outputs, issuer, year, seen],
                    api_visibility="private", show_progress="hidden", concurrency_limit=None,
                )

        gr.api(h.ask_api, api_name="ask")
        demo.load(h.job_table, None, job_table, api_visibility="private")
        demo.load(h.reload, None, documents, api_visibility="private").then(
            h.filter_table, filter_inputs, table_outputs, api_visibility="private"
        ).then(h.filter_choices, None, [issuer, year], api_visibility="private")
    return demo


def _upload_folder() -> Path:
    """This app's own folder for gradio's uploads and files (gradio's default is shared by every gradio app on
    the machine), removed when the app stops; folders left by apps that were killed are removed first."""
    for stale in Path(tempfile.gettempdir()).glob(f"{UPLOAD_PREFIX}*-*"):
        pid = stale.name.removeprefix(UPLOAD_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{UPLOAD_PREFIX}{os.getpid()}-"))
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    atexit.register(shutil.rmtree, folder, True)
    if threading.current_thread() is threading.main_thread():  # SIGTERM ends the app through atexit too
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def launch_app(assistant: Assistant, settings: Settings, prevent_thread_lock: bool = False) -> gr.Blocks:
    """Serve the app on settings.host:settings.port: queue on, no share link, no analytics, nothing from the internet."""
    auth = parse_auth(settings.auth)
    upload_dir = _upload_folder()
    limits = Limits.from_settings(settings.max_question_chars, settings.max_upload_mb)
    demo = build_ui(assistant, upload_dir)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    logger.info("serving on http://%s:%d (login %s); uploads wait in %s", settings.host, settings.port,
                "on" if auth else "off", upload_dir)
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
        app_kwargs={"middleware": [Middleware(EdgeGuard, limits=limits)]},
    )
    return demo
