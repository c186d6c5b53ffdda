"""Entry point of the browser app: `python app.py` (or `make run`, which ingests first).

Settings come from ASSISTANT_* environment variables (host, port, auth, index_dir, ...).
"""

from __future__ import annotations

import logging
import os
import sys

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

EXIT_NOT_INGESTED = 2


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("ASSISTANT_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log = logging.getLogger("app")

    from assistant.service import Assistant, StoreError
    from assistant.settings import Settings

    settings = Settings()
    try:
        assistant = Assistant.from_settings(settings)
    except StoreError as exc:
        if "nothing is ingested" not in str(exc):  # a damaged index, a file for a folder, a server down
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_NOT_INGESTED
        print(
            f"error: no ingested documents in {settings.index_dir} ({exc}).\n"
            "Run `assistant ingest` (or `.venv/bin/python -m assistant ingest`) first, or start with `make run`, "
            "which ingests documents/ automatically.",
            file=sys.stderr,
        )
        return EXIT_NOT_INGESTED
    log.info("index %s loaded: %d chunks", settings.index_dir, len(assistant.nodes))

    from assistant.ui import launch_app

    try:
        launch_app(assistant, settings)
    except ValueError as exc:  # a malformed ASSISTANT_AUTH
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOT_INGESTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
