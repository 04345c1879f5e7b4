"""A stack of layers and its training objective, with backpropagation written out.

For ``L`` linear layers with activations ``g`` between them (``A₀ = X``)::

    Z_l = A_{l−1} W_l + b_l        (n, h_l)   l = 1 .. L
    A_l = g(Z_l)                   (n, h_l)   l = 1 .. L−1
    P   = σ(Z_L) or softmax(Z_L)   (n, k)     k = 1 for two classes
    J   = mean cross-entropy(Z_L, Y) + (l2/2) Σ_l ‖W_l‖²

and backward, from the top::

    dZ_L = (P − Y)/n                          (n, k)        logistic/softmax regression's P − Y
    dW_l = A_{l−1}ᵀ dZ_l + l2·W_l             (h_{l−1}, h_l)  the Xᵀ(P − Y) pattern, X = A_{l−1}
    db_l = Σ_rows dZ_l                        (h_l,)
    dA_{l−1} = dZ_l W_lᵀ                      (n, h_{l−1})
    dZ_{l−1} = dA_{l−1} ⊙ g'(Z_{l−1})         (n, h_{l−1})

The output layer is exactly a logistic (k = 1) or softmax regression whose inputs are the last
hidden activations; every layer below repeats ``Aᵀ dZ`` with the ``dZ`` passed down to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.activations import sigmoid, softmax
from handgrad.init import init_weights
from handgrad.layers import ACTIVATIONS, Layer, Linear
from handgrad.losses import binary_cross_entropy, cross_entropy
from handgrad.penalties import l2_penalty, l2_penalty_backward

__all__ = ["Network", "build_network"]

Array = NDArray[np.floating[Any]]


class Network:
    """Linear layers with an activation layer between each pair; the top layer gives logits.

    ``params`` maps ``"W1", "b1", ..., "W{L}", "b{L}"`` to the layers' own arrays (not copies),
    so an optimizer that updates ``params`` in place updates the network.
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = list(layers)
        self.linears = [layer for layer in self.layers if isinstance(layer, Linear)]
        self.params: dict[str, Array] = {}
        for i, linear in enumerate(self.linears, start=1):
            self.params[f"W{i}"] = linear.params["W"]
            self.params[f"b{i}"] = linear.params["b"]

    def forward(self, X: Array) -> tuple[Array, list[Array]]:
        """Logits ``Z_L (n, k)`` and every layer's cache, bottom to top."""
        caches = []
        out = X  # (n, d)
        for layer in self.layers:
            out, cache = layer.forward(out)  # (n, h_l)
            caches.append(cache)
        return out, caches

    def backward(self, dZ: Array, caches: list[Array]) -> Array:
        """Backpropagate ``∂J/∂Z_L (n, k)`` through the layers, top to bottom; return ``∂J/∂X``.

        Each ``Linear`` records ``grads["W"] = Aᵀ dZ`` and ``grads["b"] = Σ dZ`` on the way.
        """
        dout = dZ  # (n, k)
        for layer, cache in zip(reversed(self.layers), reversed(caches), strict=True):
            dout = layer.backward(dout, cache)  # (n, h_{l−1})
        return dout

    def grads(self) -> dict[str, Array]:
        """The gradients of the last ``backward``, with the keys and shapes of ``params``."""
        grads: dict[str, Array] = {}
        for i, linear in enumerate(self.linears, start=1):
            grads[f"W{i}"] = linear.grads["W"]
            grads[f"b{i}"] = linear.grads["b"]
        return grads

    def probabilities(self, X: Array) -> Array:
        """``σ(Z_L)`` of shape (n, 1) for a single output unit, else ``softmax(Z_L)`` (n, k)."""
        Z, _ = self.forward(X)  # (n, k)
        return sigmoid(Z) if Z.shape[1] == 1 else softmax(Z)

    def objective(self, X: Array, Y: Array, l2: float = 0.0) -> tuple[float, dict[str, Array]]:
        """The penalized mean cross-entropy ``J`` on ``(X, Y)`` and its gradient.

        ``Y`` is ``(n, 1)`` with 0/1 entries for a single sigmoid output, else one-hot
        ``(n, k)``. Returns ``(J, grads)`` with ``grads`` keyed like ``params``.
        """
        n = X.shape[0]
        Z, caches = self.forward(X)  # 1. forward: (n, k) logits
        if Z.shape[1] == 1:  # 2. loss, from the logits (no log of a rounded probability)
            P = sigmoid(Z)  # (n, 1)
            loss = binary_cross_entropy(Z[:, 0], Y[:, 0])
        else:
            P = softmax(Z)  # (n, k)
            loss = cross_entropy(Z, Y)
        loss += sum(l2_penalty(linear.params["W"], l2) for linear in self.linears)
        dZ = (P - Y) / n  # 3. gradient: (n, k), the P − Y of logistic/softmax regression
        self.backward(dZ, caches)  # each Linear: dW = Aᵀ dZ, db = Σ dZ, dA = dZ Wᵀ
        grads = self.grads()
        for i, linear in enumerate(self.linears, start=1):
            grads[f"W{i}"] = grads[f"W{i}"] + l2_penalty_backward(linear.params["W"], l2)
        return loss, grads


def build_network(
    n_inputs: int,
    hidden_layer_sizes: Sequence[int],
    n_outputs: int,
    *,
    activation: str = "relu",
    init: str = "he",
    rng: np.random.Generator,
) -> Network:
    """``Linear → g → ... → Linear`` with weights drawn by ``init`` and zero biases."""
    sizes = [n_inputs, *hidden_layer_sizes, n_outputs]
    layers: list[Layer] = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        W = init_weights(init, fan_in, fan_out, rng)  # (h_{l−1}, h_l)
        layers.append(Linear(W, np.zeros(fan_out)))  # b: (h_l,)
        if i < len(hidden_layer_sizes):
            layers.append(ACTIVATIONS[activation]())
    return Network(layers)


def objective_closure(
    network: Network, X: Array, Y: Array, l2: float = 0.0
) -> Callable[[], tuple[float, dict[str, Array]]]:
    """``loss_and_grads()`` reading the network's current parameters, for gradient checks."""

    def loss_and_grads() -> tuple[float, dict[str, Array]]:
        return network.objective(X, Y, l2)

    return loss_and_grads
