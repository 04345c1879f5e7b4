"""The per-sample table of seed section 7.2 and model evaluation on labelled rows."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import load_breast_cancer
from handgrad.evaluation import evaluate, per_sample_table
from handgrad.workflow import train_and_evaluate


def test_table_fields_and_order() -> None:
    """Borderline rows come first (nearest the threshold first), then mistakes, then the rest."""
    y = [0, 1, 1, 0, 0, 1]
    p = [0.05, 0.45, 0.02, 0.58, 0.9, 0.99]
    table = per_sample_table(y, p, threshold=0.5, margin=0.1, class_names=["neg", "pos"])
    assert [r.row for r in table] == [1, 3, 2, 4, 0, 5]
    assert [r.borderline for r in table] == [True, True, False, False, False, False]
    assert [r.correct for r in table] == [False, False, False, False, True, True]
    first = table[0]
    assert (first.proba, first.predicted, first.true) == (0.45, "neg", "pos")
    assert [r.row for r in table[2:4]] == [2, 4]  # most confident mistake (p = 0.02) first


def test_threshold_moves_labels_and_borderline() -> None:
    """A threshold of 0.9 calls p = 0.85 negative and borderline; p ≥ threshold is positive."""
    table = per_sample_table([1, 1], [0.85, 0.9], threshold=0.9, margin=0.06)
    by_row = {r.row: r for r in table}
    assert by_row[0].predicted == "0"
    assert by_row[0].borderline
    assert by_row[1].predicted == "1"
    assert by_row[1].borderline


def test_table_uses_given_row_numbers() -> None:
    """Rows carry the numbers the caller gives (their place in the data set)."""
    table = per_sample_table([0, 1], [0.1, 0.9], rows=[40, 7])
    assert sorted(r.row for r in table) == [7, 40]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [({"y_true": [0, 2], "proba": [0.1, 0.2]}, r"y_true must hold only 0 and 1; found \[0, 2\]"),
     ({"y_true": [0, 1], "proba": [0.1]}, "must be 1-D of the same length"),
     ({"y_true": [0], "proba": [0.1], "margin": -1}, "margin must be a number in"),
     ({"y_true": [0], "proba": [0.1], "threshold": 2}, "threshold must be a number in")],
)  # fmt: skip
def test_table_bad_input(kwargs: dict, pattern: str) -> None:
    """Bad labels, lengths, margins and thresholds are refused with what was found."""
    with pytest.raises(ValueError, match=pattern):
        per_sample_table(**kwargs)


def test_evaluate_matches_the_training_run() -> None:
    """Evaluating a trained model on its test rows repeats the metrics recorded at training."""
    data = load_breast_cancer()
    trained = train_and_evaluate(data, l2=0.01, learning_rate=0.5, max_iter=5000, tol=1e-5)
    test = np.asarray(trained.evaluation["test_index"])
    ev = evaluate(trained, data.X[test], data.y[test], rows=test)
    assert ev.metrics == trained.evaluation["metrics"]
    np.testing.assert_array_equal(ev.proba, trained.evaluation["proba"])
    np.testing.assert_allclose(1 / (1 + np.exp(-ev.z)), ev.proba, rtol=1e-12)
    assert sorted(r.row for r in ev.table()) == sorted(test.tolist())
