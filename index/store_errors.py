"""A store that cannot be opened: say so in one line, or (on reset) move it aside so a new one can be built,
deleting nothing. Imports nothing heavy (chromadb only when a client must be dropped)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from index.errors import StoreError

logger = logging.getLogger(__name__)


class DamagedStore(StoreError):
    """The embedded store (or the embedding cache) exists but cannot be read."""


def damaged(index_dir: Path, exc: BaseException) -> DamagedStore:
    reason = " ".join(str(exc).split())[:200] or type(exc).__name__
    return DamagedStore(
        f"the index at {index_dir} is damaged or unreadable ({reason}): "
        "run `assistant ingest --reset` to move it aside and rebuild it"
    )


def check_index_dir(index_dir: Path) -> None:
    """A clear error when the index path (or its chroma/ folder) is a file, not a folder."""
    for path in (index_dir, index_dir / "chroma"):
        if path.exists() and not path.is_dir():
            raise StoreError(f"the index path {path} is a file, not a folder: point --index (or ASSISTANT_INDEX_DIR) "
                             "at a folder")


def forget_client(path: Path) -> None:
    """Drop chromadb's in-process client for this folder: it keeps one per path, even one that failed to
    start, and one that holds the files of a store about to be moved aside."""
    from chromadb.api.shared_system_client import SharedSystemClient

    systems = getattr(SharedSystemClient, "_identifier_to_system", {})
    system = systems.pop(str(path), None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a system that never started
            logger.debug("stopping the chroma client of %s failed", path, exc_info=True)


def move_aside(path: Path, reason: BaseException) -> Path:
    """Rename a damaged store (or cache) to <name>.damaged-<time>, so a reset starts anew and loses nothing."""
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    path.rename(target)
    logger.warning("moved the damaged %s aside to %s (%s)", path, target, " ".join(str(reason).split())[:200])
    return target
