"""scikit-learn's own estimator checks, run on LogisticRegression and StandardScaler."""

from __future__ import annotations

import warnings

from sklearn.utils.estimator_checks import parametrize_with_checks

from handgrad import ConvergenceWarning, LogisticRegression, StandardScaler

# handgrad's estimators do not inherit from sklearn.base.BaseEstimator on purpose (the core
# needs NumPy only); scikit-learn says so once, when the checks are collected.
NOT_SKLEARN_SUBCLASS = "Estimator .* does not inherit from `sklearn.base.BaseEstimator`"

# Checks that fail by design, each with the reason.
SHARED = {
    "check_n_features_in_after_fitting": (
        "the message reads 'X has 1 features, but this LogisticRegression was fitted with 4.' "
        "(handgrad's what/expected/found wording), not scikit-learn's '... is expecting 4 "
        "features as input'"
    ),
    "check_dtype_object": (
        "X holding a dict raises handgrad's ValueError ('X must contain only numbers'), "
        "where the check wants the TypeError of np.asarray"
    ),
}
EXPECTED_FAILURES = {
    "LogisticRegression": {
        **SHARED,
        "check_estimators_unfitted": (
            "handgrad raises its own NotFittedError (a ValueError and AttributeError, like "
            "scikit-learn's), which cannot subclass scikit-learn's without importing it in "
            "the NumPy-only core"
        ),
        "check_supervised_y_2d": (
            "a column-vector y of shape (n, 1) is accepted and flattened without scikit-learn's "
            "DataConversionWarning, a class the NumPy-only core cannot raise"
        ),
    },
    "StandardScaler": {
        **SHARED,
        "check_estimator_sparse_array": (
            "the check special-cases any estimator named StandardScaler and calls "
            "set_params(with_mean=False), a parameter this scaler does not have"
        ),
        "check_estimator_sparse_matrix": "as check_estimator_sparse_array",
    },
}

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=NOT_SKLEARN_SUBCLASS, category=UserWarning)
    _checks = parametrize_with_checks(
        [LogisticRegression(), StandardScaler()],
        expected_failed_checks=lambda estimator: EXPECTED_FAILURES[type(estimator).__name__],
    )


@_checks
def test_sklearn_estimator_checks(estimator, check) -> None:
    """Each scikit-learn estimator check passes, or fails only for its listed reason."""
    with warnings.catch_warnings():
        # The checks fit with the default max_iter on data that is not always separable
        # enough to converge; that warning is expected and not what the checks test.
        warnings.filterwarnings(
            "ignore", message="gradient descent stopped at max_iter", category=ConvergenceWarning
        )
        check(estimator)
