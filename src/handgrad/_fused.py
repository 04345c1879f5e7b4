"""One pass over X per evaluation: the fused, blocked form of the textbook epoch.

The textbook epoch (:meth:`LogisticRegression._gradient_descent`, steps 1–3) reads X twice::

    z = X @ w + b              # step 1, forward: reads all of X
    p = σ(z);  L = mean BCE    # step 2, loss
    dw = X.T @ (p − y) / n     # step 3, gradient: reads all of X again

For large X (hundreds of MB) each read streams X from main memory, and memory bandwidth,
not arithmetic, sets the time. :func:`logistic_value_and_grad` replaces steps 1–3 with the
same sums taken block by block: a block of rows small enough to stay in the CPU caches
(about 8 MiB) is used for its share of ``z``, ``p``, the loss and ``X_bᵀ(p_b − y_b)`` while it
is still cached, so X is read from memory once::

    L      = (1/n) Σ_blocks Σ_rows [log(1 + e^z) − y·z]    + (l2/2)‖w‖²
    ∂L/∂w  = (1/n) Σ_blocks X_bᵀ(p_b − y_b)                + l2·w        (d,)
    ∂L/∂b  = (1/n) Σ_blocks Σ_rows (p_b − y_b)                           ()

Only the order of the additions differs from the textbook, so the results agree to rounding.
:func:`logistic_hessian` does the same for Newton's ``Xᵀ diag(p(1−p)) X / n``.

Per sample the loss, ``p − y`` and ``p(1 − p)`` are computed from the *signed margin*
``m = (2y − 1)·z`` (positive where the sample is classified correctly): with 0/1 labels::

    log(1 + e^z) − y·z  =  log(1 + e^(−m))
    p − y               =  −(2y − 1)·σ(−m)
    p(1 − p)            =  σ(m)·σ(−m)

so a block needs one exponential, one ``log1p`` and one division (:func:`margin_terms`), and
the smallest margin — the separability test — comes for free.

float32 X stays float32 (no upcast copy): the block products run in X's dtype and the
per-block partial sums are accumulated in float64.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Evaluation",
    "SmallEvaluation",
    "block_rows_for",
    "logistic_hessian",
    "logistic_value_and_grad",
    "margin_terms",
    "signed_transpose",
    "small_hessian",
    "small_step_guess",
    "small_value_and_grad",
]

Array = NDArray[np.floating[Any]]

# 8 MiB of X per block. Measured on 1,000,000 × 100 float64 on 2 cores with 2 MiB of L2 each
# (benchmarks/block_sizes.py, docs/benchmarks.md): blocks of 4–16 MiB took 1.3–1.45 times
# one read of X when the machine was quiet, because OpenBLAS then streams each block on both
# cores, against 1.8–2 for blocks of 1–3 MiB. When other processes held the cores, the
# two-thread products of large blocks waited for them, and 4–16 MiB blocks were several times
# slower than 1 MiB blocks: pass ``block_rows`` (e.g. ``block_rows_for(X, 1 << 20)``) there.
BLOCK_BYTES = 8 << 20
# The Hessian's per-block work is a matrix product (compute-bound, not bandwidth-bound), so
# larger blocks pay off: fewer BLAS calls, each big enough to use every core.
HESSIAN_BLOCK_BYTES = 16 << 20


def block_rows_for(X: Array, block_bytes: int = BLOCK_BYTES) -> int:
    """Rows per block so that one block of X takes about ``block_bytes``."""
    return max(16, block_bytes // (int(X.shape[1]) * int(X.itemsize)))


class Evaluation(NamedTuple):
    """Loss, gradients and, when asked for, the smallest signed margin ``min (2y−1)·z``."""

    loss: float
    dw: NDArray[np.float64]
    db: float
    min_margin: float


# Largest ``a`` with ``e^a`` comfortably finite, per dtype: 708.8 (float64), 87.7 (float32).
_EXP_LIMIT = {np.dtype(t): float(np.log(np.finfo(t).max)) - 1.0 for t in (np.float32, np.float64)}


def margin_terms(m: Array) -> tuple[float, float, Array]:
    """``(Σ log(1 + e^(−m)), min m, σ(−m))`` for signed margins ``m`` (B,).

    ``σ(−m)`` (B,) is the probability of the wrong class, in ``m``'s dtype; the sum is taken
    in float64. When every ``e^(−m)`` is finite (no margin below −708 in float64, −87 in
    float32), ``σ(−m) = e^(−m)/(1 + e^(−m))``; otherwise the overflow-free forms with
    ``e^(−|m|)``: ``log(1 + e^(−m)) = max(−m, 0) + log(1 + e^(−|m|))``.
    """
    lowest = float(m.min())
    if lowest > -_EXP_LIMIT[m.dtype]:
        q = np.negative(m)
        np.exp(q, out=q)  # e^(−m), (B,) finite
        loss_sum = float(np.log1p(q).sum(dtype=np.float64))
        tail = q / (1.0 + q)  # σ(−m), (B,)
        return loss_sum, lowest, tail
    e = np.abs(m)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e^(−|m|) ∈ (0, 1]
    loss_sum = float(np.maximum(-m, 0.0).sum(dtype=np.float64))
    loss_sum += float(np.log1p(e).sum(dtype=np.float64))
    tail = np.where(m < 0, 1.0, e).astype(m.dtype, copy=False)
    tail /= 1.0 + e  # σ(−m), (B,)
    return loss_sum, lowest, tail


def logistic_value_and_grad(
    w: Array,
    b: float,
    X: Array,
    y: Array,
    l2: float = 0.0,
    *,
    block_rows: int | None = None,
    curvature_out: Array | None = None,
    margins: bool = False,
) -> Evaluation:
    """The textbook steps 1–3 (forward, loss, gradient) in one pass over X.

    Parameters
    ----------
    w : ndarray of shape (d,)
    b : float
    X : ndarray of shape (n, d), float32 or float64
    y : ndarray of shape (n,), 0/1 labels
    l2 : float
        Strength of ``(l2/2)‖w‖²``; the intercept is not penalized.
    block_rows : int, optional
        Rows per block; default :func:`block_rows_for`.
    curvature_out : ndarray of shape (n,), optional
        If given, receives ``p(1−p)``, the per-sample weights of the Hessian.
    margins : bool
        Report ``min_i (2y_i − 1)·z_i`` (positive when ``(w, b)`` separates the classes; a
        by-product of the margins the pass computes anyway); otherwise ``min_margin`` is nan.

    Returns
    -------
    Evaluation
        ``loss`` and ``db`` as floats, ``dw`` float64 of shape (d,).
    """
    n, d = X.shape
    rows = block_rows or block_rows_for(X)
    wx = np.asarray(w, dtype=X.dtype)  # (d,) in X's dtype so the products never upcast X
    loss_sum, residual_sum, min_margin = 0.0, 0.0, np.inf
    dw = np.zeros(d, dtype=np.float64)  # (d,) accumulator
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        Xb, yb = X[start:stop], y[start:stop]  # views: (B, d), (B,)
        m = Xb @ wx  # 1. forward: (B, d) @ (d,) -> (B,)
        m += b  # z, (B,)
        signs = yb * 2.0
        signs -= 1.0  # 2y − 1 ∈ {−1, +1}, (B,)
        m *= signs  # signed margins (2y − 1)·z, (B,)
        block_loss, lowest, tail = margin_terms(m)  # 2. loss; σ(−m)
        loss_sum += block_loss
        min_margin = min(min_margin, lowest)
        if curvature_out is not None:
            np.multiply(tail, 1.0 - tail, out=curvature_out[start:stop])  # p(1−p), (B,)
        tail *= signs  # (2y − 1)·σ(−m) = −(p − y), (B,)
        dw -= tail @ Xb  # 3. gradient: X_bᵀ(p_b − y_b), (B,) @ (B, d) -> (d,)
        residual_sum -= float(tail.sum(dtype=np.float64))
    w64 = np.asarray(w, dtype=np.float64)
    loss = loss_sum / n + 0.5 * l2 * float(w64 @ w64)
    dw /= n
    dw += l2 * w64  # (d,)
    return Evaluation(loss, dw, residual_sum / n, min_margin if margins else float("nan"))


def logistic_hessian(
    X: Array, curvature: Array, l2: float = 0.0, *, block_rows: int | None = None
) -> NDArray[np.float64]:
    """Hessian of the penalized mean BCE in ``θ = (w, b)``, shape (d + 1, d + 1).

    With ``h = p(1−p)`` (n,) and ``X̃ = [X 1]`` (n, d + 1)::

        H = X̃ᵀ diag(h) X̃ / n + l2·diag(1, …, 1, 0)

    i.e. ``H_ww = Xᵀ diag(h) X / n + l2·I`` (d, d), ``H_wb = Xᵀh / n`` (d,),
    ``H_bb = Σh / n``. Computed block by block as ``X_bᵀA_b`` with ``A_b = h_b · X_b``
    (row i of X_b scaled by h_i), so the scaled copy of X is never larger than one block
    (16 MiB or 1/16 of X, whichever is smaller, by default).
    """
    n, d = X.shape
    # big blocks, but the scaled copy A_b at most 1/16 of X (or 1 MiB for small X)
    rows = block_rows or min(
        block_rows_for(X, HESSIAN_BLOCK_BYTES), max(block_rows_for(X, 1 << 20), n // 16)
    )
    H = np.zeros((d + 1, d + 1), dtype=np.float64)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        Xb, hb = X[start:stop], curvature[start:stop]  # (B, d), (B,)
        A = Xb * hb[:, None].astype(X.dtype, copy=False)  # (B, d), row i scaled by h_i
        H[:d, :d] += Xb.T @ A  # (d, B) @ (B, d) -> (d, d) = X_bᵀ diag(h_b) X_b
        H[d, :d] += hb.astype(X.dtype, copy=False) @ Xb  # X_bᵀh_b: (B,) @ (B, d) -> (d,)
        H[d, d] += float(hb.sum(dtype=np.float64))
    # X_bᵀ(h·X_b) is symmetric only up to rounding: average it with its transpose
    W = H[:d, :d]  # a view
    W += W.T  # NumPy buffers the overlapping operands
    W *= 0.5
    H[:d, d] = H[d, :d]  # symmetric
    H /= n
    H.reshape(-1)[: d * (d + 2) : d + 2] += l2  # penalty on w only: H_ii += l2 for i < d
    return H


# ---------------------------------------------------------------- small X: signed margins
# Up to this size of X (all of it one block) Newton and L-BFGS work on a transposed copy
# S = (s ∘ X̃)ᵀ of at most 1 MiB, where s = 2y − 1 ∈ {−1, +1} and X̃ = [X 1]. The product
# Sᵀθ is then the vector of signed margins m = s ∘ z (positive where a sample is classified
# correctly), and with y ∈ {0, 1} every per-sample quantity depends on m alone::
#
#     log(1 + e^z) − y·z  =  log(1 + e^(−m))        the sample's BCE
#     p − y               =  −s·σ(−m)               so  X̃ᵀ(p − y) = −S σ(−m)
#     p(1 − p)            =  σ(m)·σ(−m)             (s² = 1: the Hessian ignores the signs)
#
# Each evaluation is two matrix-vector products and about eight vector operations; the
# Hessian is one product. Nothing has to be assembled per iteration.
SMALL_BYTES = 1 << 20


def signed_transpose(X: Array, y: Array) -> Array:
    """``S = (s ∘ X̃)ᵀ`` of shape (d + 1, n), ``s = 2y − 1``, C-contiguous, in X's dtype (a copy).

    ``y`` must hold 0/1 labels: row i of ``X̃ = [X 1]`` is multiplied by ``s_i = ±1``.
    """
    n, d = X.shape
    s = (2.0 * y - 1.0).astype(X.dtype, copy=False)  # (n,) ±1
    S = np.empty((d + 1, n), dtype=X.dtype)  # (d + 1, n)
    np.multiply(X.T, s, out=S[:d])  # column i of Xᵀ times s_i
    S[d] = s  # the intercept's column of ones, signed
    return S


class SmallEvaluation(NamedTuple):
    """What :func:`small_value_and_grad` computed at ``θ``; ``margins`` and ``tail`` are (n,)."""

    loss: float
    grad: NDArray[np.float64]
    min_margin: float  # min m: positive when θ classifies every sample correctly
    margins: Array  # m = Sᵀθ
    tail: Array  # σ(−m), the probability of the wrong class


def small_value_and_grad(theta: Array, S: Array, l2: float) -> SmallEvaluation:
    """``f`` and ``∇f`` at ``θ = (w, b)`` from ``S = (s ∘ X̃)ᵀ`` (d + 1, n), by margins.

    ::

        m  = Sᵀθ                                    (n,)  signed margins s ∘ z
        f  = (1/n) Σ log(1 + e^(−m)) + (l2/2)‖w‖²
        ∇f = −S σ(−m) / n + l2·(w, 0)               (d + 1,)

    The same numbers as :func:`logistic_value_and_grad` up to rounding. When every
    ``e^(−m)`` is finite, ``σ(−m) = e^(−m)/(1 + e^(−m))``; otherwise (a margin below −708
    in float64) the overflow-free forms with ``e^(−|m|)`` are used.
    """
    n = S.shape[1]
    m = theta.astype(S.dtype, copy=False) @ S  # margins: (d+1,) @ (d+1, n) -> (n,)
    loss_sum, lowest, tail = margin_terms(m)  # Σ log(1 + e^(−m)), min m, σ(−m) (n,)
    grad = (S @ tail).astype(np.float64, copy=False)  # S σ(−m): (d+1, n) @ (n,) -> (d+1,)
    grad *= -1.0 / n
    w = theta[:-1]  # (d,)
    grad[:-1] += l2 * w
    return SmallEvaluation(loss_sum / n + 0.5 * l2 * float(w @ w), grad, lowest, m, tail)


def small_hessian(S: Array, tail: Array, l2: float) -> NDArray[np.float64]:
    """``X̃ᵀ diag(h) X̃ / n + l2·diag(1, …, 1, 0)`` with ``h = σ(m)σ(−m)``, shape (d + 1, d + 1).

    ``tail`` is ``σ(−m)`` (n,) from :func:`small_value_and_grad`, so ``h = tail·(1 − tail)``;
    the signs in ``S`` cancel in ``S diag(h) Sᵀ = X̃ᵀ diag(h) X̃``.
    """
    n = S.shape[1]
    h = tail * (1.0 - tail)  # p(1 − p), (n,)
    B = S * h  # (d+1, n): column i scaled by h_i
    H = (B @ S.T).astype(np.float64, copy=False)  # (d+1, n) @ (n, d+1) -> (d+1, d+1)
    H += H.T  # symmetric to the last bit (the product is symmetric only up to rounding)
    H *= 0.5 / n
    d = H.shape[0] - 1
    H.reshape(-1)[: d * (d + 2) : d + 2] += l2  # H_ii += l2 for i < d (not the intercept)
    return H


def small_step_guess(theta: Array, direction: Array, S: Array, margins: Array, l2: float) -> float:
    """One 1-D Newton step from ``t = 1`` on ``φ(t) = f(θ + t·d)``, from ``S`` (d + 1, n).

    ``margins`` is ``m₀ = Sᵀθ`` (n,). Along the line ``m(t) = m₀ + t·ṁ`` with ``ṁ = Sᵀd``, so,
    with ``q = σ(−m(1))`` and ``v = w + d_w``::

        φ'(1)  = −qᵀṁ / n + l2·vᵀd_w
        φ''(1) = (q(1−q))ᵀ(ṁ∘ṁ) / n + l2·‖d_w‖²
        t      = 1 − φ'(1)/φ''(1),   clipped to [1/2, 4]

    One matrix-vector product and a few vector operations: no gradient, no Hessian.
    """
    n = S.shape[1]
    dm = direction.astype(S.dtype, copy=False) @ S  # ṁ = Sᵀd: (d+1,) @ (d+1, n) -> (n,)
    q = margins + dm  # m(1), (n,)
    np.minimum(q, _EXP_LIMIT[S.dtype], out=q)  # e^m stays finite; σ(−m) ≈ 0 either way
    np.exp(q, out=q)
    q += 1.0
    np.reciprocal(q, out=q)  # σ(−m(1)) = 1/(1 + e^m)
    dw, v = direction[:-1], theta[:-1] + direction[:-1]  # (d,), (d,)
    slope = -float(q @ dm) / n + l2 * float(v @ dw)
    q *= 1.0 - q  # σ(m)σ(−m), (n,)
    dm *= dm  # ṁ∘ṁ, (n,)
    curvature = float(q @ dm) / n + l2 * float(dw @ dw)
    if not curvature > 0:  # also False for nan
        return 1.0
    return float(min(4.0, max(0.5, 1.0 - slope / curvature)))
