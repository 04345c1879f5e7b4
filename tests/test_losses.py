"""Losses: values against the textbook formulas, gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad.activations import sigmoid, softmax
from handgrad.gradcheck import numerical_gradient, relative_error
from handgrad.losses import (
    binary_cross_entropy,
    binary_cross_entropy_backward,
    cross_entropy,
    cross_entropy_backward,
)


def test_bce_matches_textbook_formula(rng: np.random.Generator) -> None:
    """The logit form equals −mean[y log p + (1−y) log(1−p)] where p is not saturated."""
    z, y = rng.normal(size=50), (rng.random(50) < 0.4).astype(float)
    p = 1.0 / (1.0 + np.exp(-z))
    textbook = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert binary_cross_entropy(z, y) == pytest.approx(textbook, rel=1e-13)


def test_bce_is_finite_for_huge_logits() -> None:
    """z = ±1000 gives the exact finite loss, no overflow, no log(0)."""
    z, y = np.array([1000.0, -1000.0, 1000.0]), np.array([0.0, 1.0, 1.0])
    assert binary_cross_entropy(z, y) == pytest.approx(2000.0 / 3, rel=1e-15)
    np.testing.assert_allclose(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_bce_gradient_matches_central_differences(rng: np.random.Generator) -> None:
    """dz = (σ(z) − y)/n agrees with central differences."""
    z, y = rng.normal(size=30), (rng.random(30) < 0.5).astype(float)
    numeric = numerical_gradient(lambda: binary_cross_entropy(z, y), z)
    assert relative_error(binary_cross_entropy_backward(z, y), numeric) < 1e-7


def test_cross_entropy_gradient_matches_central_differences(rng: np.random.Generator) -> None:
    """dZ = (softmax(Z) − Y)/n agrees with central differences."""
    Z = rng.normal(size=(20, 4))
    Y = np.eye(4)[rng.integers(0, 4, size=20)]
    numeric = numerical_gradient(lambda: cross_entropy(Z, Y), Z)
    assert relative_error(cross_entropy_backward(Z, Y), numeric) < 1e-7


def test_cross_entropy_is_finite_for_huge_logits() -> None:
    """Logits of ±1000 give finite loss and probabilities whose rows sum to 1."""
    Z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    Y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert cross_entropy(Z, Y) == pytest.approx((2000.0 + 1.0 + np.log1p(np.exp(-1.0))) / 2)
    np.testing.assert_allclose(softmax(Z).sum(axis=1), 1.0)


def test_cross_entropy_with_two_classes_is_bce(rng: np.random.Generator) -> None:
    """Softmax over logits [0, z] is the sigmoid of z, so the two losses coincide."""
    z, y = rng.normal(size=25), (rng.random(25) < 0.5).astype(float)
    Z = np.column_stack([np.zeros_like(z), z])
    Y = np.column_stack([1 - y, y])
    assert cross_entropy(Z, Y) == pytest.approx(binary_cross_entropy(z, y), rel=1e-13)
