"""check_gradients: a correct gradient passes, a wrong one fails, bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad.gradcheck import check_gradients, numerical_gradient, relative_error


def _quadratic(
    A: np.ndarray, w: np.ndarray, b: np.ndarray, *, wrong_b: bool = False
) -> tuple[float, dict[str, np.ndarray]]:
    """f = ½ wᵀAw + Σ sin(b); ∂f/∂w = Aw (A symmetric), ∂f/∂b = cos(b) (or a wrong sign)."""
    loss = 0.5 * float(w @ A @ w) + float(np.sum(np.sin(b)))
    db = -np.cos(b) if wrong_b else np.cos(b)
    return loss, {"w": A @ w, "b": db}


@pytest.fixture
def problem(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random symmetric A, weights w (3,) and biases b (2,)."""
    M = rng.normal(size=(3, 3))
    return M + M.T, rng.normal(size=3), rng.normal(size=2)


def test_correct_gradients_pass_block_by_block(problem) -> None:
    """A correct gradient gives one passing row per block with a tiny relative error."""
    A, w, b = problem
    report = check_gradients(lambda: _quadratic(A, w, b), {"w": w, "b": b})
    assert report.passed
    assert [(r.name, r.shape) for r in report.rows] == [("w", (3,)), ("b", (2,))]
    assert all(r.rel_error < 1e-8 and r.max_abs_diff < 1e-8 for r in report.rows)


def test_wrong_gradient_fails_only_its_block(problem) -> None:
    """A gradient with the wrong sign fails the check, and only in its own block."""
    A, w, b = problem
    report = check_gradients(lambda: _quadratic(A, w, b, wrong_b=True), {"w": w, "b": b})
    assert not report.passed
    rows = {r.name: r for r in report.rows}
    assert rows["w"].passed
    assert not rows["b"].passed
    assert rows["b"].rel_error == pytest.approx(1.0, abs=1e-6)  # a = −n: error exactly 1
    assert "FAILED: b disagree(s)" in report.table()


def test_parameters_are_restored(problem) -> None:
    """Every perturbed entry is put back exactly."""
    A, w, b = problem
    w0, b0 = w.copy(), b.copy()
    check_gradients(lambda: _quadratic(A, w, b), {"w": w, "b": b})
    np.testing.assert_array_equal(w, w0)
    np.testing.assert_array_equal(b, b0)


def test_table_shows_rows_verdict_and_thresholds(problem) -> None:
    """The table names each block with its shape, the verdict and what the threshold means."""
    _, w, _ = problem
    W = np.outer(w, w)  # a 2-D block to show the shape column

    def loss_and_grads() -> tuple[float, dict[str, np.ndarray]]:
        return float(np.sum(W**2)), {"W": 2 * W}

    table = check_gradients(loss_and_grads, {"W": W}, title="demo").table()
    lines = table.splitlines()
    assert lines[0] == "demo (central differences, float64, h = 1e-06)"
    assert lines[3].split()[:2] == ["W", "3×3"]
    assert lines[3].split()[-1] == "pass"
    assert "PASSED" in table
    assert "is below 1e-07" in table
    assert "wrong formula, sign or factor" in table


def test_float32_is_refused_with_the_reason(problem) -> None:
    """float32 parameters are refused with a message that says why the check needs float64."""
    A, w, b = problem
    w32 = w.astype(np.float32)
    with pytest.raises(
        TypeError, match=r"need float64 parameters; params\['w'\] has dtype float32"
    ):
        check_gradients(lambda: _quadratic(A, w32, b), {"w": w32, "b": b})
    with pytest.raises(TypeError, match=r"rounding error of f, about 1e-7·\|f\|/h, swamps"):
        numerical_gradient(lambda: float(np.sum(w32)), w32)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"h": 0.0}, ValueError, r"h must be a finite number > 0; got 0.0"),
        ({"h": float("nan")}, ValueError, r"h must be a finite number > 0; got nan"),
        ({"tolerance": -1.0}, ValueError, r"tolerance must be a finite number > 0; got -1.0"),
    ],
)
def test_bad_settings_are_refused(problem, kwargs, error, match) -> None:
    """A step or tolerance that is not a positive finite number is refused."""
    A, w, b = problem
    with pytest.raises(error, match=match):
        check_gradients(lambda: _quadratic(A, w, b), {"w": w}, **kwargs)


def test_bad_params_and_gradients_are_refused(problem) -> None:
    """Empty params, a non-array, a missing gradient or a gradient of the wrong shape."""
    A, w, b = problem
    f = lambda: _quadratic(A, w, b)  # noqa: E731
    with pytest.raises(ValueError, match="params is empty; expected at least one"):
        check_gradients(f, {})
    with pytest.raises(TypeError, match=r"params\['w'\] must be a NumPy array; got list"):
        check_gradients(f, {"w": [1.0, 2.0]})  # type: ignore[dict-item]
    with pytest.raises(KeyError, match=r"no gradient for 'c'; expected one for each of \['c'\]"):
        check_gradients(f, {"c": b})
    with pytest.raises(ValueError, match=r"gradient of 'b' has shape \(3,\), but 'b' has shape"):
        check_gradients(lambda: (0.0, {"b": np.zeros(3)}), {"b": b})


def test_relative_error_of_zero_blocks_and_shape_mismatch() -> None:
    """Two zero blocks have error 0; blocks of different shapes are refused."""
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(
        ValueError, match=r"gradient shapes differ: analytic \(3,\), numeric \(2,\)"
    ):
        relative_error(np.zeros(3), np.zeros(2))
