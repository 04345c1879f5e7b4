"""Activations and layers: every backward pass against central differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from handgrad.activations import (
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    tanh,
    tanh_backward,
)
from handgrad.gradcheck import check_gradients, numerical_gradient, relative_error
from handgrad.init import init_weights
from handgrad.layers import Linear, ReLU, Sigmoid, Tanh

Array = np.ndarray


def _away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
    """Normal draws with |z| ≥ 0.1, so no central difference straddles ReLU's kink at 0."""
    z = rng.normal(size=shape)
    return np.where(np.abs(z) < 0.1, np.sign(z) * 0.1 + z, z)


@pytest.mark.parametrize(
    ("forward", "backward", "cache_is_output"),
    [(relu, relu_backward, False), (tanh, tanh_backward, True), (sigmoid, sigmoid_backward, True)],
    ids=["relu", "tanh", "sigmoid"],
)
def test_activation_backward_matches_central_differences(
    rng: np.random.Generator,
    forward: Callable[[Array], Array],
    backward: Callable[[Array, Array], Array],
    cache_is_output: bool,
) -> None:
    """∂L/∂z from each activation's backward agrees with central differences of L = Σ R·f(z)."""
    z, R = _away_from_zero(rng, (7, 5)), rng.normal(size=(7, 5))
    numeric = numerical_gradient(lambda: float(np.sum(R * forward(z))), z)
    analytic = backward(R, forward(z) if cache_is_output else z)
    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-8


def test_activation_values() -> None:
    """relu, tanh and their derivatives give the textbook values at chosen points."""
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu_backward(np.ones(3), z), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(tanh(np.array([0.5])), [(np.e - 1) / (np.e + 1)], rtol=1e-15)
    np.testing.assert_allclose(tanh_backward(np.ones(1), np.array([0.5])), [0.75], rtol=1e-15)
    assert np.isfinite(tanh(np.array([1e6, -1e6]))).all()


@pytest.mark.parametrize("layer_cls", [ReLU, Tanh, Sigmoid])
def test_activation_layer_backward_matches_central_differences(
    rng: np.random.Generator, layer_cls: type
) -> None:
    """Each activation layer's backward(dout, cache) is ∂(Σ dout·out)/∂x."""
    layer = layer_cls()
    x, dout = _away_from_zero(rng, (6, 4)), rng.normal(size=(6, 4))

    def loss_and_grads() -> tuple[float, dict[str, Array]]:
        out, cache = layer.forward(x)
        dx = layer.backward(dout, cache)
        assert out.shape == dx.shape == x.shape
        return float(np.sum(dout * out)), {"x": dx}

    report = check_gradients(loss_and_grads, {"x": x}, tolerance=1e-8)
    assert report.passed, report.table()


def test_linear_backward_matches_central_differences(rng: np.random.Generator) -> None:
    """Linear's dx, dW and db (bias included) agree with central differences."""
    W, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    layer = Linear(W, b)  # keeps W and b themselves: perturbing them moves the layer
    x, dout = rng.normal(size=(8, 5)), rng.normal(size=(8, 3))

    def loss_and_grads() -> tuple[float, dict[str, Array]]:
        out, cache = layer.forward(x)  # (8, 3)
        dx = layer.backward(dout, cache)  # (8, 5)
        return float(np.sum(dout * out)), {"x": dx, **layer.grads}

    report = check_gradients(loss_and_grads, {"x": x, "W": W, "b": b}, tolerance=1e-8)
    assert [(row.name, row.shape) for row in report.rows] == [
        ("x", (8, 5)), ("W", (5, 3)), ("b", (3,))
    ]  # fmt: skip
    assert report.passed, report.table()


def test_linear_weight_gradient_is_input_transpose_times_dout(rng: np.random.Generator) -> None:
    """dW is exactly xᵀ dout: the Xᵀ(P − Y) pattern of logistic regression."""
    layer = Linear(rng.normal(size=(4, 2)), np.zeros(2))
    x, dout = rng.normal(size=(6, 4)), rng.normal(size=(6, 2))
    layer.backward(dout, layer.forward(x)[1])
    np.testing.assert_array_equal(layer.grads["W"], x.T @ dout)
    np.testing.assert_array_equal(layer.grads["b"], dout.sum(axis=0))


def test_linear_rejects_mismatched_bias() -> None:
    """A bias whose length is not W's column count is refused with both shapes named."""
    with pytest.raises(ValueError, match=r"b of shape \(d_out,\); got W \(3, 2\) and b \(3,\)"):
        Linear(np.zeros((3, 2)), np.zeros(3))


@pytest.mark.parametrize(
    ("kind", "std"),
    [("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / (400 + 300))), ("zeros", 0.0)],
)
def test_initializers_have_documented_scale(kind: str, std: float) -> None:
    """He has variance 2/fan_in, Xavier 2/(fan_in + fan_out), zeros is all zero."""
    W = init_weights(kind, 400, 300, np.random.default_rng(0))
    assert W.shape == (400, 300)
    assert W.std() == pytest.approx(std, rel=0.02, abs=1e-15)
    assert abs(W.mean()) < 0.01 * max(std, 1e-3)


def test_initializers_are_seeded() -> None:
    """The same seed gives the same weights; another seed gives others."""
    draw = lambda seed: init_weights("he", 5, 3, np.random.default_rng(seed))  # noqa: E731
    np.testing.assert_array_equal(draw(1), draw(1))
    assert not np.array_equal(draw(1), draw(2))


def test_unknown_initializer_is_refused() -> None:
    """An unknown init name lists the valid ones."""
    with pytest.raises(ValueError, match=r"init must be one of \['he', 'xavier', 'zeros'\]"):
        init_weights("glorot", 2, 2, np.random.default_rng(0))
