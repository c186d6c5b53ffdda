"""Names a question is about, that the answering passage must name too.

"Bộ nào chủ trì đàm phán thuế quan với Liên minh châu Âu?" is not answered by
the sentence about "Hoa Kỳ", however many other words they share. A name here
is a run of capitalised words after the first word of the question (so, only
in questions typed with capitals; a first word counts when no Vietnamese syllable is written so), minus the words every document repeats:
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
_OPENING_WORDS = frozenset(w.lower() for w in words("names", "opening_words"))


def _foreign_name(word: str) -> bool:
    """ "Agribank", "VietinBank": a first word that no Vietnamese syllable is (longer than seven letters, a capital
    inside, or a letter Vietnamese does not write) is a name although every question's first word is capitalised."""
    foreign = len(word) > 7 or any(c.isupper() for c in word[1:]) or bool(set(word.lower()) & set("fjwz"))
    return foreign and word.lower() not in _OPENING_WORDS


def _capitalised_runs(text: str) -> list[list[str]]:
    """Runs of capitalised words after a question's first word (the words as written)."""
    runs: list[list[str]] = []
    run: list[str] = []
    previous = "."
    for match in _WORD.finditer(text):
        word = match.group()
        opening = previous in ".!?:" or previous == ""
        proper = word[:1].isupper() and (not opening or _foreign_name(word)) and syllable_key(word) not in _COMMON
        if word[:1].isalpha() and proper and not (syllable_key(word) == "nam" and syllable_key(previous) == "việt"):
            run.append(word)
        elif run:
            runs.append(run)
            run = []
        previous = word if word[:1].isalpha() or not word[:1].isdigit() else previous
    return [*runs, run] if run else runs


def names(text: str) -> list[str]:
    """The question's names and regions, each as space-separated comparison keys."""
    found = [" ".join(exact_tokens(m.group(1) or m.group(2))) for m in _REGION.finditer(text)]
    found += [" ".join(syllable_key(w) for w in run) for run in _capitalised_runs(text)]
    return list(dict.fromkeys(found))


def foreign_names(text: str) -> list[str]:
    """The names of a question typed without diacritics that are written the same either way: words no Vietnamese
    syllable is ("Agribank") and acronyms ("BIDV"). "Tong cuc Hai quan" is no name here: folded, its words would
    not be found in a text that writes them with diacritics."""
    runs = [run for run in _capitalised_runs(text) if all(_foreign_name(w) or (w.isupper() and len(w) > 1) for w in run)]
    return list(dict.fromkeys(" ".join(syllable_key(w) for w in run) for run in runs))


# other names of the same thing, as keys
_ALIASES: dict[str, tuple[str, ...]] = {
    " ".join(exact_tokens(k)): tuple(" ".join(exact_tokens(v)) for v in vs) for k, vs in _DATA["aliases"].items()
}


def missing(names_: list[str], text: str) -> int:
    """How many of the names the text does not contain (as whole words), by any of their other names."""
    joined = f" {' '.join(exact_tokens(text))} "
    return sum(all(f" {n} " not in joined for n in (name, *_ALIASES.get(name, ()))) for name in names_)
