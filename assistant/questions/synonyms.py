"""Words staff use for what official texts say otherwise: "kho vận" for "logistics", "gom" for "tổng hợp".

A question term that has synonyms becomes one *group* term: its own words
first, then each equivalent, separated by "|" (words of a phrase by spaces, as
comparison keys). A passage contains the group when it contains every word of
any one of its phrases. Only the question side is expanded, so the index and
the term statistics are unaffected, and a question worded as the document is
matched exactly as before.

The table is data (`knowledge/synonyms.toml`): general Vietnamese of administration
and trade, not tied to one document; each row is a set of interchangeable phrases.
"""

from __future__ import annotations

from functools import lru_cache

from index.knowledge import load
from index.textnorm import exact_tokens, tokens

# the groups of knowledge/synonyms.toml, its sections one after the other
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(group) for section in load("synonyms")["groups"].values() for group in section
)


@lru_cache(maxsize=2)
def _table(exact: bool) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """phrase (as comparison keys) -> its equivalents, longest phrases first."""
    keys = exact_tokens if exact else tokens
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in SYNONYM_GROUPS:
        phrases = [tuple(keys(p)) for p in group]
        for phrase in phrases:
            others = table.setdefault(phrase, [])
            others.extend(p for p in phrases if p != phrase and p not in others)
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def group_synonyms(words: list[str], exact: bool) -> list[str]:
    """The question's keys with each phrase that has synonyms replaced by its group term."""
    table = _table(exact)
    longest = max((len(p) for p in table), default=1)
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            if phrase in table:
                out.append("|".join(" ".join(p) for p in (phrase, *table[phrase])))
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def alternatives(term: str) -> list[list[str]]:
    """The phrases (each a list of keys) a term stands for; a plain term is its own only phrase."""
    return [alt.split(" ") for alt in term.split("|")]


def is_group(term: str) -> bool:
    return "|" in term


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, tuple[str, ...]]:
    """ "ubnd" -> ("uy", "ban", "nhan", "dan"): the abbreviations of the table (a word made of the initials of
    a phrase of its row), each with that phrase."""
    table: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        phrases = [tuple(tokens(p)) for p in group]
        for short in (p[0] for p in phrases if len(p) == 1):
            full = next((p for p in phrases if len(p) > 1 and "".join(w[0] for w in p) == short), None)
            if full is not None:
                table.setdefault(short, full)
    return table


@lru_cache(maxsize=8192)
def spelled_out(text: str) -> str:
    """The text's keys (no diacritics, no punctuation) with its abbreviations written out, space-separated:
    "UBND tỉnh" and "Ủy ban nhân dân tỉnh" give the same."""
    table = _abbreviations()
    return " ".join(w for word in tokens(text) for w in table.get(word, (word,)))

