"""Explain one prediction of a :class:`TrainedModel` and describe its operating point.

Everything a person needs to judge a single prediction, computed by the library so that the
web app (or a notebook) only shows it:

- the probability, the label and whether it is *borderline* (close to the threshold);
- the exact split of the log-odds into per-feature terms, largest first::

      z = b + Σ_j w_j · x̃_j        x̃_j = (x_j − mean_j) / scale_j   (standardized input)

  so the term ``w_j · x̃_j`` is how much feature j moved the log-odds away from the intercept;
- every input that lies outside the range seen in the training rows;
- the test-set sensitivity and specificity at any threshold;
- representative test-set cases (typical benign, typical malignant, borderline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.metrics import confusion_matrix
from handgrad.trained import TrainedModel

__all__ = [
    "BORDERLINE_MARGIN",
    "Contribution",
    "ExampleCase",
    "Explanation",
    "OperatingPoint",
    "OutOfRange",
    "example_cases",
    "explain",
    "input_limits",
    "is_borderline",
    "operating_point",
    "out_of_training_range",
    "outside_input_limits",
    "outside_training_range",
]

# A probability within this distance of the threshold is reported as borderline.
BORDERLINE_MARGIN = 0.10


@dataclass(frozen=True)
class Contribution:
    """One feature's term in the log-odds: ``contribution = w_j · x̃_j``."""

    name: str
    value: float  # the raw input x_j
    contribution: float


@dataclass(frozen=True)
class OutOfRange:
    """An input outside ``[low, high]``, the range of that feature in the training rows."""

    name: str
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Explanation:
    """A single prediction and the reasons for it.

    ``intercept + sum(c.contribution for c in contributions) == logit`` (up to rounding), and
    ``probability = σ(logit)``.
    """

    probability: float
    label: str
    threshold: float
    borderline: bool
    logit: float
    intercept: float
    contributions: list[Contribution]  # largest |w_j · x̃_j| first
    out_of_range: list[OutOfRange]


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


def _one_row(model: TrainedModel, x: ArrayLike) -> NDArray[np.float64]:
    """``x`` as a (1, d) float64 row, with the library's own checks and messages."""
    row = np.asarray(x, dtype=object)
    X = v.check_array(row.reshape(1, -1) if row.ndim == 1 else row, feature_names=None)
    if X.shape[0] != 1:
        raise ValueError(f"expected one row of {len(model.feature_names)} values; got {X.shape}.")
    if X.shape[1] != len(model.feature_names):
        raise ValueError(
            f"expected {len(model.feature_names)} values, one per feature; got {X.shape[1]}."
        )
    return X.astype(np.float64)


def is_borderline(probability: float, threshold: float, margin: float = BORDERLINE_MARGIN) -> bool:
    """True when ``|probability − threshold| < margin``."""
    return abs(float(probability) - float(threshold)) < margin


def outside_training_range(model: TrainedModel, X: ArrayLike) -> NDArray[np.bool_]:
    """Mask ``(n, d)``: True where ``X[i, j]`` lies outside feature j's training range.

    Features the model file has no range for are never flagged.
    """
    X_ = v.check_array(X, feature_names=model.feature_names)
    if X_.shape[1] != len(model.feature_names):
        raise ValueError(
            f"X has {X_.shape[1]} features, but this model was trained with "
            f"{len(model.feature_names)}."
        )
    no_range = [-np.inf, np.inf]
    bounds = np.array(
        [model.feature_ranges.get(f, no_range) for f in model.feature_names]
    )  # (d, 2)
    mask: NDArray[np.bool_] = np.less(X_, bounds[:, 0]) | np.greater(X_, bounds[:, 1])  # (n, d)
    return mask


def out_of_training_range(model: TrainedModel, x: ArrayLike) -> list[OutOfRange]:
    """Every input of the row ``x (d,)`` outside the model's training range, in feature order.

    Features the model file has no range for are not checked.
    """
    X = _one_row(model, x)
    flagged = np.flatnonzero(outside_training_range(model, X)[0])
    return [
        OutOfRange(
            model.feature_names[j],
            float(X[0, j]),
            float(model.feature_ranges[model.feature_names[j]][0]),
            float(model.feature_ranges[model.feature_names[j]][1]),
        )
        for j in flagged
    ]


def explain(model: TrainedModel, x: ArrayLike, *, threshold: float | None = None) -> Explanation:
    """Predict the row ``x (d,)`` (raw units) and say why.

    Examples
    --------
    >>> from handgrad import load_breast_cancer
    >>> from handgrad.workflow import train_and_evaluate
    >>> data = load_breast_cancer()
    >>> model = train_and_evaluate(data, learning_rate=1.0, l2=0.01)
    >>> e = explain(model, data.X[0])
    >>> e.label, round(e.intercept + sum(c.contribution for c in e.contributions), 9) == round(
    ...     e.logit, 9)
    ('malignant', True)
    """
    t = model.threshold if threshold is None else v.check_probability(threshold, "threshold")
    X = _one_row(model, x)
    terms = model.logit_contributions(X)[0]  # (d,)  w_j · x̃_j
    intercept = float(model.model.intercept_)
    p = float(model.positive_proba(X)[0])
    order = np.argsort(-np.abs(terms), kind="mergesort")  # largest magnitude first, stable
    return Explanation(
        probability=p,
        label=model.class_names[int(p >= t)],
        threshold=t,
        borderline=is_borderline(p, t),
        logit=intercept + float(np.sum(terms)),
        intercept=intercept,
        contributions=[
            Contribution(model.feature_names[j], float(X[0, j]), float(terms[j])) for j in order
        ],
        out_of_range=out_of_training_range(model, X[0]),
    )


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


def outside_input_limits(model: TrainedModel, x: ArrayLike) -> list[OutOfRange]:
    """Every input of the row ``x (d,)`` outside :func:`input_limits`: likely a typing error.

    Each :class:`OutOfRange` carries the limits (not the training range) as ``low, high``.
    """
    X = _one_row(model, x)
    limits = input_limits(model)
    found = []
    for name, value in zip(model.feature_names, X[0], strict=True):
        if name in limits and not limits[name][0] <= value <= limits[name][1]:
            found.append(OutOfRange(name, float(value), *limits[name]))
    return found


def input_limits(model: TrainedModel) -> dict[str, tuple[float, float]]:
    """A sane input range per feature, wider than the training range: values outside it
    are rejected as typing errors, values between it and the training range get a warning.

    For a training range ``[lo, hi]`` with span ``s = hi − lo``: ``[0, hi + s]`` when
    ``lo ≥ 0`` (a measurement that is never negative), else ``[lo − s, hi + s]``; a
    constant column (``s = 0``) uses ``s = max(|hi|, 1)``.
    """
    limits: dict[str, tuple[float, float]] = {}
    for name in model.feature_names:
        bounds: Sequence[Any] | None = model.feature_ranges.get(name)
        if bounds is None:
            continue
        lo, hi = float(bounds[0]), float(bounds[1])
        span = hi - lo if hi > lo else max(abs(hi), 1.0)
        limits[name] = (0.0 if lo >= 0 else lo - span, hi + span)
    return limits
