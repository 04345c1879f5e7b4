"""Explain one prediction of a :class:`TrainedModel` and describe its operating point.

Everything a person needs to judge a single prediction, computed by the library so that the
web app (or a notebook) only shows it:

- the probability, the label and whether it is *borderline* (close to the threshold);
- the exact split of the log-odds into per-feature terms, largest first::

      z = b + Σ_j w_j · x̃_j        x̃_j = (x_j − mean_j) / scale_j   (standardized input)

  so the term ``w_j · x̃_j`` is how much feature j moved the log-odds away from the intercept;
- every input that lies outside the range seen in the training rows, and every input outside
  a sane range (a likely typing error).

What the model file's test-set results say (operating points, example cases) is in
:mod:`handgrad.testset`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.trained import TrainedModel

__all__ = [
    "BORDERLINE_MARGIN",
    "Contribution",
    "Explanation",
    "OutOfRange",
    "explain",
    "input_limits",
    "is_borderline",
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
