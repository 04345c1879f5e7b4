"""Metrics agree with scikit-learn's on the same predictions."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import metrics


@pytest.fixture
def scored(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """200 labels and noisy probabilities with ties."""
    y = (rng.random(200) < 0.4).astype(int)
    p = np.clip(np.round(0.5 * y + 0.6 * rng.random(200) - 0.05, 2), 0, 1)
    return y, p


def test_metrics_match_sklearn(scored) -> None:
    """Accuracy, precision, recall, F1, confusion matrix, ROC AUC and log loss match sklearn."""
    from sklearn import metrics as sk

    y, p = scored
    pred = (p >= 0.5).astype(int)
    report = metrics.binary_report(y, p)
    assert report["accuracy"] == pytest.approx(sk.accuracy_score(y, pred), abs=1e-15)
    assert report["precision"] == pytest.approx(sk.precision_score(y, pred), abs=1e-15)
    assert report["recall"] == pytest.approx(sk.recall_score(y, pred), abs=1e-15)
    assert report["specificity"] == pytest.approx(sk.recall_score(1 - y, 1 - pred), abs=1e-15)
    assert report["f1"] == pytest.approx(sk.f1_score(y, pred), abs=1e-15)
    assert report["confusion_matrix"] == sk.confusion_matrix(y, pred).tolist()
    assert report["roc_auc"] == pytest.approx(sk.roc_auc_score(y, p), rel=1e-12)
    assert report["log_loss"] == pytest.approx(sk.log_loss(y, p), rel=1e-12)


def test_roc_curve_matches_sklearn(scored) -> None:
    """The ROC points are scikit-learn's (without dropping collinear points)."""
    from sklearn.metrics import roc_curve

    y, p = scored
    fpr, tpr, _ = metrics.roc_curve(y, p)
    ref_fpr, ref_tpr, _ = roc_curve(y, p, drop_intermediate=False)
    np.testing.assert_allclose(fpr, ref_fpr)
    np.testing.assert_allclose(tpr, ref_tpr)
