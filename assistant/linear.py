"""A linear model fitted with scikit-learn, kept as data: the feature scaling, the weights, the intercept.

The answer decision (assistant.answering.decision) and the assignments table's filter
(assistant.reading.confidence) are made of these; their JSON files hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Linear:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float = 0.0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Linear:
        return cls(np.asarray(raw["mean"]), np.asarray(raw["scale"]), np.asarray(raw["coef"]), float(raw["intercept"]))


__all__ = ["Linear"]
