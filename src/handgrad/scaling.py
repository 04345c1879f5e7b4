"""Standardization ``x ← (x − μ)/σ``, column by column, fitted on the training rows only."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.base import BaseEstimator

__all__ = ["StandardScaler"]

Array = NDArray[np.floating[Any]]


class StandardScaler(BaseEstimator):
    """Center each feature to mean 0 and scale it to standard deviation 1.

    Notes
    -----
    For ``X (n, d)``: ``μ = mean(X, axis=0)``, ``σ = std(X, axis=0)`` (population, ddof=0),
    both ``(d,)``; ``transform(X) = (X − μ) / σ``. A column with σ = 0 (constant in the
    training rows) is only centred: its scale is set to 1 so nothing is divided by zero.

    Attributes
    ----------
    mean_ : ndarray of shape (d,)
    scale_ : ndarray of shape (d,)
        σ, with 1.0 where σ = 0.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> StandardScaler().fit_transform(np.array([[1.0, 5.0], [3.0, 5.0]]))
    array([[-1.,  0.],
           [ 1.,  0.]])
    """

    _estimator_kind = "transformer"

    def __init__(self) -> None:
        pass

    def fit(self, X: ArrayLike, y: object = None) -> StandardScaler:
        """Learn μ and σ from ``X``; ``y`` is ignored."""
        X_ = v.check_array(X)
        self.mean_ = X_.mean(axis=0)  # (d,)
        std = X_.std(axis=0)  # (d,)
        # A constant column has σ = 0; relative to its mean, rounding can leave σ ≈ 1e-17.
        tiny = 10 * np.finfo(X_.dtype).eps * np.maximum(np.abs(self.mean_), 1.0)
        self.scale_ = np.where(std > tiny, std, 1.0)  # (d,)
        self.n_features_in_ = X_.shape[1]
        return self

    def transform(self, X: ArrayLike) -> Array:
        """Return ``(X − μ) / σ``, shape (n, d)."""
        v.check_is_fitted(self, "mean_")
        X_ = v.check_array(X)
        v.check_n_features(X_, self.n_features_in_, type(self).__name__)
        Z: Array = (X_ - self.mean_) / self.scale_  # (n, d) - (d,) -> (n, d)
        return Z

    def fit_transform(self, X: ArrayLike, y: object = None) -> Array:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> Array:
        """Undo the scaling: ``X·σ + μ``."""
        v.check_is_fitted(self, "mean_")
        X_ = v.check_array(X)
        v.check_n_features(X_, self.n_features_in_, type(self).__name__)
        X_raw: Array = X_ * self.scale_ + self.mean_  # (n, d)
        return X_raw
