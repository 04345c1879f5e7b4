"""The softmax regression objective as a function, for gradient checks and generic solvers.

For ``X (n, d)``, one-hot ``Y (n, k)``, ``W (d, k)``, ``b (k,)``::

    L = −(1/n) Σ_i Σ_j Y_ij log softmax(XW + b)_ij + (l2/2)‖W‖²     scalar
    ∂L/∂W = Xᵀ(P − Y)/n + l2·W                                      (d, k)
    ∂L/∂b = mean over rows of (P − Y)                               (k,)

Only the smooth part: an l1 term is not differentiable at 0 and is applied by its proximal
operator in :class:`handgrad.SoftmaxRegression`'s loop. For Newton's method, the exact Hessian
on ``theta = pack_params(W, b)``, with ``X̃ = [X 1] (n, d + 1)`` and ``P_j`` column j of P::

    block (j, l) over (W[:, j], b_j) × (W[:, l], b_l):
        X̃ᵀ diag(P_j (δ_jl − P_l)) X̃ / n  +  l2·δ_jl·diag(1, …, 1, 0)          (d + 1, d + 1)

It is singular along the shift directions (the same vector added to every column of W and the
same number to every entry of b leave P unchanged): :func:`centred_hessian` is the form Newton
uses. The derivation is in ``docs/derivation_softmax.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.activations import softmax
from handgrad.losses import cross_entropy
from handgrad.penalties import l2_penalty, l2_penalty_backward

__all__ = [
    "centred_hessian",
    "min_margin",
    "pack_params",
    "separation_proof",
    "softmax_flat_objective",
    "softmax_hessian",
    "softmax_objective",
    "unpack_params",
]

Array = NDArray[np.floating[Any]]
Objective = Callable[[Array], tuple[float, Array]]

HESSIAN_BLOCK_BYTES = 16 << 20  # rows of X per Hessian block: A (B, (d + 1)·k) ≈ 16 MiB


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


def softmax_hessian(W: Array, b: Array, X: Array, l2: float = 0.0) -> NDArray[np.float64]:
    """The exact Hessian of :func:`softmax_objective` on ``theta = pack_params(W, b)``.

    Shape ``(m, m)`` with ``m = (d + 1)·k``; entry ``(a·k + j, c·k + l)`` is
    ``∂²L / ∂θ_(a,j) ∂θ_(c,l) = (1/n) Σ_i X̃_ia X̃_ic P_ij (δ_jl − P_il) + l2·δ_ac·δ_jl·[a < d]``
    where ``X̃ = [X 1]`` (row ``a = d`` of the layout is b). Computed in float64 as
    ``Σ_j (block-diagonal X̃ᵀ diag(P_j) X̃) − AᵀA``, ``A_(i, a·k+j) = X̃_ia P_ij``, summed
    over row blocks of X so that no temporary is larger than about ``HESSIAN_BLOCK_BYTES``.
    """
    n, d = X.shape
    k = b.shape[0]
    m = (d + 1) * k
    H = np.zeros((m, m))
    blocks = H.reshape(d + 1, k, d + 1, k)  # a view: blocks[a, j, c, l] = H[a·k + j, c·k + l]
    rows = max(16, HESSIAN_BLOCK_BYTES // (8 * m))  # A below takes about HESSIAN_BLOCK_BYTES
    for start in range(0, n, rows):  # row blocks: no (n, m) temporary
        X_b = X[start : start + rows]  # (B, d)
        P = softmax((X_b @ W + b).astype(np.float64))  # (B, k)
        Xt = np.empty((X_b.shape[0], d + 1))  # X̃ = [X 1], (B, d + 1)
        Xt[:, :d], Xt[:, d] = X_b, 1.0
        A = (Xt[:, :, None] * P[:, None, :]).reshape(-1, m)  # A_(i, a·k+j) = X̃_ia P_ij, (B, m)
        H -= A.T @ A / n  # −(1/n) Σ_i X̃_ia P_ij X̃_ic P_il, (m, m)
        for j in range(k):
            blocks[:, j, :, j] += (Xt.T * P[:, j]) @ Xt / n  # X̃ᵀ diag(P_j) X̃ / n, (d+1, d+1)
    weights = np.arange(d * k)  # the entries of W (b is last and not penalized)
    H[weights, weights] += l2
    return H


def centred_hessian(W: Array, b: Array, X: Array, l2: float = 0.0) -> NDArray[np.float64]:
    """``softmax_hessian + s·Π``: Newton's matrix in the centred parametrization.

    ``Π = I_(d+1) ⊗ (11ᵀ/k)`` projects onto the shift directions (one per row of W, one for b)
    and ``s`` is the mean diagonal of the Hessian, to keep the scale. Along those directions
    the Hessian has eigenvalue 0 (b always, W when l2 = 0) or l2, and every gradient of a
    centred ``theta`` is orthogonal to them, so ``(H + s·Π) d = −g`` gives the Newton step
    within the centred parameters (rows of W and b summing to 0) and is positive definite
    when ``[X 1]`` has full column rank and no probability is 0 or 1.
    """
    d, k = X.shape[1], b.shape[0]
    H = softmax_hessian(W, b, X, l2)  # (m, m)
    scale = float(np.mean(np.diag(H)))
    blocks = H.reshape(d + 1, k, d + 1, k)  # a view
    rows = np.arange(d + 1)
    blocks[rows, :, rows, :] += scale / k  # (d+1, k, k): s·11ᵀ/k on each diagonal block
    return H


def min_margin(W: Array, b: Array, X: Array, codes: NDArray[np.intp]) -> float:
    """``min_i (Z_(i, y_i) − max_(j ≠ y_i) Z_ij)``: positive iff every sample is classified right.

    With l2 = 0 a positive margin proves the classes linearly separable: scaling (W, b) by
    t → ∞ drives every sample's cross-entropy, and so L, to 0, an infimum no finite W attains.
    """
    n = X.shape[0]
    Z = X @ W + b  # (n, d) @ (d, k) + (k,) -> (n, k)
    rows = np.arange(n)
    true = Z[rows, codes].copy()  # (n,) the logit of each sample's own class
    Z[rows, codes] = -np.inf
    return float(np.min(true - Z.max(axis=1)))


def separation_proof(X: Array, Y: Array, W: Array, b: Array, *, max_iter: int = 50) -> str | None:
    """How ``(W, b)``, or a short L-BFGS run from it, shows the classes linearly separable.

    None when no separating weights were found within ``max_iter`` L-BFGS iterations; see
    :func:`handgrad._diagnostics.search_separation`.
    """
    from handgrad._diagnostics import search_separation

    d, k = W.shape
    codes = np.argmax(Y, axis=1)  # (n,) the class of each sample

    def separated(theta: Array) -> bool:
        return min_margin(*unpack_params(theta, d, k), X, codes) > 0

    fun = softmax_flat_objective(X, Y)  # the unpenalized loss
    theta = pack_params(W, b).astype(np.float64)  # ((d + 1)·k,)
    return search_separation(fun, separated, theta, max_iter=max_iter)
