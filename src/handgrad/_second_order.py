"""``solver="newton"`` and ``"lbfgs"`` for the linear models, around :mod:`handgrad.optim`.

- :func:`fit_second_order`: runs a model's solve, recording the ``eval_set`` loss and calling
  the user's callback at every iterate, and sets the fitted attributes from the trace;
- :func:`minimize`: Newton or L-BFGS on any flat objective, stopped at the first iterate that
  separates the classes (l2 = 0), with the ``ConvergenceWarning`` s in plain words. Logistic
  regression has its own, tuned for speed, in :mod:`handgrad._logistic_solvers`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad._linear import set_fitted
from handgrad.exceptions import ConvergenceWarning
from handgrad.optim import OptimizeResult, lbfgs, newton

__all__ = ["OnIterate", "fit_second_order", "minimize"]

Array = NDArray[np.floating[Any]]
Callback = Callable[[int, float], None]
Objective = Callable[[Array], tuple[float, Array]]
OnIterate = Callable[[Array, float], None]


def fit_second_order(
    model: Any,
    solve: Callable[[OnIterate], tuple[Array, Any, OptimizeResult]],
    *,
    evaluation: tuple[Array, Array] | None,
    eval_loss: Callable[[Array, Array, Array], float],
    callback: Callback | None,
) -> None:
    """Run ``solve(on_iterate) -> (coef, intercept, result)`` and set the fitted attributes.

    ``on_iterate(theta, loss)`` must be called at the start and after every update: it records
    ``eval_loss(theta, X_eval, T_eval)`` when there is an ``eval_set`` and calls
    ``callback(iteration, loss)``.
    """
    eval_history: list[float] = []
    iteration = 0

    def on_iterate(theta: Array, loss: float) -> None:
        nonlocal iteration
        if evaluation is not None:
            eval_history.append(eval_loss(theta, *evaluation))
        if callback is not None:
            callback(iteration, loss)
        iteration += 1

    coef, intercept, result = solve(on_iterate)
    set_fitted(model, coef=coef, intercept=intercept, trace=result.trace,
               eval_history=eval_history, converged=result.converged)  # fmt: skip


def minimize(
    fun: Objective,
    hess: Callable[[Array], Array],
    theta0: Array,
    *,
    solver: str,
    tol: float,
    max_iter: int,
    separated: Callable[[Array], bool],
    on_iterate: OnIterate,
) -> OptimizeResult:
    """Minimize ``fun`` with ``solver`` ("newton" or "lbfgs"), stopping at separation.

    ``separated(theta)`` is True when l2 = 0 and ``theta`` classifies every training sample
    correctly: the loss then has no finite minimum, and the solver stops with a warning. A
    singular Hessian and ``max_iter`` also end in a ``ConvergenceWarning`` that says why.
    """
    last: list[tuple[Array, float]] = []

    def counted(theta: Array) -> tuple[float, Array]:
        loss, grad = fun(theta)
        if not last:  # the solver's start
            on_iterate(theta, loss)
        last[:] = [(theta, loss)]
        return loss, grad

    def stop(theta: Array) -> bool:
        seen, loss = last[0]
        on_iterate(theta, loss if np.array_equal(seen, theta) else fun(theta)[0])
        return separated(theta)

    if solver == "newton":
        result = newton(counted, hess, theta0, tol=tol, max_iter=max_iter, callback=stop)
    else:
        result = lbfgs(counted, theta0, tol=tol, max_iter=max_iter, callback=stop)
    if result.status == "stopped by callback":
        message = (
            f"solver={solver!r} stopped at iteration {result.n_iter}: the classes are linearly "
            "separable. The current weights classify every training sample correctly, so with "
            "l2=0 the loss keeps falling as the weights grow and has no finite minimum (the "
            "weights would run off to infinity). Set l2 > 0 for a finite, unique solution; "
            "the separating weights found are kept."
        )
    elif result.status == "singular hessian":
        message = (
            f"solver='newton' stopped at iteration {result.n_iter}: the Hessian became "
            "singular, because columns of X are linearly dependent (a constant column is "
            "collinear with the intercepts) or, with l2=0, the probabilities saturated at 0 "
            "or 1. Set l2 > 0, drop dependent columns, or use solver='lbfgs'."
        )
    elif not result.converged:
        message = (
            f"solver={solver!r} stopped before the gradient norm fell below tol={tol:g}: "
            f"{result.message}. Raise max_iter, or loosen tol if the loss has stopped falling."
        )
    else:
        return result
    warnings.warn(message, ConvergenceWarning, stacklevel=4)
    return result
