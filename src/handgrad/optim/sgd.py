"""Mini-batch stochastic gradient descent, with classical or Nesterov momentum.

Each ``step(params, grads)`` updates the parameter arrays in place. With a learning rate α,
momentum μ and the velocity ``v`` (one per parameter, starting at 0)::

    plain SGD       θ ← θ − α g
    momentum        v ← μ v − α g ;  θ ← θ + v
    Nesterov        v ← μ v − α g ;  θ ← θ + μ v − α g

Momentum keeps a running direction, so steps grow along directions where the gradient keeps
its sign and cancel where it oscillates (the zigzag across a narrow valley). Nesterov's form
takes the gradient step from the point that momentum is about to reach, which damps
overshooting (Sutskever et al., 2013). The gradient ``g`` may come from a mini-batch: see
:func:`minibatches`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from handgrad.optim._params import Array, Params, pairs

__all__ = ["SGD", "minibatches"]


def _check_rate(value: float, name: str) -> float:
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}.")
    return number


class SGD:
    """Gradient descent on whatever gradient it is given (full batch or mini-batch).

    Parameters
    ----------
    learning_rate : float, default=0.01
        α. An attribute, so a schedule may change it between epochs.
    momentum : float, default=0.0
        μ in [0, 1); 0 gives plain SGD.
    nesterov : bool, default=False
        Use Nesterov's momentum (needs ``momentum > 0``).

    Examples
    --------
    >>> import numpy as np
    >>> params = {"w": np.array([1.0, -2.0])}
    >>> SGD(learning_rate=0.5).step(params, {"w": np.array([2.0, -2.0])})
    >>> params["w"]
    array([ 0., -1.])
    """

    def __init__(
        self, learning_rate: float = 0.01, *, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        self.learning_rate = _check_rate(learning_rate, "learning_rate")
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"momentum must be a number in [0, 1); got {momentum!r}.")
        if nesterov and momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0; got momentum=0.")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity: dict[str | int, Array] = {}

    def step(self, params: Params, grads: Params) -> None:
        """Update every array of ``params`` in place from the matching array of ``grads``."""
        lr, mu = self.learning_rate, self.momentum
        for key, theta, g in pairs(params, grads):
            if mu == 0.0:
                theta -= lr * g  # θ ← θ − α g, shape of θ
                continue
            v = self.velocity.get(key)
            v = np.zeros_like(theta) if v is None else v
            v = mu * v - lr * g  # v ← μ v − α g, shape of θ
            self.velocity[key] = v
            if self.nesterov:
                theta += mu * v - lr * g  # θ ← θ + μ v − α g, shape of θ
            else:
                theta += v  # θ ← θ + v, shape of θ

    def __repr__(self) -> str:
        return (
            f"SGD(learning_rate={self.learning_rate!r}, momentum={self.momentum!r}, "
            f"nesterov={self.nesterov!r})"
        )


def minibatches(
    n_samples: int, batch_size: int, rng: np.random.Generator
) -> Iterator[NDArray[np.intp]]:
    """Row indices of one epoch: a fresh random permutation cut into batches.

    Every row appears exactly once per epoch; the last batch holds the remainder.

    Examples
    --------
    >>> import numpy as np
    >>> [b.size for b in minibatches(10, 4, np.random.default_rng(0))]
    [4, 4, 2]
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1; got {batch_size!r}.")
    order = rng.permutation(n_samples)  # (n,)
    for start in range(0, n_samples, batch_size):
        yield order[start : start + batch_size]  # (≤ batch_size,)
