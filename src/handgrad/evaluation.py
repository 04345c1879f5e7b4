"""A trained model's results on labelled rows, and the seed's per-sample table (section 7.2).

Beyond one accuracy figure, every test sample is laid out with its predicted probability,
predicted label, true label and whether the prediction was right. Samples whose probability
lies within ``margin`` of the threshold are *borderline*: the model is least sure of them, and
they are listed first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.activations import sigmoid
from handgrad.metrics import binary_report
from handgrad.trained import TrainedModel

__all__ = ["DEFAULT_MARGIN", "Evaluation", "SampleRow", "evaluate", "per_sample_table"]

# |p − threshold| ≤ 0.1 is borderline: with threshold 0.5, p between 0.4 and 0.6.
DEFAULT_MARGIN = 0.1


@dataclass(frozen=True)
class Evaluation:
    """A model's predictions on labelled rows and the metrics computed from them.

    Attributes
    ----------
    y_true : ndarray of shape (n,), 0/1 with 1 = ``class_names[1]``
    z : ndarray of shape (n,), the logits ``x̃·w + b``
    proba : ndarray of shape (n,), ``P(class_names[1]) = σ(z)``
    threshold : float, the positive class is predicted where ``proba ≥ threshold``
    class_names : [negative, positive]
    rows : ndarray of shape (n,), each sample's row number in its data set (0-based)
    metrics : dict, :func:`handgrad.metrics.binary_report` at ``threshold``
    """

    y_true: NDArray[np.int64]
    z: NDArray[np.float64]
    proba: NDArray[np.float64]
    threshold: float
    class_names: list[str]
    rows: NDArray[np.intp]
    metrics: dict[str, Any]

    def table(self, *, margin: float = DEFAULT_MARGIN) -> list[SampleRow]:
        """The per-sample table of these rows, borderline first (:func:`per_sample_table`)."""
        return per_sample_table(
            self.y_true,
            self.proba,
            threshold=self.threshold,
            margin=margin,
            class_names=self.class_names,
            rows=self.rows,
        )


def evaluate(
    trained: TrainedModel,
    X: ArrayLike,
    y: ArrayLike,
    *,
    rows: ArrayLike | None = None,
    threshold: float | None = None,
) -> Evaluation:
    """Predict raw rows ``X (n, d)`` with ``trained`` and score them against 0/1 labels ``y``.

    ``rows`` numbers the samples in their data set (default ``0 … n−1``); ``threshold``
    defaults to the model's own.
    """
    t = trained.threshold if threshold is None else v.check_probability(threshold, "threshold")
    z = np.asarray(trained.decision_function(X), dtype=np.float64)  # (n,)
    y01 = np.asarray(v.check_labels(y, z.shape[0]))
    if not np.isin(y01, (0, 1)).all():
        raise ValueError(
            f"y must be coded 0/1 (1 = {trained.class_names[1]!r}); "
            f"found values {np.unique(y01)[:5].tolist()}."
        )
    index = np.arange(z.shape[0]) if rows is None else np.asarray(rows, dtype=np.intp)
    if index.shape != z.shape:
        raise ValueError(f"rows has shape {index.shape}; expected {z.shape}, one per sample.")
    proba = np.asarray(sigmoid(z), dtype=np.float64)  # (n,)
    return Evaluation(
        y_true=y01.astype(np.int64),
        z=z,
        proba=proba,
        threshold=t,
        class_names=list(trained.class_names),
        rows=index,
        metrics=binary_report(y01, proba, threshold=t),
    )


@dataclass(frozen=True)
class SampleRow:
    """One line of the per-sample table."""

    row: int
    proba: float
    predicted: str
    true: str
    correct: bool
    borderline: bool


def per_sample_table(
    y_true: ArrayLike,
    proba: ArrayLike,
    *,
    threshold: float = 0.5,
    margin: float = DEFAULT_MARGIN,
    class_names: Sequence[str] = ("0", "1"),
    rows: ArrayLike | None = None,
) -> list[SampleRow]:
    """Every sample's probability, predicted and true label, and whether it was right.

    A sample is borderline when ``|p − threshold| ≤ margin``. The order is: borderline samples
    (nearest the threshold first), then the other mistakes (most confident first), then the
    other correct samples in row order.

    Examples
    --------
    >>> table = per_sample_table([0, 1, 1], [0.1, 0.55, 0.2], class_names=["benign", "malignant"])
    >>> for r in table:
    ...     print(r.row, r.proba, r.predicted, r.true, r.correct, r.borderline)
    1 0.55 malignant malignant True True
    2 0.2 benign malignant False False
    0 0.1 benign benign True False
    """
    t = v.check_probability(threshold, "threshold")
    m = v.check_probability(margin, "margin")
    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=np.float64)
    if y.ndim != 1 or p.shape != y.shape:
        raise ValueError(
            f"y_true and proba must be 1-D of the same length; got shapes {y.shape} and {p.shape}."
        )
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"y_true must hold only 0 and 1; found {np.unique(y)[:5].tolist()}.")
    if len(class_names) != 2:
        raise ValueError(f"class_names must name 2 classes; got {list(class_names)}.")
    index = np.arange(y.shape[0]) if rows is None else np.asarray(rows)
    predicted = (p >= t).astype(np.int64)  # (n,)
    correct = predicted == y  # (n,)
    distance = np.abs(p - t)  # (n,)
    borderline = distance <= m  # (n,)
    # Sort keys, last one primary: group (0 borderline, 1 wrong, 2 right), then within it.
    group = np.where(borderline, 0, np.where(correct, 2, 1))
    within = np.where(group == 0, distance, np.where(group == 1, -distance, index))
    order = np.lexsort((index, within, group))
    return [
        SampleRow(
            row=int(index[i]),
            proba=float(p[i]),
            predicted=str(class_names[predicted[i]]),
            true=str(class_names[int(y[i])]),
            correct=bool(correct[i]),
            borderline=bool(borderline[i]),
        )
        for i in order
    ]
