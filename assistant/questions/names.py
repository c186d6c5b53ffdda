"""Names a question is about, that the answering passage must name too.

"Bộ nào chủ trì đàm phán thuế quan với Liên minh châu Âu?" is not answered by
the sentence about "Hoa Kỳ", however many other words they share. A name here
is a run of capitalised words after the first word of the question (so, only
in questions typed with capitals), minus the words every document repeats:
unit and document types, titles, the country's name. Regions ("phía Nam") are
names too, written with a lower-case lead word. Names are compared as
comparison keys (with diacritics): "Nam" is not "năm". The words are data
(`knowledge/names.toml`).
"""

from __future__ import annotations

import re

from index.knowledge import alternation, load, words
from index.textnorm import exact_tokens, syllable_key

_DATA = load("names")
# capitalised in most questions without naming anything in particular
_COMMON = frozenset(syllable_key(w) for w in words("names", "common_words"))
# "phía Nam", "miền Trung", "Tây Nguyên": a region, written with a lower-case lead word
_REGIONS = _DATA["regions"]
_REGION = re.compile(
    rf"\b(?:{alternation(_REGIONS['lead_words'])})\s+((?:{alternation(_REGIONS['directions'])})"
    rf"(?:\s+(?:{alternation(_REGIONS['endings'])}))?)\b|"
    rf"\b({alternation(_REGIONS['named'])})\b"
)
_WORD = re.compile(r"[^\W\d_]+|[.!?;:,()\"“”]|\d\S*")


def names(text: str) -> list[str]:
    """The question's names and regions, each as space-separated comparison keys."""
    found = [" ".join(exact_tokens(m.group(1) or m.group(2))) for m in _REGION.finditer(text)]
    run: list[str] = []
    previous = "."
    for match in _WORD.finditer(text):
        word = match.group()
        proper = word[:1].isupper() and previous not in ".!?:" and previous != "" and syllable_key(word) not in _COMMON
        if word[:1].isalpha() and proper and not (syllable_key(word) == "nam" and syllable_key(previous) == "việt"):
            run.append(syllable_key(word))
        elif run:
            found.append(" ".join(run))
            run = []
        previous = word if word[:1].isalpha() or not word[:1].isdigit() else previous
    if run:
        found.append(" ".join(run))
    return list(dict.fromkeys(found))


# other names of the same thing, as keys
_ALIASES: dict[str, tuple[str, ...]] = {
    " ".join(exact_tokens(k)): tuple(" ".join(exact_tokens(v)) for v in vs) for k, vs in _DATA["aliases"].items()
}


def missing(names_: list[str], text: str) -> int:
    """How many of the names the text does not contain (as whole words), by any of their other names."""
    joined = f" {' '.join(exact_tokens(text))} "
    return sum(all(f" {n} " not in joined for n in (name, *_ALIASES.get(name, ()))) for name in names_)
