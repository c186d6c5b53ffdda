"""The load cache: BM25 and term statistics saved next to the index and reused only for the same chunks.

A second app process loads them instead of building them and answers the
same; an ingest by another process (the CLI, in a subprocess) changes the
store's generation, the app reloads and the new document is answerable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.retrieval.loading import cache_root
from assistant.service import Assistant, run_ingest
from assistant.settings import Settings
from index.store import ChunkStore

QUESTIONS = [
    "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng?",
    "don vi nao chu tri xay dung tieu chi thi diem cho Hai Phong",
    "Ai làm đầu mối thu hút nhân lực chất lượng cao cho Hải Phòng?",
]
NEW_DOCUMENT = (
    "Kế hoạch số 12/KH-UBND của Ủy ban nhân dân tỉnh Lạng Sơn về phát triển thương mại biên giới\n\n"
    "1. Sở Công Thương chủ trì, phối hợp với Cục Hải quan xây dựng đề án chợ biên giới kiểu mẫu tại tỉnh Lạng Sơn; "
    "hoàn thành trong quý II năm 2026.\n"
)
NEW_QUESTION = "Đơn vị nào chủ trì xây dựng đề án chợ biên giới kiểu mẫu tại tỉnh Lạng Sơn?"


def _settings(root: Path, documents: Path) -> Settings:
    return Settings(index_dir=root / "index", documents_dir=documents)


def _results(assistant: Assistant) -> list[Any]:
    out = []
    for question in [*QUESTIONS, NEW_QUESTION]:
        lists = assistant.retriever.ranked_lists(question)
        answer = assistant.ask(question)
        out.append((lists.bm25, [i for i, _ in assistant.retriever.fuse(lists)], answer.answered, answer.lead))
    return out


def test_a_second_process_loads_the_cache_and_answers_the_same(
    isolated_paths: Path, documents_copy: Path, embed_model: Any
) -> None:
    settings = _settings(isolated_paths, documents_copy)
    run_ingest(settings, embed_model)
    first = Assistant.from_settings(settings, embed_model)
    assert not first.loaded_from_cache
    entries = [p for p in cache_root(settings.index_dir, None).iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1 and (entries[0] / "complete").is_file()
    second = Assistant.from_settings(settings, embed_model)
    assert second.loaded_from_cache
    assert _results(second) == _results(first)
    assert second.stats.n == first.stats.n and second.stats.df_folded == first.stats.df_folded
    assert second.stats.df_exact == first.stats.df_exact
    assert (entries[0] / "vectors.npy").is_file()  # the vectors for the exact dense search, too
    assert first.retriever.vectors is not None and second.retriever.vectors is not None
    assert (second.retriever.vectors == first.retriever.vectors).all()


def test_an_ingest_elsewhere_invalidates_the_cache(isolated_paths: Path, documents_copy: Path, embed_model: Any) -> None:
    """Another writer of the embedded store (its own Ingestor and store); across processes, see
    tests/test_server_mode.py (Chroma's embedded store is not shared by processes)."""
    settings = _settings(isolated_paths, documents_copy)
    run_ingest(settings, embed_model)
    app = Assistant.from_settings(settings, embed_model)
    assert not app.refresh()  # nothing changed
    assert not app.ask(NEW_QUESTION).answered
    (documents_copy / "lang_son.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    run_ingest(settings, embed_model)
    assert app.refresh()
    assert not app.loaded_from_cache  # other chunks: built, not loaded
    answer = app.ask(NEW_QUESTION)
    assert answer.answered and answer.lead == "Sở Công Thương"
    again = Assistant.from_settings(settings, embed_model)  # a restart after the ingest reuses what app saved
    assert again.loaded_from_cache and again.ask(NEW_QUESTION).lead == "Sở Công Thương"


def test_the_generation_changes_only_when_an_ingest_writes(
    isolated_paths: Path, documents_copy: Path, embed_model: Any
) -> None:
    settings = _settings(isolated_paths, documents_copy)
    run_ingest(settings, embed_model)
    store = ChunkStore.open(settings.index_dir, None, settings.embed_model, create=False)
    before = store.generation()
    run_ingest(settings, embed_model)  # nothing changed
    assert store.generation() == before
    (documents_copy / "lang_son.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    run_ingest(settings, embed_model)
    after = store.generation()
    assert after != before
    (documents_copy / "lang_son.txt").unlink()  # back to the same count of chunks: still a new generation
    run_ingest(settings, embed_model)
    assert store.generation() not in (before, after)


def test_a_damaged_cache_is_rebuilt(isolated_paths: Path, documents_copy: Path, embed_model: Any) -> None:
    settings = _settings(isolated_paths, documents_copy)
    run_ingest(settings, embed_model)
    expected = _results(Assistant.from_settings(settings, embed_model))
    entry = next(p for p in cache_root(settings.index_dir, None).iterdir() if not p.name.startswith("."))
    (entry / "stats.json").write_text("{not json", encoding="utf-8")
    (entry / "bm25" / "ids.json").write_text(json.dumps([]), encoding="utf-8")
    app = Assistant.from_settings(settings, embed_model)
    assert _results(app) == expected
