"""How sure the reader is that an extracted statement is an assignment the table should list.

A logistic model (fitted with scikit-learn on the hand-made gold lists of eval/assignments and
eval/pool, see assistant.evaluation.assignment_fit) over what the reader knows of a statement:
its frame (role, word order, whether it names its unit), its unit (generic, a person), the
section it is in (tasks, or aims and rules), and the kind of document (an outlined plan or a
news article). The model is data: knowledge/assignments.json.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.linear import Linear
from assistant.reading.assignments import Assignment
from assistant.reading.units import PERSONAL_TITLES, is_generic
from index.knowledge import KNOWLEDGE_DIR, alternation, load
from index.textnorm import fold

MODEL_PATH = KNOWLEDGE_DIR / "assignments.json"
ROLES = ("lead", "cooperate", "requested", "directed", "heads", "executes", "guides", "receives", "gives")
ORDERS = ("subject", "object", "passive", "heading", "field", "row", "continued")
NAMES: tuple[str, ...] = (
    *(f"role_{r}" for r in ROLES), *(f"order_{o}" for o in ORDERS),
    "explicit", "lead_generic", "lead_plural", "lead_person", "lead_chars", "has_partners",
    "structured", "task_section", "aim_section", "quoted", "task_chars", "opener", "modal",
)
_MODAL = re.compile(r"\b(?:cần|phải|sẽ|tiếp tục|khẩn trương|chủ động|đề nghị|yêu cầu)\b", re.IGNORECASE)
_OPENER = re.compile(r"^(?:[-–+•\d.)a-zđ]+\s+)?(?:Trong|Về|Để|Theo|Cùng với|Bên cạnh|Đồng thời|Ngoài ra|Cụ thể|Tại|Khi|Riêng)\b")


@lru_cache(maxsize=1)
def _sections() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load("outline")

    def folded(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + alternation(fold(w) for w in words) + r")\b")

    return folded(data["task_sections"]), folded(data["aim_sections"])


def features(a: Assignment, structured: float) -> dict[str, float]:
    tasks, aims = _sections()
    f = dict.fromkeys(NAMES, 0.0)
    if a.role in ROLES:
        f[f"role_{a.role}"] = 1.0
    if a.order in ORDERS:
        f[f"order_{a.order}"] = 1.0
    f["explicit"] = float(a.explicit)
    f["lead_generic"] = float(is_generic(a.lead))
    f["lead_plural"] = float(fold(a.lead).startswith(("cac ", "nhung ")))
    f["lead_person"] = float(bool(PERSONAL_TITLES.match(a.lead)))
    f["lead_chars"] = min(len(a.lead), 80) / 80
    f["has_partners"] = float(bool(a.partners))
    f["structured"] = structured
    headings = fold(a.context)
    f["task_section"] = float(bool(tasks.search(headings)))
    f["aim_section"] = float(bool(aims.search(headings)))
    f["quoted"] = float("“" in a.statement or '"' in a.statement)
    f["task_chars"] = min(len(a.task), 300) / 300
    f["opener"] = float(bool(_OPENER.match(a.statement)))
    f["modal"] = float(bool(_MODAL.search(a.statement)))
    return f


def structure_of(text: str) -> float:
    """Share of a document's lines that carry an outline marker or a field (0 for a news article)."""
    from index.outline import PLAIN, parse_outline

    lines = parse_outline(text)
    return sum(line.kind != PLAIN for line in lines) / len(lines) if lines else 0.0


@dataclass
class AssignmentModel:
    linear: Linear
    threshold: float
    about: dict[str, Any]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> AssignmentModel | None:
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        if tuple(raw["names"]) != NAMES:
            raise ValueError(f"{path} was fitted on other features: refit it (assistant fit)")
        return cls(Linear.from_json(raw), float(raw["threshold"]), dict(raw.get("about", {})))

    def save(self, path: Path = MODEL_PATH) -> None:
        payload = {"names": list(NAMES), **self.linear.to_json(), "threshold": self.threshold, "about": self.about}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def probability(self, f: dict[str, float]) -> float:
        z = float(self.linear(np.asarray([f[n] for n in NAMES])))
        return 1.0 / (1.0 + math.exp(-z))


__all__ = ["NAMES", "AssignmentModel", "features", "structure_of"]
