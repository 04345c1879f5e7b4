"""Say *why* a solver stopped before converging, not only that it did.

With l2 = 0 the most important cause is linear separability: if some weights classify every
training sample correctly (every margin positive), scaling them by t → ∞ drives the loss to 0,
so the unpenalized loss has no finite minimum and no number of epochs converges. The test is
exact, the one Newton and L-BFGS stop on (:mod:`handgrad._logistic_solvers`): first on the
current weights, then along a short L-BFGS run on the unpenalized loss from them
(:func:`search_separation`); separating weights found are a proof, not a guess.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad._fused import block_rows_for
from handgrad.exceptions import ConvergenceWarning
from handgrad.optim import lbfgs

Array = NDArray[np.floating[Any]]

SEARCH_ITER = 50  # most L-BFGS iterations spent looking for separating weights (≈ 50 epochs)


def search_budget(max_iter: int) -> int:
    """L-BFGS iterations for :func:`search_separation` after ``max_iter`` epochs of gd.

    About a tenth of the epochs already spent (at least 5, at most ``SEARCH_ITER``), so the
    diagnosis never costs much more than the fit it explains.
    """
    return min(SEARCH_ITER, max(5, max_iter // 10))


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


def _scale_problem(X: Array) -> str | None:
    """A sentence if the features' standard deviations span more than a factor of 100."""
    std = _column_std(X)
    positive = std[std > 0]
    if positive.size and positive.max() / positive.min() > 100:
        return (
            f"the feature scales differ a lot (standard deviations from {positive.min():.3g} "
            f"to {positive.max():.3g}), which makes gradient descent crawl: standardize X "
            "(StandardScaler)"
        )
    return None


def search_separation(
    fun: Callable[[Array], tuple[float, Array]],
    separated: Callable[[Array], bool],
    theta: Array,
    *,
    max_iter: int = SEARCH_ITER,
) -> str | None:
    """How the training data were shown to be linearly separable, or None.

    ``fun`` is the unpenalized objective on the flat parameters and ``separated(theta)`` the
    exact test (every training sample classified correctly, evaluated at the point ``fun`` saw
    last). Tries ``theta`` itself, then up to ``max_iter`` L-BFGS iterations from it.
    """
    fun(theta)
    if separated(theta):
        return "the current weights already classify every training sample correctly"
    result = lbfgs(fun, theta, tol=0.0, max_iter=max_iter, callback=separated)
    if result.status != "stopped by callback":
        return None
    return (
        "L-BFGS on the unpenalized loss, started from the current weights, found weights that "
        f"classify every training sample correctly in {result.n_iter} iterations"
    )


def logistic_separation_proof(
    X: Array, y: Array, w: Array, b: float, *, max_iter: int = SEARCH_ITER
) -> str | None:
    """:func:`search_separation` for logistic regression at ``(w, b)``, 0/1 labels ``y``.

    The exact test is Newton's and L-BFGS's (``LogisticObjective.separated``: every margin
    ``(2y − 1)·z`` positive, computed in the same pass as the loss).
    """
    from handgrad._logistic_solvers import LogisticObjective

    objective = LogisticObjective(X, y, 0.0)  # the unpenalized loss
    theta = np.append(w.astype(np.float64), b)  # (d + 1,)
    return search_separation(objective, objective.separated, theta, max_iter=max_iter)


def diagnose(
    X: Array,
    history: Sequence[float],
    w: Array,
    *,
    l2: float,
    separable: Callable[[], str | None] | None = None,
) -> str:
    """The most likely reason an iterative fit has not converged, in plain words.

    ``separable()``, asked only when l2 = 0, returns how the classes were shown to be linearly
    separable (see :func:`search_separation`) or None.
    """
    recent = np.asarray(history[-50:], dtype=np.float64)
    if recent.size > 2 and np.any(np.diff(recent) > 1e-12 * np.abs(recent[:-1])):
        return (
            "the loss went up between epochs, so the learning rate is too large for this "
            "data: lower learning_rate (or standardize X)"
        )
    proof = separable() if l2 == 0 and separable is not None else None
    if proof is not None:
        return (
            f"the classes are linearly separable ({proof}). With l2=0 the loss then keeps "
            "falling as the weights grow and has no finite minimum, so no number of epochs "
            "converges: set l2 > 0 for a finite, unique solution, or accept the current weights"
        )
    scales = _scale_problem(X)
    if scales is not None:
        return scales
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
    separable: Callable[[], str | None] | None = None,
    stacklevel: int = 4,
) -> None:
    """Issue a ``ConvergenceWarning`` naming the limit reached and the likely cause.

    ``stacklevel`` counts from this function to the user's call of ``fit``.
    """
    warnings.warn(
        f"gradient descent stopped at max_iter={max_iter} with gradient norm {grad_norm:.2e}, "
        f"above tol={tol:g}. Likely cause: "
        f"{diagnose(X, history, w, l2=l2, separable=separable)}.",
        ConvergenceWarning,
        stacklevel=stacklevel,
    )


def diagnose_epochs(X: Array, monitored: Sequence[float], *, what: str, patience: int) -> str:
    """Why a mini-batch run was still improving at ``max_iter``, from its last epochs."""
    scales = _scale_problem(X)
    if scales is not None:
        return scales
    recent = np.asarray(monitored[-(patience + 1) :], dtype=np.float64)  # (≤ patience + 1,)
    epochs = recent.size - 1
    rises = int(np.count_nonzero(np.diff(recent) > 0))
    if rises >= max(2, epochs // 3):
        return (
            f"the {what} loss went up in {rises} of the last {epochs} epochs while still "
            "reaching new lows, so the steps are too noisy to settle: lower learning_rate, "
            "use a decaying lr_schedule, or a larger batch_size"
        )
    return (
        f"the {what} loss was still falling ({recent[0] - recent.min():.2g} over the last "
        f"{epochs} epochs): raise max_iter (or learning_rate)"
    )


def warn_epochs_not_converged(
    X: Array,
    monitored: Sequence[float],
    *,
    what: str,
    tol: float,
    patience: int,
    max_iter: int,
    estimator: str,
    stacklevel: int = 3,
) -> None:
    """Issue a ``ConvergenceWarning`` for a run that hit ``max_iter`` before its patience rule.

    ``monitored`` is the loss the patience rule watched (``what``: "training" or
    "validation"), at initialization and after each epoch.
    """
    window = min(patience, len(monitored) - 1)  # fewer epochs than patience may have run
    warnings.warn(
        f"{estimator} reached max_iter={max_iter} epochs before its stopping rule: the {what} "
        f"loss still improved by more than tol={tol:g} within the last {window} epochs "
        f"(patience={patience}). Likely cause: "
        f"{diagnose_epochs(X, monitored, what=what, patience=patience)}.",
        ConvergenceWarning,
        stacklevel=stacklevel,
    )
