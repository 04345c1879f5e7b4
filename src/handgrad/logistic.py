"""Binary logistic regression, trained by hand-written gradient descent, Newton, L-BFGS or SGD.

The model, for ``X (n, d)``, ``w (d,)``, ``b`` scalar::

    z = Xw + b                                       logits, (n,)
    p = σ(z)                                         P(y = 1 | x), (n,)
    L = (1/n) Σ [log(1 + e^z) − y·z] + (l2/2)‖w‖²    mean BCE + penalty, scalar
    ∂L/∂w = Xᵀ(p − y)/n + l2·w                       (d,), the shape of w
    ∂L/∂b = mean(p − y)                              scalar, the shape of b

The derivation, step by step with shapes, is in ``docs/derivation.md``; the Newton and
L-BFGS solvers and the fused one-pass epoch are explained in ``docs/solvers.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _linear, _second_order, _stochastic
from handgrad import _validation as v
from handgrad._diagnostics import logistic_separation_proof, search_budget
from handgrad._fused import logistic_value_and_grad
from handgrad._linear import require_finite, require_gradient_shapes
from handgrad.activations import sigmoid
from handgrad.losses import binary_cross_entropy
from handgrad.optim.trace import OptimizeResult, Trace
from handgrad.penalties import l1_penalty, l2_penalty, l2_penalty_backward, soft_threshold

__all__ = ["LogisticRegression", "logistic_objective"]

Array = NDArray[np.floating[Any]]
Callback = Callable[[int, float], None]

SOLVERS = _linear.SOLVERS


def logistic_objective(
    w: Array, b: float, X: Array, y: Array, l2: float = 0.0
) -> tuple[float, Array, float]:
    """Return ``(L, ∂L/∂w, ∂L/∂b)`` of the penalized mean BCE at ``(w, b)``.

    This is the same computation as one epoch of :meth:`LogisticRegression.fit`'s loop,
    without the update; gradient checks and solvers call it.
    """
    n = X.shape[0]
    z = X @ w + b  # (n, d) @ (d,) + () -> (n,)
    p = sigmoid(z)  # (n,)
    loss = binary_cross_entropy(z, y) + l2_penalty(w, l2)  # scalar
    dw = X.T @ (p - y) / n + l2_penalty_backward(w, l2)  # (d, n) @ (n,) -> (d,)
    db = float(np.mean(p - y))  # (n,) -> ()
    return loss, dw, db


class LogisticRegression(_linear.LinearClassifier):
    """Binary logistic regression with hand-written gradients.

    Parameters
    ----------
    learning_rate : float, default=0.1
        Step size α of gradient descent: ``w ← w − α·∂L/∂w``.
    max_iter : int, default=1000
        Most epochs (full passes over the data) to run.
    tol : float, default=1e-4
        Stop when the Euclidean norm of the whole gradient ``(∂L/∂w, ∂L/∂b)`` falls below it;
        with l1 > 0, of the proximal-gradient mapping ``(w − w_next)/α`` in place of ``∂L/∂w``.
    l2 : float, default=0.0
        Strength of the penalty ``(l2/2)‖w‖²`` added to the mean loss; the intercept is
        never penalized. scikit-learn's ``C`` corresponds to ``1 / (n_samples · l2)``.
    l1 : float, default=0.0
        Strength of ``l1·‖w‖₁`` (with l2 > 0 too: elastic net), applied by soft-thresholding
        after each gradient step: ``w ← soft_threshold(w − α·∂L/∂w, α·l1)``, so weights
        become exactly 0. The objective is scikit-learn's elastic net divided by C·n, so
        ``LogisticRegression(solver="saga", C=1/(n·(l1 + l2)), l1_ratio=l1/(l1 + l2))``
        fits the same model (``penalty="elasticnet"`` too before scikit-learn 1.8).
    solver : {"gd", "newton", "lbfgs", "sgd", "adam"}, default="gd"
        ``"gd"``: batch gradient descent, the seed's four-step loop (uses ``learning_rate``).
        ``"newton"``: Newton/IRLS with the exact Hessian, a Cholesky solve and a
        backtracking line search; a few iterations reach the optimum to rounding.
        ``"lbfgs"``: limited-memory BFGS with a strong Wolfe line search; for many features.
        With l2=0, separable classes stop the solver with a ``ConvergenceWarning`` (there is
        no finite optimum), and ``"newton"`` raises a ``ValueError`` naming linearly
        dependent columns of X (the Hessian is singular). See ``docs/solvers.md``.
        ``"sgd"``/``"adam"``: epochs of shuffled mini-batches, each step on the batch's
        ``∂L/∂w = X_Bᵀ(p_B − y_B)/m + l2·w`` (:mod:`handgrad._stochastic`, the optimizers of
        :mod:`handgrad.optim`); they stop when the full gradient norm falls below ``tol``.
        ``l1 > 0`` needs ``"gd"`` (the proximal step): the others need a smooth objective.
    fused : bool, default=False
        ``"gd"`` only: evaluate each epoch with the one-pass blocked kernel of
        :mod:`handgrad._fused` (X read from memory once per epoch instead of twice) instead
        of the textbook's steps 1–3. Same numbers to rounding.
    batch_size, momentum, lr_schedule, lr_decay, random_state
        ``"sgd"``/``"adam"`` only, as in ``MLPClassifier``: rows per step (default 64; at
        least n gives gradient descent exactly), μ of ``"sgd"`` (default 0.0), the schedule of
        α per epoch (default "constant") and its knob (default 0.0), the shuffling seed.
    early_stopping, validation_fraction, patience
        ``"sgd"``/``"adam"`` only: hold out ``validation_fraction`` (default 0.1) of the rows,
        stratified; stop when their loss has not fallen by ``tol`` for ``patience`` (default
        10) epochs and restore the best epoch's weights (``best_epoch_``).

    Attributes
    ----------
    coef_ : ndarray of shape (d,)
    intercept_ : float
    classes_ : ndarray of shape (2,)
        The two labels, sorted; ``classes_[1]`` is the positive class (y = 1).
    n_features_in_ : int
    n_iter_ : int
        Updates made (epochs for ``"gd"``, ``"sgd"``, ``"adam"``; else iterations).
    n_zero_coef_ : int
        Entries of ``coef_`` that are exactly 0 (the sparsity l1 produces).
    loss_history_ : list of float
        The training objective at the start of every epoch or iteration
        (``loss_history_[0]`` is the loss at zero initialization, ln 2).
    trace_ : handgrad.optim.Trace
        Per iteration: objective, gradient norm, step size, objective evaluations; the same
        columns for every solver.
    eval_loss_history_ : list of float
        The loss on ``eval_set`` at the same moments, when ``fit`` was given one.
    converged_ : bool
    validation_loss_history_ : list of float
        With ``early_stopping``: the unpenalized validation loss at every epoch.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression(l2=0.1).fit(X, np.array([0, 0, 1, 1]))
    >>> model.predict(np.array([[-3.0], [3.0]]))
    array([0, 1])
    """

    _multi_class = False
    intercept_: float

    def __init__(
        self, *, learning_rate: float = 0.1, max_iter: int = 1000, tol: float = 1e-4,
        l2: float = 0.0, l1: float = 0.0, solver: str = "gd", fused: bool = False,
        batch_size: int = 64, momentum: float = 0.0, lr_schedule: str = "constant",
        lr_decay: float = 0.0, early_stopping: bool = False, validation_fraction: float = 0.1,
        patience: int = 10, random_state: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(learning_rate=learning_rate, max_iter=max_iter, tol=tol, l2=l2, l1=l1,
            solver=solver, batch_size=batch_size, momentum=momentum, lr_schedule=lr_schedule,
            lr_decay=lr_decay, early_stopping=early_stopping,
            validation_fraction=validation_fraction, patience=patience, random_state=random_state,
        )  # fmt: skip
        self.fused = fused

    # ------------------------------------------------------------------ fit

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        eval_set: tuple[ArrayLike, ArrayLike] | None = None,
        callback: Callback | None = None,
    ) -> LogisticRegression:
        """Fit the weights by minimizing the penalized mean BCE.

        Parameters
        ----------
        X : array-like of shape (n, d)
        y : array-like of shape (n,)
            Two distinct labels of any type.
        eval_set : (X_eval, y_eval), optional
            Data whose loss is recorded at every epoch in ``eval_loss_history_``
            (for plotting only: it never influences training).
        callback : callable(epoch, loss), optional
            Called at every epoch, for example to draw a progress bar.
        """
        settings = _linear.check_settings(self)
        X_ = np.ascontiguousarray(v.check_array(X))  # row blocks need C order; no copy if C
        labels = v.check_labels(y, X_.shape[0])
        classes, y01 = v.encode_binary(labels, type(self).__name__)
        y_ = y01.astype(X_.dtype, copy=False)
        evaluation = _linear.check_eval_set(
            eval_set, X_.shape[1], type(self).__name__,
            lambda labels, _: _linear.one_hot(labels, classes, np.float64)[:, 1],
        )  # fmt: skip
        self.classes_ = classes
        self.n_features_in_ = X_.shape[1]
        budget = search_budget(settings.max_iter)  # L-BFGS iterations for the diagnosis
        if settings.solver in ("sgd", "adam"):
            _, intercept = _stochastic.fit_stochastic(
                self, X_, y_, y01, settings=settings, evaluation=evaluation, callback=callback,
                objective=lambda w, b, X, y, l2: logistic_objective(w, float(b), X, y, l2),
                init=(np.zeros(X_.shape[1], dtype=X_.dtype), np.zeros(())),  # b: float64, ()
                separable=lambda w, b: partial(logistic_separation_proof, X_, y_, w, float(b),
                                               max_iter=budget),
            )  # fmt: skip
            self.intercept_ = float(intercept)
            return self
        if settings.solver != "gd":
            return self._fit_second_order(X_, y_, settings, evaluation, callback)
        trace = Trace()
        w, b, eval_history = self._gradient_descent(
            X_, y_, lr=settings.learning_rate, max_iter=settings.max_iter, tol=settings.tol,
            l2=settings.l2, l1=settings.l1, evaluation=evaluation, callback=callback,
            trace=trace, fused=bool(self.fused),
        )  # fmt: skip
        _linear.finish_gradient_descent(
            self, X_, coef=w, intercept=b, trace=trace, eval_history=eval_history,
            settings=settings,
            separable=partial(logistic_separation_proof, X_, y_, w, b, max_iter=budget),
        )  # fmt: skip
        return self

    @staticmethod
    def _gradient_descent(
        X: Array, y: Array, *, lr: float, max_iter: int, tol: float, l2: float, l1: float,
        evaluation: tuple[Array, Array] | None, callback: Callback | None, trace: Trace,
        fused: bool = False,
    ) -> tuple[Array, float, list[float]]:  # fmt: skip
        """The seed's training loop: forward, loss, gradient, update — once per epoch.

        With ``fused=True``, steps 1–3 are evaluated in one pass over X by
        :func:`handgrad._fused.logistic_value_and_grad` (same numbers to rounding).
        Each epoch's objective, gradient norm and step go to ``trace``.
        """
        n, d = X.shape
        w, b = np.zeros(d, dtype=X.dtype), 0.0  # zero init: safe, the problem is convex
        eval_history: list[float] = []
        for epoch in range(max_iter + 1):
            if not fused:
                z = X @ w + b  # 1. forward: (n, d) @ (d,) + () -> (n,)
                p = sigmoid(z)  #    (n,) probabilities
                loss = binary_cross_entropy(z, y) + l2_penalty(w, l2)  # 2. loss: scalar
                dw, db = X.T @ (p - y) / n + l2 * w, float(np.mean(p - y))  # 3. gradient
            else:  # steps 1–3 in one pass over X, block by block (handgrad/_fused.py)
                loss, dw64, db, _ = logistic_value_and_grad(w, b, X, y, l2)
                dw = dw64.astype(X.dtype, copy=False)  # (d,) in w's dtype
            loss += l1_penalty(w, l1)  # 0 unless l1 > 0
            require_gradient_shapes(w=(w, dw), b=(b, db))
            w_next = soft_threshold(w - lr * dw, lr * l1)  # 4. update (prox of l1): (d,)

            require_finite(loss, epoch=epoch, learning_rate=lr)
            if evaluation is not None:
                X_eval, y_eval = evaluation
                eval_z = X_eval @ w + b  # (m, d) @ (d,) -> (m,)
                eval_history.append(
                    binary_cross_entropy(eval_z, y_eval) + l2_penalty(w, l2) + l1_penalty(w, l1)
                )
            if callback is not None:
                callback(epoch, loss)
            gw = (w - w_next) / lr  # proximal-gradient mapping (dw when l1 = 0): (d,)
            grad_norm = float(np.sqrt(gw @ gw + db * db))
            trace.record(loss, grad_norm, lr if epoch else 0.0, 1)
            if grad_norm < tol or epoch == max_iter:
                break
            w, b = w_next, b - lr * db  # (d,), ()
        return w, b, eval_history

    def _fit_second_order(
        self,
        X: Array,
        y: Array,
        settings: _linear.Settings,
        evaluation: tuple[Array, Array] | None,
        callback: Callback | None,
    ) -> LogisticRegression:
        """Fit with ``solver="newton"`` or ``"lbfgs"`` (handgrad/_logistic_solvers.py)."""
        from handgrad._logistic_solvers import fit_logistic

        def eval_loss(theta: Array, X_eval: Array, y_eval: Array) -> float:
            w = theta[:-1].astype(X_eval.dtype, copy=False)  # (d,)
            z = X_eval @ w + theta[-1]  # (m, d) @ (d,) + () -> (m,)
            return binary_cross_entropy(z, y_eval) + l2_penalty(w, settings.l2)

        def solve(on_iterate: _second_order.OnIterate) -> tuple[Array, float, OptimizeResult]:
            w, b, result = fit_logistic(X, y, solver=settings.solver, l2=settings.l2,
                                        tol=settings.tol, max_iter=settings.max_iter,
                                        on_iterate=on_iterate)  # fmt: skip
            return w.astype(X.dtype, copy=False), b, result

        _second_order.fit_second_order(self, solve, evaluation=evaluation, eval_loss=eval_loss,
                                 callback=callback)  # fmt: skip
        return self

    # -------------------------------------------------------------- predict

    def decision_function(self, X: ArrayLike) -> Array:
        """The logits ``z = Xw + b``, shape (n,); positive means the positive class."""
        X_ = self._check_X(X)
        z: Array = X_ @ self.coef_ + self.intercept_  # (n, d) @ (d,) + () -> (n,)
        return z

    def predict_proba(self, X: ArrayLike) -> Array:
        """Class probabilities, shape (n, 2): ``[1 − p, p]`` with ``p = P(classes_[1] | x)``."""
        p = sigmoid(self.decision_function(X))  # (n,)
        return np.column_stack([1.0 - p, p])  # (n, 2)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Labels from ``classes_``: the positive class where ``p ≥ 0.5``, i.e. ``z ≥ 0``."""
        z = self.decision_function(X)
        return self.classes_[(z >= 0).astype(np.intp)]
