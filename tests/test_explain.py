"""Explaining one prediction: exact log-odds terms, range checks, operating points, cases."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from handgrad import load_breast_cancer
from handgrad.activations import sigmoid
from handgrad.explain import (
    explain,
    input_limits,
    is_borderline,
    out_of_training_range,
    outside_input_limits,
    outside_training_range,
)


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    """The bundled data the default model was trained and tested on."""
    return load_breast_cancer()


def test_terms_and_intercept_sum_to_the_logit(default_model, data) -> None:
    """intercept + Σ w_j·x̃_j equals the model's own decision function, and σ of it is p."""
    x = data.X[7]
    e = explain(default_model, x)
    z = default_model.model.decision_function(default_model.scaler.transform(x[None, :]))[0]
    total = e.intercept + sum(c.contribution for c in e.contributions)
    np.testing.assert_allclose([total, e.logit], [z, z], rtol=1e-12)
    np.testing.assert_allclose(e.probability, sigmoid(np.array([z]))[0], rtol=1e-12)


def test_probability_is_the_library_prediction(default_model, data) -> None:
    """explain's probability is exactly TrainedModel.positive_proba for the same row."""
    for i in (0, 19, 300):
        assert (
            explain(default_model, data.X[i]).probability
            == (default_model.positive_proba(data.X[i : i + 1])[0])
        )


def test_terms_are_w_times_standardized_input_largest_first(default_model, data) -> None:
    """Each term is w_j·(x_j − mean_j)/scale_j, and the list is sorted by |term|, descending."""
    x = data.X[42]
    e = explain(default_model, x)
    sizes = [abs(c.contribution) for c in e.contributions]
    assert sizes == sorted(sizes, reverse=True)
    assert sorted(c.name for c in e.contributions) == sorted(default_model.feature_names)
    j = default_model.feature_names.index("worst_texture")
    expected = (
        default_model.model.coef_[j]
        * (x[j] - default_model.scaler.mean_[j])
        / default_model.scaler.scale_[j]
    )
    term = next(c for c in e.contributions if c.name == "worst_texture")
    np.testing.assert_allclose(term.contribution, expected, rtol=1e-12)
    assert term.value == x[j]


def test_label_follows_the_threshold(default_model, data) -> None:
    """The label is positive exactly when p ≥ threshold, and a threshold at p counts as positive."""
    x = data.X[238]
    p = explain(default_model, x).probability
    assert explain(default_model, x, threshold=p).label == "malignant"
    assert explain(default_model, x, threshold=min(1.0, p + 1e-9)).label == "benign"
    assert explain(default_model, x, threshold=0.0).label == "malignant"


def test_borderline_is_within_the_margin() -> None:
    """A probability strictly within 0.10 of the threshold is borderline; 0.10 away is not."""
    assert is_borderline(0.55, 0.5)
    assert is_borderline(0.45, 0.5)
    assert not is_borderline(0.75, 0.5)
    assert not is_borderline(0.25, 0.5, margin=0.25)
    assert is_borderline(0.26, 0.5, margin=0.25)


def test_out_of_range_names_each_feature_with_its_bounds(default_model, data) -> None:
    """Inputs above the training max or below the min are reported with the training bounds."""
    x = data.X[0].copy()
    lo_r, hi_r = default_model.feature_ranges["mean_radius"]
    lo_a, _ = default_model.feature_ranges["worst_area"]
    x[0] = hi_r + 1.0
    x[data.feature_names.index("worst_area")] = lo_a - 1.0
    found = out_of_training_range(default_model, x)
    assert [(o.name, o.value, o.low, o.high) for o in found] == [
        ("mean_radius", hi_r + 1.0, lo_r, hi_r),
        ("worst_area", lo_a - 1.0, lo_a, default_model.feature_ranges["worst_area"][1]),
    ]
    assert explain(default_model, x).out_of_range == found


def test_training_rows_are_never_out_of_range(default_model, data) -> None:
    """Every training row lies inside the ranges the model file records, bounds included."""
    train = np.setdiff1d(np.arange(len(data.y)), default_model.evaluation["test_index"])
    mask = outside_training_range(default_model, data.X[train])
    assert mask.shape == (train.size, 30)
    assert not mask.any()


def test_features_without_a_range_are_not_checked(default_model, data) -> None:
    """A model file without a range for a feature never flags that feature."""
    ranges = dict(default_model.feature_ranges)
    del ranges["mean_radius"]
    model = dataclasses.replace(default_model, feature_ranges=ranges)
    x = data.X[0].copy()
    x[0] = 1e6
    assert out_of_training_range(model, x) == []


def test_explain_refuses_bad_rows(default_model, data) -> None:
    """Wrong length, text and NaN get the library's messages, not a NumPy traceback."""
    with pytest.raises(ValueError, match="expected 30 values, one per feature; got 29"):
        explain(default_model, data.X[0, :29])
    with pytest.raises(ValueError, match="must contain only numbers"):
        explain(default_model, ["abc", *data.X[0, 1:].tolist()])
    x = data.X[0].copy()
    x[3] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        explain(default_model, x)
    with pytest.raises(ValueError, match="expected one row"):
        explain(default_model, data.X[:2])


def test_input_limits_contain_the_training_range(default_model) -> None:
    """Each sane limit contains the training range; never-negative features start at 0."""
    limits = input_limits(default_model)
    assert set(limits) == set(default_model.feature_names)
    for name, (low, high) in limits.items():
        lo, hi = default_model.feature_ranges[name]
        assert low == 0.0
        assert high == hi + (hi - lo)


def test_input_limits_for_signed_and_constant_features(default_model) -> None:
    """A feature seen negative gets a span below its minimum; a constant one a span of |hi|."""
    model = dataclasses.replace(
        default_model, feature_ranges={"mean_radius": [-2.0, 3.0], "mean_texture": [4.0, 4.0]}
    )
    limits = input_limits(model)
    assert limits == {"mean_radius": (-7.0, 8.0), "mean_texture": (0.0, 8.0)}


def test_outside_input_limits_flags_impossible_values(default_model, data) -> None:
    """Values beyond the sane limits are reported with the limits; in-range values are not."""
    limits = input_limits(default_model)
    x = data.X[0].copy()
    assert outside_input_limits(default_model, x) == []
    x[0] = -1.0
    x[3] = limits["mean_area"][1] * 2
    found = outside_input_limits(default_model, x)
    assert [(o.name, o.value, o.low, o.high) for o in found] == [
        ("mean_radius", -1.0, *limits["mean_radius"]),
        ("mean_area", limits["mean_area"][1] * 2, *limits["mean_area"]),
    ]
