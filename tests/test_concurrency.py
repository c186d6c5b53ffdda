"""Twenty concurrent questions through the app's API (gradio_client, threads): all succeed, all leads right.

The questions and leads come from the dev question set (eval/dev/questions.dev.jsonl).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_server

from index.textnorm import fold_tones

pytestmark = pytest.mark.slow

# (dev question id, question, expected lead)
DEV_LEADS = [
    ("hp-lead-logistics", "Đơn vị nào chủ trì đề xuất cơ chế, chính sách hỗ trợ phát triển trung tâm logistics "
     "trên địa bàn Hải Phòng?", "Vụ Thị trường trong nước"),
    ("hp-lead-hr", "Ai làm đầu mối xây dựng cơ chế thu hút nguồn nhân lực chất lượng cao cho Hải Phòng?",
     "Vụ Tổ chức cán bộ"),
    ("hp-lead-fta", "Đơn vị nào chủ trì đề xuất giải pháp khai thác hiệu quả các Hiệp định thương mại tự do (FTA) "
     "áp dụng cho Hải Phòng?", "Vụ Chính sách thương mại đa biên"),
    ("hp-lead-criteria", "Đơn vị nào chủ trì xây dựng tiêu chí thí điểm để Hải Phòng trở thành thành phố công nghiệp "
     "theo hướng hiện đại?", "Cục Công nghiệp"),
    ("hp-lead-marinetech", "Ai chịu trách nhiệm đầu mối xây dựng Hải Phòng thành trọng điểm phát triển "
     "khoa học - công nghệ biển?", "Vụ Khoa học và công nghệ"),
    ("hp-lead-support-center", "Đơn vị nào chủ trì nghiên cứu xây dựng Trung tâm hỗ trợ phát triển công nghiệp "
     "hỗ trợ tại Vùng Đồng bằng sông Hồng?", "Cục Công nghiệp"),
    ("nodiac-lead-criteria", "don vi nao chu tri xay dung tieu chi thi diem cho Hai Phong tro thanh thanh pho "
     "cong nghiep", "Cục Công nghiệp"),
    ("nodiac-lead-hr", "ai lam dau moi thu hut nhan luc chat luong cao cho hai phong", "Vụ Tổ chức cán bộ"),
    ("en-lead-logistics", "Which department leads the policy proposal for logistics centres in Hai Phong?",
     "Vụ Thị trường trong nước"),
]
N_REQUESTS = 20
WORKERS = 20


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[app_server.AppServer]:
    with app_server.running_app(tmp_path_factory.mktemp("concurrency-app")) as running:
        yield running


def test_twenty_concurrent_questions_all_answered_right(server: app_server.AppServer) -> None:
    from gradio_client import Client

    local = threading.local()

    def client() -> Any:
        if not hasattr(local, "client"):
            local.client = Client(server.url, verbose=False)
        return local.client

    def one(i: int) -> tuple[str, str, dict[str, Any], float]:
        qid, question, lead = DEV_LEADS[i % len(DEV_LEADS)]
        started = time.perf_counter()
        result = client().predict(question, api_name="/ask")
        return qid, lead, result, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(one, range(N_REQUESTS)))
    wall = time.perf_counter() - started

    assert len(results) == N_REQUESTS
    wrong = [
        (qid, lead, result.get("lead"))
        for qid, lead, result, _ in results
        if not result.get("answered") or fold_tones(result.get("lead") or "") != fold_tones(lead)
    ]
    assert wrong == [], f"wrong or missing leads: {wrong}"
    assert all(result["citations"] for _, _, result, _ in results)
    slowest = max(seconds for *_, seconds in results)
    print(f"{N_REQUESTS} concurrent questions in {wall:.1f} s (slowest {slowest:.1f} s)")
