"""MLPClassifier passes scikit-learn's estimator checks (a few, listed with reasons, excepted)."""

from __future__ import annotations

import warnings

from sklearn.utils.estimator_checks import parametrize_with_checks

from handgrad.exceptions import ConvergenceWarning
from handgrad.mlp import MLPClassifier

# Each is a deliberate project-wide choice shared with LogisticRegression (see _validation.py).
EXPECTED_FAILED = {
    "check_estimators_unfitted": "handgrad raises its own NotFittedError (a ValueError and "
    "AttributeError, as sklearn's is), which sklearn's check does not recognize by class",
    "check_n_features_in_after_fitting": "the message reads 'X has 1 features, but this "
    "MLPClassifier was fitted with 4.', handgrad's wording, not sklearn's",
    "check_dtype_object": "a non-numeric cell in X raises ValueError naming the value, not "
    "TypeError",
    "check_supervised_y_2d": "a column-vector y of shape (n, 1) is accepted and flattened "
    "silently, without sklearn's DataConversionWarning",
}


# handgrad's estimators follow sklearn's conventions without depending on it, so sklearn warns
# that MLPClassifier does not inherit from its BaseEstimator; that one warning is expected.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Estimator MLPClassifier does not inherit", UserWarning)
    checks = parametrize_with_checks(
        [MLPClassifier(hidden_layer_sizes=(16,), max_iter=40, learning_rate=0.01, random_state=0)],
        expected_failed_checks=lambda estimator: EXPECTED_FAILED,
    )


@checks
def test_sklearn_compatible_estimator(estimator, check) -> None:
    """Each of scikit-learn's estimator checks passes for MLPClassifier."""
    with warnings.catch_warnings():
        # The checks fit 40 epochs on small made-up data, often before the patience rule can
        # stop; that ConvergenceWarning is expected and is not what the checks test.
        warnings.filterwarnings(
            "ignore", message="MLPClassifier reached max_iter", category=ConvergenceWarning
        )
        check(estimator)
