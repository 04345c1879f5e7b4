"""Adam: momentum on the gradient and a per-coordinate step size from its running scale.

With step count ``t`` (1 for the first step), rates β₁, β₂ and ε, for every parameter θ with
gradient g (``m`` and ``v`` start at 0, shape of θ)::

    m ← β₁ m + (1 − β₁) g            running mean of the gradient
    v ← β₂ v + (1 − β₂) g²           running mean of its square (elementwise)
    m̂ = m / (1 − β₁ᵗ)                bias corrections: m and v start at 0, so early
    v̂ = v / (1 − β₂ᵗ)                averages are too small by exactly these factors
    θ ← θ − α m̂ / (√v̂ + ε)

Dividing by ``√v̂`` makes each coordinate's step about α whatever the scale of its gradient,
which is why Adam tolerates badly scaled problems (Kingma and Ba, 2015). This is the same
update as ``torch.optim.Adam`` without weight decay.
"""

from __future__ import annotations

import numpy as np

from handgrad.optim._params import Array, Params, pairs
from handgrad.optim.sgd import _check_rate

__all__ = ["Adam"]


class Adam:
    """The Adam optimizer, updating parameter arrays in place.

    Parameters
    ----------
    learning_rate : float, default=0.001
        α. An attribute, so a schedule may change it between epochs.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of the running means of g and g², each in [0, 1).
    epsilon : float, default=1e-8
        Added to ``√v̂`` so that a zero gradient gives a zero step, not 0/0.

    Examples
    --------
    The first step moves every coordinate by about α, whatever the gradient's size:

    >>> import numpy as np
    >>> params = {"w": np.array([1.0, 1.0])}
    >>> Adam(learning_rate=0.1).step(params, {"w": np.array([1e-3, 1e3])})
    >>> params["w"].round(4)
    array([0.9, 0.9])
    """

    def __init__(
        self,
        learning_rate: float = 0.001,
        *,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        self.learning_rate = _check_rate(learning_rate, "learning_rate")
        for name, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= float(beta) < 1.0:
                raise ValueError(f"{name} must be a number in [0, 1); got {beta!r}.")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = _check_rate(epsilon, "epsilon")
        self.t = 0
        self.m: dict[str | int, Array] = {}
        self.v: dict[str | int, Array] = {}

    def step(self, params: Params, grads: Params) -> None:
        """Update every array of ``params`` in place from the matching array of ``grads``."""
        self.t += 1
        t, b1, b2, lr = self.t, self.beta_1, self.beta_2, self.learning_rate
        for key, theta, g in pairs(params, grads):
            m = self.m.get(key, np.zeros_like(theta))
            v = self.v.get(key, np.zeros_like(theta))
            m = b1 * m + (1.0 - b1) * g  # shape of θ
            v = b2 * v + (1.0 - b2) * g * g  # shape of θ
            self.m[key], self.v[key] = m, v
            m_hat = m / (1.0 - b1**t)  # shape of θ
            v_hat = v / (1.0 - b2**t)  # shape of θ
            theta -= lr * m_hat / (np.sqrt(v_hat) + self.epsilon)  # shape of θ

    def __repr__(self) -> str:
        return (
            f"Adam(learning_rate={self.learning_rate!r}, beta_1={self.beta_1!r}, "
            f"beta_2={self.beta_2!r}, epsilon={self.epsilon!r})"
        )
