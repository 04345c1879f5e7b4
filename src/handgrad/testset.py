"""What a model's test-set results say, beyond the summary metrics.

A model file from :func:`handgrad.workflow.train_and_evaluate` (or ``handgrad train``) keeps
its test rows' indices, true labels and predicted probabilities. From those:

- :func:`operating_point`: the test-set sensitivity and specificity at any threshold, so a
  person choosing a threshold sees what it costs;
- :func:`example_cases`: real test rows to look at (a typical benign, a typical malignant and
  the borderline one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.metrics import confusion_matrix
from handgrad.trained import TrainedModel

__all__ = ["ExampleCase", "OperatingPoint", "example_cases", "operating_point"]


@dataclass(frozen=True)
class OperatingPoint:
    """Test-set counts and rates when the positive class is called where ``p ≥ threshold``."""

    threshold: float
    sensitivity: float  # TP / (TP + FN)
    specificity: float  # TN / (TN + FP)
    tp: int
    fn: int
    tn: int
    fp: int


@dataclass(frozen=True)
class ExampleCase:
    """A real test-set row: its position in the data, values, true label and probability."""

    key: str  # "typical benign", ...
    row: int  # row index into the data the model was trained on
    values: list[float]
    true_label: str
    probability: float


def _test_results(model: TrainedModel) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    ev = model.evaluation
    if "y_true" not in ev or "proba" not in ev:
        raise ValueError(
            "this model file holds no test-set results (evaluation.y_true / evaluation.proba); "
            "expected a model trained by train_and_evaluate or 'handgrad train'."
        )
    return np.asarray(ev["y_true"], dtype=np.int64), np.asarray(ev["proba"], dtype=np.float64)


def operating_point(model: TrainedModel, threshold: float) -> OperatingPoint:
    """Test-set sensitivity and specificity when calling positive where ``p ≥ threshold``."""
    t = v.check_probability(threshold, "threshold")
    y, p = _test_results(model)
    (tn, fp), (fn, tp) = confusion_matrix(y, (p >= t).astype(np.int64))
    return OperatingPoint(
        threshold=t,
        sensitivity=float(tp / (tp + fn)) if tp + fn else 0.0,
        specificity=float(tn / (tn + fp)) if tn + fp else 0.0,
        tp=int(tp),
        fn=int(fn),
        tn=int(tn),
        fp=int(fp),
    )


def example_cases(model: TrainedModel, X: ArrayLike) -> list[ExampleCase]:
    """Three real test-set rows of ``X`` (the data the model was trained and tested on).

    - typical benign / malignant: among the correctly classified test rows of that class, the
      one at the median of their probabilities;
    - borderline: the test row whose probability is closest to the model's threshold.
    """
    y, p = _test_results(model)
    index = np.asarray(model.evaluation.get("test_index", []), dtype=np.int64)
    data = v.check_array(X, name="X")
    if index.shape != y.shape or (index.size and index.max() >= data.shape[0]):
        raise ValueError(
            f"the model's test_index ({index.size} rows) does not fit the data given "
            f"({data.shape[0]} rows); expected the data the model was evaluated on."
        )
    if data.shape[1] != len(model.feature_names):
        raise ValueError(
            f"X has {data.shape[1]} features, but this model was trained with "
            f"{len(model.feature_names)}."
        )
    t = model.threshold
    picks: list[tuple[str, int]] = []
    for key, cls in (("typical benign", 0), ("typical malignant", 1)):
        right = np.flatnonzero((y == cls) & ((p >= t) == bool(cls)))  # (m,)
        if right.size:
            median_pos = np.argsort(p[right], kind="mergesort")[right.size // 2]
            picks.append((key, int(right[median_pos])))
    picks.append(("borderline", int(np.argmin(np.abs(p - t)))))
    return [
        ExampleCase(
            key=key.replace("benign", model.class_names[0]).replace(
                "malignant", model.class_names[1]
            ),
            row=int(index[i]),
            values=[float(a) for a in data[index[i]]],
            true_label=model.class_names[int(y[i])],
            probability=float(p[i]),
        )
        for key, i in picks
    ]
