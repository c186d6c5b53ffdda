"""Unicode and diacritics handling shared by indexing, retrieval and scoring.

Vietnamese text arrives in NFC or NFD, with old ("hoá") or new ("hóa") tone
placement, and users often type without any diacritics. Matching therefore
happens on a *folded* form: NFC, case-folded, all combining marks removed and
"đ" mapped to "d".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# an HTML tag ("<img src=...>", "</div>"): a ".md" copied from a web page, or markup pasted into a question
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]{0,300})?/?>")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower-case ASCII-like form: no diacritics, "đ" -> "d"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d")


def blank_markup(text: str) -> str:
    """The text with its HTML tags blanked by as many spaces: no part of its words, every offset kept."""
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def fold_tones(text: str) -> str:
    """The scorer's comparison form: tone marks dropped, vowel shapes (ă â ê ô ơ ư đ) kept."""
    decomposed = unicodedata.normalize("NFD", text or "")
    kept = "".join(c for c in decomposed if c not in TONE_MARKS)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", kept).casefold()).strip()


def tokens(text: str) -> list[str]:
    """Folded word tokens (Vietnamese syllables), one-letter tokens kept."""
    return _WORD.findall(fold(text))


def in_capitals(text: str, share: float) -> bool:
    """Whether at least `share` of the text's letters (three or more) are capitals ("BỘ CÔNG THƯƠNG")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= share * len(letters)


def has_diacritics(text: str) -> bool:
    return fold(text) != text.casefold()


@lru_cache(maxsize=200_000)
def syllable_key(word: str) -> str:
    """Case-folded form with the tone mark moved to the end, so "hoá" and "hóa" compare equal."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return base + tones


def exact_tokens(text: str) -> list[str]:
    """Word tokens compared with their diacritics (tone placement normalised)."""
    return [syllable_key(w) for w in _WORD.findall(text)]


_CAPITAL_VOWELS = "".join(c for c in map(chr, range(0x41, 0x1EFA))
                          if c.isupper() and unicodedata.normalize("NFD", c)[0] in "AEIOUY")
# one Vietnamese syllable in capitals ("KINH", "HOẠCH"); an abbreviation ("ATTP", "BQL", "EVN") is none
CAPITAL_SYLLABLE = (rf"(?:NGH|NG|NH|CH|GH|GI|KH|PH|QU|TH|TR|[BCDĐGHKLMNPRSTVX])?[{_CAPITAL_VOWELS}]{{1,3}}"
                    r"(?:CH|NG|NH|[CMNPTIOUY])?")
