"""Uploads are ingested by one background worker per app, so the app answers (and takes more uploads) meanwhile.

A file is saved at once under its name, or a numbered one when the name is taken (assistant.uploads), and
queued; the worker ingests one file at a time (holding the index's write lock, see index.lock), the smallest
waiting file first. A large file being embedded steps aside when a much smaller one arrives: its run stops
between two batches (nothing of it is written yet, see index.ingest), the small file is ingested, and the
large one starts again, its finished batches taken from the embedding cache. Each job has a state the
Tài liệu tab shows: queued, waiting (for another process's ingest), reading, embedding n/N, done, skipped
(why), failed.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.uploads import UploadError, save_upload

if TYPE_CHECKING:
    from assistant.service import Assistant

logger = logging.getLogger(__name__)

KEEP_FINISHED = 50  # finished jobs still listed
# a running job steps aside for a queued one at most this fraction of its size, when this many chunks remain
SMALLER_BY = 0.25
MIN_REMAINING_CHUNKS = 200
MAX_STEP_ASIDE = 20

QUEUED, WAITING, READING, EMBEDDING, DONE, SKIPPED, FAILED, REFUSED = (
    "queued", "waiting", "reading", "embedding", "done", "skipped", "failed", "refused",
)
FINISHED = (DONE, SKIPPED, FAILED, REFUSED)


@dataclass
class UploadJob:
    id: int
    requested: str  # the name as sent
    source: str  # the name it is stored and cited under ("" when refused)
    size: int
    renamed: bool = False
    existing: bool = False  # the same bytes were already stored under that name
    state: str = QUEUED
    done: int = 0  # chunks embedded
    total: int = 0
    detail: str = ""  # why it was skipped, refused or failed; who holds the index while waiting
    same_as: str = ""  # done: the stored document with the same text (stored once, cited under both names)
    steps_aside: int = 0
    submitted: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


class _StepAside(BaseException):
    """Raised from the ingest's progress callback to stop it (a BaseException: no `except Exception` takes it)."""


class UploadQueue:
    """The background ingest of uploads for one Assistant (see the module docstring)."""

    def __init__(self, assistant: Assistant, on_change: Callable[[], None] | None = None) -> None:
        self.assistant = assistant
        self.on_change = on_change
        self._jobs: list[UploadJob] = []
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None
        self.version = 0  # changes with every state change (the UI polls it)
        self.finished_version = 0  # changes when a job finishes (the documents changed)

    # -- submitting -----------------------------------------------------------
    def submit(self, name: str, content: bytes) -> UploadJob:
        """Save the file (never over another one) and queue its ingest; a refused file is a finished job."""
        settings = self.assistant.settings
        try:
            saved = save_upload(settings.documents_dir, name, content, settings.max_upload_mb * 1_000_000)
        except UploadError as exc:
            job = UploadJob(next(self._ids), name, "", len(content), state=REFUSED, detail=str(exc))
            with self._cond:
                self._add(job)
            return job
        job = UploadJob(next(self._ids), name, saved.source, len(content), renamed=saved.renamed,
                        existing=saved.existing)
        with self._cond:
            self._add(job)
            self._cond.notify_all()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="upload-ingest", daemon=True)
                self._worker.start()
        return job

    def jobs(self) -> list[UploadJob]:
        """The jobs, newest first (copies: the worker changes the originals)."""
        with self._cond:
            return [UploadJob(**vars(j)) for j in reversed(self._jobs)]

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job is queued or running (tests, shutdown); True if idle."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while any(not j.finished for j in self._jobs):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.5))
        return True

    def _add(self, job: UploadJob) -> None:
        self._jobs.append(job)
        finished = [j for j in self._jobs if j.finished]
        for old in finished[:-KEEP_FINISHED]:
            self._jobs.remove(old)
        self._changed(finished=job.finished)

    def _changed(self, finished: bool = False) -> None:
        self.version += 1
        if finished:
            self.finished_version += 1
        self._cond.notify_all()
        if self.on_change is not None:
            self.on_change()

    def _set(self, job: UploadJob, **changes: object) -> None:
        with self._cond:
            for key, value in changes.items():
                setattr(job, key, value)
            self._changed(finished=job.finished)

    # -- the worker -----------------------------------------------------------
    def _next(self) -> UploadJob | None:
        queued = [j for j in self._jobs if j.state == QUEUED]
        return min(queued, key=lambda j: (j.size, j.id)) if queued else None

    def _smaller_waiting(self, job: UploadJob) -> bool:
        with self._cond:
            return any(j.state == QUEUED and j.size <= SMALLER_BY * job.size for j in self._jobs)

    def _run(self) -> None:
        while True:
            with self._cond:
                job = self._next()
                while job is None:
                    self._cond.wait()
                    job = self._next()
                job.state = READING
                self._changed()
            self._ingest(job)

    def _ingest(self, job: UploadJob) -> None:
        from assistant.service import run_ingest

        assistant = self.assistant

        def progress(done: int, total: int) -> None:
            self._set(job, state=EMBEDDING, done=done, total=total)
            if (total - done >= MIN_REMAINING_CHUNKS and job.steps_aside < MAX_STEP_ASIDE
                    and self._smaller_waiting(job)):
                raise _StepAside

        try:
            report = run_ingest(assistant.settings, assistant.embed_model, progress=progress, only=[job.source],
                                wait=True, on_wait=lambda holder: self._set(job, state=WAITING, detail=holder))
        except _StepAside:
            logger.info("upload %s steps aside for a smaller file (%d/%d chunks embedded)", job.source, job.done,
                        job.total)
            self._set(job, state=QUEUED, steps_aside=job.steps_aside + 1, detail="")
            return
        except Exception as exc:
            logger.exception("ingesting upload %s failed", job.source)
            self._set(job, state=FAILED, detail=f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        try:
            assistant.refresh()  # answerable at once
        except Exception:
            logger.exception("reloading after the upload %s failed", job.source)
        skipped = {s.source: s.reason for s in report.skipped}
        if job.source in skipped:
            self._set(job, state=SKIPPED, detail=skipped[job.source])
            return
        stored = {*report.added, *report.updated, *report.unchanged}
        same_as = "" if job.source in stored else next(iter(sorted(stored)), "")
        logger.info("upload %s ingested: %s", job.source, report.summary())
        self._set(job, state=DONE, done=job.total, same_as=same_as, detail="")


__all__ = ["FINISHED", "UploadJob", "UploadQueue"]
