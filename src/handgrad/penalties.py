"""Penalties on the weights, each with its gradient. The intercept is never penalized.

Shapes: ``w`` is ``(d,)`` or ``(d, k)``; the gradient has the shape of ``w``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["l2_penalty", "l2_penalty_backward"]

Array = NDArray[np.floating[Any]]


def l2_penalty(w: Array, l2: float) -> float:
    """``R(w) = (l2/2) ‖w‖²`` (sum of squares over every weight, no intercept)."""
    return 0.5 * l2 * float(np.sum(w * w))


def l2_penalty_backward(w: Array, l2: float) -> Array:
    """``∂R/∂w = l2 · w``, shape of ``w``."""
    return l2 * w
