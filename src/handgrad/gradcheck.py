"""Numerical gradient checking by central differences.

A hand-written gradient is trusted only after it agrees with::

    ∂f/∂θ_i ≈ (f(θ + h·e_i) − f(θ − h·e_i)) / (2h)

whose error is O(h²). In float64 with h = 1e-6 the truncation error (≈ h²·f''') and the
rounding error (≈ ε·|f|/h, ε = 2.2e-16) are both around 1e-10, so a correct gradient gives a
relative error near 1e-9 or below, and a wrong one gives something of order 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["numerical_gradient", "relative_error"]

Array = NDArray[np.floating[Any]]


def numerical_gradient(f: Callable[[], float], theta: Array, *, h: float = 1e-6) -> Array:
    """Central-difference gradient of ``f()`` with respect to ``theta``, perturbed in place.

    ``f`` takes no arguments and reads ``theta`` (so it can close over several parameter
    arrays); each entry is restored after it is perturbed. Returns an array shaped like
    ``theta``.
    """
    if theta.dtype != np.float64:
        raise TypeError(
            f"gradient checks need float64 parameters; got {theta.dtype}. In float32 the "
            "rounding error of f (about 1e-7·|f|/h) swamps the difference being measured."
        )
    grad = np.zeros_like(theta)
    flat, out = theta.reshape(-1), grad.reshape(-1)  # views: writes reach theta and grad
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        f_plus = f()
        flat[i] = saved - h
        f_minus = f()
        flat[i] = saved
        out[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(analytic: Array, numeric: Array) -> float:
    """Symmetric relative error ``‖a − n‖ / (‖a‖ + ‖n‖)`` of a whole parameter block.

    Measured on the block rather than entry by entry, so that entries whose true value is
    near zero (where any two tiny numbers differ relatively by a lot) do not dominate.
    Two zero blocks have error 0.
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"gradient shapes differ: analytic {a.shape}, numeric {n.shape}.")
    scale = float(np.linalg.norm(a) + np.linalg.norm(n))
    return float(np.linalg.norm(a - n)) / scale if scale > 0 else 0.0
