"""The one-pass blocked evaluation equals the textbook two-pass one, in float64 and float32."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from handgrad._fused import (
    BLOCK_BYTES,
    block_rows_for,
    logistic_hessian,
    logistic_value_and_grad,
    signed_transpose,
    small_hessian,
    small_step_guess,
    small_value_and_grad,
)
from handgrad.activations import sigmoid
from handgrad.logistic import logistic_objective


def problem(rng: np.random.Generator, n: int = 100, d: int = 7, dtype: type = np.float64):
    """A seeded problem with non-zero parameters."""
    X = rng.normal(size=(n, d)).astype(dtype)
    y = (rng.random(n) < 0.4).astype(dtype)
    return X, y, rng.normal(size=d), 0.3


@pytest.mark.parametrize("block_rows", [1, 7, 10, 25, 99, 100, 1000])
@pytest.mark.parametrize("l2", [0.0, 0.2])
def test_blocked_equals_plain(rng: np.random.Generator, block_rows: int, l2: float) -> None:
    """Loss and gradients agree to rounding whether or not the block size divides n = 100."""
    X, y, w, b = problem(rng)
    loss, dw, db = logistic_objective(w, b, X, y, l2)
    ev = logistic_value_and_grad(w, b, X, y, l2, block_rows=block_rows)
    assert ev.loss == pytest.approx(loss, rel=1e-14)
    np.testing.assert_allclose(ev.dw, dw, rtol=1e-13, atol=1e-15)
    assert ev.db == pytest.approx(db, rel=1e-13, abs=1e-16)


@pytest.mark.parametrize("block_rows", [3, 16, 100])
def test_blocked_curvature_and_margin(rng: np.random.Generator, block_rows: int) -> None:
    """curvature_out receives p(1−p) and min_margin is min (2y−1)·z."""
    X, y, w, b = problem(rng)
    h = np.empty(100)
    ev = logistic_value_and_grad(w, b, X, y, block_rows=block_rows, curvature_out=h, margins=True)
    z = X @ w + b
    p = sigmoid(z)
    np.testing.assert_allclose(h, p * (1 - p), rtol=1e-13)
    assert ev.min_margin == pytest.approx(np.min((2 * y - 1) * z), rel=1e-14)


def test_blocked_is_exact_at_extreme_logits(rng: np.random.Generator) -> None:
    """Logits of ±1000 give a finite loss and gradient equal to the textbook's."""
    X, y, _, _ = problem(rng, n=30, d=3)
    w = np.array([800.0, -900.0, 1000.0])
    loss, dw, _db = logistic_objective(w, 0.0, X, y)
    ev = logistic_value_and_grad(w, 0.0, X, y, block_rows=8)
    assert np.isfinite(ev.loss)
    assert ev.loss == pytest.approx(loss, rel=1e-13)
    np.testing.assert_allclose(ev.dw, dw, rtol=1e-12)


@pytest.mark.parametrize("block_rows", [4, 13, 100])
@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_blocked_hessian_equals_formula(
    rng: np.random.Generator, block_rows: int, l2: float
) -> None:
    """The blocked Hessian equals X̃ᵀ diag(h) X̃ / n + l2·diag(1, …, 1, 0) built in one piece."""
    X, _y, w, b = problem(rng)
    p = sigmoid(X @ w + b)
    h = p * (1 - p)
    Xt = np.column_stack([X, np.ones(100)])  # (n, d + 1)
    expected = Xt.T @ (h[:, None] * Xt) / 100 + l2 * np.diag([1.0] * 7 + [0.0])
    H = logistic_hessian(X, h, l2, block_rows=block_rows)
    np.testing.assert_allclose(H, expected, rtol=1e-13, atol=1e-16)
    np.testing.assert_array_equal(H, H.T)


def test_float32_agrees_with_float64(rng: np.random.Generator) -> None:
    """float32 X gives the float64 loss and gradient to float32 precision."""
    X, y, w, b = problem(rng, n=5000, d=20)
    ev64 = logistic_value_and_grad(w, b, X, y, 0.1, block_rows=333)
    ev32 = logistic_value_and_grad(w, b, X.astype(np.float32), y.astype(np.float32), 0.1)
    assert ev32.loss == pytest.approx(ev64.loss, rel=1e-5)
    np.testing.assert_allclose(ev32.dw, ev64.dw, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_evaluation_never_copies_X(rng: np.random.Generator, dtype: type) -> None:
    """Evaluating on a 16 MB X allocates a small fraction of it (no upcast or full copy)."""
    X = rng.normal(size=(40_000, 100)).astype(dtype)
    y = (rng.random(40_000) < 0.5).astype(dtype)
    w = rng.normal(size=100) * 0.1  # float64 weights on float32 data must not upcast X
    h = np.empty(40_000, dtype=dtype)
    tracemalloc.start()
    logistic_value_and_grad(w, 0.1, X, y, curvature_out=h, margins=True)
    logistic_hessian(X, h)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 0.25 * X.nbytes


def test_block_rows_fill_about_block_bytes() -> None:
    """Blocks hold about BLOCK_BYTES of X whatever its width and dtype, and at least 16 rows."""
    assert block_rows_for(np.empty((10, 100))) == BLOCK_BYTES // 800
    assert block_rows_for(np.empty((10, 100), dtype=np.float32)) == BLOCK_BYTES // 400
    assert block_rows_for(np.empty((10, 100)), 1 << 20) == (1 << 20) // 800
    assert block_rows_for(np.empty((10, 1_000_000))) == 16


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("l2", [0.0, 0.2])
@pytest.mark.parametrize("scale", [1.0, 300.0, 3000.0])
def test_small_path_equals_blocked(
    rng: np.random.Generator, dtype: type, l2: float, scale: float
) -> None:
    """The signed-margin path gives the blocked loss, gradient, p(1−p), margin and Hessian."""
    X, y, w, b = problem(rng, dtype=dtype)
    w = w * scale  # 300, 3000: logits in the hundreds/thousands, where e^(−m) would overflow
    theta = np.append(w, b)
    h_blocked = np.empty(100, dtype=dtype)
    ev = logistic_value_and_grad(w, b, X, y, l2, block_rows=13, curvature_out=h_blocked,
                                 margins=True)  # fmt: skip
    S = signed_transpose(X, y)
    assert S.shape == (8, 100)
    assert S.dtype == dtype
    assert S.flags.c_contiguous
    signs = 2.0 * y - 1.0  # (n,)
    np.testing.assert_array_equal(S, (np.column_stack([X, np.ones(100)]) * signs[:, None]).T)
    small = small_value_and_grad(theta, S, l2)
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    assert small.loss == pytest.approx(ev.loss, rel=rtol)
    np.testing.assert_allclose(small.grad, np.append(ev.dw, ev.db), rtol=rtol, atol=rtol * 1e-2)
    np.testing.assert_allclose(small.margins, signs * (X @ w + b), rtol=rtol, atol=rtol)
    assert small.min_margin == pytest.approx(ev.min_margin, rel=rtol)
    H = small_hessian(S, small.tail, l2)
    # p(1−p) is rounded differently on the two paths: compare on the scale of the largest entry
    H_blocked = logistic_hessian(X, h_blocked, l2, block_rows=13)
    np.testing.assert_allclose(H, H_blocked, rtol=rtol, atol=rtol * np.abs(H_blocked).max())
    np.testing.assert_array_equal(H, H.T)
    assert np.isfinite(small.loss)
    assert np.all(np.isfinite(small.grad))


@pytest.mark.parametrize("l2", [0.0, 0.2])
def test_step_guess_is_one_newton_step_on_the_line(rng: np.random.Generator, l2: float) -> None:
    """small_step_guess = 1 − φ'(1)/φ''(1) with φ(t) = f(θ + t·d), from the full ∇f and H."""
    X, y, w, b = problem(rng)
    theta, h = np.append(w, b), np.empty(100)
    ev = logistic_value_and_grad(w, b, X, y, l2, curvature_out=h)
    # half the Newton step: the minimum along it lies near t = 2
    direction = -0.5 * np.linalg.solve(logistic_hessian(X, h, l2), np.append(ev.dw, ev.db))
    ev = logistic_value_and_grad(theta[:7] + direction[:7], b + direction[7], X, y, l2,
                                 curvature_out=h)  # fmt: skip
    slope = float(np.append(ev.dw, ev.db) @ direction)  # φ'(1) = ∇f(θ + d)ᵀd
    curvature = float(direction @ logistic_hessian(X, h, l2) @ direction)  # φ''(1) = dᵀH d
    expected = min(4.0, max(0.5, 1.0 - slope / curvature))
    assert 0.5 < expected < 4.0  # the clip is not what is being compared
    S = signed_transpose(X, y)
    margins = small_value_and_grad(theta, S, l2).margins  # (n,) at θ
    guess = small_step_guess(theta, direction, S, margins, l2)
    assert guess == pytest.approx(expected, rel=1e-12)
