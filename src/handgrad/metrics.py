"""Evaluation metrics for a binary classifier, looking past accuracy.

Conventions: ``y_true (n,)`` in {0, 1} with 1 = positive; ``y_pred (n,)`` in {0, 1};
``p (n,)`` the predicted probability of the positive class. The confusion matrix is laid out
as scikit-learn lays it out: rows are the truth, columns the prediction::

    [[TN, FP],
     [FN, TP]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "accuracy",
    "binary_report",
    "confusion_matrix",
    "f1_score",
    "log_loss",
    "precision",
    "recall",
    "roc_auc",
    "roc_curve",
    "specificity",
]


def _binary(y: ArrayLike, name: str) -> NDArray[np.int64]:
    a = np.asarray(y)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {a.shape}.")
    if not np.isin(a, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 and 1 (1 = positive); found {np.unique(a)[:5]}.")
    return a.astype(np.int64)


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    t, p = _binary(y_true, "y_true"), _binary(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.shape[0]} labels but y_pred has {p.shape[0]}.")
    return t, p


def _ratio(num: int, den: int) -> float:
    """num/den, and 0.0 when den = 0 (no positive predictions, say) instead of NaN."""
    return num / den if den else 0.0


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike) -> NDArray[np.int64]:
    """``[[TN, FP], [FN, TP]]``, shape (2, 2)."""
    t, p = _pair(y_true, y_pred)
    return np.bincount(2 * t + p, minlength=4).reshape(2, 2)


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """(TP + TN) / n."""
    t, p = _pair(y_true, y_pred)
    return float(np.mean(t == p))


def precision(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """TP / (TP + FP): of the cases called positive, the share that are."""
    (_, fp), (_, tp) = confusion_matrix(y_true, y_pred)
    return _ratio(int(tp), int(tp + fp))


def recall(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """TP / (TP + FN), the sensitivity: of the positive cases, the share found."""
    _, (fn, tp) = confusion_matrix(y_true, y_pred)
    return _ratio(int(tp), int(tp + fn))


def specificity(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """TN / (TN + FP): of the negative cases, the share called negative."""
    (tn, fp), _ = confusion_matrix(y_true, y_pred)
    return _ratio(int(tn), int(tn + fp))


def f1_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall."""
    (_, fp), (fn, tp) = confusion_matrix(y_true, y_pred)
    return _ratio(int(2 * tp), int(2 * tp + fp + fn))


def _scores(y_true: ArrayLike, p: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    t = _binary(y_true, "y_true")
    s = np.asarray(p, dtype=np.float64)
    if s.shape != t.shape:
        raise ValueError(f"y_true has shape {t.shape} but the scores have shape {s.shape}.")
    if not np.isfinite(s).all():
        raise ValueError("the scores contain NaN or inf; expected finite probabilities.")
    return t, s


def log_loss(y_true: ArrayLike, p: ArrayLike) -> float:
    """Mean BCE of probabilities: ``−mean[y log p + (1−y) log(1−p)]``.

    p is clipped to ``[ε, 1 − ε]`` (ε = float64 machine epsilon), as scikit-learn does, so a
    confident mistake costs about 36 instead of infinity. Prefer the loss from logits
    (``handgrad.losses.binary_cross_entropy``) when the logits are at hand.
    """
    t, s = _scores(y_true, p)
    if ((s < 0) | (s > 1)).any():
        raise ValueError("probabilities must lie in [0, 1].")
    eps = np.finfo(np.float64).eps
    s = np.clip(s, eps, 1 - eps)
    return float(-np.mean(t * np.log(s) + (1 - t) * np.log1p(-s)))


def roc_curve(
    y_true: ArrayLike, p: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """False and true positive rates at every distinct score used as a threshold.

    Returns ``fpr, tpr, thresholds`` (each (m,)), thresholds decreasing, starting at +inf
    (nothing called positive) so the curve starts at (0, 0) and ends at (1, 1).
    """
    t, s = _scores(y_true, p)
    n_pos, n_neg = int(t.sum()), int(t.size - t.sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError("a ROC curve needs both classes in y_true; found only one.")
    order = np.argsort(-s, kind="mergesort")  # (n,) scores high to low
    s_sorted, t_sorted = s[order], t[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s_sorted)), t.size - 1]  # end of each score
    tps = np.cumsum(t_sorted)[last_of_tie]
    fps = (last_of_tie + 1) - tps
    tpr = np.r_[0.0, tps / n_pos]
    fpr = np.r_[0.0, fps / n_neg]
    thresholds = np.r_[np.inf, s_sorted[last_of_tie]]
    return fpr, tpr, thresholds


def roc_auc(y_true: ArrayLike, p: ArrayLike) -> float:
    """Area under the ROC curve: the chance a random positive outscores a random negative.

    Computed by the trapezoid rule on :func:`roc_curve`, so ties count one half.
    """
    fpr, tpr, _ = roc_curve(y_true, p)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


def binary_report(y_true: ArrayLike, p: ArrayLike, *, threshold: float = 0.5) -> dict[str, Any]:
    """Every metric at once, with the positive class called where ``p ≥ threshold``."""
    t, s = _scores(y_true, p)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must lie in [0, 1]; got {threshold}.")
    y_pred = (s >= threshold).astype(np.int64)
    cm = confusion_matrix(t, y_pred)
    both = 0 < int(t.sum()) < t.size
    return {
        "threshold": float(threshold),
        "n_samples": int(t.size),
        "accuracy": accuracy(t, y_pred),
        "precision": precision(t, y_pred),
        "recall": recall(t, y_pred),
        "specificity": specificity(t, y_pred),
        "f1": f1_score(t, y_pred),
        "roc_auc": roc_auc(t, s) if both else None,
        "log_loss": log_loss(t, s),
        "confusion_matrix": cm.tolist(),
    }
