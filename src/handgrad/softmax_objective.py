"""The softmax regression objective as a function, for gradient checks and generic solvers.

For ``X (n, d)``, one-hot ``Y (n, k)``, ``W (d, k)``, ``b (k,)``::

    L = −(1/n) Σ_i Σ_j Y_ij log softmax(XW + b)_ij + (l2/2)‖W‖²     scalar
    ∂L/∂W = Xᵀ(P − Y)/n + l2·W                                      (d, k)
    ∂L/∂b = mean over rows of (P − Y)                               (k,)

Only the smooth part: an l1 term is not differentiable at 0 and is applied by its proximal
operator in :class:`handgrad.SoftmaxRegression`'s loop. The derivation is in
``docs/derivation_softmax.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.activations import softmax
from handgrad.losses import cross_entropy
from handgrad.penalties import l2_penalty, l2_penalty_backward

__all__ = ["pack_params", "softmax_flat_objective", "softmax_objective", "unpack_params"]

Array = NDArray[np.floating[Any]]
Objective = Callable[[Array], tuple[float, Array]]


def softmax_objective(
    W: Array, b: Array, X: Array, Y: Array, l2: float = 0.0
) -> tuple[float, Array, Array]:
    """Return ``(L, ∂L/∂W, ∂L/∂b)`` of the mean cross-entropy plus ``(l2/2)‖W‖²``.

    The smooth part of the objective (no l1 term): the same computation as one epoch of
    :meth:`SoftmaxRegression.fit`'s loop, without the update.
    """
    n = X.shape[0]
    Z = X @ W + b  # (n, d) @ (d, k) + (k,) -> (n, k)
    P = softmax(Z)  # (n, k), rows sum to 1
    loss = cross_entropy(Z, Y) + l2_penalty(W, l2)  # scalar
    dW = X.T @ (P - Y) / n + l2_penalty_backward(W, l2)  # (d, n) @ (n, k) -> (d, k)
    db = (P - Y).mean(axis=0)  # (n, k) -> (k,)
    return loss, dW, db


def pack_params(W: Array, b: Array) -> Array:
    """Flatten ``W (d, k)`` and ``b (k,)`` into ``theta (d·k + k,)``: W row by row, then b."""
    return np.concatenate([W.ravel(), b])  # (d·k + k,)


def unpack_params(theta: Array, d: int, k: int) -> tuple[Array, Array]:
    """Inverse of :func:`pack_params`: views ``W (d, k)`` and ``b (k,)`` into ``theta``."""
    return theta[: d * k].reshape(d, k), theta[d * k :]


def softmax_flat_objective(X: Array, Y: Array, *, l2: float = 0.0) -> Objective:
    """The objective as a function of one flat vector, for generic solvers.

    Returns ``f(theta) -> (loss, grad)`` with ``theta = pack_params(W, b)`` and ``grad`` of
    the same layout, computed by :func:`softmax_objective` (smooth part: no l1 term).
    """
    d, k = X.shape[1], Y.shape[1]

    def f(theta: Array) -> tuple[float, Array]:
        W, b = unpack_params(theta, d, k)
        loss, dW, db = softmax_objective(W, b, X, Y, l2)
        return loss, pack_params(dW, db)

    return f
