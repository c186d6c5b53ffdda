"""Errors of indexing that mean "tell the user", in a module that imports nothing heavy
(the CLI catches them without loading Chroma or llama-index)."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what to do."""


class NothingToIngest(ValueError):
    """A documents folder with no readable document: ingesting it would empty the index."""
