"""A small English -> Vietnamese glossary for English questions over Vietnamese documents.

Only content words that matter for matching; the embedder handles the rest. The tables are
data (`knowledge/glossary.toml`); values are folded Vietnamese (no diacritics), as English
questions are compared folded.
"""

from __future__ import annotations

import re

from index.knowledge import load
from index.textnorm import fold

_DATA = load("glossary")
# words that mark a question as English: none is a Vietnamese syllable typed without diacritics
ENGLISH_MARKERS = frozenset(_DATA["english_markers"])
ENGLISH_STOPWORDS = frozenset(_DATA["english_stopwords"])
# English phrase -> folded Vietnamese, the tables merged in file order (a later table wins)
_GLOSSARY: dict[str, str] = {
    fold(key).replace("-", " "): fold(value) for table in _DATA["glossary"].values() for key, value in table.items()
}
_PHRASES = sorted(_GLOSSARY, key=len, reverse=True)
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")


def translate_english(folded_question: str) -> list[str]:
    """Folded Vietnamese terms for an English question (unknown words are kept as they are)."""
    terms: list[str] = []

    def replace(match: re.Match[str]) -> str:
        terms.extend(_GLOSSARY[match.group(1)].split())
        return " "

    rest = _PHRASE_RE.sub(replace, re.sub(r"(?<=\w)-(?=\w)|['’]s\b", lambda m: " " if m.group() == "-" else "", folded_question))
    terms.extend(w for w in re.findall(r"\w+", rest) if w not in ENGLISH_STOPWORDS)
    return terms
