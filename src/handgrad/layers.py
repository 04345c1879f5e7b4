"""Layers with hand-written backward passes.

The contract, for every layer::

    out, cache = layer.forward(x)      # cache: what backward needs, nothing more
    dx = layer.backward(dout, cache)   # dout = ∂L/∂out, dx = ∂L/∂x, shape of x

``backward`` mirrors ``forward`` line by line in reverse. A layer with parameters keeps them in
``params`` (a dict of arrays, updated in place by an optimizer) and its ``backward`` writes
``grads`` with the same keys and shapes: ``grads["W"]`` is ∂L/∂W and has the shape of ``W``.

Shapes: ``x (n, d_in)``, ``out (n, d_out)``; activations keep the shape of their input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.activations import relu, relu_backward, sigmoid, sigmoid_backward, tanh, tanh_backward

__all__ = ["ACTIVATIONS", "Layer", "Linear", "ReLU", "Sigmoid", "Tanh"]

Array = NDArray[np.floating[Any]]


class Layer:
    """A step of a network: ``forward(x) -> (out, cache)``, ``backward(dout, cache) -> dx``."""

    def __init__(self) -> None:
        self.params: dict[str, Array] = {}
        self.grads: dict[str, Array] = {}

    def forward(self, x: Array) -> tuple[Array, Array]:
        """Return the output and the cache that ``backward`` needs."""
        raise NotImplementedError

    def backward(self, dout: Array, cache: Array) -> Array:
        """Return ``∂L/∂x`` from ``∂L/∂out``; fill ``grads`` for any parameters."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Linear(Layer):
    """The affine map ``out = x W + b``, with ``W (d_in, d_out)`` and ``b (d_out,)``.

    Notes
    -----
    Forward and backward, with ``dout = ∂L/∂out (n, d_out)``::

        out = x W + b          (n, d_in) @ (d_in, d_out) + (d_out,) -> (n, d_out)

        ∂L/∂b = Σ_rows dout    (n, d_out) -> (d_out,)
        ∂L/∂W = xᵀ dout        (d_in, n) @ (n, d_out) -> (d_in, d_out)
        ∂L/∂x = dout Wᵀ        (n, d_out) @ (d_out, d_in) -> (n, d_in)

    ``∂L/∂W = xᵀ dout`` is the pattern of the whole library: for the output layer of a
    classifier ``dout = (P − Y)/n``, and it is logistic (or softmax) regression's
    ``Xᵀ(P − Y)/n`` with ``X`` replaced by the layer's input ``A``. Each hidden layer repeats it
    with its own ``dZ``: ``∂L/∂W = Aᵀ dZ``.
    """

    def __init__(self, W: Array, b: Array) -> None:
        super().__init__()
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(
                f"Linear needs W of shape (d_in, d_out) and b of shape (d_out,); got W "
                f"{W.shape} and b {b.shape}."
            )
        self.params = {"W": W, "b": b}

    def forward(self, x: Array) -> tuple[Array, Array]:
        """``out = x W + b``; the cache is the input ``x``."""
        W, b = self.params["W"], self.params["b"]
        out: Array = x @ W + b  # (n, d_in) @ (d_in, d_out) + (d_out,) -> (n, d_out)
        return out, x

    def backward(self, dout: Array, cache: Array) -> Array:
        """``grads["b"] = Σ dout``, ``grads["W"] = xᵀ dout``; return ``dx = dout Wᵀ``."""
        x, W = cache, self.params["W"]
        self.grads["b"] = dout.sum(axis=0)  # (n, d_out) -> (d_out,)
        self.grads["W"] = x.T @ dout  # (d_in, n) @ (n, d_out) -> (d_in, d_out)
        dx: Array = dout @ W.T  # (n, d_out) @ (d_out, d_in) -> (n, d_in)
        return dx

    def __repr__(self) -> str:
        d_in, d_out = self.params["W"].shape
        return f"Linear({d_in}, {d_out})"


class ReLU(Layer):
    """``out = max(0, z)``; ``∂L/∂z = dout · [z > 0]``. The cache is the input ``z``."""

    def forward(self, x: Array) -> tuple[Array, Array]:
        """Rectify; keep the input, whose sign decides where the gradient passes."""
        out = relu(x)  # (n, h)
        return out, x

    def backward(self, dout: Array, cache: Array) -> Array:
        """Pass ``dout`` where the input was positive, 0 elsewhere."""
        return relu_backward(dout, cache)  # (n, h)


class Tanh(Layer):
    """``out = tanh(z)``; ``∂L/∂z = dout · (1 − out²)``. The cache is the output."""

    def forward(self, x: Array) -> tuple[Array, Array]:
        """Squash into (−1, 1); keep the output, which is all the derivative needs."""
        out = tanh(x)  # (n, h)
        return out, out

    def backward(self, dout: Array, cache: Array) -> Array:
        """Multiply by ``1 − tanh²``."""
        return tanh_backward(dout, cache)  # (n, h)


class Sigmoid(Layer):
    """``out = σ(z)``; ``∂L/∂z = dout · out (1 − out)``. The cache is the output."""

    def forward(self, x: Array) -> tuple[Array, Array]:
        """Squash into (0, 1); keep the output, which is all the derivative needs."""
        out = sigmoid(x)  # (n, h)
        return out, out

    def backward(self, dout: Array, cache: Array) -> Array:
        """Multiply by ``σ(1 − σ)``."""
        return sigmoid_backward(dout, cache)  # (n, h)


ACTIVATIONS: dict[str, type[Layer]] = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}
