"""The assistant in a terminal: an answer as text (`assistant ask`) and an interactive session (`assistant chat`).

`chat` loads the index and the embedder once, then answers question after question; follow-ups
("Còn những đơn vị nào phối hợp?") are resolved against the session's earlier answers exactly as
in the browser app, and each answer prints the same citations as `ask`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from assistant.assignment_table import shorten_words
from assistant.inputs import QuestionError
from assistant.types import Answer, Citation
from index.metadata import display_date

HISTORY_TURNS = 10  # earlier answers a follow-up may refer to, as in the browser app
CLOSEST_SHOWN = 3
READLINE_LENGTH = 1000
NEW = ("/new", "/moi", "/mới")
QUIT = ("/quit", "/exit", "/thoat", "/thoát", "/q")
BANNER = (
    "Trợ lý văn bản: hỏi đơn vị nào chủ trì, đơn vị nào phối hợp (có dấu hoặc không dấu).\n"
    "Enter để hỏi · /moi: cuộc hội thoại mới · /thoat hoặc Ctrl-D: thoát"
)


def citation_lines(c: Citation) -> list[str]:
    """A citation as staff read it: the document's title, number and date, then the file, then the quote."""
    head = f"[{c.n}] {c.title or c.source}"
    facts = [f"Số {c.doc_number}" if c.doc_number else "", f"ngày {display_date(c.doc_date)}" if c.doc_date else "",
             c.issuer]
    where = ", ".join([c.source, *([f"trang {c.page}"] if c.page else []), f"ký tự {c.start}–{c.end}"])
    lines = [head]
    if any(facts):
        lines.append("    " + " · ".join(f for f in facts if f))
    lines.append(f"    {where}")
    if c.aliases:
        lines.append(f"    (cùng nội dung: {', '.join(c.aliases)})")
    lines.append(f"    «{c.text}»")
    return lines


def format_answer(answer: Answer) -> str:
    """What `assistant ask` prints: the answer, then its citations (or, unanswered, the closest passages)."""
    parts = [answer.answer]
    if not answer.answered:
        for r in answer.retrieved[:CLOSEST_SHOWN]:
            parts.append(f"- (không trả lời câu hỏi) {r.title} ({r.source}):\n    {shorten_words(r.text, 300)}")
    parts += ["\n".join(citation_lines(c)) for c in answer.citations]
    return "\n\n".join(parts)


def _history_file(index_dir: Path) -> Path | None:
    return index_dir / "chat-history" if index_dir.is_dir() else None


@contextlib.contextmanager
def _line_editing(history: Path | None, interactive: bool) -> Any:
    """Arrow keys and the history of earlier sessions (readline), when a person types and readline exists."""
    readline: Any = None
    if interactive:
        try:
            import readline
        except ImportError:  # Windows, or a Python built without it: plain input()
            readline = None
    if readline is not None and history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(str(history))
        readline.set_history_length(READLINE_LENGTH)
    try:
        yield
    finally:
        if readline is not None and history is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(str(history))


def chat(
    ask: Callable[[str, list[Answer]], Answer], index_dir: Path, refresh: Callable[[], Any] | None = None,
    stdin: TextIO | None = None, stdout: TextIO | None = None,
) -> int:
    """Read questions until end of input or /thoat; each answer sees the earlier ones of the conversation."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    history: list[Answer] = []
    if interactive:
        print(BANNER, file=stdout)
    with _line_editing(_history_file(index_dir), interactive):
        while True:
            try:
                line = input("\n> ") if interactive else stdin.readline()
            except EOFError:
                break
            if not interactive and not line:
                break
            question = line.strip()
            if not question:
                continue
            if question.lower() in QUIT:
                break
            if question.lower() in NEW:
                history = []
                print("(cuộc hội thoại mới)", file=stdout)
                continue
            if not interactive:
                print(f"> {question}", file=stdout)
            if refresh is not None:
                refresh()
            try:
                answer = ask(question, history)
            except QuestionError as exc:
                print(f"error: {exc}", file=stdout)
                continue
            history = [*history, answer][-HISTORY_TURNS:]
            print(format_answer(answer), file=stdout, flush=True)
    if interactive:
        print(file=stdout)
    return 0
