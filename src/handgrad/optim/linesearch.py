"""Line searches: how far to move along a descent direction ``d`` from ``θ``.

Both work on ``φ(t) = f(θ + t·d)``, whose slope is ``φ'(t) = ∇f(θ + t·d) · d``; a descent
direction has ``φ'(0) < 0``.

- :func:`backtracking` halves ``t`` until the *sufficient decrease* (Armijo) condition holds::

      φ(t) ≤ φ(0) + c1·t·φ'(0)                                          (W1)

  Enough for Newton, whose full step ``t = 1`` is almost always accepted.
- :func:`wolfe` finds a step satisfying the *strong Wolfe* conditions, W1 and::

      |φ'(t)| ≤ c2·|φ'(0)|                                              (W2)

  W2 (curvature) rules out steps so short that the slope is still steep; it guarantees
  ``sᵀy > 0`` for ``s = t·d``, ``y = ∇f(θ + s) − ∇f(θ)``, which keeps the L-BFGS inverse
  Hessian positive definite. Algorithm 3.5/3.6 of Nocedal & Wright, *Numerical Optimization*
  (2nd ed.): bracket a step interval that must contain a Wolfe point, then shrink it by
  safeguarded cubic interpolation ("zoom").

  Near a minimum the change in ``f`` along a step can fall below the rounding error of
  ``f`` itself, and W1 then fails by noise although the slopes are still accurate. There the
  search also accepts Hager & Zhang's *approximate Wolfe* conditions::

      φ(t) ≤ φ(0) + ε·|φ(0)|   and   c2·φ'(0) ≤ φ'(t) ≤ (2·c1 − 1)·φ'(0)          (AW)

  which test the slope instead of the value (``ε = 1e-12``); ``φ'(t) > φ'(0)`` still gives
  ``sᵀy > 0``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["LineSearchResult", "backtracking", "wolfe"]

Array = NDArray[np.floating[Any]]
Objective = Callable[[Array], tuple[float, Array]]


@dataclass
class LineSearchResult:
    """The accepted step ``t``, ``f`` and ``∇f`` there, evaluations spent, success flag.

    ``point`` is the array ``θ + t·d`` that was passed to ``fun`` (``θ`` itself when no
    step was found), so a caller can reuse what ``fun`` computed there.
    """

    step: float
    loss: float
    grad: Array
    n_evals: int
    success: bool
    point: Array


def backtracking(
    fun: Objective,
    theta: Array,
    loss: float,
    slope: float,
    direction: Array,
    *,
    c1: float = 1e-4,
    shrink: float = 0.5,
    max_evals: int = 60,
    flat: float = 1e-12,
    first: float = 1.0,
) -> LineSearchResult:
    """Largest ``t ∈ {first, first·shrink, …}`` satisfying W1; ``slope`` is ``φ'(0)``.

    When the loss is flat to rounding (``φ(t) ≤ φ(0) + flat·|φ(0)|``), the step is also
    accepted if its slope satisfies AW with ``c2 = 0.9``. ``first`` is the step tried first
    (1 for Newton, or a better guess of the minimizer of ``φ``).
    """
    t = first
    for k in range(1, max_evals + 1):
        point = theta + t * direction  # (m,) + () * (m,)
        new_loss, new_grad = fun(point)
        if math.isfinite(new_loss) and new_loss <= loss + c1 * t * slope:
            return LineSearchResult(t, new_loss, new_grad, k, True, point)
        new_slope = float(new_grad @ direction)
        if new_loss <= loss + flat * abs(loss) and 0.9 * slope <= new_slope <= (2 * c1 - 1) * slope:
            return LineSearchResult(t, new_loss, new_grad, k, True, point)
        t *= shrink
    return LineSearchResult(0.0, loss, np.zeros_like(theta), max_evals, False, theta)


def _cubic_minimizer(a: float, fa: float, da: float, b: float, fb: float, db: float) -> float:
    """Minimizer of the cubic through ``(a, fa, da)`` and ``(b, fb, db)``; nan if none."""
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    radicand = d1 * d1 - da * db
    if radicand < 0:
        return float("nan")
    d2 = np.copysign(np.sqrt(radicand), b - a)
    return float(b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2))


def wolfe(
    fun: Objective,
    theta: Array,
    loss: float,
    grad: Array,
    direction: Array,
    *,
    step: float = 1.0,
    c1: float = 1e-4,
    c2: float = 0.9,
    max_evals: int = 40,
    flat: float = 1e-12,
) -> LineSearchResult:
    """A step ``t`` along ``direction`` satisfying the strong Wolfe conditions W1 and W2.

    Parameters
    ----------
    fun : callable(theta) -> (loss, grad)
    theta, grad : ndarray of shape (m,)
        The current point and ``∇f(theta)``; ``loss`` is ``f(theta)``.
    direction : ndarray of shape (m,)
        A descent direction: ``grad · direction < 0``.
    step : float
        First trial step (1 for quasi-Newton directions).
    c1, c2 : float
        ``0 < c1 < c2 < 1``; 1e-4 and 0.9 are the usual quasi-Newton choices.
    flat : float
        ``ε`` of the approximate Wolfe conditions AW (0 turns them off).
    """
    slope0 = float(grad @ direction)  # φ'(0) < 0
    evals = 0
    Point = tuple[float, float, float, Array, Array]  # (t, φ(t), φ'(t), ∇f(θ + t·d), θ + t·d)

    def phi(t: float) -> Point:
        nonlocal evals
        evals += 1
        point = theta + t * direction  # (m,)
        f, g = fun(point)
        return t, f, float(g @ direction), g, point

    def armijo_fails(t: float, f: float) -> bool:
        return not np.isfinite(f) or f > loss + c1 * t * slope0

    def wolfe_point(p: Point) -> bool:
        t, f, d, _, _ = p
        if not armijo_fails(t, f) and abs(d) <= -c2 * slope0:
            return True  # strong Wolfe
        return f <= loss + flat * abs(loss) and c2 * slope0 <= d <= (2 * c1 - 1) * slope0

    def done(p: Point, success: bool) -> LineSearchResult:
        return LineSearchResult(p[0], p[1], p[3], evals, success, p[4])

    def zoom(lo: Point, hi: Point) -> LineSearchResult:
        # Invariant: lo satisfies W1 with the lowest φ so far, and the interval between lo
        # and hi contains a strong Wolfe point (φ'(lo)·(hi − lo) < 0).
        while evals < max_evals:
            (a, fa, da, _, _), (b, fb, db, _, _) = lo, hi
            low, high = min(a, b), max(a, b)
            if high - low <= 1e-16 * max(1.0, high):
                break
            t = _cubic_minimizer(a, fa, da, b, fb, db) if np.isfinite(fb) else float("nan")
            margin = 0.1 * (high - low)
            if not np.isfinite(t) or t < low + margin or t > high - margin:
                t = 0.5 * (a + b)  # safeguard: bisect when the cubic step is unhelpful
            trial = phi(t)
            if wolfe_point(trial):
                return done(trial, True)
            if armijo_fails(t, trial[1]) or trial[1] >= fa:
                hi = trial
            else:
                if trial[2] * (b - a) >= 0:
                    hi = lo
                lo = trial
        # Out of evaluations: hand back the best W1 point found (t = 0 if none), flagged.
        return done(lo, False)

    prev: Point = (0.0, loss, slope0, grad, theta)
    t = step
    while evals < max_evals:
        trial = phi(t)
        if wolfe_point(trial):
            return done(trial, True)
        if armijo_fails(t, trial[1]) or (evals > 1 and trial[1] >= prev[1]):
            return zoom(prev, trial)
        if trial[2] >= 0:
            return zoom(trial, prev)
        prev = trial
        t *= 2.0  # still descending steeply: extrapolate
    return done(prev, False)
