"""Say *why* a solver stopped before converging, not only that it did."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad._fused import block_rows_for
from handgrad.exceptions import ConvergenceWarning

Array = NDArray[np.floating[Any]]


def _column_std(X: Array) -> Array:
    """Standard deviation of each column, shape (d,), by row blocks (no (n, d) temporary)."""
    n = X.shape[0]
    rows = block_rows_for(X, 1 << 20)  # 1 MiB blocks: D is a temporary copy
    mean = X.mean(axis=0, dtype=np.float64)  # (d,)
    squares = np.zeros(X.shape[1])  # (d,)
    for start in range(0, n, rows):
        D = X[start : start + rows] - mean.astype(X.dtype)  # (B, d) deviations, X's dtype
        squares += np.einsum("ij,ij->j", D, D)  # (d,)
    std: Array = np.sqrt(squares / n)
    return std


def diagnose(X: Array, history: Sequence[float], w: Array, *, l2: float) -> str:
    """The most likely reason an iterative fit has not converged, in plain words."""
    recent = np.asarray(history[-50:], dtype=np.float64)
    if recent.size > 2 and np.any(np.diff(recent) > 1e-12 * np.abs(recent[:-1])):
        return (
            "the loss went up between epochs, so the learning rate is too large for this "
            "data: lower learning_rate (or standardize X)"
        )
    std = _column_std(X)
    positive = std[std > 0]
    if positive.size and positive.max() / positive.min() > 100:
        return (
            f"the feature scales differ a lot (standard deviations from {positive.min():.3g} "
            f"to {positive.max():.3g}), which makes gradient descent crawl: standardize X "
            "(StandardScaler)"
        )
    if l2 == 0 and float(np.linalg.norm(w)) > 10:
        return (
            f"the weights are still growing (‖w‖ = {float(np.linalg.norm(w)):.3g}) with l2=0, "
            "the sign of (nearly) separable classes, where the unpenalized loss has no finite "
            "minimum: set l2 > 0, or accept the current weights"
        )
    return "the loss is still falling: raise max_iter or learning_rate"


def warn_not_converged(
    X: Array,
    history: Sequence[float],
    w: Array,
    *,
    grad_norm: float,
    tol: float,
    l2: float,
    max_iter: int,
) -> None:
    """Issue a ``ConvergenceWarning`` naming the limit reached and the likely cause."""
    warnings.warn(
        f"gradient descent stopped at max_iter={max_iter} with gradient norm {grad_norm:.2e}, "
        f"above tol={tol:g}. Likely cause: {diagnose(X, history, w, l2=l2)}.",
        ConvergenceWarning,
        stacklevel=3,
    )
