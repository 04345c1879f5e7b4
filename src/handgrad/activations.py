"""Activation functions, each with its derivative directly below it.

Shapes: every function is elementwise, so ``out`` and ``dz`` have the shape of ``z``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "relu",
    "relu_backward",
    "sigmoid",
    "sigmoid_backward",
    "softmax",
    "tanh",
    "tanh_backward",
]

Array = NDArray[np.floating[Any]]


def sigmoid(z: Array) -> Array:
    """The logistic function ``σ(z) = 1 / (1 + e^(−z))``, computed without overflow.

    Notes
    -----
    ``e^(−z)`` overflows for z ≲ −710, so the two signs are branched:
    for z ≥ 0 use ``1 / (1 + e^(−z))``; for z < 0 use ``e^z / (1 + e^z)``.
    Both exponents are then ≤ 0, so nothing overflows and σ(±1000) is exactly 0 or 1.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))  # e^(−|z|) ∈ (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_backward(dout: Array, p: Array) -> Array:
    """Chain rule through the sigmoid: ``∂L/∂z = ∂L/∂p · σ'(z) = dout · p (1 − p)``.

    ``p`` is the forward output ``σ(z)``, which is all the derivative needs.
    """
    return dout * p * (1.0 - p)


def relu(z: Array) -> Array:
    """The rectifier ``max(0, z)``.

    Examples
    --------
    >>> import numpy as np
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    out: Array = np.maximum(z, 0.0)  # shape of z
    return out


def relu_backward(dout: Array, z: Array) -> Array:
    """Chain rule through the rectifier: ``∂L/∂z = dout · [z > 0]``.

    The derivative at exactly ``z = 0`` is taken to be 0 (a subgradient; it is also what
    torch uses). ``z`` is the forward *input*: the output alone cannot tell ``z = 0`` from
    ``z < 0``, but both give 0 here, so passing the output works too.
    """
    dz: Array = dout * (z > 0)  # shape of z
    return dz


def tanh(z: Array) -> Array:
    """The hyperbolic tangent ``(e^z − e^(−z)) / (e^z + e^(−z))``, values in (−1, 1).

    ``np.tanh`` saturates to ±1 without overflow, so no branching is needed.
    """
    out: Array = np.tanh(z)  # shape of z
    return out


def tanh_backward(dout: Array, t: Array) -> Array:
    """Chain rule through tanh: ``∂L/∂z = dout · (1 − t²)`` with ``t = tanh(z)``, the output."""
    dz: Array = dout * (1.0 - t * t)  # shape of t
    return dz


def softmax(Z: Array) -> Array:
    """Row-wise softmax ``P_ik = e^(Z_ik) / Σ_j e^(Z_ij)`` of logits ``Z (n, k)``, shape (n, k).

    Notes
    -----
    Subtracting each row's maximum first leaves P unchanged (the factor e^(−max) cancels)
    and keeps every exponent ≤ 0, so nothing overflows.

    Examples
    --------
    >>> import numpy as np
    >>> softmax(np.array([[1000.0, 1000.0], [0.0, -1000.0]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    """
    shifted = Z - Z.max(axis=1, keepdims=True)  # (n, k), each row's max is 0
    E = np.exp(shifted)  # (n, k), in (0, 1]
    P: Array = E / E.sum(axis=1, keepdims=True)  # (n, k) / (n, 1) -> (n, k)
    return P
