"""Adam: the update formula on hand-computed steps, and parity with torch.optim.Adam."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from handgrad.optim import Adam


def test_adam_two_steps_by_hand() -> None:
    """Two steps follow m, v, the bias corrections and θ ← θ − α m̂/(√v̂ + ε) exactly."""
    params = {"w": np.array([1.0, -2.0])}
    adam = Adam(0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    g1, g2 = np.array([0.5, -1.0]), np.array([0.25, 1.0])
    adam.step(params, {"w": g1})
    # t = 1: m̂ = g1 and v̂ = g1², so each coordinate moves by α·g/(|g| + ε) ≈ α·sign(g)
    expected = np.array([1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 1.0 / (1.0 + 1e-8)])
    np.testing.assert_allclose(params["w"], expected, rtol=1e-15)
    adam.step(params, {"w": g2})
    m = np.array([0.9 * 0.05 + 0.1 * 0.25, 0.9 * -0.1 + 0.1 * 1.0])  # [0.07, 0.01]
    v = np.array([0.999 * 0.00025 + 0.001 * 0.0625, 0.999 * 0.001 + 0.001 * 1.0])
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    expected = expected - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)
    np.testing.assert_allclose(params["w"], expected, rtol=1e-14)
    np.testing.assert_allclose(m, [0.07, 0.01], rtol=1e-14)


def test_adam_matches_torch(rng: np.random.Generator) -> None:
    """Ten Adam steps on two parameter blocks agree with torch.optim.Adam in float64."""
    W, b = rng.normal(size=(4, 3)), rng.normal(size=3)
    grads = [(rng.normal(size=(4, 3)), rng.normal(size=3)) for _ in range(10)]
    ours = {"W": W.copy(), "b": b.copy()}
    adam = Adam(0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-6)
    ref = [torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)]
    ref_adam = torch.optim.Adam(ref, lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    for gW, gb in grads:
        adam.step(ours, {"W": gW, "b": gb})
        ref[0].grad, ref[1].grad = torch.tensor(gW), torch.tensor(gb)
        ref_adam.step()
    np.testing.assert_allclose(ours["W"], ref[0].detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours["b"], ref[1].detach().numpy(), rtol=1e-12)


def test_bad_settings_are_refused() -> None:
    """Out-of-range β and ε give clear errors."""
    with pytest.raises(ValueError, match=r"beta_1 must be a number in \[0, 1\); got 1.0"):
        Adam(beta_1=1.0)
    with pytest.raises(ValueError, match=r"beta_2 must be a number in \[0, 1\); got -0.1"):
        Adam(beta_2=-0.1)
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0; got 0"):
        Adam(epsilon=0)
