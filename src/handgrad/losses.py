"""Loss functions computed from logits, each with its gradient directly below it.

Shapes: binary ``z (n,)`` logits and ``y (n,)`` targets in {0, 1}; multiclass ``Z (n, k)``
logits and ``Y (n, k)`` one-hot targets. Losses are scalars (means over n).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.activations import sigmoid, softmax

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_backward",
    "cross_entropy",
    "cross_entropy_backward",
    "log1pexp",
    "log_softmax",
]

Array = NDArray[np.floating[Any]]


def log1pexp(z: Array) -> Array:
    """``log(1 + e^z)``, the softplus, finite for every finite z.

    ``np.logaddexp(0, z)`` evaluates ``max(0, z) + log1p(e^(−|z|))``, so e^z never overflows.
    """
    return np.logaddexp(0.0, z)


def binary_cross_entropy(z: Array, y: Array) -> float:
    """Mean binary cross-entropy of logits ``z`` against labels ``y``.

    Notes
    -----
    With ``p = σ(z)``::

        L = -(1/n) Σ [y log p + (1−y) log(1−p)]

    and since ``log σ(z) = −log(1+e^(−z))`` and ``log(1−σ(z)) = −log(1+e^z)``,
    the same loss in terms of the logit is::

        L = (1/n) Σ [log(1 + e^z) − y·z]

    which is what is computed: no ``log(0)`` even when ``σ(z)`` rounds to 0 or 1.

    Examples
    --------
    >>> import numpy as np
    >>> round(binary_cross_entropy(np.zeros(4), np.array([0.0, 1.0, 1.0, 0.0])), 6)  # ln 2
    0.693147
    """
    return float(np.mean(log1pexp(z) - y * z))  # (n,) -> scalar


def binary_cross_entropy_backward(z: Array, y: Array) -> Array:
    """Gradient of the mean BCE with respect to the logits.

    Notes
    -----
    ``∂/∂z_i [log(1+e^(z_i)) − y_i z_i] / n = (σ(z_i) − y_i) / n``, so ``dz = (p − y)/n``,
    shape ``(n,)`` like ``z``. This is the staged chain rule ``∂L/∂p · ∂p/∂z`` with the
    ``p(1−p)`` of the sigmoid cancelling the ``1/(p(1−p))`` of the log loss
    (see ``docs/derivation.md``).
    """
    n = z.shape[0]
    dz: Array = (sigmoid(z) - y) / n  # (n,)
    return dz


def log_softmax(Z: Array) -> Array:
    """Row-wise ``log softmax(Z) = Z − logsumexp(Z)``, shape (n, k), without overflow.

    ``logsumexp`` is computed as ``m + log Σ e^(Z − m)`` with m the row maximum, so the
    largest exponent is e^0 and the sum is at least 1 (its log is never −inf).
    """
    m = Z.max(axis=1, keepdims=True)  # (n, 1)
    out: Array = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))  # (n, k)
    return out


def cross_entropy(Z: Array, Y: Array) -> float:
    """Mean categorical cross-entropy of logits ``Z (n, k)`` against one-hot ``Y (n, k)``.

    Notes
    -----
    ``L = −(1/n) Σ_i Σ_j Y_ij log P_ij`` with ``P = softmax(Z)``; computed with
    :func:`log_softmax` so that ``log P`` is never ``log(0)``.
    """
    n = Z.shape[0]
    return float(-np.sum(Y * log_softmax(Z)) / n)  # (n, k) -> scalar


def cross_entropy_backward(Z: Array, Y: Array) -> Array:
    """Gradient of the mean cross-entropy with respect to the logits: ``dZ = (P − Y)/n``.

    Notes
    -----
    Shape (n, k) like ``Z``. This fused form replaces the staged chain rule through
    ``∂L/∂P = −Y/(nP)`` and the softmax Jacobian ``∂P_j/∂Z_l = P_j(δ_jl − P_l)``, whose product
    collapses to ``(P − Y)/n`` because each row of Y sums to 1 (see
    ``docs/derivation_softmax.md``).
    """
    n = Z.shape[0]
    dZ: Array = (softmax(Z) - Y) / n  # (n, k)
    return dZ
