"""What LogisticRegression and SoftmaxRegression share around their training loops.

The two models differ in the model (one logit or k) and in their four-step gradient descent
loop, which each keeps in its own file. Everything around the loop is the same and lives here:

- :func:`check_settings`: the hyperparameters, one message shape for every model;
- :func:`check_eval_set` and :func:`one_hot`: the optional evaluation data and its labels;
- :func:`fit_second_order`: ``solver="newton"``/``"lbfgs"`` on the flat objective, recording
  the ``eval_set`` loss and calling the user's callback at every iterate;
- :func:`minimize`: Newton or L-BFGS from :mod:`handgrad.optim` with the separation stop and
  the ``ConvergenceWarning`` s in plain words (logistic regression has its own, tuned for speed,
  in :mod:`handgrad._logistic_solvers`);
- :func:`finish_gradient_descent` and :func:`set_fitted`: the fitted attributes, and the
  diagnosis when gradient descent stops at ``max_iter``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.base import BaseEstimator
from handgrad.exceptions import ConvergenceWarning
from handgrad.optim import OptimizeResult, Trace, lbfgs, newton

__all__ = [
    "SOLVERS",
    "LinearClassifier",
    "Settings",
    "check_eval_set",
    "check_settings",
    "finish_gradient_descent",
    "fit_second_order",
    "minimize",
    "one_hot",
    "require_gradient_shapes",
]

Array = NDArray[np.floating[Any]]
Callback = Callable[[int, float], None]
Objective = Callable[[Array], tuple[float, Array]]
OnIterate = Callable[[Array, float], None]

SOLVERS = ("gd", "newton", "lbfgs")


class LinearClassifier(BaseEstimator):
    """Input checks at predict time and accuracy, the same for every linear classifier."""

    _estimator_kind = "classifier"
    # Set by fit (annotations only: before fit the attributes do not exist).
    coef_: Array
    classes_: NDArray[Any]
    n_features_in_: int
    n_iter_: int
    n_zero_coef_: int
    loss_history_: list[float]
    eval_loss_history_: list[float]
    trace_: Trace
    converged_: bool

    def _check_X(self, X: ArrayLike) -> Array:
        v.check_is_fitted(self, "coef_")
        X_ = v.check_array(X)
        v.check_n_features(X_, self.n_features_in_, type(self).__name__)
        return X_

    def predict(self, X: ArrayLike) -> NDArray[Any]:  # pragma: no cover - every model has one
        raise NotImplementedError

    def score(self, X: ArrayLike, y: ArrayLike) -> float:
        """Accuracy on ``(X, y)``."""
        labels = v.check_labels(y, np.shape(X)[0])
        return float(np.mean(self.predict(X) == labels))


class Settings(NamedTuple):
    """The validated hyperparameters of a linear model."""

    learning_rate: float
    max_iter: int
    tol: float
    l2: float
    l1: float
    solver: str


def require_gradient_shapes(**pairs: tuple[Array | float, Array | float]) -> None:
    """The seed's rule: a gradient has exactly the shape of its parameter; raise if not."""
    for name, (param, grad) in pairs.items():
        if np.shape(param) != np.shape(grad):
            raise RuntimeError(
                f"gradient d{name} has shape {np.shape(grad)}, but {name} has shape "
                f"{np.shape(param)}; a gradient must have the shape of its parameter."
            )


def check_settings(model: Any) -> Settings:
    """Validate ``model``'s hyperparameters at ``fit``; raise ``ValueError`` naming the bad one."""
    lr = v.check_positive(model.learning_rate, "learning_rate")
    max_iter = v.check_int(model.max_iter, "max_iter", minimum=1)
    tol = v.check_positive(model.tol, "tol", allow_zero=True)
    l2 = v.check_positive(model.l2, "l2", allow_zero=True)
    l1 = v.check_positive(model.l1, "l1", allow_zero=True)
    if model.solver not in SOLVERS:
        raise ValueError(
            f"solver must be one of {SOLVERS} for {type(model).__name__}; got {model.solver!r}."
        )
    if model.solver != "gd" and l1 > 0:
        raise ValueError(
            f"l1 > 0 needs solver='gd' (proximal gradient descent); solver="
            f"{model.solver!r} needs a smooth objective. Got l1={model.l1!r}."
        )
    return Settings(lr, max_iter, tol, l2, l1, model.solver)


def one_hot(labels: NDArray[Any], classes: NDArray[Any], dtype: Any) -> Array:
    """``Y (n, k)`` with ``Y_ij = 1`` where ``labels_i == classes_j``; unseen labels raise."""
    unknown = np.setdiff1d(labels, classes)
    if unknown.size:
        raise ValueError(
            f"y contains labels {unknown.tolist()[:5]} that were not seen in training; "
            f"expected only {classes.tolist()}."
        )
    Y: Array = (labels[:, None] == classes[None, :]).astype(dtype)  # (n, k)
    return Y


def check_eval_set(
    eval_set: tuple[ArrayLike, ArrayLike] | None,
    n_features: int,
    model_name: str,
    encode: Callable[[NDArray[Any], Any], Array],
) -> tuple[Array, Array] | None:
    """``(X_eval, encode(y_eval, X_eval.dtype))`` after the same checks as the training data."""
    if eval_set is None:
        return None
    X_eval = v.check_array(eval_set[0], name="eval_set X")
    v.check_n_features(X_eval, n_features, model_name)
    labels = v.check_labels(eval_set[1], X_eval.shape[0], name="eval_set y")
    return X_eval, encode(labels, X_eval.dtype)


def set_fitted(
    model: Any,
    *,
    coef: Array,
    intercept: Any,
    trace: Trace,
    eval_history: list[float],
    converged: bool,
) -> None:
    """Set the attributes every fitted linear model has, from the solver's trace."""
    model.coef_, model.intercept_ = coef, intercept
    model.n_zero_coef_ = int(np.count_nonzero(coef == 0))
    model.trace_ = trace
    model.loss_history_ = list(trace.loss)
    model.eval_loss_history_ = eval_history
    model.n_iter_ = len(trace) - 1
    model.converged_ = converged


def finish_gradient_descent(
    model: Any,
    X: Array,
    *,
    coef: Array,
    intercept: Any,
    trace: Trace,
    eval_history: list[float],
    settings: Settings,
    separable: Callable[[], str | None],
) -> None:
    """Set the fitted attributes after the gd loop; warn, saying why, if it did not converge.

    ``separable()`` is asked only for the diagnosis (with l2 = l1 = 0): it returns how the
    training data were shown to be linearly separable, or None (see :mod:`handgrad._diagnostics`).
    """
    grad_norm = trace.grad_norm[-1]
    set_fitted(model, coef=coef, intercept=intercept, trace=trace, eval_history=eval_history,
               converged=grad_norm < settings.tol)  # fmt: skip
    if not model.converged_:
        from handgrad._diagnostics import warn_not_converged

        warn_not_converged(
            X, trace.loss, coef, grad_norm=grad_norm, tol=settings.tol,
            l2=settings.l2 + settings.l1, max_iter=settings.max_iter, separable=separable,
        )  # fmt: skip


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
