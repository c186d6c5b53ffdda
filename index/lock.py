"""One writer at a time per index: a file lock (`write.lock` in the index folder) held by ingest, add and reset.

Two ingests of different folders into one index at once would each remove what the
other wrote and leave an index matching neither. The lock is an advisory `flock` on
a file in the index folder, so it is released when its holder exits, even by kill -9,
and never needs cleaning up. The file names the holder (pid, command, start time)
for the message the second writer gets. Readers (the app, `ask`) never take it.
With a Chroma server the lock covers the processes that share this index folder.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.store_errors import StoreError, check_index_dir

logger = logging.getLogger(__name__)

LOCK_FILE = "write.lock"
POLL_SECONDS = 0.5


class IndexBusy(StoreError):
    """Another process is writing to the index (ingest, add or reset)."""


def _holder(path: Path) -> str:
    """Who holds the lock, as the lock file says: 'pid 123, `assistant ingest`, since 10:04:05'."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        since = time.strftime("%H:%M:%S", time.localtime(float(info["since"])))
        return f"pid {int(info['pid'])}, `{info['command']}`, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _open(index_dir: Path) -> int:
    check_index_dir(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot write to the index folder {index_dir} ({exc.strerror or exc})") from exc


@contextmanager
def write_lock(
    index_dir: Path, wait: bool = False, on_wait: Callable[[str], None] | None = None, command: str | None = None
) -> Iterator[None]:
    """Hold the index's write lock for the block. Held by another process: raise IndexBusy naming it, or,
    with wait=True, call on_wait(holder) once and wait until it is free."""
    path = index_dir / LOCK_FILE
    fd = _open(index_dir)
    try:
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
            holder = _holder(path)
            if not wait:
                raise IndexBusy(
                    f"another process is writing to the index {index_dir} ({holder}): "
                    "try again when it has finished, or pass --wait"
                )
            if not told:
                told = True
                logger.info("waiting for the index write lock held by %s", holder)
                if on_wait is not None:
                    on_wait(holder)
            time.sleep(POLL_SECONDS)
        record = {"pid": os.getpid(), "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200],
                  "since": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # the next holder writes its own record; a reader sees no stale one meanwhile
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_locked(index_dir: Path) -> bool:
    """True when some process holds the write lock (for tests and the app's status line)."""
    path = index_dir / LOCK_FILE
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


__all__ = ["LOCK_FILE", "IndexBusy", "is_locked", "write_lock"]
