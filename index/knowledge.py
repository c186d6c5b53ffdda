"""The language knowledge the pipeline reads: data files in `knowledge/` at the top of the repository.

Outline markers, assignment frames, unit head nouns, synonyms, places and the glossary are
data, so that a linguist can extend them without touching Python. Each file is TOML.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed `knowledge/<name>.toml`."""
    with (KNOWLEDGE_DIR / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def words(name: str, key: str) -> list[str]:
    """A word list of a knowledge file: a TOML array of strings (each may have several words),
    or a string of one-word entries separated by white space."""
    value = load(name)[key]
    if isinstance(value, str):
        return value.split()
    return [str(w) for w in value]


def alternation(phrases: Iterable[str], longest_first: bool = False, any_space: bool = False) -> str:
    """A regular-expression alternation of literal phrases ("tỉnh|thành phố|tp"), special characters escaped:
    in their order, or once each and the longest first (so that "phối hợp với" wins over "phối hợp"); a space
    matches one space, or any run of spaces and line breaks."""
    if longest_first:
        phrases = sorted(set(phrases), key=len, reverse=True)
    space = r"\s+" if any_space else " "
    return "|".join(re.escape(p).replace("\\ ", space) for p in phrases)
