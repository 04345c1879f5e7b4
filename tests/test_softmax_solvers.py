"""SoftmaxRegression with solver="newton" / "lbfgs": the Hessian, agreement, traces, diagnoses."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from handgrad import ConvergenceWarning, SoftmaxRegression, StandardScaler
from handgrad.softmax_objective import (
    centred_hessian,
    pack_params,
    softmax_flat_objective,
    softmax_hessian,
)


def overlapping(seed: int, n: int = 300, d: int = 4, k: int = 3):
    """Seeded classes drawn from a softmax model, so they overlap and the optimum is finite."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d)
    Z = X @ rng.normal(size=(d, k))  # (n, k)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(k, p=p) for p in P])
    return X, y


def separable() -> tuple[np.ndarray, np.ndarray]:
    """Three tight, far-apart blobs: linearly separable classes."""
    rng = np.random.default_rng(0)
    centres = ([0.0, 3.0], [3.0, 0.0], [-3.0, -3.0])
    X = np.vstack([rng.normal(size=(30, 2)) * 0.3 + c for c in centres])
    return X, np.repeat([0, 1, 2], 30)


def centred(W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """W and b with the shift removed: every row of W and b summing to 0."""
    return W - W.mean(axis=1, keepdims=True), b - b.mean()


def numerical_hessian(fun, theta: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Column j = (∇f(θ + h e_j) − ∇f(θ − h e_j)) / 2h."""
    m = theta.shape[0]
    H = np.empty((m, m))
    for j in range(m):
        e = np.zeros(m)
        e[j] = step
        H[:, j] = (fun(theta + e)[1] - fun(theta - e)[1]) / (2 * step)
    return H


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_hessian_matches_central_differences_of_gradient(l2: float) -> None:
    """Every entry of the exact Hessian, bias rows and columns included, matches central diffs."""
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(40, 4)), np.eye(3)[rng.integers(0, 3, size=40)]
    W, b = rng.normal(size=(4, 3)), rng.normal(size=3)  # random, non-zero
    H = softmax_hessian(W, b, X, l2)
    assert H.shape == (15, 15)
    numeric = numerical_hessian(softmax_flat_objective(X, Y, l2=l2), pack_params(W, b))
    np.testing.assert_allclose(H, numeric, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(H, H.T, rtol=0, atol=1e-15)


def test_hessian_by_row_blocks_equals_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Summing the Hessian over row blocks that do not divide n changes it only by rounding."""
    import handgrad.softmax_objective as so

    rng = np.random.default_rng(5)
    X, W, b = rng.normal(size=(40, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    whole = softmax_hessian(W, b, X, 0.1)  # 40 rows fit in one block
    monkeypatch.setattr(so, "HESSIAN_BLOCK_BYTES", 1)  # blocks of 16 rows: 16 + 16 + 8
    np.testing.assert_allclose(so.softmax_hessian(W, b, X, 0.1), whole, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_hessian_is_singular_exactly_along_the_shifts(l2: float) -> None:
    """H·v = 0 for the intercept shift; for a W-row shift H·v = l2·v; the centred form is PD.

    A W-row shift is the vector (c_a for every class of feature a), an intercept shift the same
    number added to every b_j: both leave P unchanged, so the loss is flat along them.
    """
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 3))
    W, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    H = softmax_hessian(W, b, X, l2)
    shift_b = pack_params(np.zeros((3, 4)), np.ones(4))
    shift_w = pack_params(np.outer([1.0, -2.0, 0.5], np.ones(4)), np.zeros(4))
    np.testing.assert_allclose(H @ shift_b, 0.0, atol=1e-14)
    np.testing.assert_allclose(H @ shift_w, l2 * shift_w, atol=1e-14)
    Hc = centred_hessian(W, b, X, l2)
    assert np.linalg.eigvalsh(Hc).min() > 1e-3
    u = pack_params(*centred(rng.normal(size=(3, 4)), rng.normal(size=4)))  # ⟂ the shifts
    np.testing.assert_allclose(Hc @ u, H @ u, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dataset", ["iris", "wine"])
def test_solvers_agree_with_each_other_and_sklearn(dataset: str) -> None:
    """newton, lbfgs and gd reach sklearn's multinomial optimum: W, centred b, P to a rel. 1e-6."""
    from sklearn import datasets
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    X, y = getattr(datasets, f"load_{dataset}")(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    l2 = 0.01
    ref = SkLogisticRegression(C=1.0 / (X.shape[0] * l2), tol=1e-14, max_iter=10_000,
                               solver="newton-cg").fit(X, y)  # fmt: skip
    W_ref, b_ref = ref.coef_.T, ref.intercept_ - ref.intercept_.mean()  # (d, k), (k,)
    fits = {
        "newton": SoftmaxRegression(solver="newton", l2=l2, tol=1e-10),
        "lbfgs": SoftmaxRegression(solver="lbfgs", l2=l2, tol=1e-10),
        "gd": SoftmaxRegression(learning_rate=1.0, max_iter=100_000, tol=1e-10, l2=l2),
    }
    for name, model in fits.items():
        model.fit(X, y)
        assert model.converged_, name
        np.testing.assert_allclose(model.coef_, W_ref, rtol=1e-6, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(model.intercept_, b_ref, rtol=1e-6, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(model.predict_proba(X), ref.predict_proba(X), rtol=1e-6,
                                   atol=1e-12, err_msg=name)  # fmt: skip
        np.testing.assert_allclose(model.intercept_.sum(), 0.0, atol=1e-12, err_msg=name)
    assert fits["newton"].n_iter_ < 15  # quadratic convergence: a handful of iterations
    assert fits["newton"].n_iter_ < fits["lbfgs"].n_iter_ < fits["gd"].n_iter_


@pytest.mark.parametrize("seed", [0, 1])
def test_unpenalized_solvers_agree_with_sklearn(seed: int) -> None:
    """With l2 = 0 (finite optimum, overlapping classes) newton and lbfgs match sklearn.

    The unpenalized W is determined only up to a shift of its rows, so both are compared
    centred; the probabilities directly.
    """
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    X, y = overlapping(seed)
    ref = SkLogisticRegression(C=np.inf, tol=1e-14, max_iter=10_000, solver="newton-cg")
    ref.fit(X, y)
    W_ref, b_ref = centred(ref.coef_.T, ref.intercept_)
    for solver in ("newton", "lbfgs"):
        model = SoftmaxRegression(solver=solver, tol=1e-10).fit(X, y)
        assert model.converged_, solver
        np.testing.assert_allclose(model.coef_, W_ref, rtol=1e-6, atol=1e-8, err_msg=solver)
        np.testing.assert_allclose(model.intercept_, b_ref, rtol=1e-6, atol=1e-8, err_msg=solver)
        np.testing.assert_allclose(model.predict_proba(X), ref.predict_proba(X), rtol=1e-6,
                                   atol=1e-10, err_msg=solver)  # fmt: skip


@pytest.mark.parametrize("solver", ["gd", "newton", "lbfgs"])
def test_trace_format_is_shared(solver: str) -> None:
    """trace_ has one row per iterate; loss_history_ is its loss column; row 0 is ln k."""
    X, y = overlapping(2)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    model = SoftmaxRegression(solver=solver, tol=1e-6, learning_rate=1.0, max_iter=20_000)
    model.fit(X, y)
    t = model.trace_
    assert len(t) == model.n_iter_ + 1 == len(model.loss_history_)
    assert t.loss == model.loss_history_
    assert t.loss[0] == pytest.approx(np.log(3), abs=1e-15)
    assert t.step[0] == 0.0
    assert t.n_evals[0] == 1
    assert t.grad_norm[-1] < 1e-6 <= t.grad_norm[-2]
    if solver == "gd":
        assert set(t.step[1:]) == {1.0}
        assert set(t.n_evals) == {1}


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_eval_set_and_callback_follow_every_iteration(solver: str) -> None:
    """eval_loss_history_ and the callback get one entry per recorded iterate."""
    X, y = overlapping(3)
    seen: list[tuple[int, float]] = []
    model = SoftmaxRegression(solver=solver, l2=0.01, tol=1e-8)
    model.fit(
        X[:200], y[:200], eval_set=(X[200:], y[200:]), callback=lambda k, f: seen.append((k, f))
    )
    assert len(model.eval_loss_history_) == len(model.loss_history_)
    assert seen == list(enumerate(model.loss_history_))
    assert model.eval_loss_history_[0] == pytest.approx(np.log(3))
    assert model.eval_loss_history_[-1] < model.eval_loss_history_[0]


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_separable_data_is_diagnosed(solver: str) -> None:
    """With l2=0, separable classes stop the solver with a plain-words warning, finite weights."""
    X, y = separable()
    with pytest.warns(ConvergenceWarning, match="linearly separable.*no finite minimum"):
        model = SoftmaxRegression(solver=solver).fit(X, y)
    assert np.all(np.isfinite(model.coef_))
    assert model.score(X, y) == 1.0
    assert not model.converged_


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_separable_data_with_l2_converges(solver: str) -> None:
    """The same separable data with l2 > 0 has a finite optimum and converges silently."""
    X, y = separable()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SoftmaxRegression(solver=solver, l2=1e-3, tol=1e-8).fit(X, y)
    assert model.converged_


def test_collinear_columns_stop_newton_with_a_reason() -> None:
    """Newton on linearly dependent columns warns that the Hessian is singular; lbfgs fits."""
    X, y = overlapping(4)
    Xc = np.column_stack([X, X[:, 0] - 2.0 * X[:, 2]])
    with pytest.warns(ConvergenceWarning, match="Hessian became singular.*linearly dependent"):
        model = SoftmaxRegression(solver="newton").fit(Xc, y)
    assert not model.converged_
    assert np.all(np.isfinite(model.coef_))
    lbfgs = SoftmaxRegression(solver="lbfgs", tol=1e-8).fit(Xc, y)
    reference = SoftmaxRegression(solver="newton", tol=1e-10).fit(X, y)
    assert lbfgs.converged_
    np.testing.assert_allclose(lbfgs.predict_proba(Xc), reference.predict_proba(X), atol=1e-6)


def test_max_iter_gives_a_convergence_warning() -> None:
    """Stopping at max_iter warns, naming the solver and the tolerance."""
    X, y = overlapping(5)
    with pytest.warns(ConvergenceWarning, match="solver='lbfgs' stopped before .* tol=1e-12"):
        SoftmaxRegression(solver="lbfgs", tol=1e-12, max_iter=2).fit(X, y)


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_float32_agrees_loosely(solver: str) -> None:
    """float32 X reaches the float64 optimum to float32 precision, with float32 coef_."""
    X, y = overlapping(6, n=1000)
    exact = SoftmaxRegression(solver="newton", l2=0.01, tol=1e-10).fit(X, y)
    model = SoftmaxRegression(solver=solver, l2=0.01, tol=1e-5).fit(X.astype(np.float32), y)
    assert model.coef_.dtype == np.float32
    np.testing.assert_allclose(model.coef_, exact.coef_, rtol=1e-3, atol=1e-4)
