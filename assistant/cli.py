"""The `assistant` command: a thin layer over the library that turns its errors into clear messages.

Heavy modules (llama-index, Chroma, the embedder) are imported inside the commands that need them,
so a mistake (a bad setting, a bad question, an unknown embedder) is reported at once, and the
exceptions caught here come from modules that import nothing heavy.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant import terminal
from assistant.inputs import QuestionError
from assistant.settings import SettingsError
from index.embed_names import EmbedModelError
from index.errors import NothingToIngest, StoreError

EXIT_USAGE = 2
LISTING_TASK_CHARS = 120
WAIT_HELP = ("if another ingest or add is writing to the index, wait for it (default: exit with code 2 and "
             "a message)")


class CliError(Exception):
    """Printed as "error: ..." with exit code 2."""


def _settings(args: argparse.Namespace) -> Any:
    from assistant.settings import load_settings

    overrides: dict[str, Any] = {}
    if getattr(args, "index", None):
        overrides["index_dir"] = Path(args.index)
    if getattr(args, "documents", None):
        overrides["documents_dir"] = Path(args.documents)
    return load_settings(**overrides)


def _assistant(args: argparse.Namespace, settings: Any = None) -> Any:
    from assistant.service import Assistant

    return Assistant.from_settings(settings or _settings(args))


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
    for item in report.skipped:
        print(f"warning: skipped {item.source}: {item.reason}", file=sys.stderr)
    print(report.summary())


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.documents_dir.is_dir():
        raise CliError(f"documents folder not found: {settings.documents_dir}")
    from assistant.service import run_ingest

    progress = _Progress(args.quiet)
    try:
        report = run_ingest(settings, reset=args.reset, progress=progress, allow_empty=args.allow_empty,
                            wait=args.wait, on_wait=_waiting)
    finally:
        progress.close()
    _print_report(report)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
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
    from assistant.service import add_files
    from assistant.uploads import UploadError

    progress = _Progress(args.quiet)
    try:
        saved, report = add_files(settings, copies, progress=progress, wait=args.wait, on_wait=_waiting,
                                  in_place=in_place)
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
    from assistant.inputs import validate_question

    settings = _settings(args)
    validate_question(args.question, settings.max_question_chars)  # fail fast, before loading anything
    answer = _assistant(args, settings).ask(args.question)
    if args.json:
        print(terminal.safe_json(answer.to_json()))
        return 0
    from assistant.console import format_answer

    print(format_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.console import chat

    settings = _settings(args)
    assistant = _assistant(args, settings)
    return chat(assistant.ask, settings.index_dir, refresh=assistant.refresh_if_due)


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
    baseline = None
    if args.compare:  # before the run: the baseline needs the index's documents
        from assistant.evaluation.compare import BaselineDocumentsMissing, baseline_ask, index_sources

        try:
            baseline = baseline_ask(assistant.settings.documents_dir, assistant.embed_model, index_sources(assistant))
        except BaselineDocumentsMissing as exc:
            raise CliError(str(exc)) from exc
    records = run(conversations, assistant.ask)
    metrics = score(flat_questions(conversations), records)
    columns = {"assistant": metrics}
    if baseline is not None:
        from assistant.evaluation.compare import compare

        columns = compare(conversations, assistant, baseline)
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


def cmd_fit(args: argparse.Namespace) -> int:
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise CliError("assistant fit needs scikit-learn (installed by `make test`, or pip install scikit-learn)") from exc
    from assistant.evaluation.fit_report import markdown, run_fit

    root = Path(args.root).resolve()
    sets = root / args.sets
    if not sets.is_file():
        raise CliError(f"question sets not found: {sets}")
    result = run_fit(root, sets, Path(args.work), _settings(args), Path(args.rows) if args.rows else None,
                     save=not args.dry_run)
    text = markdown(result)
    if args.report:
        out = Path(args.report)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"report written to {out}", file=sys.stderr)
    print(text)
    return 0


def cmd_assignments(args: argparse.Namespace) -> int:
    from assistant.assignment_table import AssignmentFilter, csv_bytes, filter_assignments, shorten_words

    assistant = _assistant(args)
    snapshot = assistant.assignments()
    documents = assistant.catalog.infos()
    flt = AssignmentFilter(text=args.search or "", scope=args.scope, lead=args.unit or "", issuer=args.issuer or "",
                           number=args.number or "", year=args.year or "")
    indices = filter_assignments(snapshot, documents, flt)
    if args.csv:
        Path(args.csv).write_bytes(csv_bytes(snapshot, indices, documents))
        print(f"wrote {len(indices)} assignments to {args.csv}")
        return 0
    for i in indices:
        a = snapshot[i]
        info = documents.get(a.source)
        partners = f" (phối hợp: {'; '.join(a.partners)})" if a.partners else ""
        number = f", số {info.doc_number}" if info and info.doc_number else ""
        print(f"- {a.lead} {a.role}: {shorten_words(a.task, LISTING_TASK_CHARS)}{partners} [{a.source}{number}]")
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
    p.add_argument("--allow-empty", action="store_true",
                   help="accept a folder with no readable document, which removes every document from the index "
                   "(refused otherwise)")
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

    p = sub.add_parser("ask", help="answer one question from the ingested documents (for scripts; see chat)")
    p.add_argument("question", help="the question, with or without diacritics")
    p.add_argument("--json", action="store_true", help="print the full answer record as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="ask question after question in the terminal, with follow-ups; loads once")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="run a question set and print the metrics")
    p.add_argument("--questions", required=True, help="question set (.jsonl, format in eval/README.md)")
    p.add_argument("--json", metavar="OUT", help="write the answer records (JSONL) here")
    p.add_argument("--compare", action="store_true",
                   help="also run the llama-index quick-start baseline and dense / bm25 / hybrid retrieval alone")
    p.add_argument("--documents", help="the folder the index was built from, which --compare's baseline indexes "
                   "(default: ASSISTANT_DOCUMENTS_DIR or documents/)")
    p.add_argument("--report", metavar="DIR", help="write a Markdown report with a PNG chart here")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("fit", help="refit the answer decision and the assignments filter on every labelled set",
                       description="Indexes each set's documents under --work, gathers every question's candidate "
                       "answers with their features and labels, fits the models (scikit-learn), saves them to "
                       "knowledge/decision.json and knowledge/assignments.json, and prints leave-one-corpus-out figures.")
    p.add_argument("--root", default=".", help="the repository (default: the current folder)")
    p.add_argument("--sets", default="eval/sets.toml", help="the labelled sets, relative to --root")
    p.add_argument("--work", default=".index-eval", help="where the sets' indexes and the gathered candidates go")
    p.add_argument("--rows", help="reuse candidates gathered before (a rows.jsonl of --work) instead of gathering")
    p.add_argument("--report", metavar="FILE", help="also write the figures as Markdown here")
    p.add_argument("--dry-run", action="store_true", help="report, but keep the models as they are")
    p.set_defaults(func=cmd_fit)

    p = sub.add_parser("assignments", help="list every extracted assignment, or write them as CSV",
                       description="Filters combine; text is matched without diacritics or case. The CSV is "
                       "the same file the browser's Phân công tab downloads for the same filter.")
    p.add_argument("--unit", help="only assignments led by this unit")
    p.add_argument("--search", help="only assignments naming this unit, as lead or partner (as the browser's filter)")
    p.add_argument("--scope", choices=["units", "all"], default="units",
                   help="where --search looks: the units (default) or every column, document included")
    p.add_argument("--issuer", help="only documents whose issuing body contains this (e.g. 'chinh phu')")
    p.add_argument("--number", help="only documents whose number contains this (e.g. '141/NQ-CP')")
    p.add_argument("--year", help="only documents dated in this year")
    p.add_argument("--csv", metavar="FILE", help="write them as CSV (UTF-8 with BOM)")
    p.set_defaults(func=cmd_assignments)
    return parser


class _Formatter(logging.Formatter):
    """"warning: ..." as the CLI's own messages; logger names only with --verbose."""

    def __init__(self, verbose: bool) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s" if verbose else "%(message)s")
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text if self.verbose else f"{record.levelname.lower()}: {text}"


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    # text from documents and questions reaches the terminal without its control characters (assistant.terminal)
    sys.stdout, sys.stderr = terminal.SafeStream(sys.stdout), terminal.SafeStream(sys.stderr)  # type: ignore[assignment]
    args = build_parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(_Formatter(args.verbose))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler])
    if not args.verbose:  # the CLI lists skipped files itself, once, with the reader's reason
        for name in ("index.loader.skips", "pypdf"):
            logging.getLogger(name).setLevel(logging.ERROR)
    try:
        return int(args.func(args))
    except (CliError, QuestionError, StoreError, SettingsError, EmbedModelError, NothingToIngest) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
