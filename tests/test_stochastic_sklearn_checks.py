"""The linear models with solver="sgd"/"adam" pass scikit-learn's estimator checks too.

The same expected failures as with the default solver (tests/test_estimator_checks.py and
tests/test_softmax_sklearn_checks.py say why); the mini-batch path changes none of them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest

from handgrad import ConvergenceWarning, LogisticRegression
from handgrad.softmax import SoftmaxRegression

sklearn_checks = pytest.importorskip("sklearn.utils.estimator_checks")

_NOT_SKLEARN = "Estimator .* does not inherit from `sklearn.base.BaseEstimator`"

EXPECTED_FAILURES = {
    "check_estimators_unfitted": "handgrad's NotFittedError is not sklearn's class",
    "check_n_features_in_after_fitting": "handgrad's wording of the feature-count message",
    "check_dtype_object": "a non-numeric X raises ValueError, not TypeError",
    "check_supervised_y_2d": "y of shape (n, 1) is ravelled without DataConversionWarning",
}

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=_NOT_SKLEARN, category=UserWarning)
    _checks = sklearn_checks.parametrize_with_checks(
        [
            LogisticRegression(solver="sgd", random_state=0),
            LogisticRegression(solver="adam", early_stopping=True, random_state=0),
            SoftmaxRegression(solver="sgd", momentum=0.9, random_state=0),
            SoftmaxRegression(solver="adam", early_stopping=True, random_state=0),
        ],
        expected_failed_checks=lambda _: EXPECTED_FAILURES,
    )


@_checks
def test_sklearn_estimator_checks(estimator: Any, check: Callable) -> None:
    """Each sklearn API check passes with the mini-batch solvers (ConvergenceWarning allowed)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_NOT_SKLEARN, category=UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
