"""The seed's whole job as one call: split, standardize, fit, evaluate on the test set.

Used by ``handgrad train``, ``handgrad serve`` and anyone who wants the same result from Python.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from handgrad import _validation as v
from handgrad.datasets import Dataset
from handgrad.logistic import LogisticRegression
from handgrad.metrics import binary_report
from handgrad.scaling import StandardScaler
from handgrad.split import train_test_indices
from handgrad.trained import TrainedModel

__all__ = ["DEFAULT_MODEL_PARAMS", "train_and_evaluate"]

# The seed's settings: batch gradient descent from zero, a few hundred to a thousand epochs.
DEFAULT_MODEL_PARAMS: dict[str, Any] = {"learning_rate": 0.1, "max_iter": 1000}


def train_and_evaluate(
    data: Dataset,
    *,
    test_size: float = 0.2,
    random_state: int = 0,
    threshold: float = 0.5,
    callback: Callable[[int, float], None] | None = None,
    source: str = "bundled:breast_cancer",
    **model_params: Any,
) -> TrainedModel:
    """Split ``data`` (stratified, seeded), fit scaler and model on the training rows, and
    evaluate on the test rows.

    ``data.y`` must be 0/1 with 1 = ``data.target_names[1]``. ``model_params`` go to
    :class:`LogisticRegression` (defaults: :data:`DEFAULT_MODEL_PARAMS`). The returned model's
    ``evaluation`` holds the test metrics, the test row indices, their labels and predicted
    probabilities; ``training`` holds every setting needed to repeat the run.
    """
    threshold = v.check_probability(threshold, "threshold")
    params = {**DEFAULT_MODEL_PARAMS, **model_params}
    y = np.asarray(data.y)
    train, test = train_test_indices(y, test_size=test_size, random_state=random_state)
    scaler = StandardScaler().fit(data.X[train])
    X_train, X_test = scaler.transform(data.X[train]), scaler.transform(data.X[test])
    model = LogisticRegression(**params)
    model.fit(X_train, y[train], eval_set=(X_test, y[test]), callback=callback)
    proba = model.predict_proba(X_test)[:, 1]  # (n_test,)
    ranges = {
        name: [float(lo), float(hi)]
        for name, lo, hi in zip(
            data.feature_names, data.X[train].min(axis=0), data.X[train].max(axis=0), strict=True
        )
    }
    return TrainedModel(
        model=model,
        scaler=scaler,
        feature_names=list(data.feature_names),
        class_names=list(data.target_names),
        threshold=threshold,
        feature_ranges=ranges,
        training={
            "source": source,
            "test_size": test_size,
            "random_state": random_state,
            "n_train": int(train.size),
            "n_test": int(test.size),
            "standardize": True,
            "model_params": model.get_params(),
        },
        evaluation={
            "metrics": binary_report(y[test], proba, threshold=threshold),
            "test_index": test.tolist(),
            "y_true": y[test].astype(int).tolist(),
            "proba": proba.tolist(),
        },
    )
