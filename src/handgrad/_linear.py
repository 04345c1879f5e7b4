"""What LogisticRegression and SoftmaxRegression share around their training loops.

The two models differ in the model (one logit or k) and in their four-step gradient descent
loop, which each keeps in its own file. Everything around the loop is the same and lives here:

- :func:`check_settings`: the hyperparameters, one message shape for every model;
- :func:`check_eval_set` and :func:`one_hot`: the optional evaluation data and its labels;
- :func:`finish_gradient_descent` and :func:`set_fitted`: the fitted attributes, and the
  diagnosis when gradient descent stops at ``max_iter``;
- :func:`require_finite`, :func:`require_gradient_shapes`: the loop's checks.

``solver="newton"``/``"lbfgs"`` are run by :mod:`handgrad._second_order`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.base import BaseEstimator
from handgrad.optim import Trace

__all__ = [
    "SOLVERS",
    "LinearClassifier",
    "Settings",
    "check_eval_set",
    "check_settings",
    "finish_gradient_descent",
    "one_hot",
    "require_finite",
    "require_gradient_shapes",
]

Array = NDArray[np.floating[Any]]

SOLVERS = ("gd", "newton", "lbfgs", "sgd", "adam")


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

    def __init__(
        self,
        *,
        learning_rate: float = 0.1,
        max_iter: int = 1000,
        tol: float = 1e-4,
        l2: float = 0.0,
        l1: float = 0.0,
        solver: str = "gd",
        batch_size: int = 64,
        momentum: float = 0.0,
        lr_schedule: str = "constant",
        lr_decay: float = 0.0,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        patience: int = 10,
        random_state: int | None = None,
    ) -> None:
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.l2 = l2
        self.l1 = l1
        self.solver = solver
        self.batch_size = batch_size  # the rest: solver="sgd"/"adam" only (_stochastic.py)
        self.momentum = momentum
        self.lr_schedule = lr_schedule
        self.lr_decay = lr_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state

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


def require_finite(loss: float, *, epoch: int, learning_rate: float) -> None:
    """Raise ``FloatingPointError`` naming the cause when gradient descent's loss is inf/NaN."""
    if not np.isfinite(loss):
        raise FloatingPointError(
            f"gradient descent diverged at epoch {epoch}: the loss became {loss}. "
            f"Expected a finite loss; learning_rate={learning_rate:g} is too large for this "
            "data (standardize X or lower learning_rate)."
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
    from handgrad._stochastic import check_epoch_settings  # its module imports this one

    check_epoch_settings(model)  # used by "sgd"/"adam" only, but never silently wrong
    return Settings(lr, max_iter, tol, l2, l1, model.solver)


def one_hot(labels: NDArray[Any], classes: NDArray[Any], dtype: Any) -> Array:
    """``Y (n, k)`` with ``Y_ij = 1`` where ``labels_i == classes_j``; unseen labels raise."""
    codes = v.encode_known(labels, classes)  # (n,)
    Y: Array = np.eye(classes.shape[0], dtype=dtype)[codes]  # (n, k)
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
    stacklevel: int = 4,
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
            stacklevel=stacklevel,
        )  # fmt: skip
