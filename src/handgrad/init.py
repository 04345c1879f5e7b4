"""Weight initialization for a layer ``W (fan_in, fan_out)``, drawn from a seeded generator.

Why the scale matters: a unit's pre-activation ``z = Σ_i x_i W_ij`` over ``fan_in`` inputs has
variance ``fan_in · Var(x) · Var(W)``. Choosing ``Var(W) ∝ 1/fan_in`` keeps that variance about
the same from layer to layer, so the signal neither dies out nor blows up with depth.

- He (Kaiming): ``W ~ Normal(0, 2/fan_in)``. The factor 2 makes up for ReLU zeroing half its
  inputs (He et al., 2015).
- Xavier/Glorot: ``W ~ Uniform(−a, a)`` with ``a = √(6/(fan_in + fan_out))``, variance
  ``2/(fan_in + fan_out)``: a compromise between the forward and the backward pass, for tanh
  and sigmoid (Glorot and Bengio, 2010).
- Zeros: every weight 0. Every hidden unit then computes the same function and receives the
  same gradient, so they stay identical for ever — the symmetry problem. It is here to show that.

Biases start at 0 in every scheme: random weights alone break the symmetry.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["INITIALIZERS", "he_normal", "init_weights", "xavier_uniform", "zeros"]

Array = NDArray[np.floating[Any]]


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """``W ~ Normal(0, 2/fan_in)``, shape (fan_in, fan_out)."""
    W: Array = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))  # (in, out)
    return W


def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """``W ~ Uniform(−a, a)``, ``a = √(6/(fan_in + fan_out))``, shape (fan_in, fan_out)."""
    a = np.sqrt(6.0 / (fan_in + fan_out))
    W: Array = rng.uniform(-a, a, size=(fan_in, fan_out))  # (in, out)
    return W


def zeros(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """All zeros, shape (fan_in, fan_out): shows the symmetry problem (``rng`` is unused)."""
    return np.zeros((fan_in, fan_out))  # (in, out)


INITIALIZERS = {"he": he_normal, "xavier": xavier_uniform, "zeros": zeros}


def init_weights(kind: str, fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """Draw a ``(fan_in, fan_out)`` weight matrix with the scheme named ``kind``.

    Examples
    --------
    >>> import numpy as np
    >>> W = init_weights("he", 1000, 3, np.random.default_rng(0))
    >>> W.shape, bool(abs(W.std() - np.sqrt(2 / 1000)) < 0.003)
    ((1000, 3), True)
    """
    if kind not in INITIALIZERS:
        raise ValueError(f"init must be one of {sorted(INITIALIZERS)}; got {kind!r}.")
    return INITIALIZERS[kind](fan_in, fan_out, rng)
