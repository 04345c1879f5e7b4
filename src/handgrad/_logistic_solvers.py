"""LogisticRegression fitted by Newton or L-BFGS: the objective they minimize, and diagnoses.

The solvers in :mod:`handgrad.optim` know no model; this module hands them the logistic
objective on the flat parameter vector ``θ = (w, b)`` of shape (d + 1,)::

    f(θ)  = (1/n) Σ [log(1 + e^z) − y·z] + (l2/2)‖w‖²,   z = Xw + b
    ∇f(θ) = (Xᵀ(p − y)/n + l2·w,  mean(p − y))                            (d + 1,)
    ∇²f(θ) = X̃ᵀ diag(p(1−p)) X̃ / n + l2·diag(1, …, 1, 0),   X̃ = [X 1]   (d + 1, d + 1)

evaluated in one pass over X by :mod:`handgrad._fused`. When a solver cannot reach an
optimum, :func:`fit_logistic` says why in plain words (see ``docs/solvers.md``):

- l2 = 0 and the classes are linearly separable: some ``(w, b)`` classifies every sample
  correctly, so ``f(t·θ) → 0`` as ``t → ∞`` and no finite θ attains the infimum. The solver
  stops at the first iterate that separates the classes and a ``ConvergenceWarning`` says so.
- The Hessian is singular because columns of X are linearly dependent (collinear, or a
  constant column next to the intercept): the loss is flat along a direction, the optimum is
  not unique, and Newton's system has no unique solution. A ``ValueError`` names the columns.
- The Hessian is singular because the probabilities saturated at 0 or 1 (nearly separable
  classes, l2 = 0): a ``ConvergenceWarning`` says so.

From ``WARM_START_ROWS`` rows on, both solvers start from a warm start: the same objective is
first minimized by L-BFGS on every ``WARM_START_STRIDE``-th row (a strided view of X, no copy),
whose optimum lies close to the full one. The subsample's Hessian ``H_s`` at that point (one
product over n/10 rows) then serves both solvers: Newton steps with it while that gains fast
enough, and L-BFGS uses ``H_s⁻¹`` as its initial inverse Hessian. The full problem is solved
from there, to the same stopping rule on the full gradient, in fewer passes over X.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad._fused import (
    SMALL_BYTES,
    SmallEvaluation,
    logistic_hessian,
    logistic_value_and_grad,
    signed_transpose,
    small_hessian,
    small_step_guess,
    small_value_and_grad,
)
from handgrad.exceptions import ConvergenceWarning
from handgrad.optim import OptimizeResult, lbfgs, newton
from handgrad.optim.newton import cholesky_factor, factored_solve

__all__ = ["LogisticObjective", "fit_logistic"]

WARM_START_ROWS = 100_000  # from this many rows on, warm-start from a subsample
WARM_START_STRIDE = 10  # the subsample: every 10th row (≥ 10,000 rows)
WARM_START_TOL = 1e-5  # the subsample problem is solved to this gradient norm (or tol)
# Newton after a warm start steps with the subsample's Hessian while each such step cuts the
# full gradient norm by at least this factor; from the first one that does not, the full one.
SUBSAMPLE_HESSIAN_RATIO = 0.25

Array = NDArray[np.floating[Any]]


@dataclass
class LogisticObjective:
    """``f(θ) -> (loss, grad)`` and ``hess(θ)`` for ``θ = (w, b)``, plus what they saw.

    ``y`` holds 0/1 labels. ``curvature`` holds ``p(1−p)`` (n,) from the last evaluation
    so that ``hess`` at that point needs only one more pass over X; ``min_margin`` is
    ``min (2y−1)·z`` there (a positive value proves the classes separable when ``l2 == 0``).
    X of at most ``SMALL_BYTES`` is evaluated through its signed transposed copy
    ``S = ((2y − 1) ∘ [X 1])ᵀ`` instead (:func:`handgrad._fused.small_value_and_grad`).
    """

    X: Array
    y: Array
    l2: float
    block_rows: int | None = None

    def __post_init__(self) -> None:
        self.last_theta: Array | None = None
        self.last_loss = float("nan")
        self.min_margin = float("nan")
        small = self.block_rows is None and self.X.nbytes <= SMALL_BYTES
        self.S = signed_transpose(self.X, self.y) if small else None  # (d + 1, n)
        # p(1−p) of the blocked path; the small path derives it from its last σ(−m)
        self.curvature = np.empty(0 if small else self.X.shape[0], dtype=self.X.dtype)  # (n,)
        self.small: SmallEvaluation | None = None  # the last small-path evaluation

    def __call__(self, theta: Array) -> tuple[float, Array]:
        if self.S is not None:
            ev = self.small = small_value_and_grad(theta, self.S, self.l2)
            self.last_theta, self.last_loss, self.min_margin = theta, ev.loss, ev.min_margin
            return ev.loss, ev.grad
        w, b = theta[:-1], float(theta[-1])  # (d,), ()
        big = logistic_value_and_grad(
            w, b, self.X, self.y, self.l2, block_rows=self.block_rows,
            curvature_out=self.curvature, margins=self.l2 == 0,
        )  # fmt: skip
        self.last_theta, self.last_loss, self.min_margin = theta, big.loss, big.min_margin
        grad = np.empty(theta.shape[0])  # (d + 1,) = (∂f/∂w, ∂f/∂b)
        grad[:-1], grad[-1] = big.dw, big.db
        return big.loss, grad

    def _at(self, theta: Array) -> None:
        """Evaluate at ``theta`` unless that was the last evaluation."""
        last = self.last_theta
        if theta is not last and (last is None or not np.array_equal(theta, last)):
            self(theta)

    def hess(self, theta: Array) -> Array:
        """Hessian at ``theta`` (reuses ``p(1−p)`` when ``theta`` was the last evaluation)."""
        self._at(theta)
        if self.small is not None:
            assert self.S is not None
            return small_hessian(self.S, self.small.tail, self.l2)
        return logistic_hessian(self.X, self.curvature, self.l2, block_rows=self.block_rows)

    def step_guess(self, theta: Array, direction: Array) -> float:
        """The step along ``direction`` that one 1-D Newton step from ``t = 1`` predicts."""
        self._at(theta)
        assert self.S is not None
        assert self.small is not None
        return small_step_guess(theta, direction, self.S, self.small.margins, self.l2)

    def separated(self, theta: Array) -> bool:
        """True when the last evaluation (at ``theta``) classified every sample correctly."""
        return self.l2 == 0 and self.min_margin > 0


def _null_direction(H: Array) -> Array:
    """Unit eigenvector of the smallest eigenvalue of the symmetric ``H``, shape (m,)."""
    _, vectors = np.linalg.eigh(H)  # ascending eigenvalues
    v: Array = vectors[:, 0]
    return v


def _diagnose_singular(objective: LogisticObjective, theta: Array) -> None:
    """Raise for collinear columns, or warn for saturated probabilities."""
    X = objective.X
    n, d = X.shape
    v = _null_direction(objective.hess(theta))  # (d + 1,)
    # ‖X̃v‖²/n against the average squared entry of X̃: ~0 only if [X 1] loses rank.
    Xv = X @ v[:d].astype(X.dtype) + v[d]  # (n,)
    flat_X = X.reshape(-1)  # a view: X is C-contiguous
    scale = float(np.dot(flat_X, flat_X)) / (n * d) + 1.0
    flatness = float(Xv @ Xv) / n / scale
    if flatness < 100 * float(np.finfo(X.dtype).eps):
        big = np.flatnonzero(np.abs(v) > 0.1 * np.abs(v).max())
        names = ["the intercept" if j == d else f"x{j}" for j in big]
        terms = [f"{v[j]:+.2g}·{name}" for j, name in zip(big, names, strict=True)]
        relation = " ".join(terms).lstrip("+").replace("+", "+ ").replace("-", "− ")
        columns = [int(j) for j in big if j < d]
        hint = " (a column that is constant is collinear with the intercept)" if d in big else ""
        raise ValueError(
            f"solver='newton' cannot fit this data: the columns {columns} of X are linearly "
            f"dependent ({relation} ≈ 0){hint}, so the loss is flat along that direction, "
            "the Hessian is singular and the optimum is not unique. Expected linearly "
            "independent columns: drop one of them, set l2 > 0, or use solver='lbfgs'."
        )
    warnings.warn(
        "solver='newton' stopped: the predicted probabilities saturated at 0 or 1, so the "
        "Hessian Xᵀdiag(p(1−p))X/n became singular. The classes are (nearly) separable and "
        "with l2=0 the loss has no finite minimum; set l2 > 0 for a unique, finite solution.",
        ConvergenceWarning,
        stacklevel=4,
    )


def _warm_start(
    X: Array, y: Array, l2: float, tol: float, flat: float
) -> tuple[Array, list[tuple[Array, Array]], LogisticObjective | None]:
    """``(θ, curvature pairs, subsample objective)`` from L-BFGS on every
    ``WARM_START_STRIDE``-th row of X.

    Falls back to ``(0, [], None)`` when that subsample is separable (l2 = 0) or L-BFGS
    fails there.
    """
    d = X.shape[1]
    sub = LogisticObjective(X[::WARM_START_STRIDE], y[::WARM_START_STRIDE], l2)  # views
    result = lbfgs(sub, np.zeros(d + 1), tol=max(tol, WARM_START_TOL), max_iter=200, flat=flat,
                   callback=sub.separated)  # fmt: skip
    if result.status not in ("converged", "max_iter"):
        return np.zeros(d + 1), [], None
    return result.theta, result.pairs, sub


def _subsampled_hessian(
    objective: LogisticObjective, sub: LogisticObjective | None, grad_norm: Callable[[], float]
) -> Callable[[Array], Array]:
    """Newton's ``hess``: the subsample's Hessian while it makes fast progress, then the full one.

    The subsample Hessian ``H_s`` (computed once, from n/``WARM_START_STRIDE`` rows) differs
    from the full one by sampling error, so a step ``−H_s⁻¹∇f`` with the full gradient
    contracts ``‖∇f‖`` by about ``‖I − H_s⁻¹H‖`` (≈ 0.07 per step measured on 1,000,000 × 100
    Gaussian data): linear convergence, but each step costs one pass over X instead of an
    ``n·d²`` Hessian. ``grad_norm()`` is ``‖∇f‖`` at the current iterate; once a step gains
    less than ``SUBSAMPLE_HESSIAN_RATIO`` (an ill-conditioned problem, where the sample
    Hessian is poor), every later call returns the full Hessian.
    """
    H_s: Array | None = None
    last_norm = math.inf

    def hess(theta: Array) -> Array:
        nonlocal sub, H_s, last_norm
        norm = grad_norm()
        if sub is not None and norm > SUBSAMPLE_HESSIAN_RATIO * last_norm:
            sub = None  # too slow: full Hessians from here on
        last_norm = norm
        if sub is None:
            return objective.hess(theta)
        if H_s is None:
            H_s = sub.hess(theta)  # (d + 1, d + 1) at the warm start
        return H_s

    return hess


def _subsample_preconditioner(
    sub: LogisticObjective, theta: Array, rcond: float
) -> Callable[[Array], Array] | None:
    """``v ↦ H_s⁻¹v``, ``H_s`` the subsample's Hessian at ``theta`` (d + 1, d + 1); None if
    it is singular (in the sense of ``cholesky_factor`` with ``rcond``).

    L-BFGS starts from ``H₀ = H_s⁻¹`` instead of a scaled identity: its first step is a
    subsampled Newton step, which cuts the full gradient by about ``‖I − H H_s⁻¹‖``
    (≈ 30× on 1,000,000 × 100 Gaussian data), and its pairs then correct ``H_s`` where the
    full Hessian differs. ``H_s`` carries the problem's conditioning, which the subsample's
    ten curvature pairs do not: on ill-conditioned data (unscaled, correlated columns) this
    takes 7–10 full evaluations where the pairs took 19–87 (docs/solvers.md).
    """
    H_s = sub.hess(theta)  # (d + 1, d + 1): one n/10 · d² product
    L = cholesky_factor(H_s, rcond=rcond)
    if L is None:
        return None
    return lambda v: factored_solve(H_s, L, v)  # (d + 1,) -> (d + 1,)


def fit_logistic(
    X: Array,
    y: Array,
    *,
    solver: str,
    l2: float,
    tol: float,
    max_iter: int,
    on_iterate: Callable[[Array, float], None] | None = None,
) -> tuple[Array, float, OptimizeResult]:
    """Minimize the logistic objective with ``solver`` ("newton" or "lbfgs").

    ``on_iterate(theta, loss)`` is called at the start and after every update. Returns
    ``(w, b, result)`` with ``w`` float64 of shape (d,); raises or warns as described in the
    module docstring.
    """
    d = X.shape[1]
    objective = LogisticObjective(X, y, l2)
    # Relative rounding noise of f: float32 products make it ~1e-7, float64 ~1e-15.
    flat = max(1e-12, 10 * float(np.finfo(X.dtype).eps))
    # 1/cond(H) below which a step is rounding noise: H is summed from X's dtype products.
    rcond = 1e-13 if X.dtype == np.float64 else 10 * float(np.finfo(np.float32).eps)
    theta0 = np.zeros(d + 1)  # zero init: f = ln 2 exactly, safe because the problem is convex
    pairs: list[tuple[Array, Array]] = []
    sub = None
    if X.shape[0] >= WARM_START_ROWS:
        theta0, pairs, sub = _warm_start(X, y, l2, tol, flat)
    started, last_grad = False, np.full(d + 1, np.inf)

    def fun(theta: Array) -> tuple[float, Array]:
        nonlocal started, last_grad
        loss, last_grad = objective(theta)
        if not started and on_iterate is not None:  # the solver's start
            on_iterate(theta, loss)
        started = True
        return loss, last_grad

    def stop(theta: Array) -> bool:
        if on_iterate is not None:
            on_iterate(theta, objective.last_loss)
        return objective.separated(theta)

    if solver == "newton":
        hess: Callable[[Array], Array] = objective.hess
        if sub is not None:
            hess = _subsampled_hessian(objective, sub, lambda: math.sqrt(last_grad @ last_grad))
        result = newton(
            fun, hess, theta0, tol=tol, max_iter=max_iter, rcond=rcond,
            flat=flat, callback=stop, chord=True,
            step_guess=objective.step_guess if objective.S is not None else None,
        )  # fmt: skip
    else:
        precondition = None
        if sub is not None:  # the subsample's Hessian replaces its curvature pairs
            precondition = _subsample_preconditioner(sub, theta0, rcond)
            pairs = pairs if precondition is None else []
        result = lbfgs(fun, theta0, tol=tol, max_iter=max_iter, flat=flat, callback=stop,
                       pairs=pairs, precondition=precondition)  # fmt: skip
    if result.status == "singular hessian":
        _diagnose_singular(objective, result.theta)
    elif result.status == "stopped by callback":
        warnings.warn(
            f"solver={solver!r} stopped at iteration {result.n_iter}: the classes are linearly "
            "separable. The current weights classify every training sample correctly, so with "
            "l2=0 the loss keeps falling as the weights grow and has no finite minimum (the "
            "weights would run off to infinity). Set l2 > 0 for a finite, unique solution; "
            "the separating weights found are kept.",
            ConvergenceWarning,
            stacklevel=3,
        )
    elif not result.converged:
        warnings.warn(
            f"solver={solver!r} stopped before the gradient norm fell below tol={tol:g}: "
            f"{result.message}. Raise max_iter, or loosen tol if the loss has stopped falling.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return result.theta[:d].copy(), float(result.theta[d]), result
