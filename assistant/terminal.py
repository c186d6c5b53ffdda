"""What the CLI prints is safe for a terminal: text from documents and questions loses its control characters.

A document (or a file name) can hold escape sequences that a terminal obeys: ESC]52 writes the
clipboard, ESC]0 sets the window title, ESC[2J clears the screen, a carriage return overwrites a
line, U+202E reverses the text shown after it. The CLI's standard output and error pass through
`SafeStream`, which drops whole escape sequences and every other control character except newline and
tab; JSON output escapes them instead (`safe_json`), so the data printed stays exact. File names that are
not UTF-8 (kept by Python as lone surrogates) print as \\xNN escapes instead of failing.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

# ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), ESC P/X/^/_ ... ESC \ (DCS, SOS, PM, APC), ESC + one byte
_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -~]?)"
)
# C0 except tab and newline, DEL, C1 (0x9b is a one-byte CSI), and the bidirectional overrides and isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "?"  # a byte kept by surrogateescape


def printable(text: str) -> str:
    """text without escape sequences and control characters (newline and tab kept)."""
    return _SURROGATE.sub(_escape_surrogate, _CONTROL.sub("", _ESCAPE.sub("", text)))


def safe_json(value: Any) -> str:
    """JSON (indented, UTF-8 letters kept) with every control character written as a \\uXXXX escape."""
    text = json.dumps(value, ensure_ascii=False, indent=2)  # escapes C0 already
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that writes printable(text) to the stream it wraps."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, ...
        return getattr(self.raw, name)


def raw(stream: Any) -> Any:
    """The stream under a SafeStream (for the progress bar, whose carriage returns are its own)."""
    return stream.raw if isinstance(stream, SafeStream) else stream


__all__ = ["SafeStream", "printable", "raw", "safe_json"]
