"""L1 and elastic net by proximal gradient, for LogisticRegression and SoftmaxRegression."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import ConvergenceWarning, LogisticRegression, SoftmaxRegression, StandardScaler
from handgrad.logistic import logistic_objective
from handgrad.penalties import l1_penalty


def _sklearn_elasticnet(X, y, l1: float, l2: float):
    """sklearn's saga at C = 1/(n·(l1 + l2)), l1_ratio = l1/(l1 + l2), converged tightly."""
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    C, ratio = 1.0 / (X.shape[0] * (l1 + l2)), l1 / (l1 + l2)
    ref = SkLogisticRegression(C=C, l1_ratio=ratio, solver="saga",
                               tol=1e-12, max_iter=200_000)  # fmt: skip
    return ref.fit(X, y)


@pytest.mark.parametrize(("l1", "l2"), [(0.02, 0.0), (0.01, 0.01)])
def test_logistic_matches_sklearn_saga(breast_cancer_split, l1: float, l2: float) -> None:
    """Same zero set, coefficients to 1e-8, objective to a relative 1e-12 as sklearn's saga.

    Objective: mean BCE + l1‖w‖₁ + (l2/2)‖w‖², which is sklearn's elastic net divided by C·n.
    """
    X, _, y, _ = breast_cancer_split
    ours = LogisticRegression(learning_rate=1.0, max_iter=100_000, tol=1e-12, l1=l1, l2=l2)
    ours.fit(X, y)
    ref = _sklearn_elasticnet(X, y, l1, l2)
    w_ref, b_ref = ref.coef_.ravel(), float(ref.intercept_[0])
    np.testing.assert_array_equal(ours.coef_ == 0, w_ref == 0)
    assert ours.n_zero_coef_ == int(np.sum(w_ref == 0)) > 0
    np.testing.assert_allclose(ours.coef_, w_ref, rtol=0, atol=1e-8)
    assert ours.intercept_ == pytest.approx(b_ref, abs=1e-8)

    def objective(w: np.ndarray, b: float) -> float:
        return logistic_objective(w, b, X, y.astype(float), l2)[0] + l1_penalty(w, l1)

    assert objective(ours.coef_, ours.intercept_) == pytest.approx(objective(w_ref, b_ref),
                                                                    rel=1e-12)  # fmt: skip
    assert ours.loss_history_[-1] == pytest.approx(objective(ours.coef_, ours.intercept_),
                                                   rel=1e-12)  # fmt: skip


@pytest.mark.parametrize("dataset", ["iris", "wine"])
def test_softmax_elastic_net_matches_sklearn_saga(dataset: str) -> None:
    """Multinomial elastic net: same zero set, W to 1e-8, probabilities to 1e-9 as saga."""
    from sklearn import datasets

    X, y = getattr(datasets, f"load_{dataset}")(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    l1, l2 = 0.01, 0.01
    ours = SoftmaxRegression(learning_rate=1.0, max_iter=100_000, tol=1e-12, l1=l1, l2=l2)
    ours.fit(X, y)
    ref = _sklearn_elasticnet(X, y, l1, l2)
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_.T == 0)
    assert ours.n_zero_coef_ == int(np.sum(ref.coef_ == 0)) > 0
    np.testing.assert_allclose(ours.coef_, ref.coef_.T, rtol=0, atol=1e-8)
    b, b_ref = ours.intercept_, ref.intercept_
    np.testing.assert_allclose(b - b.mean(), b_ref - b_ref.mean(), rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-9)


def test_solution_satisfies_the_l1_optimality_conditions(breast_cancer_split) -> None:
    """At the fit, with g the smooth gradient: g_j = −l1·sign(w_j) if w_j ≠ 0, else |g_j| ≤ l1."""
    X, _, y, _ = breast_cancer_split
    l1 = 0.02
    model = LogisticRegression(learning_rate=1.0, max_iter=100_000, tol=1e-12, l1=l1).fit(X, y)
    _, g, db = logistic_objective(model.coef_, model.intercept_, X, y.astype(float), 0.0)
    nonzero = model.coef_ != 0
    np.testing.assert_allclose(g[nonzero], -l1 * np.sign(model.coef_[nonzero]), atol=1e-11)
    assert np.all(np.abs(g[~nonzero]) <= l1 + 1e-11)
    assert abs(db) < 1e-11
    # The raw gradient is far from 0 at this optimum, so a raw-gradient stopping rule
    # could never be met: the proximal-gradient mapping is what converged.
    assert model.converged_
    assert np.linalg.norm(g) > 1e-2


@pytest.mark.parametrize("Model", [LogisticRegression, SoftmaxRegression])
def test_huge_l1_zeros_every_weight_but_not_the_intercept(Model, breast_cancer_split) -> None:
    """With l1 large, coef_ is exactly 0, and the unpenalized intercept fits the base rate."""
    X, _, y, _ = breast_cancer_split
    model = Model(learning_rate=1.0, max_iter=10_000, tol=1e-12, l1=10.0).fit(X, y)
    assert model.n_zero_coef_ == model.coef_.size
    assert np.all(model.coef_ == 0)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], np.mean(y == 1), rtol=1e-10)


def test_l1_zero_reproduces_the_plain_fit(breast_cancer_split) -> None:
    """l1 = 0 takes exactly the plain gradient steps: the same weights as before l1 existed."""
    X, _, y, _ = breast_cancer_split
    kwargs = {"learning_rate": 0.5, "max_iter": 200, "tol": 0.0, "l2": 0.1}
    with pytest.warns(ConvergenceWarning):
        a = LogisticRegression(**kwargs, l1=0.0).fit(X, y)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(200):
        _, dw, db = logistic_objective(w, b, X, y.astype(float), 0.1)
        w, b = w - 0.5 * dw, b - 0.5 * db
    np.testing.assert_allclose(a.coef_, w, rtol=1e-13, atol=1e-15)
    assert a.n_zero_coef_ == 0


def test_logistic_l1_is_validated() -> None:
    """A negative or non-numeric l1 is refused, naming the parameter."""
    X, y = np.eye(4), [0, 1, 0, 1]
    with pytest.raises(ValueError, match=r"l1 must be a finite number >= 0; got -1"):
        LogisticRegression(l1=-1).fit(X, y)
    with pytest.raises(ValueError, match=r"l1 must be a number >= 0; got 'a lot'"):
        LogisticRegression(l1="a lot").fit(X, y)  # type: ignore[arg-type]


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_l1_with_a_smooth_solver_is_refused(solver: str) -> None:
    """l1 > 0 with newton or lbfgs raises, naming the solver that can do it."""
    from handgrad import LogisticRegression

    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    model = LogisticRegression(l1=0.1, solver=solver)
    with pytest.raises(ValueError, match=r"l1 > 0 needs solver='gd' .* needs a smooth objective"):
        model.fit(X, np.array([0, 1, 1, 0]))
