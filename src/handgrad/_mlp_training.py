"""Hyperparameter checks and the mini-batch training loop of ``MLPClassifier``.

Each epoch: set the scheduled learning rate; for each mini-batch, forward, loss, backprop,
update; then record the full training objective (and the validation loss and accuracy) and
ask the patience rule whether to stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad import _validation as v
from handgrad._stochastic import check_epoch_settings
from handgrad.init import INITIALIZERS
from handgrad.layers import ACTIVATIONS
from handgrad.network import Network, check_hidden_layer_sizes
from handgrad.optim import SGD, Adam, EarlyStopping, minibatches
from handgrad.optim.schedules import Schedule

Array = NDArray[np.floating[Any]]
OPTIMIZERS = ("adam", "momentum", "nesterov", "sgd")


def check_hyperparameters(est: Any) -> dict[str, Any]:
    """Validate every hyperparameter, with one message shape: what, expected, got.

    The mini-batch ones (batch size, momentum, schedule, patience, validation split) are
    checked by :func:`handgrad._stochastic.check_epoch_settings`, as for the linear models.
    """
    for name, value, allowed in (
        ("activation", est.activation, tuple(sorted(ACTIVATIONS))),
        ("init", est.init, ("auto", *sorted(INITIALIZERS))),
        ("optimizer", est.optimizer, OPTIMIZERS),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}; got {value!r}.")
    epochs = check_epoch_settings(est)
    return {
        "hidden": check_hidden_layer_sizes(est.hidden_layer_sizes),
        "l2": v.check_positive(est.l2, "l2", allow_zero=True),
        "lr": v.check_positive(est.learning_rate, "learning_rate"),
        "decay": epochs.lr_decay,
        "batch_size": epochs.batch_size,
        "max_iter": v.check_int(est.max_iter, "max_iter", minimum=1),
        "tol": v.check_positive(est.tol, "tol", allow_zero=True),
        "patience": epochs.patience,
        "fraction": epochs.validation_fraction,
    }


def make_optimizer(name: str, learning_rate: float, momentum: float) -> SGD | Adam:
    """``"adam"``, ``"sgd"``, ``"momentum"`` or ``"nesterov"`` at the given rate."""
    if name == "adam":
        return Adam(learning_rate)
    if name == "sgd":
        return SGD(learning_rate)
    return SGD(learning_rate, momentum=momentum, nesterov=name == "nesterov")


@dataclass
class TrainingRecord:
    """What a training run leaves behind (becomes the estimator's ``*_`` attributes)."""

    loss_history: list[float] = field(default_factory=list)
    validation_loss_history: list[float] = field(default_factory=list)
    validation_score_history: list[float] = field(default_factory=list)
    n_iter: int = 0
    best_epoch: int = -1
    converged: bool = False  # the patience rule stopped it (at max_iter at the latest)


def _validation(net: Network, X_val: Array, Y_val: Array, record: TrainingRecord) -> float:
    """Record the unpenalized validation loss and accuracy; return the loss."""
    loss = net.objective(X_val, Y_val, 0.0)[0]
    P = net.probabilities(X_val)  # (m, k)
    predicted = (P[:, 0] >= 0.5) if P.shape[1] == 1 else P.argmax(axis=1)  # (m,)
    truth = Y_val[:, 0] if Y_val.shape[1] == 1 else Y_val.argmax(axis=1)  # (m,)
    record.validation_loss_history.append(loss)
    record.validation_score_history.append(float(np.mean(predicted == truth)))
    return loss


def train(
    net: Network,
    data: tuple[Array, Array],
    validation: tuple[Array, Array] | None,
    *,
    optimizer: SGD | Adam,
    schedule: Schedule,
    stopper: EarlyStopping,
    l2: float,
    batch_size: int,
    max_iter: int,
    rng: np.random.Generator,
) -> TrainingRecord:
    """Train ``net`` in place; with ``validation``, restore the best validation weights."""
    X, Y = data  # (n, d), (n, k)
    record = TrainingRecord(loss_history=[net.objective(X, Y, l2)[0]])
    if validation is not None:
        _validation(net, *validation, record)
    batch_size = min(batch_size, X.shape[0])
    epoch = 0
    for epoch in range(1, max_iter + 1):
        optimizer.learning_rate = schedule(epoch - 1)
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught below
            for rows in minibatches(X.shape[0], batch_size, rng):
                _, grads = net.objective(X[rows], Y[rows], l2)  # forward, loss, backprop
                optimizer.step(net.params, grads)  # update every W_l, b_l in place
            loss = net.objective(X, Y, l2)[0]
        if not np.isfinite(loss):
            raise FloatingPointError(
                f"training diverged at epoch {epoch}: the loss became {loss}. Expected a finite "
                f"loss; learning_rate={schedule.initial:g} is too large for this data "
                "(standardize X or lower learning_rate)."
            )
        record.loss_history.append(loss)
        monitored = loss if validation is None else _validation(net, *validation, record)
        if stopper.update(epoch, monitored, net.params):
            record.converged = True
            break
    record.n_iter = epoch
    if validation is not None:
        stopper.restore(net.params)
        record.best_epoch = stopper.best_epoch
    return record
