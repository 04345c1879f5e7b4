"""LogisticRegression: gradients, invariants, parity with scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import ConvergenceWarning, LogisticRegression, NotFittedError
from handgrad.gradcheck import numerical_gradient, relative_error
from handgrad.logistic import logistic_objective


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_objective_gradient_matches_central_differences(
    rng: np.random.Generator, l2: float
) -> None:
    """∂L/∂w and ∂L/∂b agree with central differences at random non-zero parameters."""
    X = rng.normal(size=(40, 5))
    y = (rng.random(40) < 0.5).astype(float)
    w, b = rng.normal(size=5), np.array([0.7])
    _, dw, db = logistic_objective(w, float(b[0]), X, y, l2)
    loss = lambda: logistic_objective(w, float(b[0]), X, y, l2)[0]  # noqa: E731
    assert relative_error(dw, numerical_gradient(loss, w)) < 1e-7
    assert relative_error(np.array([db]), numerical_gradient(loss, b)) < 1e-7


def test_loss_at_zero_initialization_is_ln2(breast_cancer_split) -> None:
    """The first recorded loss, at w = 0 and b = 0, is ln 2."""
    X_train, _, y_train, _ = breast_cancer_split
    model = LogisticRegression(max_iter=1, tol=0.0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X_train, y_train)
    assert model.loss_history_[0] == pytest.approx(np.log(2), abs=1e-15)


def test_predict_before_fit_raises() -> None:
    """predict before fit raises NotFittedError naming the class."""
    with pytest.raises(NotFittedError, match="This LogisticRegression instance is not fitted"):
        LogisticRegression().predict(np.zeros((1, 3)))


def test_matches_sklearn_with_l2(breast_cancer_split) -> None:
    """With l2 > 0 at convergence, coef_ and intercept_ match sklearn at C = 1/(n·l2)."""
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    X_train, _, y_train, _ = breast_cancer_split
    l2 = 0.05
    ours = LogisticRegression(learning_rate=0.5, max_iter=100_000, tol=1e-11, l2=l2)
    ours.fit(X_train, y_train)
    C = 1.0 / (X_train.shape[0] * l2)
    ref = SkLogisticRegression(C=C, tol=1e-12, max_iter=10_000, solver="newton-cholesky")
    ref.fit(X_train, y_train)
    np.testing.assert_allclose(ours.coef_, ref.coef_.ravel(), rtol=1e-6, atol=1e-9)
    assert ours.intercept_ == pytest.approx(ref.intercept_[0], rel=1e-6)
    ours_obj = logistic_objective(ours.coef_, ours.intercept_, X_train, y_train, l2)[0]
    ref_obj = logistic_objective(ref.coef_.ravel(), ref.intercept_[0], X_train, y_train, l2)[0]
    assert ours_obj == pytest.approx(ref_obj, rel=1e-12)
