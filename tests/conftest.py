"""Shared fixtures."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import StandardScaler, load_breast_cancer, train_test_split


@pytest.fixture(scope="session")
def breast_cancer_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The seed's split: standardized (on train statistics) 80/20, stratified, seed 0."""
    data = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=0.2, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, fresh for each test."""
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def default_model():  # type: ignore[no-untyped-def]
    """The default model on the bundled data (what ``handgrad serve`` trains), built once."""
    import warnings

    from handgrad.exceptions import ConvergenceWarning
    from handgrad.workflow import train_and_evaluate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the seed's 1000 epochs stop early
        return train_and_evaluate(load_breast_cancer())
