"""A model file's test-set results: operating points at any threshold, real example cases."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from handgrad import load_breast_cancer
from handgrad.testset import example_cases, operating_point


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    """The bundled data the default model was trained and tested on."""
    return load_breast_cancer()


@pytest.mark.parametrize("threshold", [0.0, 0.1, 0.3, 0.5, 0.9, 1.0])
def test_operating_point_counts_the_test_set(default_model, threshold) -> None:
    """Sensitivity and specificity are the test-set shares called correctly at the threshold."""
    y = np.asarray(default_model.evaluation["y_true"])
    p = np.asarray(default_model.evaluation["proba"])
    called = p >= threshold
    op = operating_point(default_model, threshold)
    assert (op.tp, op.fn) == (int((called & (y == 1)).sum()), int((~called & (y == 1)).sum()))
    assert (op.tn, op.fp) == (int((~called & (y == 0)).sum()), int((called & (y == 0)).sum()))
    assert op.sensitivity == op.tp / (y == 1).sum()
    assert op.specificity == op.tn / (y == 0).sum()


def test_operating_point_at_the_model_threshold_matches_its_report(default_model) -> None:
    """At the model's threshold the counts equal the confusion matrix in the model file."""
    op = operating_point(default_model, default_model.threshold)
    cm = default_model.evaluation["metrics"]["confusion_matrix"]
    assert [[op.tn, op.fp], [op.fn, op.tp]] == cm


def test_operating_point_rejects_a_bad_threshold(default_model) -> None:
    """A threshold outside [0, 1] or NaN is refused with the accepted range."""
    for bad in (1.5, -0.1, float("nan")):
        with pytest.raises(ValueError, match=r"threshold must be a number in \[0, 1\]"):
            operating_point(default_model, bad)


def test_operating_point_needs_test_results(default_model) -> None:
    """A model file without test results says what it lacks."""
    model = dataclasses.replace(default_model, evaluation={})
    with pytest.raises(ValueError, match="holds no test-set results"):
        operating_point(model, 0.5)


def test_cases_are_real_test_rows_of_the_right_kind(default_model, data) -> None:
    """Typical cases are correctly classified test rows of their class; borderline is the
    test row closest to the threshold."""
    cases = {c.key: c for c in example_cases(default_model, data.X)}
    assert list(cases) == ["typical benign", "typical malignant", "borderline"]
    test_index = default_model.evaluation["test_index"]
    p_test = np.asarray(default_model.evaluation["proba"])
    for case in cases.values():
        assert case.row in test_index
        assert case.values == data.X[case.row].tolist()
        assert case.probability == default_model.positive_proba(data.X[[case.row]])[0]
        assert case.true_label == data.target_names[int(data.y[case.row])]
    assert cases["typical benign"].true_label == "benign"
    assert cases["typical benign"].probability < 0.5
    assert cases["typical malignant"].true_label == "malignant"
    assert cases["typical malignant"].probability >= 0.5
    gap = abs(cases["borderline"].probability - 0.5)
    assert gap == np.min(np.abs(p_test - 0.5))


def test_cases_refuse_data_that_does_not_fit(default_model, data) -> None:
    """Data with too few rows or the wrong columns for the model's test_index is refused."""
    with pytest.raises(ValueError, match="does not fit the data given"):
        example_cases(default_model, data.X[:100])
    with pytest.raises(ValueError, match="X has 29 features"):
        example_cases(default_model, data.X[:, :29])
