"""Stratified, seeded train/test split."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v

__all__ = ["train_test_indices", "train_test_split"]


def train_test_indices(
    y: ArrayLike,
    *,
    test_size: float = 0.2,
    random_state: int | None = 0,
    stratify: bool = True,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Row indices ``(train, test)``, each sorted; see :func:`train_test_split`."""
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.shape[0] < 2:
        raise ValueError(f"y must be 1-D with at least 2 labels; got shape {labels.shape}.")
    if not 0.0 < float(test_size) < 1.0:
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1; got {test_size}.")
    rng = np.random.default_rng(random_state)
    groups = [np.flatnonzero(labels == c) for c in np.unique(labels)] if stratify else [
        np.arange(labels.shape[0])
    ]  # fmt: skip
    test_parts = []
    for rows in groups:
        k = round(test_size * rows.size)
        if rows.size >= 2:
            k = min(max(k, 1), rows.size - 1)
        test_parts.append(rng.permutation(rows)[:k])
    test = np.sort(np.concatenate(test_parts))
    train = np.setdiff1d(np.arange(labels.shape[0]), test)
    if train.size == 0 or test.size == 0:
        raise ValueError(
            f"test_size={test_size} leaves an empty train or test set for {labels.shape[0]} rows."
        )
    return train, test


def train_test_split(
    X: ArrayLike,
    y: ArrayLike,
    *,
    test_size: float = 0.2,
    random_state: int | None = 0,
    stratify: bool = True,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Split rows into train and test sets, keeping each class's share in both.

    Each class contributes ``round(test_size · n_class)`` rows to the test set (at least one
    when the class has two or more rows), chosen by a generator seeded with
    ``random_state``, so the same seed always gives the same split.

    Returns
    -------
    X_train, X_test, y_train, y_test

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4)
    >>> X_train.shape, X_test.shape, int(y_test.sum())
    ((6, 2), (4, 2), 2)
    """
    X_ = np.asarray(X)
    if X_.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {X_.shape}.")
    labels = v.check_labels(y, X_.shape[0])
    train, test = train_test_indices(
        labels, test_size=test_size, random_state=random_state, stratify=stratify
    )
    return X_[train], X_[test], labels[train], labels[test]
