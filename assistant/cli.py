"""The `assistant` command: a thin layer over the library that turns its errors into clear messages."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant import terminal

EXIT_USAGE = 2
WAIT_HELP = ("if another ingest or add is writing to the index, wait for it (default: exit with code 2 and "
             "a message)")


class CliError(Exception):
    """Printed as "error: ..." with exit code 2."""


def _settings(args: argparse.Namespace) -> Any:
    from assistant.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "index", None):
        overrides["index_dir"] = Path(args.index)
    if getattr(args, "documents", None):
        overrides["documents_dir"] = Path(args.documents)
    return Settings(**overrides)


def _assistant(args: argparse.Namespace) -> Any:
    from assistant.service import Assistant

    return Assistant.from_settings(_settings(args))


class _Progress:
    """The embedding progress bar on the terminal (none under 50 chunks or with --quiet)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, unit="chunk", desc="embedding", disable=total < 50 or self.quiet,
                            file=terminal.raw(sys.stderr))
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _waiting(holder: str) -> None:
    print(f"waiting: another process is writing to the index ({holder})…", file=sys.stderr)


def _print_report(report: Any) -> None:
    print(report.summary())  # each skipped file has had its "warning: skipped <name>: <reason>" line


class _LogFormat(logging.Formatter):
    """"warning: skipped x.txt: is empty"; with --verbose, the logger's name too."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        where = f" {record.name}" if self.verbose else ""
        return f"{record.levelname.lower()}{where}: {super().format(record)}"


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.service import run_ingest

    settings = _settings(args)
    if not settings.documents_dir.is_dir():
        raise CliError(f"documents folder not found: {settings.documents_dir}")
    progress = _Progress(args.quiet)
    try:
        report = run_ingest(settings, reset=args.reset, progress=progress, wait=args.wait, on_wait=_waiting)
    finally:
        progress.close()
    _print_report(report)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from assistant.service import add_files, run_ingest
    from assistant.uploads import UploadError

    settings = _settings(args)
    folder = settings.documents_dir.resolve()
    copies: list[tuple[str, bytes]] = []
    in_place: list[str] = []
    limit = settings.max_upload_mb * 1_000_000
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise CliError(f"file not found: {name}")
        if path.resolve().parent == folder and not path.is_symlink():  # already there: ingested as it is
            in_place.append(path.name)
            continue
        if path.stat().st_size > limit:  # before reading it
            raise CliError(f"{name} is too large ({path.stat().st_size / 1e6:.1f} MB; limit {settings.max_upload_mb} MB,"
                           " ASSISTANT_MAX_UPLOAD_MB)")
        copies.append((path.name, path.read_bytes()))
    progress = _Progress(args.quiet)
    try:
        if copies:
            saved, report = add_files(settings, copies, progress=progress, wait=args.wait, on_wait=_waiting)
        else:
            saved, report = [], run_ingest(settings, progress=progress, only=in_place, wait=args.wait,
                                           on_wait=_waiting)
    except UploadError as exc:
        raise CliError(str(exc)) from exc
    finally:
        progress.close()
    for item in saved:
        if item.existing:
            print(f"{item.requested}: already in the documents folder as {item.source} (same content)")
        elif item.renamed:
            print(f"{item.requested}: the name is taken, saved as {item.source}")
        else:
            print(f"{item.requested}: saved as {item.source}")
    _print_report(report)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.service import validate_question
    from assistant.settings import Settings

    validate_question(args.question, Settings().max_question_chars)  # fail fast, before loading models
    answer = _assistant(args).ask(args.question)
    if args.json:
        print(terminal.safe_json(answer.to_json()))
        return 0
    print(answer.answer)
    if not answer.answered:
        for r in answer.retrieved[:3]:
            print(f"\n- (không trả lời câu hỏi) {r.title} ({r.source}):\n    {' '.join(r.text.split())[:300]}")
    for c in answer.citations:
        where = ", ".join([c.source, *([f"trang {c.page}"] if c.page else []), f"ký tự {c.start}–{c.end}"])
        also = f"\n    (cùng nội dung: {', '.join(c.aliases)})" if c.aliases else ""
        print(f"\n[{c.n}] {c.title} ({where})\n    «{c.text}»{also}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evaluation.scoring import flat_questions, format_table, load_questions, run, score

    path = Path(args.questions)
    if not path.is_file():
        raise CliError(f"question file not found: {path}")
    try:
        conversations = load_questions(path)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    assistant = _assistant(args)
    records = run(conversations, assistant.ask)
    metrics = score(flat_questions(conversations), records)
    columns = {"assistant": metrics}
    if args.compare:
        from assistant.evaluation.compare import compare

        columns = compare(conversations, assistant)
    if args.report:
        from assistant.evaluation.report import write_report

        path = write_report(Path(args.report), columns, records, conversations, assistant.settings, path)
        print(f"report written to {path}", file=sys.stderr)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(format_table(columns))
    return 0


def cmd_assignments(args: argparse.Namespace) -> int:
    from index.textnorm import fold

    rows = [
        {"task": a.task, "lead": a.lead, "partners": "; ".join(a.partners), "role": a.role, "source": a.source,
         "start": a.start, "end": a.end}
        for a in _assistant(args).assignments()
        if not args.unit or fold(args.unit) in fold(a.lead)
    ]
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["task", "lead"])
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {len(rows)} assignments to {args.csv}")
        return 0
    for r in rows:
        partners = f" (phối hợp: {r['partners']})" if r["partners"] else ""
        print(f"- {r['lead']} {r['role']}: {r['task'][:160]}{partners} [{r['source']}]")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Vietnamese document assistant: who leads a task, who cooperates, with cited passages. "
        "Settings come from ASSISTANT_* environment variables (see README).",
    )
    parser.add_argument("--index", help="index folder (default: ASSISTANT_INDEX_DIR or .index)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="chunk, embed and store the documents (incremental)")
    p.add_argument("--documents", help="documents folder (default: ASSISTANT_DOCUMENTS_DIR or documents/)")
    p.add_argument("--reset", action="store_true",
                   help="drop the index and rebuild it from scratch (a damaged index is moved aside, not deleted)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--wait", action="store_true", help=WAIT_HELP)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("add", help="copy files into the documents folder and ingest just them",
                       description="Copy each FILE into the documents folder (ASSISTANT_DOCUMENTS_DIR) and ingest "
                       "just those files. A name that is taken is never overwritten: the copy gets a numbered name "
                       "(bao-cao.txt -> bao-cao-2.txt), and the output says which. A file already in the folder is "
                       "ingested where it is.")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt, .md, .html, .htm, .docx or .pdf")
    p.add_argument("--documents", help="documents folder (default: ASSISTANT_DOCUMENTS_DIR or documents/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--wait", action="store_true", help=WAIT_HELP)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("ask", help="answer one question from the ingested documents")
    p.add_argument("question", help="the question, with or without diacritics")
    p.add_argument("--json", action="store_true", help="print the full answer record as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="run a question set and print the metrics")
    p.add_argument("--questions", required=True, help="question set (.jsonl, format in eval/README.md)")
    p.add_argument("--json", metavar="OUT", help="write the answer records (JSONL) here")
    p.add_argument("--compare", action="store_true",
                   help="also run the llama-index quick-start baseline and dense / bm25 / hybrid retrieval alone")
    p.add_argument("--report", metavar="DIR", help="write a Markdown report with a PNG chart here")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("assignments", help="list every extracted assignment")
    p.add_argument("--unit", help="only assignments led by this unit (diacritics optional)")
    p.add_argument("--csv", metavar="FILE", help="write them as CSV")
    p.set_defaults(func=cmd_assignments)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    # text from documents and questions reaches the terminal without its control characters (assistant.terminal)
    sys.stdout, sys.stderr = terminal.SafeStream(sys.stdout), terminal.SafeStream(sys.stderr)  # type: ignore[assignment]
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    logging.getLogger().handlers[0].setFormatter(_LogFormat(args.verbose))
    from assistant.service import QuestionError, StoreError

    try:
        return int(args.func(args))
    except (CliError, QuestionError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
