"""Penalties on the weights, each with its gradient or proximal operator.

The intercept is never penalized. Shapes: ``w`` is ``(d,)`` or ``(d, k)``; a gradient or a
proximal step has the shape of ``w``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["l1_penalty", "l2_penalty", "l2_penalty_backward", "soft_threshold"]

Array = NDArray[np.floating[Any]]


def l2_penalty(w: Array, l2: float) -> float:
    """``R(w) = (l2/2) ‖w‖²`` (sum of squares over every weight, no intercept)."""
    return 0.5 * l2 * float(np.sum(w * w))


def l2_penalty_backward(w: Array, l2: float) -> Array:
    """``∂R/∂w = l2 · w``, shape of ``w``."""
    return l2 * w


def l1_penalty(w: Array, l1: float) -> float:
    """``R(w) = l1 · ‖w‖₁ = l1 · Σ |w_j|`` (every weight, no intercept).

    Not differentiable where a weight is 0, which is exactly where it makes weights sit; so
    it is not used through a gradient but through its proximal operator,
    :func:`soft_threshold`.
    """
    return l1 * float(np.sum(np.abs(w)))


def soft_threshold(v: Array, t: float) -> Array:
    """The proximal operator of ``t·‖·‖₁``: ``sign(v) · max(|v| − t, 0)``, shape of ``v``.

    Notes
    -----
    ``prox(v) = argmin_w [ ½‖w − v‖² + t‖w‖₁ ]`` separates into one problem per entry,
    ``min_w ½(w − v)² + t|w|``. For w > 0 its derivative ``w − v + t`` vanishes at
    ``w = v − t``, valid when v > t; symmetrically ``w = v + t`` when v < −t; and when
    ``|v| ≤ t`` the subdifferential ``[−t, t] − v`` at w = 0 contains 0, so w = 0 exactly.
    That exact zero is where L1 sparsity comes from.

    Proximal gradient descent on ``smooth(w) + l1‖w‖₁`` takes the gradient step on the
    smooth part and then this prox with ``t = α·l1``::

        w ← soft_threshold(w − α·∂smooth/∂w, α·l1)

    Examples
    --------
    >>> import numpy as np
    >>> soft_threshold(np.array([-3.0, -0.5, 0.2, 2.0]), 1.0)
    array([-2.,  0.,  0.,  1.])
    """
    # np.where rather than sign(v)·max(|v| − t, 0), which would write −0.0 for small v < 0
    out: Array = np.where(np.abs(v) > t, v - np.sign(v) * t, 0.0)  # shape of v
    return out
