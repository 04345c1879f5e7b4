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
``docs/neural_networks.md`` walks through it with the shapes of a digits network.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.activations import sigmoid, softmax
from handgrad.init import init_weights
from handgrad.layers import ACTIVATIONS, Layer, Linear
from handgrad.losses import binary_cross_entropy, cross_entropy
from handgrad.penalties import l2_penalty, l2_penalty_backward

__all__ = [
    "Network",
    "build_network",
    "check_hidden_layer_sizes",
    "mlp_gradcheck_problem",
    "objective_closure",
    "targets",
]

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


def check_hidden_layer_sizes(sizes: Any) -> tuple[int, ...]:
    """``hidden_layer_sizes`` as a tuple of 1 to 3 positive integers, or a ``ValueError``."""
    shape = (
        (sizes,) if isinstance(sizes, int | np.integer) and not isinstance(sizes, bool) else sizes
    )
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if (
        shape is None
        or not 1 <= len(shape) <= 3
        or any(isinstance(h, bool) or not isinstance(h, int | np.integer) or h < 1 for h in shape)
    ):
        raise ValueError(
            "hidden_layer_sizes must be 1 to 3 positive integers, one per hidden layer, such "
            f"as (64,) or (32, 16); got {sizes!r}."
        )
    return tuple(int(h) for h in shape)


def targets(codes: NDArray[np.intp], n_classes: int) -> Array:
    """Targets for the output layer: ``(n, 1)`` 0/1 for two classes, else one-hot ``(n, k)``."""
    if n_classes == 2:
        return codes.astype(np.float64)[:, None]  # (n, 1)
    return np.eye(n_classes)[codes]  # (n, k)


def mlp_gradcheck_problem(
    X: ArrayLike,
    y: ArrayLike,
    *,
    hidden_layer_sizes: int | tuple[int, ...] = (5, 4),
    activation: str = "tanh",
    l2: float = 0.1,
    random_state: int = 0,
) -> tuple[Callable[[], tuple[float, dict[str, Array]]], dict[str, Array]]:
    """``(loss_and_grads, params)`` for checking an MLP's gradients on the batch ``(X, y)``.

    ``params`` maps ``"W1", "b1", ...`` to the network's own arrays at random non-zero values:
    every weight and bias is drawn from Normal(0, 1), large enough that even a 3-layer sigmoid
    network's gradients stay far above the central differences' rounding error (about 1e-10).
    ``loss_and_grads()`` returns the penalized objective and its hand-written gradient at the
    current values, so a checker may perturb ``params`` in place. Also importable as
    ``handgrad.mlp.mlp_gradcheck_problem``.

    Examples
    --------
    >>> import numpy as np
    >>> loss_and_grads, params = mlp_gradcheck_problem(np.eye(4), [0, 1, 2, 0])
    >>> sorted(params), params["W1"].shape, loss_and_grads()[1]["W1"].shape
    (['W1', 'W2', 'W3', 'b1', 'b2', 'b3'], (4, 5), (4, 5))
    """
    X_ = v.check_array(X).astype(np.float64)
    labels = v.check_labels(y, X_.shape[0])
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}; got {activation!r}.")
    classes, codes = np.unique(labels, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(f"a gradient check needs at least 2 classes in y; got {classes.tolist()}.")
    Y = targets(codes, classes.shape[0])  # (n, k)
    rng = np.random.default_rng(random_state)
    hidden = check_hidden_layer_sizes(hidden_layer_sizes)
    net = build_network(
        X_.shape[1], hidden, Y.shape[1], activation=activation, init="xavier", rng=rng
    )
    for theta in net.params.values():
        theta[...] = rng.normal(0.0, 1.0, size=theta.shape)
    return objective_closure(net, X_, Y, l2), net.params
