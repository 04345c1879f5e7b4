"""Penalties: the l1 value, and soft-thresholding as the proximal operator of t·‖·‖₁."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad.gradcheck import check_gradients
from handgrad.penalties import l1_penalty, l2_penalty, l2_penalty_backward, soft_threshold


def test_l1_value_is_sum_of_absolute_weights() -> None:
    """l1_penalty(W, λ) = λ Σ |W_ij| over a 2-D block."""
    W = np.array([[1.0, -2.0], [0.0, 3.5]])
    assert l1_penalty(W, 0.5) == pytest.approx(0.5 * 6.5, rel=1e-15)


def test_l2_gradient_matches_central_differences(rng: np.random.Generator) -> None:
    """∂/∂W (l2/2)‖W‖² = l2·W agrees with central differences."""
    W = rng.normal(size=(4, 3))
    report = check_gradients(lambda: (l2_penalty(W, 0.7), {"W": l2_penalty_backward(W, 0.7)}),
                             {"W": W})  # fmt: skip
    assert report.passed, report.table()


def test_soft_threshold_is_the_argmin_it_claims(rng: np.random.Generator) -> None:
    """soft_threshold(v, t) minimizes ½(w − v)² + t|w| entry by entry, checked on a fine grid."""
    t = 0.8
    v = np.concatenate([rng.normal(scale=2.0, size=40), [t, -t, 0.0, 1e-12]])
    grid = np.linspace(-8, 8, 160_001)  # spacing 1e-4
    objective = 0.5 * (grid[None, :] - v[:, None]) ** 2 + t * np.abs(grid[None, :])  # (m, g)
    best = grid[np.argmin(objective, axis=1)]  # (m,)
    np.testing.assert_allclose(soft_threshold(v, t), best, atol=1e-4)
    prox = soft_threshold(v, t)
    at_prox = 0.5 * (prox - v) ** 2 + t * np.abs(prox)
    assert np.all(at_prox <= objective.min(axis=1) + 1e-12)  # never worse than the grid


def test_soft_threshold_gives_exact_zeros_and_shrinks_the_rest() -> None:
    """|v| ≤ t maps to exactly +0.0; larger entries move towards 0 by exactly t."""
    v = np.array([[-3.0, -0.5], [0.5, 2.0]])
    out = soft_threshold(v, 1.0)
    np.testing.assert_array_equal(out, [[-2.0, 0.0], [0.0, 1.0]])
    assert not np.signbit(out[0, 1])  # +0.0, not −0.0
    np.testing.assert_array_equal(soft_threshold(v, 0.0), v)  # t = 0: the identity


def test_l1_gradient_away_from_zero_is_l1_sign(rng: np.random.Generator) -> None:
    """Where no weight is within h of 0, ∂/∂W l1‖W‖₁ = l1·sign(W) (the scale the prox uses)."""
    W = rng.normal(size=(5, 3))
    W += 0.1 * np.sign(W)  # |W| ≥ 0.1: the ±h steps never cross the kink at 0
    report = check_gradients(lambda: (l1_penalty(W, 0.3), {"W": 0.3 * np.sign(W)}), {"W": W})
    assert report.passed, report.table()
