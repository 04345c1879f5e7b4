"""SoftmaxRegression passes scikit-learn's estimator checks, except the ones listed with reasons."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest

from handgrad import ConvergenceWarning
from handgrad.softmax import SoftmaxRegression

sklearn_checks = pytest.importorskip("sklearn.utils.estimator_checks")

# handgrad's estimators follow scikit-learn's conventions without depending on it, which
# sklearn announces with a UserWarning at collection; nothing else is silenced here.
_NOT_SKLEARN = "Estimator SoftmaxRegression does not inherit from `sklearn.base.BaseEstimator`"

EXPECTED_FAILURES = {
    "check_estimators_unfitted": (
        "raises handgrad.NotFittedError (a ValueError and AttributeError, like sklearn's) "
        "rather than sklearn's own class: the core does not import scikit-learn"
    ),
    "check_n_features_in_after_fitting": (
        "the feature-count message uses handgrad's wording ('X has 3 features, but this "
        "SoftmaxRegression was fitted with 4.'), not sklearn's literal 'is expecting'"
    ),
    "check_dtype_object": (
        "a non-numeric value in X raises ValueError, handgrad's one error type for bad input, "
        "where sklearn expects TypeError"
    ),
    "check_supervised_y_2d": (
        "y of shape (n, 1) is ravelled silently; sklearn's DataConversionWarning would need "
        "scikit-learn in the core"
    ),
}

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=_NOT_SKLEARN, category=UserWarning)
    _checks = sklearn_checks.parametrize_with_checks(
        [SoftmaxRegression()], expected_failed_checks=lambda _: EXPECTED_FAILURES
    )


@_checks
def test_sklearn_estimator_checks(estimator: SoftmaxRegression, check: Callable) -> None:
    """Each sklearn API check passes (ConvergenceWarning on its tiny unscaled data is expected)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_NOT_SKLEARN, category=UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
