"""Loss functions computed from logits, each with its gradient directly below it.

Shapes: ``z (n,)`` logits, ``y (n,)`` targets in {0, 1}; losses are scalars (means over n).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.activations import sigmoid

__all__ = ["binary_cross_entropy", "binary_cross_entropy_backward", "log1pexp"]

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
