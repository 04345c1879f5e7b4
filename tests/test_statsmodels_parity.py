"""Unpenalized maximum likelihood agrees with statsmodels' Logit to the last digits."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from handgrad import LogisticRegression, StandardScaler, load_breast_cancer
from handgrad.logistic import logistic_objective


def _overlapping_problem(seed: int, n: int = 400, d: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    z = X @ rng.normal(size=d) + 0.3
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-z))).astype(np.int64)  # labels drawn, not split
    return X, y


def _breast_cancer_three_features() -> tuple[np.ndarray, np.ndarray]:
    data = load_breast_cancer()
    columns = [data.feature_names.index(n) for n in ("mean_texture", "mean_smoothness",
                                                      "mean_symmetry")]  # fmt: skip
    return StandardScaler().fit_transform(data.X[:, columns]), data.y


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
@pytest.mark.parametrize("problem", ["synthetic-0", "synthetic-1", "breast-cancer-3"])
def test_mle_matches_statsmodels_logit(problem: str, solver: str) -> None:
    """coef_, intercept_ and the log-likelihood equal statsmodels' Logit MLE (l2 = 0)."""
    if problem == "breast-cancer-3":
        X, y = _breast_cancer_three_features()
    else:
        X, y = _overlapping_problem(int(problem[-1]))
    ours = LogisticRegression(solver=solver, l2=0.0, tol=1e-11, max_iter=500).fit(X, y)
    ref = sm.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    np.testing.assert_allclose(ours.coef_, ref.params[1:], rtol=1e-8, atol=1e-10)
    assert ours.intercept_ == pytest.approx(ref.params[0], rel=1e-8, abs=1e-10)
    mean_loss = logistic_objective(ours.coef_, ours.intercept_, X, y.astype(float))[0]
    assert -X.shape[0] * mean_loss == pytest.approx(ref.llf, rel=1e-12)
