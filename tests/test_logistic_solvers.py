"""LogisticRegression with solver="newton" / "lbfgs" / fused gd: agreement, diagnoses, memory."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest

from handgrad import ConvergenceWarning, LogisticRegression
from handgrad._logistic_solvers import LogisticObjective
from handgrad._validation import check_array
from handgrad.logistic import logistic_objective


def overlapping(seed: int, n: int = 400, d: int = 6, dtype: type = np.float64):
    """Seeded classes that overlap, so the unpenalized optimum is finite."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.normal(size=d)
    w = rng.normal(size=d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w - 0.5)))).astype(int)
    return X.astype(dtype), y


def sklearn_fit(X: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """scikit-learn's newton-cholesky to tight tolerance, at C = 1/(n·l2) (or no penalty)."""
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    C = 1.0 / (X.shape[0] * l2) if l2 > 0 else np.inf
    ref = SkLogisticRegression(C=C, solver="newton-cholesky", tol=1e-12, max_iter=1000)
    ref.fit(X.astype(np.float64), y)
    return ref.coef_.ravel(), float(ref.intercept_[0])


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_solvers_agree_with_each_other_and_sklearn(seed: int, l2: float) -> None:
    """newton, lbfgs, gd and fused gd reach sklearn's optimum (float64)."""
    X, y = overlapping(seed)
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # so that gd converges in reasonable time
    coef, intercept = sklearn_fit(X, y, l2)
    fits = {
        "newton": LogisticRegression(solver="newton", l2=l2, tol=1e-10),
        "lbfgs": LogisticRegression(solver="lbfgs", l2=l2, tol=1e-10),
        "gd": LogisticRegression(solver="gd", l2=l2, tol=1e-8, learning_rate=2.0, max_iter=50_000),
        "fused": LogisticRegression(
            l2=l2, tol=1e-8, learning_rate=2.0, max_iter=50_000, fused=True
        ),
    }
    for name, model in fits.items():
        model.fit(X, y)
        assert model.converged_, name
        rtol = 1e-7 if name in ("newton", "lbfgs") else 1e-5
        np.testing.assert_allclose(model.coef_, coef, rtol=rtol, atol=rtol, err_msg=name)
        assert model.intercept_ == pytest.approx(intercept, rel=rtol, abs=rtol), name
    assert fits["newton"].n_iter_ < 15  # quadratic convergence: a handful of iterations
    np.testing.assert_allclose(fits["fused"].loss_history_, fits["gd"].loss_history_, rtol=1e-12)


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_float32_agrees_loosely(solver: str, l2: float) -> None:
    """float32 X reaches the float64 optimum to float32 precision, with float32 coef_."""
    X, y = overlapping(5, n=2000, dtype=np.float32)
    coef, intercept = sklearn_fit(X, y, l2)
    model = LogisticRegression(solver=solver, l2=l2, tol=1e-5).fit(X, y)
    assert model.coef_.dtype == np.float32
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-3, atol=1e-4)
    assert model.intercept_ == pytest.approx(intercept, rel=1e-3, abs=1e-4)


def test_matches_sklearn_on_breast_cancer(breast_cancer_split) -> None:
    """On the seed task at C = 1, newton and lbfgs reach sklearn's objective to 1e-12."""
    X, _, y, _ = breast_cancer_split
    l2 = 1.0 / X.shape[0]
    coef, intercept = sklearn_fit(X, y, l2)
    best = logistic_objective(coef, intercept, X, y.astype(float), l2)[0]
    for solver in ("newton", "lbfgs"):
        model = LogisticRegression(solver=solver, l2=l2, tol=1e-9).fit(X, y)
        ours = logistic_objective(model.coef_, model.intercept_, X, y.astype(float), l2)[0]
        assert ours == pytest.approx(best, rel=1e-12), solver
        assert model.loss_history_[-1] == pytest.approx(ours, rel=1e-14)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_hessian_matches_central_differences_of_gradient(l2: float) -> None:
    """Each Hessian column equals (∇f(θ + h e_j) − ∇f(θ − h e_j)) / 2h, intercept included."""
    X, y = overlapping(7, n=60, d=4)
    objective = LogisticObjective(X, y.astype(float), l2, block_rows=7)
    theta = np.random.default_rng(1).normal(size=5)
    H = objective.hess(theta)
    step = 1e-5
    numeric = np.empty((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = step
        numeric[:, j] = (objective(theta + e)[1] - objective(theta - e)[1]) / (2 * step)
    np.testing.assert_allclose(H, numeric, rtol=1e-7, atol=1e-9)


def test_small_X_path_hessian_matches_central_differences() -> None:
    """Small X (the X̃ᵀ path) gives a Hessian equal to central differences of its gradient."""
    X, y = overlapping(7, n=60, d=4)
    objective = LogisticObjective(X, y.astype(float), 0.3)
    assert objective.S is not None  # 60 × 4 is far below SMALL_BYTES
    theta = np.random.default_rng(1).normal(size=5)
    H = objective.hess(theta)
    numeric = np.empty((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = 1e-5
        numeric[:, j] = (objective(theta + e)[1] - objective(theta - e)[1]) / 2e-5
    np.testing.assert_allclose(H, numeric, rtol=1e-7, atol=1e-9)


def test_transposed_copy_only_for_small_X() -> None:
    """X̃ᵀ is made up to SMALL_BYTES of X and never above it, nor when block_rows is given."""
    from handgrad._fused import SMALL_BYTES

    rows = SMALL_BYTES // (8 * 10)  # exactly SMALL_BYTES of float64 with 10 columns
    y = np.zeros(rows + 1)
    assert LogisticObjective(np.zeros((rows, 10)), y[:rows], 0.1).S is not None
    assert LogisticObjective(np.zeros((rows + 1, 10)), y, 0.1).S is None
    assert LogisticObjective(np.zeros((10, 10)), y[:10], 0.1, block_rows=4).S is None


@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("block_rows", [None, 9])  # the signed-margin small path; 9-row blocks
def test_flat_objective_gradient_matches_central_differences(
    l2: float, block_rows: int | None
) -> None:
    """The flat (w, b) objective's gradient agrees with central differences of its loss."""
    from handgrad.gradcheck import numerical_gradient, relative_error

    X, y = overlapping(8, n=60, d=4)
    objective = LogisticObjective(X, y.astype(float), l2, block_rows=block_rows)
    assert (objective.S is None) == (block_rows is not None)
    theta = np.random.default_rng(2).normal(size=5)
    grad = objective(theta)[1]
    assert relative_error(grad, numerical_gradient(lambda: objective(theta)[0], theta)) < 1e-7


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_separable_data_is_diagnosed(solver: str) -> None:
    """With l2=0, separable classes give a plain-words ConvergenceWarning and finite weights."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X @ [1.0, -2.0, 0.5] > 0.1).astype(int)
    with pytest.warns(ConvergenceWarning, match="linearly separable.*no finite minimum"):
        model = LogisticRegression(solver=solver).fit(X, y)
    assert np.all(np.isfinite(model.coef_))
    assert np.isfinite(model.intercept_)
    assert model.score(X, y) == 1.0
    assert not model.converged_


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_separable_data_with_l2_converges(solver: str) -> None:
    """The same separable data with l2 > 0 has a finite optimum and converges silently."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X @ [1.0, -2.0, 0.5] > 0.1).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LogisticRegression(solver=solver, l2=1e-3, tol=1e-8).fit(X, y)
    assert model.converged_


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_collinear_columns_are_named_for_newton(dtype: type) -> None:
    """Newton on collinear columns raises a ValueError naming them, not a LinAlgError."""
    X, y = overlapping(3, d=4)
    X = np.column_stack([X, X[:, 0] - 2.0 * X[:, 2]]).astype(dtype)
    with pytest.raises(ValueError, match=r"columns \[0, 2, 4\] of X are linearly dependent"):
        LogisticRegression(solver="newton").fit(X, y)


def test_constant_column_is_named_for_newton() -> None:
    """A constant column is reported as collinear with the intercept."""
    X, y = overlapping(4, d=3)
    X[:, 1] = 3.0
    with pytest.raises(
        ValueError, match=r"columns \[1\].*constant is collinear with the intercept"
    ):
        LogisticRegression(solver="newton").fit(X, y)


def test_lbfgs_fits_collinear_columns() -> None:
    """L-BFGS needs no Hessian: on collinear columns it converges to an optimum, no NaN."""
    X, y = overlapping(3, d=4)
    Xc = np.column_stack([X, X[:, 0] - 2.0 * X[:, 2]])
    model = LogisticRegression(solver="lbfgs", tol=1e-8).fit(Xc, y)
    reference = LogisticRegression(solver="newton", tol=1e-10).fit(X, y)
    assert model.converged_
    assert np.all(np.isfinite(model.coef_))
    np.testing.assert_allclose(
        model.decision_function(Xc), reference.decision_function(X), atol=1e-5
    )


@pytest.mark.parametrize("solver", ["gd", "newton", "lbfgs"])
def test_trace_format_is_shared(solver: str) -> None:
    """trace_ has one row per iterate; loss_history_ is its loss column; row 0 is ln 2."""
    X, y = overlapping(0)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    model = LogisticRegression(solver=solver, tol=1e-6, learning_rate=1.0, max_iter=5000).fit(X, y)
    t = model.trace_
    assert len(t) == model.n_iter_ + 1 == len(model.loss_history_)
    assert t.loss == model.loss_history_
    assert t.loss[0] == pytest.approx(np.log(2), abs=1e-15)
    assert t.step[0] == 0.0
    assert t.n_evals[0] == 1
    assert t.grad_norm[-1] < 1e-6 <= t.grad_norm[-2]
    if solver == "gd":
        assert set(t.step[1:]) == {1.0}
        assert set(t.n_evals) == {1}


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_eval_set_and_callback_follow_every_iteration(solver: str) -> None:
    """eval_loss_history_ and the callback get one entry per recorded iterate."""
    X, y = overlapping(1)
    seen: list[tuple[int, float]] = []
    model = LogisticRegression(solver=solver, l2=0.01, tol=1e-8)
    model.fit(
        X[:300], y[:300], eval_set=(X[300:], y[300:]), callback=lambda k, f: seen.append((k, f))
    )
    assert len(model.eval_loss_history_) == len(model.loss_history_)
    assert seen == list(enumerate(model.loss_history_))
    assert model.eval_loss_history_[0] == pytest.approx(np.log(2))


def test_max_iter_gives_a_convergence_warning() -> None:
    """Stopping at max_iter warns, naming the solver and the tolerance."""
    X, y = overlapping(2)
    with pytest.warns(ConvergenceWarning, match="solver='lbfgs' stopped before .* tol=1e-12"):
        LogisticRegression(solver="lbfgs", tol=1e-12, max_iter=2).fit(X, y)


def test_unknown_solver_is_refused() -> None:
    """An unknown solver name raises a ValueError listing the valid ones."""
    expected = r"solver must be one of \('gd', 'newton', 'lbfgs', 'sgd', 'adam'\)"
    with pytest.raises(ValueError, match=expected):
        LogisticRegression(solver="sag").fit(np.zeros((4, 1)), [0, 1, 0, 1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_check_array_returns_X_itself(dtype: type) -> None:
    """Validation keeps a float array as it is: the very same object, no copy."""
    X = np.ones((5, 3), dtype=dtype)
    checked = check_array(X)
    assert checked is X
    assert np.shares_memory(checked, X)


@pytest.mark.parametrize("solver", ["newton", "lbfgs", "gd"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fit_never_copies_X(solver: str, dtype: type) -> None:
    """The whole fit, validation included, allocates well under one copy of a C-contiguous X."""
    X, y = overlapping(9, n=40_000, d=50, dtype=dtype)
    model = LogisticRegression(solver=solver, l2=1e-3, max_iter=3, fused=True)
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 3 iterations: only memory matters
        model.fit(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 0.5 * X.nbytes


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_warm_start_from_a_subsample_reaches_the_same_optimum(
    solver: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above WARM_START_ROWS, the subsample warm start changes the path, not the optimum."""
    import handgrad._logistic_solvers as solvers

    X, y = overlapping(6, n=6000, d=8)
    full_hessians = []  # n of each Hessian computed: 6000 for the full data, 600 for the sample
    small_hessian = solvers.small_hessian

    def counted(S: np.ndarray, tail: np.ndarray, l2: float) -> np.ndarray:
        full_hessians.append(S.shape[1])
        return small_hessian(S, tail, l2)

    monkeypatch.setattr(solvers, "small_hessian", counted)
    # tol 1e-11: the smallest Hessian eigenvalue here is 0.012, so both fits lie within
    # ‖∇f‖/0.012 ≈ 1e-9 of the optimum, far inside the rtol 1e-7 compared below
    cold = LogisticRegression(solver=solver, l2=1e-3, tol=1e-11).fit(X, y)
    cold_hessians, full_hessians[:] = full_hessians.count(6000), []
    monkeypatch.setattr(solvers, "WARM_START_ROWS", 1000)
    warm = LogisticRegression(solver=solver, l2=1e-3, tol=1e-11).fit(X, y)
    assert warm.converged_
    np.testing.assert_allclose(warm.coef_, cold.coef_, rtol=1e-7, atol=1e-9)
    assert warm.loss_history_[0] < np.log(2)  # the full problem starts from the subsample's optimum
    if solver == "lbfgs":  # preconditioned by the subsample's Hessian: far fewer full passes
        assert full_hessians.count(600) == 1
        assert sum(warm.trace_.n_evals) < 0.5 * sum(cold.trace_.n_evals)
    else:  # Newton steps with the subsample's Hessian: more, cheaper steps, fewer n·d² Hessians
        assert full_hessians.count(600) == 1
        assert full_hessians.count(6000) < cold_hessians
    coef, _ = sklearn_fit(X, y, 1e-3)
    np.testing.assert_allclose(warm.coef_, coef, rtol=1e-7, atol=1e-9)


def test_warm_start_falls_back_on_a_separable_subsample(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the subsample is separable (l2 = 0) the fit starts from zero and still converges."""
    import handgrad._logistic_solvers as solvers

    monkeypatch.setattr(solvers, "WARM_START_ROWS", 10)
    monkeypatch.setattr(solvers, "WARM_START_STRIDE", 40)  # 10 rows out of 400: separable
    X, y = overlapping(2, n=400, d=6)
    model = LogisticRegression(solver="lbfgs", tol=1e-8).fit(X, y)
    assert model.converged_
    assert model.loss_history_[0] == pytest.approx(np.log(2))


def blind_subsample_problem() -> tuple[np.ndarray, np.ndarray]:
    """6000 × 4 data whose column 0 is non-zero on 60 rows, none of them in X[::10]."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6000, 4))
    X[:, 0] = 0.0
    rows = rng.choice(np.flatnonzero(np.arange(6000) % 10 != 0), 60, replace=False)
    X[rows, 0] = 3.0 * rng.normal(size=60)
    y = (rng.random(6000) < 1.0 / (1.0 + np.exp(-(X @ [1.0, 1.0, -1.0, 0.5])))).astype(int)
    return X, y


def assert_matches_sklearn(
    model: LogisticRegression, X: np.ndarray, y: np.ndarray, l2: float
) -> None:
    """coef_ and intercept_ equal scikit-learn's tight fit to a relative 1e-6."""
    coef, intercept = sklearn_fit(X, y, l2)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-6, atol=1e-8)
    assert model.intercept_ == pytest.approx(intercept, rel=1e-6, abs=1e-8)


def test_newton_leaves_a_poor_subsample_hessian_for_the_full_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the subsample misses what shapes the Hessian, Newton switches to the full one."""
    import handgrad._logistic_solvers as solvers

    X, y = blind_subsample_problem()
    sizes = []  # rows behind each Hessian: 6000 for the full data, 600 for the subsample
    small_hessian = solvers.small_hessian

    def counted(S: np.ndarray, tail: np.ndarray, l2: float) -> np.ndarray:
        sizes.append(S.shape[1])
        return small_hessian(S, tail, l2)

    monkeypatch.setattr(solvers, "small_hessian", counted)
    monkeypatch.setattr(solvers, "WARM_START_ROWS", 1000)
    model = LogisticRegression(solver="newton", l2=1e-3, tol=1e-9).fit(X, y)
    assert model.converged_
    assert sizes[0] == 600
    assert sizes.count(6000) >= 2  # the fallback, with Newton's own quadratic convergence
    assert_matches_sklearn(model, X, y, 1e-3)


def test_preconditioned_lbfgs_survives_a_subsample_blind_to_a_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A column the subsample never sees leaves H_s with only l2 there (H_s⁻¹ = 1/l2 along it):
    the line search tames that first step and the pairs correct it; the optimum is sklearn's."""
    import handgrad._logistic_solvers as solvers

    X, y = blind_subsample_problem()
    monkeypatch.setattr(solvers, "WARM_START_ROWS", 1000)
    model = LogisticRegression(solver="lbfgs", l2=1e-3, tol=1e-9).fit(X, y)
    assert model.converged_
    assert_matches_sklearn(model, X, y, 1e-3)


def test_singular_subsample_hessian_falls_back_to_the_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Collinear columns, l2 = 0: H_s is singular, so L-BFGS starts from the subsample's
    curvature pairs instead, and converges to an optimum as it does without a warm start."""
    import handgrad._logistic_solvers as solvers

    X, y = overlapping(3, n=4000, d=4)
    Xc = np.column_stack([X, X[:, 0] - 2.0 * X[:, 2]])  # (n, 5), rank 4
    preconditioners = []
    make = solvers._subsample_preconditioner

    def recorded(sub: object, theta: np.ndarray, rcond: float) -> object:
        preconditioners.append(make(sub, theta, rcond))  # type: ignore[arg-type]
        return preconditioners[-1]

    monkeypatch.setattr(solvers, "_subsample_preconditioner", recorded)
    monkeypatch.setattr(solvers, "WARM_START_ROWS", 1000)
    model = LogisticRegression(solver="lbfgs", tol=1e-8).fit(Xc, y)
    assert preconditioners == [None]  # the warm start ran, and H_s was refused
    reference = LogisticRegression(solver="newton", tol=1e-10).fit(X, y)
    assert model.converged_
    np.testing.assert_allclose(
        model.decision_function(Xc), reference.decision_function(X), atol=1e-5
    )
