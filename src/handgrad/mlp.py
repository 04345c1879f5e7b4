"""A multi-layer perceptron classifier, trained by hand-written backpropagation.

The network (see :mod:`handgrad.network` for the equations with shapes)::

    X → Linear → g → [Linear → g → ...] → Linear → σ (two classes) or softmax (more)

is trained on the mean cross-entropy plus ``(l2/2) Σ_l ‖W_l‖²`` (biases not penalized) by
mini-batch SGD, momentum, Nesterov or Adam from :mod:`handgrad.optim`. The output layer's
gradient is logistic/softmax regression's, with the last hidden activations ``A`` as inputs::

    dZ_out = (P − Y)/n        dW_out = Aᵀ (P − Y)/n + l2·W_out        db_out = Σ_rows (P − Y)/n
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad._mlp_training import check_hyperparameters, make_optimizer, train
from handgrad._stochastic import validation_split
from handgrad.base import BaseEstimator
from handgrad.layers import ACTIVATIONS, Layer, Linear
from handgrad.network import (
    Network,
    build_network,
    mlp_gradcheck_problem,
    objective_closure,
    targets,
)
from handgrad.optim import EarlyStopping, make_schedule

__all__ = ["MLPClassifier", "mlp_gradcheck_problem"]

Array = NDArray[np.floating[Any]]


class MLPClassifier(BaseEstimator):
    """A neural network classifier with 1 to 3 hidden layers and hand-written backprop.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units in each hidden layer (1 to 3 layers).
    activation : {"relu", "tanh", "sigmoid"}, default="relu"
        The hidden layers' nonlinearity g.
    init : {"auto", "he", "xavier", "zeros"}, default="auto"
        Weight initialization: ``"auto"`` is He for ReLU and Xavier otherwise. ``"zeros"``
        makes every hidden unit identical for ever (the symmetry problem); it is there to show it.
    l2 : float, default=1e-4
        Strength of ``(l2/2) Σ ‖W_l‖²`` added to the mean loss; biases are not penalized.
    optimizer : {"adam", "sgd", "momentum", "nesterov"}, default="adam"
    learning_rate : float, default=0.001
        The initial step size α.
    lr_schedule : {"constant", "step", "exponential", "inverse_time"}, default="constant"
        How α changes with the epoch t; see :mod:`handgrad.optim.schedules`.
    lr_decay : float, default=0.0
        The schedule's knob: ``step`` halves α every ``1/lr_decay`` epochs, ``exponential`` is
        ``α·e^(−lr_decay·t)``, ``inverse_time`` is ``α/(1 + lr_decay·t)``.
    momentum : float, default=0.9
        μ for ``"momentum"`` and ``"nesterov"``.
    batch_size : int, default=64
        Rows per gradient step (capped at the number of training rows).
    max_iter : int, default=200
        Most epochs (passes over the training rows). Reaching it while the monitored loss is
        still improving gives a ``ConvergenceWarning`` that names the likely cause.
    tol : float, default=1e-4
        An epoch improves when the monitored loss drops by more than ``tol``.
    patience : int, default=10
        Stop after this many epochs without improvement of the monitored loss: the validation
        loss with ``early_stopping``, otherwise the training loss.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows (stratified), monitor their loss, and
        restore the weights of the epoch where it was lowest.
    validation_fraction : float, default=0.1
    random_state : int or None, default=None
        Seeds the initialization, the mini-batch order and the validation split.

    Attributes
    ----------
    coefs_ : list of ndarray
        ``W_l`` of shape ``(h_{l−1}, h_l)``, from the input layer to the output layer.
    intercepts_ : list of ndarray
        ``b_l`` of shape ``(h_l,)``.
    classes_ : ndarray of shape (k,)
    n_features_in_ : int
    n_outputs_ : int
        1 (sigmoid output) for two classes, else k (softmax output).
    out_activation_ : {"sigmoid", "softmax"}
    n_iter_ : int
        Epochs run.
    converged_ : bool
        True when the patience rule stopped training (at ``max_iter`` at the latest). When
        ``max_iter`` comes first, ``fit`` issues a ``ConvergenceWarning`` saying why.
    loss_history_ : list of float
        The training objective at initialization and after each epoch (``n_iter_ + 1`` values).
    validation_loss_history_, validation_score_history_ : list of float
        With ``early_stopping``: validation loss (no penalty) and accuracy at the same moments.
    best_epoch_ : int
        With ``early_stopping``: the epoch whose weights were restored.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array([0, 1, 1, 0])  # XOR: no linear model separates it
    >>> model = MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", learning_rate=0.05,
    ...                       max_iter=500, random_state=0).fit(X, y)
    >>> model.predict(X)
    array([0, 1, 1, 0])
    """

    _estimator_kind = "classifier"
    _multi_class = True

    def __init__(
        self,
        *,
        hidden_layer_sizes: int | tuple[int, ...] = (100,),
        activation: str = "relu",
        init: str = "auto",
        l2: float = 1e-4,
        optimizer: str = "adam",
        learning_rate: float = 0.001,
        lr_schedule: str = "constant",
        lr_decay: float = 0.0,
        momentum: float = 0.9,
        batch_size: int = 64,
        max_iter: int = 200,
        tol: float = 1e-4,
        patience: int = 10,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        random_state: int | None = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.init = init
        self.l2 = l2
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.lr_schedule = lr_schedule
        self.lr_decay = lr_decay
        self.momentum = momentum
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.patience = patience
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.random_state = random_state

    # ------------------------------------------------------------------ fit

    def fit(self, X: ArrayLike, y: ArrayLike) -> MLPClassifier:
        """Train the network on ``X (n, d)`` and labels ``y (n,)`` (two or more classes)."""
        p = check_hyperparameters(self)
        X_ = v.check_array(X).astype(np.float64, copy=False)
        classes, codes = v.encode_multiclass(y, X_.shape[0], type(self).__name__)
        rng = np.random.default_rng(self.random_state)
        Y = targets(codes, classes.shape[0])  # (n, k)
        fit_rows, val_rows = np.arange(X_.shape[0]), np.arange(0)
        if self.early_stopping:
            fit_rows, val_rows = validation_split(codes, p["fraction"], rng)

        init = (
            self.init if self.init != "auto" else ("he" if self.activation == "relu" else "xavier")
        )
        net = build_network(
            X_.shape[1], p["hidden"], Y.shape[1], activation=self.activation, init=init, rng=rng
        )
        self.classes_, self.n_features_in_, self.n_outputs_ = classes, X_.shape[1], Y.shape[1]
        self.out_activation_ = "sigmoid" if Y.shape[1] == 1 else "softmax"
        record = train(
            net,
            (X_[fit_rows], Y[fit_rows]),
            (X_[val_rows], Y[val_rows]) if self.early_stopping else None,
            optimizer=make_optimizer(self.optimizer, p["lr"], float(self.momentum)),
            schedule=make_schedule(self.lr_schedule, p["lr"], p["decay"]),
            stopper=EarlyStopping(patience=p["patience"], tol=p["tol"]),
            l2=p["l2"],
            batch_size=p["batch_size"],
            max_iter=p["max_iter"],
            rng=rng,
        )
        self.loss_history_ = record.loss_history
        self.validation_loss_history_ = record.validation_loss_history
        self.validation_score_history_ = record.validation_score_history
        self.n_iter_ = record.n_iter
        self.converged_ = record.converged
        if self.early_stopping:
            self.best_epoch_ = record.best_epoch
        if not self.converged_:
            from handgrad._diagnostics import warn_epochs_not_converged

            warn_epochs_not_converged(
                X_[fit_rows],
                record.validation_loss_history if self.early_stopping else record.loss_history,
                what="validation" if self.early_stopping else "training",
                tol=p["tol"],
                patience=p["patience"],
                max_iter=p["max_iter"],
                estimator=type(self).__name__,
            )
        self.coefs_ = [net.params[f"W{i}"] for i in range(1, len(net.linears) + 1)]
        self.intercepts_ = [net.params[f"b{i}"] for i in range(1, len(net.linears) + 1)]
        return self

    # -------------------------------------------------------------- predict

    def _network(self) -> Network:
        """The fitted network, rebuilt from ``coefs_`` and ``intercepts_``."""
        layers: list[Layer] = []
        for i, (W, b) in enumerate(zip(self.coefs_, self.intercepts_, strict=True)):
            layers.append(Linear(W, b))
            if i < len(self.coefs_) - 1:
                layers.append(ACTIVATIONS[self.activation]())
        return Network(layers)

    def objective(
        self, X: ArrayLike, y: ArrayLike
    ) -> tuple[Callable[[], tuple[float, dict[str, Array]]], dict[str, Array]]:
        """``(loss_and_grads, params)``: the training objective on ``(X, y)`` at the fitted weights.

        ``params`` maps ``"W1", "b1", ...`` to the arrays of ``coefs_`` and ``intercepts_``
        themselves (not copies): moving them moves the model, which is how a gradient check or
        a loss landscape (:mod:`handgrad.landscape`) explores the loss around the optimum.
        """
        X_ = self._check_X(X)
        codes = v.encode_known(v.check_labels(y, X_.shape[0]), self.classes_)  # (n,)
        net = self._network()
        l2 = v.check_positive(self.l2, "l2", allow_zero=True)
        return objective_closure(net, X_, targets(codes, len(self.classes_)), l2), net.params

    def _check_X(self, X: ArrayLike) -> Array:
        v.check_is_fitted(self, "coefs_")
        X_ = v.check_array(X).astype(np.float64, copy=False)
        v.check_n_features(X_, self.n_features_in_, type(self).__name__)
        return X_

    def predict_proba(self, X: ArrayLike) -> Array:
        """Class probabilities, shape (n, k), rows summing to 1, columns in ``classes_`` order."""
        X_ = self._check_X(X)
        P = self._network().probabilities(X_)  # (n, 1) or (n, k)
        return np.hstack([1.0 - P, P]) if P.shape[1] == 1 else P  # (n, k)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most probable label from ``classes_`` for each row."""
        P = self.predict_proba(X)  # (n, k)
        labels: NDArray[Any] = self.classes_[P.argmax(axis=1)]  # (n,)
        return labels

    def score(self, X: ArrayLike, y: ArrayLike) -> float:
        """Accuracy on ``(X, y)``."""
        labels = v.check_labels(y, np.shape(X)[0])
        return float(np.mean(self.predict(X) == labels))
