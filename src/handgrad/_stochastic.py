"""``solver="sgd"`` and ``"adam"`` for the linear models: epochs of shuffled mini-batches.

Each epoch: set the scheduled learning rate α_t; for each mini-batch ``B`` of ``m`` rows,
evaluate the model's own objective on the batch and let the optimizer update ``(W, b)``::

    ∂L_B/∂W = X_Bᵀ(P_B − Y_B)/m + l2·W          (d,) or (d, k), the shape of W
    ∂L_B/∂b = mean over the batch of (P_B − Y_B)   () or (k,), the shape of b

— the full-data gradient with the batch in place of the data, so no new gradient code. Then
record the full-data objective and gradient norm (one ``Trace`` row per epoch) and apply the
stopping rule: the gradient norm below ``tol``, or with ``early_stopping`` the patience rule on
the loss of a held-out validation split, whose best weights are restored at the end.

The hyperparameter checks and the validation split are shared with ``MLPClassifier``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from handgrad import _validation as v
from handgrad._linear import Settings, finish_gradient_descent, require_finite, set_fitted
from handgrad.optim import SGD, Adam, EarlyStopping, Trace, minibatches
from handgrad.optim.schedules import SCHEDULES, make_schedule
from handgrad.split import train_test_indices

__all__ = ["EpochSettings", "check_epoch_settings", "fit_stochastic", "validation_split"]

Array = NDArray[np.floating[Any]]
# (W, b, X, T, l2) -> (L, ∂L/∂W, ∂L/∂b): the model's objective, on any rows.
Objective = Callable[[Array, Array, Array, Array, float], tuple[float, Array, Any]]
Callback = Callable[[int, float], None]


class EpochSettings(NamedTuple):
    """The validated hyperparameters of a mini-batch training run."""

    batch_size: int
    momentum: float
    lr_schedule: str
    lr_decay: float
    patience: int
    validation_fraction: float


def check_epoch_settings(est: Any) -> EpochSettings:
    """Validate ``est``'s mini-batch hyperparameters; one message shape: what, expected, got."""
    if est.lr_schedule not in SCHEDULES:
        raise ValueError(f"lr_schedule must be one of {SCHEDULES}; got {est.lr_schedule!r}.")
    fraction = v.check_positive(est.validation_fraction, "validation_fraction")
    if est.early_stopping and not fraction < 1.0:
        raise ValueError(f"validation_fraction must be in (0, 1); got {fraction!r}.")
    if not isinstance(est.early_stopping, bool | np.bool_):
        raise ValueError(f"early_stopping must be True or False; got {est.early_stopping!r}.")
    momentum = est.momentum
    if (
        isinstance(momentum, bool)
        or not isinstance(momentum, int | float)
        or not (0.0 <= momentum < 1.0)
    ):
        raise ValueError(f"momentum must be a number in [0, 1); got {momentum!r}.")
    return EpochSettings(
        batch_size=v.check_int(est.batch_size, "batch_size", minimum=1),
        momentum=float(momentum),
        lr_schedule=est.lr_schedule,
        lr_decay=v.check_positive(est.lr_decay, "lr_decay", allow_zero=True),
        patience=v.check_int(est.patience, "patience", minimum=1),
        validation_fraction=fraction,
    )


def validation_split(
    codes: NDArray[Any], fraction: float, rng: np.random.Generator
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Row indices ``(fit, validation)``: a stratified split seeded from ``rng``."""
    return train_test_indices(codes, test_size=fraction, random_state=int(rng.integers(2**31)))


def _norm(dW: Array, db: Any) -> float:
    """``‖(∂L/∂W, ∂L/∂b)‖₂``, the whole gradient, intercepts included."""
    db_ = np.asarray(db)
    return float(np.sqrt(np.sum(dW * dW) + np.sum(db_ * db_)))


def fit_stochastic(
    model: Any,
    X: Array,
    T: Array,
    codes: NDArray[Any],
    *,
    objective: Objective,
    init: tuple[Array, Array],
    settings: Settings,
    evaluation: tuple[Array, Array] | None,
    callback: Callback | None,
    separable: Callable[[Array, Array], Callable[[], str | None]],
) -> tuple[Array, Array]:
    """Train ``(W, b)`` from ``init`` by mini-batch SGD or Adam; set ``model``'s fitted attributes.

    ``T`` holds the targets in the objective's form (0/1 or one-hot), ``codes`` the class of
    each row (for the stratified validation split). Returns the final ``(W, b)`` (the best
    validation epoch's with ``early_stopping``); the caller converts ``b`` to its type.
    ``separable(W, b)`` gives the diagnosis of :func:`handgrad._linear.finish_gradient_descent`.
    """
    epochs = check_epoch_settings(model)
    rng = np.random.default_rng(model.random_state)
    validation = None
    if model.early_stopping:
        fit_rows, val_rows = validation_split(codes, epochs.validation_fraction, rng)
        validation = X[val_rows], T[val_rows]
        X, T = X[fit_rows], T[fit_rows]
    lr, l2, n = settings.learning_rate, settings.l2, X.shape[0]
    schedule = make_schedule(epochs.lr_schedule, lr, epochs.lr_decay)
    optimizer = Adam(lr) if settings.solver == "adam" else SGD(lr, momentum=epochs.momentum)
    stopper = EarlyStopping(patience=epochs.patience, tol=settings.tol)
    params = {"W": init[0].copy(), "b": init[1].copy()}
    trace, eval_history, val_history = Trace(), [], []
    full_batch = epochs.batch_size >= n  # one batch of every row, in order: gradient descent

    def record(epoch: int, step: float, n_evals: int) -> tuple[float, Array, Any]:
        """Evaluate the full objective at the current (W, b); append a row to each history."""
        W, b = params["W"], params["b"]
        loss, dW, db = objective(W, b, X, T, l2)  # the full training objective
        require_finite(loss, epoch=epoch, learning_rate=step or lr)
        trace.record(loss, _norm(dW, db), step, n_evals)
        if evaluation is not None:
            eval_history.append(objective(W, b, *evaluation, l2)[0])
        if callback is not None:
            callback(epoch, loss)
        if validation is not None:
            val_history.append(objective(W, b, *validation, 0.0)[0])  # unpenalized
        return loss, dW, db

    stopped = False
    with np.errstate(over="ignore", invalid="ignore"):  # divergence: require_finite says why
        _, dW, db = record(0, 0.0, 1)
        if validation is not None:
            stopper.update(0, val_history[-1], params)
        for epoch in range(1, settings.max_iter + 1):
            if validation is None and trace.grad_norm[-1] < settings.tol:
                break
            optimizer.learning_rate = schedule(epoch - 1)
            n_batches = 0
            for rows in [None] if full_batch else minibatches(n, epochs.batch_size, rng):
                if rows is not None:  # ∂L_B on the batch: the same objective, m rows
                    _, dW, db = objective(params["W"], params["b"], X[rows], T[rows], l2)
                optimizer.step(params, {"W": dW, "b": np.asarray(db)})
                n_batches += 1
            _, dW, db = record(epoch, optimizer.learning_rate, n_batches)
            if validation is not None and stopper.update(epoch, val_history[-1], params):
                stopped = True
                break
    if validation is None:
        finish_gradient_descent(model, X, coef=params["W"], intercept=params["b"], trace=trace,
                                eval_history=eval_history, settings=settings,
                                separable=separable(params["W"], params["b"]),
                                stacklevel=5)  # fmt: skip
        return params["W"], params["b"]
    stopper.restore(params)
    set_fitted(model, coef=params["W"], intercept=params["b"], trace=trace,
               eval_history=eval_history, converged=stopped)  # fmt: skip
    model.validation_loss_history_, model.best_epoch_ = val_history, stopper.best_epoch
    if not stopped:
        from handgrad._diagnostics import warn_epochs_not_converged

        warn_epochs_not_converged(
            X, val_history, what="validation", tol=settings.tol, patience=epochs.patience,
            max_iter=settings.max_iter, estimator=type(model).__name__, stacklevel=4,
        )  # fmt: skip
    return params["W"], params["b"]
