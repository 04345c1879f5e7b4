"""Input checks for the public entry points.

Every message has one shape: what was wrong, what was expected, what was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad.exceptions import NotFittedError

FloatArray = NDArray[np.floating[Any]]


def _where(mask: NDArray[np.bool_], feature_names: Sequence[str] | None) -> str:
    """Describe the first offending cell of a 2-D mask and how many there are."""
    rows, cols = np.nonzero(mask)
    col = int(cols[0])
    column = f"column {feature_names[col]!r}" if feature_names is not None else f"column {col}"
    return f"row {int(rows[0])}, {column} ({len(rows)} value(s) in all)"


def _all_finite(A: FloatArray) -> bool:
    """True if every entry is finite, in one read of ``A`` and without an (n, d) temporary.

    A sum is finite exactly when no entry is inf or NaN, unless finite entries overflow it;
    only then is every entry tested (which allocates a boolean mask the size of ``A``).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = A.sum()  # inf/NaN propagate; inf − inf gives NaN
    return bool(np.isfinite(total)) or bool(np.isfinite(A).all())


def check_array(
    X: ArrayLike,
    *,
    name: str = "X",
    feature_names: Sequence[str] | None = None,
    min_samples: int = 1,
) -> FloatArray:
    """Return ``X`` as a finite 2-D float array, or raise a ``ValueError`` that says why not.

    A float32 or float64 ndarray is returned as it is (never copied, whatever its memory
    order); integers and booleans become float64.
    """
    if type(X).__module__.startswith("scipy.sparse"):
        raise ValueError(
            f"Sparse data was passed for {name}, but dense data is required; "
            f"got a {type(X).__name__}. Convert it with {name}.toarray()."
        )
    if hasattr(X, "dtype") and np.issubdtype(np.asarray(X).dtype, np.complexfloating):
        raise ValueError(f"Complex data not supported: {name} must be real numbers.")
    try:
        A = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a 2-D array of numbers; got {type(X).__name__}: {exc}"
        ) from None
    if np.issubdtype(A.dtype, np.complexfloating):
        raise ValueError(f"Complex data not supported: {name} must be real numbers.")
    if A.dtype not in (np.float32, np.float64):
        try:
            A = A.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{name} must contain only numbers; found a value that is not: {exc}"
            ) from None
    if A.ndim != 2:
        hint = (
            " Reshape your data with X.reshape(-1, 1) for a single feature"
            " or X.reshape(1, -1) for a single sample."
            if A.ndim == 1
            else ""
        )
        raise ValueError(f"Expected a 2-D array for {name}, got a {A.ndim}-D array instead.{hint}")
    n, d = A.shape
    if n < min_samples:
        raise ValueError(
            f"{name} has {n} sample(s) (shape={A.shape}) while a minimum of {min_samples} "
            "is required."
        )
    if d < 1:
        raise ValueError(
            f"{name} has 0 feature(s) (shape=({n}, 0)) while a minimum of 1 is required."
        )
    if not _all_finite(A):
        nan = np.isnan(A)
        if nan.any():
            raise ValueError(
                f"{name} contains NaN at {_where(nan, feature_names)}; expected finite numbers."
            )
        raise ValueError(
            f"{name} contains inf at {_where(np.isinf(A), feature_names)}; expected finite numbers."
        )
    return A


def check_labels(y: ArrayLike, n_samples: int, *, name: str = "y") -> NDArray[Any]:
    """Return ``y`` as a 1-D array of ``n_samples`` labels, or raise a ``ValueError``."""
    if y is None:
        raise ValueError(
            f"this estimator requires y to be passed, but the target {name} is None; "
            "expected an array of labels."
        )
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of labels; got an array of shape {labels.shape}."
        )
    if labels.shape[0] != n_samples:
        raise ValueError(
            f"X and {name} must have the same number of samples; X has {n_samples}, "
            f"{name} has {labels.shape[0]}."
        )
    if labels.dtype.kind == "f" and not np.isfinite(labels).all():
        raise ValueError(f"{name} contains NaN or inf; expected a class label in every row.")
    if labels.dtype.kind == "O":
        kinds = {type(v) for v in labels}
        if len(kinds) > 1:
            found = ", ".join(sorted(k.__name__ for k in kinds))
            raise ValueError(f"{name} mixes label types ({found}); expected one type.")
    return labels


def encode_binary(y: NDArray[Any], estimator: str) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """Return ``(classes, y01)``: the two sorted labels and ``y`` coded 0/1 (1 = ``classes[1]``)."""
    if y.dtype.kind in "biuf" and y.shape[0] > 0:  # numbers: two passes, no sort
        low, high = y.min(), y.max()
        is_high = y == high  # (n,)
        if low != high and np.count_nonzero(is_high) + np.count_nonzero(y == low) == y.shape[0]:
            return np.array([low, high], dtype=y.dtype), is_high.astype(np.float64)
    classes, y01 = np.unique(y, return_inverse=True)
    if classes.shape[0] != 2:
        why = ""
        if classes.shape[0] > 2:
            continuous = y.dtype.kind == "f" and bool(np.any(classes != np.round(classes)))
            why = (
                "Unknown label type: y looks continuous (non-integer floats). "
                if continuous
                else "Only binary classification is supported. "
            )
        shown = ", ".join(repr(c.item() if hasattr(c, "item") else c) for c in classes[:5])
        more = ", ..." if classes.shape[0] > 5 else ""
        raise ValueError(
            f"{why}{estimator} needs exactly 2 classes in y; got {classes.shape[0]} class(es): "
            f"[{shown}{more}]."
        )
    return classes, y01.astype(np.float64)


def encode_multiclass(
    y: ArrayLike, n_samples: int, estimator: str
) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Return ``(classes, codes)``: the sorted labels (at least 2) and ``y`` as indices into them.

    Refuses a missing y, and float labels that are not whole numbers (a regression target).
    """
    if y is None:
        raise ValueError(
            f"{estimator} requires y to be passed, but the target y is None; "
            "expected an array of class labels."
        )
    labels = check_labels(y, n_samples)
    if labels.dtype.kind == "f" and np.any(labels != np.round(labels)):
        example = labels[labels != np.round(labels)][0].item()
        raise ValueError(
            f"y has continuous values (e.g. {example!r}); expected class labels (integers, "
            f"strings, ...). {estimator} is a classifier, not a regressor."
        )
    classes, codes = np.unique(labels, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            f"{estimator} needs at least 2 classes in y; got 1 class: {classes.tolist()}."
        )
    return classes, codes.astype(np.intp)


def encode_known(labels: NDArray[Any], classes: NDArray[Any]) -> NDArray[np.intp]:
    """``labels`` as positions in the fitted, sorted ``classes``; refuses a label never seen."""
    unknown = np.setdiff1d(labels, classes)
    if unknown.size:
        raise ValueError(
            f"y contains labels {unknown.tolist()[:5]} that were not seen in training; "
            f"expected only {classes.tolist()}."
        )
    codes: NDArray[np.intp] = np.searchsorted(classes, labels)  # (n,)
    return codes


def check_n_features(X: FloatArray, n_features: int, estimator: str) -> None:
    """Raise if ``X`` does not have the number of columns the estimator was fitted with."""
    if X.shape[1] != n_features:
        raise ValueError(
            f"X has {X.shape[1]} features, but this {estimator} was fitted with {n_features}."
        )


def check_is_fitted(estimator: object, attribute: str) -> None:
    """Raise ``NotFittedError`` if ``fit`` has not set ``attribute`` yet."""
    if not hasattr(estimator, attribute):
        name = type(estimator).__name__
        raise NotFittedError(
            f"This {name} instance is not fitted yet; call 'fit' with appropriate arguments "
            "before using this estimator."
        )


def check_positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is positive (or zero when allowed), else raise."""
    bound = ">= 0" if allow_zero else "> 0"
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number {bound}; got {value!r}.") from None
    if not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be a finite number {bound}; got {value!r}.")
    return number


def check_int(value: int, name: str, *, minimum: int) -> int:
    """Return ``value`` if it is an integer of at least ``minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}.")
    return int(value)


def check_probability(value: float, name: str) -> float:
    """Return ``value`` as a float if it lies in [0, 1], else raise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1]; got {value!r}.") from None
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be a number in [0, 1]; got {value!r}.")
    return number
