"""Entry point of the browser app: `python app.py` (or `make run`, which ingests first).

Settings come from ASSISTANT_* environment variables (host, port, auth, index_dir, ...). Mistakes
(a bad setting, the port in use, nothing ingested) give one `error:` line and exit code 2, before
anything is loaded or created.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ["HF_HUB_OFFLINE"] = "1"

EXIT_USAGE = 2
EXIT_NOT_INGESTED = EXIT_USAGE


def address_problem(host: str, port: int) -> str | None:
    """Why the app could not listen on host:port (the port in use, a host not of this machine), or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"ASSISTANT_HOST={host!r} is not an address of this machine: use 127.0.0.1 (or 0.0.0.0 for every interface)"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: a closing port is free
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is already in use by another program: set ASSISTANT_PORT to a free "
                        f"port (e.g. ASSISTANT_PORT={port + 1 if port < 65535 else 7860}) or stop that program")
            if exc.errno == errno.EACCES:
                return f"ASSISTANT_PORT={port} needs administrator rights on this machine: use a port above 1023"
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"ASSISTANT_HOST={host!r} is not an address of this machine: use 127.0.0.1"
            return f"cannot listen on {host}:{port} ({exc.strerror or exc}): check ASSISTANT_HOST and ASSISTANT_PORT"
    return None


def main() -> int:
    from assistant.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problem = address_problem(settings.host, settings.port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE

    logging.basicConfig(
        level=os.environ.get("ASSISTANT_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log = logging.getLogger("app")

    from assistant.service import Assistant, StoreError

    try:
        assistant = Assistant.from_settings(settings)
    except StoreError as exc:
        if "nothing is ingested" not in str(exc):  # a damaged index, a file for a folder, a server down
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_NOT_INGESTED
        print(
            f"error: no ingested documents in {settings.index_dir} ({exc}). Run `assistant ingest` "
            "(or `.venv/bin/python -m assistant ingest`) first, or start with `make run`, which ingests documents/.",
            file=sys.stderr,
        )
        return EXIT_NOT_INGESTED
    log.info("index %s loaded: %d chunks", settings.index_dir, len(assistant.nodes))

    from assistant.ui import launch_app

    try:
        launch_app(assistant, settings)
    except OSError as exc:  # the port was taken between the check and the launch
        problem = address_problem(settings.host, settings.port) or f"cannot start the server ({exc})"
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    sys.exit(main())
