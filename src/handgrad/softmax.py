"""Softmax (multinomial logistic) regression: hand-written gradient descent, Newton, L-BFGS, SGD.

The model, for ``X (n, d)``, one-hot ``Y (n, k)``, ``W (d, k)``, ``b (k,)``::

    Z = XW + b                                        logits, (n, k)
    P = softmax(Z)                                    P_ij = P(class j | x_i), (n, k)
    L = −(1/n) Σ_i Σ_j Y_ij log P_ij                  mean cross-entropy, scalar
        + l1·‖W‖₁ + (l2/2)‖W‖²                        penalties on W only
    ∂L/∂W = Xᵀ(P − Y)/n + l2·W                        (d, k), the shape of W (smooth part)
    ∂L/∂b = mean over rows of (P − Y)                 (k,), the shape of b

The derivation of ``P − Y`` through the softmax Jacobian, and why two classes give back the
binary model, is in ``docs/derivation_softmax.md``. The l1 term is handled by its proximal
operator (soft-thresholding), not by a gradient. The objective as a function, for gradient
checks and generic solvers, is in ``softmax_objective.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _linear, _second_order, _stochastic
from handgrad import _validation as v
from handgrad._diagnostics import search_budget
from handgrad._linear import require_finite
from handgrad.activations import softmax
from handgrad.losses import cross_entropy
from handgrad.optim import OptimizeResult, Trace
from handgrad.penalties import l1_penalty, l2_penalty, soft_threshold
from handgrad.softmax_objective import (
    centred_hessian,
    min_margin,
    separation_proof,
    softmax_flat_objective,
    softmax_objective,
    unpack_params,
)

__all__ = ["SoftmaxRegression"]

Array = NDArray[np.floating[Any]]
Callback = Callable[[int, float], None]


class SoftmaxRegression(_linear.LinearClassifier):
    """Multinomial logistic regression with hand-written gradients, any number of classes.

    Parameters
    ----------
    learning_rate : float, default=0.1
        Step size α of gradient descent: ``W ← W − α·∂L/∂W``.
    max_iter : int, default=1000
        Most epochs (full passes over the data) to run.
    tol : float, default=1e-4
        Stop when the norm of the whole proximal-gradient mapping ``(G_W, ∂L/∂b)`` falls
        below it, where ``G_W = (W − soft_threshold(W − α·∂L/∂W, α·l1)) / α``. With l1 = 0
        this is exactly the gradient.
    l2 : float, default=0.0
        Strength of ``(l2/2)‖W‖²``; the intercept is never penalized.
    l1 : float, default=0.0
        Strength of ``l1·‖W‖₁`` (with l2 > 0 as well: elastic net); applied by
        soft-thresholding after each gradient step, so weights become exactly 0.
        The objective is scikit-learn's multinomial elastic net divided by C·n, so
        ``LogisticRegression(solver="saga", C=1/(n·(l1 + l2)), l1_ratio=l1/(l1 + l2))``
        fits the same model (``penalty="elasticnet"`` too before scikit-learn 1.8); with
        l1 = 0, any multinomial solver at ``C = 1/(n·l2)``.
    solver : {"gd", "newton", "lbfgs", "sgd", "adam"}, default="gd"
        ``"gd"``: batch (proximal) gradient descent, the four-step loop (uses
        ``learning_rate``). ``"newton"``: Newton's method with the exact Hessian, restricted
        to the centred parameters (rows of W and b summing to 0) where the softmax's shift
        invariance makes it singular; a few iterations reach the optimum to rounding.
        ``"lbfgs"``: limited-memory BFGS with a strong Wolfe line search. Both stop on the
        gradient norm; with l2 = 0 they stop with a ``ConvergenceWarning`` once the weights
        classify every training sample correctly (no finite optimum). ``l1 > 0`` needs
        ``"gd"``. See ``docs/derivation_softmax.md``. ``"sgd"``/``"adam"``: epochs of shuffled
        mini-batches, each step on the batch's ``∂L/∂W = X_Bᵀ(P_B − Y_B)/m + l2·W`` (the same
        objective on m rows; :mod:`handgrad._stochastic`), stopping when the full gradient
        norm falls below ``tol``.
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
    coef_ : ndarray of shape (d, k)
    intercept_ : ndarray of shape (k,)
    classes_ : ndarray of shape (k,)
        The labels, sorted; column j of ``predict_proba`` is ``classes_[j]``.
    n_features_in_ : int
    n_iter_ : int
        Updates made (epochs for ``"gd"``, ``"sgd"``, ``"adam"``; else iterations).
    n_zero_coef_ : int
        Entries of ``coef_`` that are exactly 0 (the sparsity l1 produces).
    loss_history_ : list of float
        The full objective at the start of every epoch or iteration (``loss_history_[0]`` is
        ln k).
    trace_ : handgrad.optim.Trace
        Per iteration: objective, gradient norm (of the proximal-gradient mapping for
        ``"gd"``), step size, objective evaluations; the same columns for every solver.
    eval_loss_history_ : list of float
        The loss on ``eval_set`` at the same moments, when ``fit`` was given one.
    converged_ : bool
    validation_loss_history_ : list of float
        With ``early_stopping``: the unpenalized validation loss at every epoch.

    Notes
    -----
    Adding the same vector to every column of W (or the same number to every entry of b)
    leaves P unchanged: the parameters are only determined up to that shift. Gradient descent
    from zero keeps every row of W and b summing to zero, because every row of ``P − Y``
    sums to 0; with l2 > 0 the penalized optimum is itself the centred one.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [0.0], [0.1], [1.0], [2.0]])
    >>> model = SoftmaxRegression(l2=0.01, max_iter=5000).fit(X, ["a", "a", "b", "b", "c", "c"])
    >>> model.predict(np.array([[-3.0], [0.05], [3.0]])).tolist()
    ['a', 'b', 'c']
    """

    _multi_class = True
    intercept_: Array

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        eval_set: tuple[ArrayLike, ArrayLike] | None = None,
        callback: Callback | None = None,
    ) -> SoftmaxRegression:
        """Fit W and b by minimizing the penalized mean cross-entropy.

        Parameters
        ----------
        X : array-like of shape (n, d)
        y : array-like of shape (n,)
            At least two distinct labels of any type.
        eval_set : (X_eval, y_eval), optional
            Data whose loss is recorded at every epoch in ``eval_loss_history_``.
        callback : callable(epoch, loss), optional
            Called at every epoch (every iteration for ``"newton"`` and ``"lbfgs"``).
        """
        settings = _linear.check_settings(self)
        X_ = v.check_array(X)
        classes, codes = v.encode_multiclass(y, X_.shape[0], type(self).__name__)
        Y = np.eye(classes.shape[0], dtype=X_.dtype)[codes]  # one-hot, (n, k)
        evaluation = _linear.check_eval_set(
            eval_set, X_.shape[1], type(self).__name__,
            lambda labels, dtype: _linear.one_hot(labels, classes, dtype),
        )  # fmt: skip
        self.classes_ = classes
        self.n_features_in_ = X_.shape[1]
        budget = search_budget(settings.max_iter)  # L-BFGS iterations for the diagnosis
        if settings.solver in ("sgd", "adam"):
            _stochastic.fit_stochastic(
                self, X_, Y, codes, settings=settings, evaluation=evaluation, callback=callback,
                objective=softmax_objective,  # W, b start at 0, (d, k) and (k,):
                init=(np.zeros((X_.shape[1], Y.shape[1]), X_.dtype), np.zeros_like(Y[0])),
                separable=lambda W, b: partial(separation_proof, X_, Y, W, b, max_iter=budget),
            )  # fmt: skip
            return self
        if settings.solver != "gd":
            return self._fit_second_order(X_, Y, codes, settings, evaluation, callback)
        trace = Trace()
        # A diverging run overflows to inf/NaN, which the finite-loss check below turns into a
        # FloatingPointError naming the cause; NumPy's own overflow warnings would only repeat it.
        with np.errstate(over="ignore", invalid="ignore"):
            W, b, eval_history = self._gradient_descent(
                X_, Y, lr=settings.learning_rate, max_iter=settings.max_iter, tol=settings.tol,
                l2=settings.l2, l1=settings.l1, evaluation=evaluation, callback=callback,
                trace=trace,
            )  # fmt: skip
        _linear.finish_gradient_descent(
            self, X_, coef=W, intercept=b, trace=trace, eval_history=eval_history,
            settings=settings, separable=partial(separation_proof, X_, Y, W, b, max_iter=budget),
        )  # fmt: skip
        return self

    @staticmethod
    def _gradient_descent(
        X: Array,
        Y: Array,
        *,
        lr: float,
        max_iter: int,
        tol: float,
        l2: float,
        l1: float,
        evaluation: tuple[Array, Array] | None,
        callback: Callback | None,
        trace: Trace,
    ) -> tuple[Array, Array, list[float]]:
        """Forward, loss, gradient, (proximal) update — once per epoch; rows go to ``trace``."""
        n, d = X.shape
        k = Y.shape[1]
        W, b = np.zeros((d, k), dtype=X.dtype), np.zeros(k, dtype=X.dtype)  # convex: 0 is safe
        eval_history: list[float] = []
        for epoch in range(max_iter + 1):
            Z = X @ W + b  # 1. forward: (n, d) @ (d, k) + (k,) -> (n, k)
            P = softmax(Z)  #    (n, k), rows sum to 1
            loss = cross_entropy(Z, Y) + l2_penalty(W, l2) + l1_penalty(W, l1)  # 2. loss
            dW, db = X.T @ (P - Y) / n + l2 * W, (P - Y).mean(axis=0)  # 3. gradient: (d,k), (k,)
            W_next = soft_threshold(W - lr * dW, lr * l1)  # 4. update, prox of l1: (d, k)

            require_finite(loss, epoch=epoch, learning_rate=lr)
            if evaluation is not None:
                X_eval, Y_eval = evaluation
                eval_Z = X_eval @ W + b  # (m, d) @ (d, k) + (k,) -> (m, k)
                eval_history.append(
                    cross_entropy(eval_Z, Y_eval) + l2_penalty(W, l2) + l1_penalty(W, l1)
                )
            if callback is not None:
                callback(epoch, loss)
            G = (W - W_next) / lr  # proximal-gradient mapping (dW when l1 = 0): (d, k)
            step_norm = float(np.sqrt(np.sum(G * G) + db @ db))
            trace.record(loss, step_norm, lr if epoch else 0.0, 1)
            if step_norm < tol or epoch == max_iter:
                break
            W, b = W_next, b - lr * db  # (d, k), (k,)
        return W, b, eval_history

    def _fit_second_order(
        self,
        X: Array,
        Y: Array,
        codes: NDArray[np.intp],
        settings: _linear.Settings,
        evaluation: tuple[Array, Array] | None,
        callback: Callback | None,
    ) -> SoftmaxRegression:
        """``solver="newton"`` or ``"lbfgs"`` on the flat objective of softmax_objective.py.

        Newton uses :func:`~handgrad.softmax_objective.centred_hessian`: the exact Hessian
        plus the projector onto the shift directions, along which it is singular, so every
        step stays within the centred parameters (rows of W and b summing to 0).
        """
        d, k = X.shape[1], Y.shape[1]
        l2 = settings.l2
        fun = softmax_flat_objective(X, Y, l2=l2)

        def hess(theta: Array) -> Array:
            return centred_hessian(*unpack_params(theta, d, k), X, l2)

        def separated(theta: Array) -> bool:
            return l2 == 0 and min_margin(*unpack_params(theta, d, k), X, codes) > 0

        def eval_loss(theta: Array, X_eval: Array, Y_eval: Array) -> float:
            W, b = unpack_params(theta, d, k)
            return cross_entropy(X_eval @ W + b, Y_eval) + l2_penalty(W, l2)

        def solve(on_iterate: _second_order.OnIterate) -> tuple[Array, Array, OptimizeResult]:
            result = _second_order.minimize(
                fun, hess, np.zeros((d + 1) * k), solver=settings.solver, tol=settings.tol,
                max_iter=settings.max_iter, separated=separated, on_iterate=on_iterate,
            )  # fmt: skip
            W, b = unpack_params(result.theta, d, k)
            return W.astype(X.dtype), b.astype(X.dtype), result

        _second_order.fit_second_order(self, solve, evaluation=evaluation, eval_loss=eval_loss,
                                 callback=callback)  # fmt: skip
        return self

    def _logits(self, X: ArrayLike) -> Array:
        X_ = self._check_X(X)
        Z: Array = X_ @ self.coef_ + self.intercept_  # (n, d) @ (d, k) + (k,) -> (n, k)
        return Z

    def decision_function(self, X: ArrayLike) -> Array:
        """The logits ``Z = XW + b``, shape (n, k); with two classes ``Z[:, 1] − Z[:, 0]``, (n,).

        The two-class form is scikit-learn's convention: positive means ``classes_[1]``, and
        it is the logit of the equivalent binary model (``docs/derivation_softmax.md``).
        """
        Z = self._logits(X)  # (n, k)
        if Z.shape[1] == 2:
            z: Array = Z[:, 1] - Z[:, 0]  # (n,)
            return z
        return Z

    def predict_proba(self, X: ArrayLike) -> Array:
        """Class probabilities ``softmax(XW + b)``, shape (n, k); column j is ``classes_[j]``."""
        return softmax(self._logits(X))

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Labels from ``classes_``: the class of largest logit (= largest probability)."""
        Z = self._logits(X)  # (n, k)
        labels: NDArray[Any] = self.classes_[np.argmax(Z, axis=1)]  # (n,)
        return labels
