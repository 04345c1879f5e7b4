"""optim: L-BFGS, Newton and the line searches on functions that are not logistic regression."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad.optim import Trace, backtracking, lbfgs, newton, wolfe


def rosenbrock(theta: np.ndarray) -> tuple[float, np.ndarray]:
    """f = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1)."""
    x0, x1 = theta[:-1], theta[1:]
    f = float(np.sum(100.0 * (x1 - x0**2) ** 2 + (1.0 - x0) ** 2))
    g = np.zeros_like(theta)
    g[:-1] += -400.0 * x0 * (x1 - x0**2) - 2.0 * (1.0 - x0)
    g[1:] += 200.0 * (x1 - x0**2)
    return f, g


def rosenbrock_hessian(theta: np.ndarray) -> np.ndarray:
    """Exact Hessian of the 2-D Rosenbrock function."""
    x, y = theta
    return np.array([[1200.0 * x**2 - 400.0 * y + 2.0, -400.0 * x], [-400.0 * x, 200.0]])


@pytest.mark.parametrize("m", [2, 5, 10])
def test_lbfgs_minimizes_rosenbrock(m: int) -> None:
    """L-BFGS reaches the Rosenbrock minimum (1, …, 1) from the classic start (−1.2, 1, …)."""
    theta0 = np.tile([-1.2, 1.0], m // 2 + 1)[:m]
    result = lbfgs(rosenbrock, theta0, tol=1e-9, max_iter=2000)
    assert result.status == "converged"
    np.testing.assert_allclose(result.theta, np.ones(m), atol=1e-7)
    assert result.trace.grad_norm[-1] < 1e-9


def test_lbfgs_does_not_modify_the_start() -> None:
    """theta0 is left untouched."""
    theta0 = np.array([-1.2, 1.0])
    lbfgs(rosenbrock, theta0)
    np.testing.assert_array_equal(theta0, [-1.2, 1.0])


def test_lbfgs_loss_never_increases() -> None:
    """Every accepted step lowers the objective (the Wolfe sufficient decrease)."""
    result = lbfgs(rosenbrock, np.array([-1.2, 1.0]), tol=1e-9)
    assert np.all(np.diff(result.trace.loss) < 0)


def ill_conditioned_quadratic(m: int = 20) -> tuple:
    """f = ½ θᵀAθ − bᵀθ, eigenvalues of A from 1 to 1e4; returns (fun, A, Q, λ, minimizer)."""
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.normal(size=(m, m)))  # (m, m) orthogonal
    eigenvalues = np.logspace(0, 4, m)  # (m,)
    A = Q @ np.diag(eigenvalues) @ Q.T
    b = rng.normal(size=m)

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        g = A @ theta - b  # (m,)
        return float(0.5 * theta @ A @ theta - b @ theta), g

    return fun, A, Q, eigenvalues, np.linalg.solve(A, b)


def test_lbfgs_with_the_exact_inverse_hessian_takes_one_newton_step() -> None:
    """precondition = A⁻¹ on a quadratic: the first direction is Newton's, step 1 is exact."""
    fun, A, _, _, minimizer = ill_conditioned_quadratic()
    result = lbfgs(fun, np.zeros(20), tol=1e-8, precondition=lambda v: np.linalg.solve(A, v))
    assert result.status == "converged"
    assert result.n_iter == 1
    assert result.trace.step == [0.0, 1.0]
    np.testing.assert_allclose(result.theta, minimizer, rtol=1e-8)


def test_lbfgs_with_an_approximate_preconditioner_beats_the_scaled_identity() -> None:
    """An estimate of A (eigenvalues up to 30% off, like a subsample's Hessian) carries the
    conditioning that the scaled identity γ·I lacks: a few iterations instead of hundreds."""
    fun, _, Q, eigenvalues, minimizer = ill_conditioned_quadratic()
    off = 1.0 + 0.3 * np.random.default_rng(4).uniform(-1.0, 1.0, size=20)  # (m,)
    A_estimate = Q @ np.diag(eigenvalues * off) @ Q.T  # symmetric positive definite
    plain = lbfgs(fun, np.zeros(20), tol=1e-6, max_iter=10_000)
    preconditioned = lbfgs(fun, np.zeros(20), tol=1e-6,
                           precondition=lambda v: np.linalg.solve(A_estimate, v))  # fmt: skip
    assert plain.converged
    assert preconditioned.converged
    np.testing.assert_allclose(preconditioned.theta, minimizer, rtol=1e-5, atol=1e-9)
    assert preconditioned.n_iter < plain.n_iter / 10


def test_newton_minimizes_rosenbrock_quadratically() -> None:
    """Newton with backtracking reaches (1, 1); the last steps are full steps (t = 1)."""
    result = newton(rosenbrock, rosenbrock_hessian, np.array([-1.2, 1.0]), tol=1e-12)
    assert result.status == "converged"
    np.testing.assert_allclose(result.theta, [1.0, 1.0], atol=1e-10)
    assert result.trace.step[-3:] == [1.0, 1.0, 1.0]
    # quadratic convergence: the gradient norm at least squares (up to a constant) near the end
    g = result.trace.grad_norm
    assert g[-1] < 1e-3 * g[-2]


def test_newton_chord_steps_save_hessians_and_still_converge() -> None:
    """chord=True reuses the Hessian after a quadratic step: same minimum, fewer Hessians."""
    calls = {False: 0, True: 0}
    results = {}
    for chord in (False, True):

        def hess(theta: np.ndarray, chord: bool = chord) -> np.ndarray:
            calls[chord] += 1
            return rosenbrock_hessian(theta)

        results[chord] = newton(rosenbrock, hess, np.array([-1.2, 1.0]), tol=1e-12, chord=chord)
    assert results[True].status == "converged"
    np.testing.assert_allclose(results[True].theta, [1.0, 1.0], atol=1e-10)
    assert calls[True] < calls[False]
    assert calls[True] < results[True].n_iter  # at least one step used an older Hessian


def test_newton_tries_the_guessed_step_first() -> None:
    """step_guess's value is the step the line search tries (and here accepts) first."""
    A, c = np.diag([1.0, 4.0]), np.array([1.0, 2.0])
    fun = lambda t: (0.5 * t @ A @ t - c @ t, A @ t - c)  # noqa: E731
    # a Hessian twice too large: Newton's full step goes half way, the guess t = 2 all the way
    result = newton(fun, lambda t: 2 * A, np.zeros(2), step_guess=lambda t, d: 2.0)
    assert result.n_iter == 1
    assert result.trace.step[1] == 2.0
    np.testing.assert_allclose(result.theta, np.linalg.solve(A, c), rtol=1e-12)


def test_newton_solves_a_quadratic_in_one_step() -> None:
    """On f = ½ θᵀAθ − cᵀθ, one Newton step lands on A⁻¹c."""
    rng = np.random.default_rng(3)
    M = rng.normal(size=(6, 6))
    A, c = M @ M.T + 6 * np.eye(6), rng.normal(size=6)
    result = newton(lambda t: (0.5 * t @ A @ t - c @ t, A @ t - c), lambda t: A, np.zeros(6))
    assert result.n_iter == 1
    np.testing.assert_allclose(result.theta, np.linalg.solve(A, c), rtol=1e-10)


def test_newton_reports_a_singular_hessian() -> None:
    """A rank-deficient Hessian stops Newton with status 'singular hessian', not LinAlgError."""
    A = np.diag([1.0, 0.0])
    fun = lambda t: (0.5 * t @ A @ t - t[0], A @ t - [1.0, 0.0])  # noqa: E731
    result = newton(fun, lambda t: A, np.zeros(2))
    assert result.status == "singular hessian"
    assert np.all(np.isfinite(result.theta))


@pytest.mark.parametrize("start", [[-1.2, 1.0], [0.5, -0.3], [2.0, 2.0]])
@pytest.mark.parametrize("first_step", [1e-3, 1.0, 50.0])
def test_wolfe_step_satisfies_strong_wolfe(start: list[float], first_step: float) -> None:
    """The accepted step satisfies sufficient decrease and the strong curvature condition."""
    theta = np.array(start)
    f0, g0 = rosenbrock(theta)
    d = -g0
    c1, c2 = 1e-4, 0.9
    res = wolfe(rosenbrock, theta, f0, g0, d, step=first_step, c1=c1, c2=c2)
    assert res.success
    f, g = rosenbrock(theta + res.step * d)
    assert f == res.loss
    assert f <= f0 + c1 * res.step * (g0 @ d)
    assert abs(g @ d) <= c2 * abs(g0 @ d)


def test_wolfe_with_a_small_c2_finds_a_near_exact_step() -> None:
    """With c2 = 0.01 the slope at the accepted step is nearly zero (close to exact search)."""
    A = np.diag([1.0, 10.0])
    fun = lambda t: (0.5 * t @ A @ t, A @ t)  # noqa: E731
    theta = np.array([1.0, 1.0])
    f0, g0 = fun(theta)
    res = wolfe(fun, theta, f0, g0, -g0, c2=0.01)
    _, g = fun(theta - res.step * g0)
    assert res.success
    assert abs(g @ g0) <= 0.01 * (g0 @ g0)


def test_backtracking_halves_until_sufficient_decrease() -> None:
    """Backtracking accepts the first of 1, ½, ¼, … that satisfies the Armijo condition."""
    fun = lambda t: (float(t @ t), 2.0 * t)  # noqa: E731
    theta = np.array([1.0])
    f0, g0 = fun(theta)
    res = backtracking(fun, theta, f0, float(g0 @ (-4 * g0)), -4 * g0)
    # steps 1 and ½ overshoot to |θ| ≥ 3; ¼ lands on −1 (no decrease); ⅛ gives θ = 0
    assert res.step == 0.125
    assert res.n_evals == 4
    assert res.loss == 0.0


def test_line_searches_return_the_point_they_evaluated() -> None:
    """``point`` is the array θ + t·d that fun saw at the accepted step, for both searches."""
    seen: list[np.ndarray] = []

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        seen.append(theta)
        return rosenbrock(theta)

    theta = np.array([-1.2, 1.0])
    f0, g0 = rosenbrock(theta)
    for res in (
        backtracking(fun, theta, f0, float(g0 @ -g0), -g0),
        wolfe(fun, theta, f0, g0, -g0, step=1e-3),
    ):
        assert res.success
        assert any(res.point is p for p in seen)  # the very array passed to fun
        np.testing.assert_allclose(res.point, theta - res.step * g0, rtol=1e-15)
        assert res.loss == rosenbrock(res.point)[0]


def test_trace_records_rows_of_equal_length() -> None:
    """Trace keeps four columns of equal length; as_dict returns them by name."""
    trace = Trace()
    trace.record(1.0, 2.0, 0.0, 1)
    trace.record(0.5, 1.0, 0.25, 3)
    assert len(trace) == 2
    assert trace.as_dict() == {
        "loss": [1.0, 0.5],
        "grad_norm": [2.0, 1.0],
        "step": [0.0, 0.25],
        "n_evals": [1, 3],
    }


@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
def test_solver_trace_matches_its_result(solver: str) -> None:
    """The trace starts at theta0 (step 0, 1 evaluation) and ends at the returned point."""
    theta0 = np.array([-1.2, 1.0])
    if solver == "lbfgs":
        result = lbfgs(rosenbrock, theta0, tol=1e-8)
    else:
        result = newton(rosenbrock, rosenbrock_hessian, theta0, tol=1e-8)
    t = result.trace
    assert len(t) == result.n_iter + 1
    assert (t.loss[0], t.step[0], t.n_evals[0]) == (rosenbrock(theta0)[0], 0.0, 1)
    assert t.loss[-1] == result.loss
    assert t.grad_norm[-1] == pytest.approx(np.linalg.norm(result.grad))
    assert all(s > 0 for s in t.step[1:])
    assert all(k >= 1 for k in t.n_evals)


def test_max_iter_is_reported() -> None:
    """Stopping at max_iter says so in status, and n_iter equals max_iter."""
    result = lbfgs(rosenbrock, np.array([-1.2, 1.0]), max_iter=3)
    assert result.status == "max_iter"
    assert result.n_iter == 3
    assert not result.converged


def test_callback_stops_the_solver() -> None:
    """A callback returning True stops the solver after that update."""
    calls: list[np.ndarray] = []

    def stop_after_two(theta: np.ndarray) -> bool:
        calls.append(theta)
        return len(calls) == 2

    result = lbfgs(rosenbrock, np.array([-1.2, 1.0]), callback=stop_after_two)
    assert result.status == "stopped by callback"
    assert result.n_iter == 2


@pytest.mark.parametrize("m", [5, 64, 65, 150])
def test_cholesky_solve_matches_a_direct_solve(m: int) -> None:
    """The Cholesky solve agrees with numpy.linalg.solve on either side of the LAPACK cutoff."""
    from handgrad.optim import cholesky_solve

    rng = np.random.default_rng(m)
    M = rng.normal(size=(m, m))
    H, g = M @ M.T + m * np.eye(m), rng.normal(size=m)
    d = cholesky_solve(H, g)
    assert d is not None
    np.testing.assert_allclose(d, np.linalg.solve(H, g), rtol=1e-10, atol=1e-12)
