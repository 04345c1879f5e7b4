"""Read a CSV of numeric features and one label column into arrays, with clear errors."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Dataset", "read_csv"]


@dataclass(frozen=True)
class Dataset:
    """Features, labels and their names.

    Attributes
    ----------
    X : ndarray of shape (n, d), float64
    y : ndarray of shape (n,)
        0/1 when a positive label was given (1 = positive), else the labels as read.
    feature_names : list of str, length d
    target_names : list of str
        ``[negative, positive]`` label names when y is 0/1.
    description : str
    """

    X: NDArray[np.float64]
    y: NDArray[Any]
    feature_names: list[str]
    target_names: list[str] = field(default_factory=list)
    description: str = ""


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except FileNotFoundError:
        raise ValueError(f"CSV file {str(path)!r} does not exist.") from None
    except IsADirectoryError:
        raise ValueError(f"{str(path)!r} is a directory; expected a CSV file.") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{str(path)!r} is not a UTF-8 text CSV file ({exc.reason}).") from None
    except csv.Error as exc:
        raise ValueError(f"{str(path)!r} is not a valid CSV file: {exc}.") from None
    if not rows:
        raise ValueError(f"CSV file {str(path)!r} is empty; expected a header row and data rows.")
    header = [name.strip() for name in rows[0]]
    if len(rows) == 1:
        raise ValueError(f"CSV file {str(path)!r} has a header but no data rows.")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(
                f"line {number} of {str(path)!r} has {len(row)} fields; expected {len(header)} "
                "like the header."
            )
    return header, rows[1:]


def parse_numeric_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], columns: Sequence[str], source: str
) -> NDArray[np.float64]:
    """Convert the named columns to a float64 matrix, naming the first bad cell."""
    index = {name: i for i, name in enumerate(header)}
    X = np.empty((len(rows), len(columns)), dtype=np.float64)
    for j, name in enumerate(columns):
        i = index[name]
        for r, row in enumerate(rows):
            text = row[i].strip()
            try:
                X[r, j] = float(text)
            except ValueError:
                raise ValueError(
                    f"column {name!r} of {source} must be numeric, but row {r + 1} holds {text!r}."
                ) from None
            if not np.isfinite(X[r, j]):
                raise ValueError(
                    f"column {name!r} of {source} holds {text!r} at row {r + 1}; "
                    "expected a finite number."
                )
    return X


def read_csv(
    path: str | Path,
    *,
    target: str | None,
    positive: str | None = None,
    feature_names: Sequence[str] | None = None,
) -> Dataset:
    """Read features (every column but ``target``) and labels from a CSV with a header.

    Parameters
    ----------
    path : path to the CSV file.
    target : name of the label column; ``None`` reads features only (for prediction).
    positive : the label value that counts as positive (y = 1). When given, the column must
        hold exactly two distinct values, one of them ``positive``.
    feature_names : when given, exactly these columns are read as features, in this order
        (a model's own features); every one must be present.
    """
    path = Path(path)
    source = repr(str(path))
    header, rows = _read_rows(path)
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise ValueError(f"{source} repeats column name(s) {repeated}; expected unique names.")
    if target is not None and target not in header:
        raise ValueError(
            f"{source} has no target column {target!r}; found columns {header[:8]}"
            f"{' ...' if len(header) > 8 else ''}."
        )
    if feature_names is None:
        columns = [h for h in header if h != target]
    else:
        missing = [f for f in feature_names if f not in header]
        if missing:
            raise ValueError(
                f"{source} is missing {len(missing)} feature column(s) the model needs: "
                f"{missing[:5]}{' ...' if len(missing) > 5 else ''}."
            )
        columns = list(feature_names)
    if not columns:
        raise ValueError(f"{source} has no feature columns besides the target {target!r}.")
    X = parse_numeric_columns(header, rows, columns, source)
    if target is None:
        return Dataset(X=X, y=np.empty(0), feature_names=columns)
    labels = np.array([row[header.index(target)].strip() for row in rows])
    if positive is None:
        return Dataset(X=X, y=labels, feature_names=columns, target_names=sorted(set(labels)))
    values = sorted(set(labels.tolist()))
    if positive not in values or len(values) != 2:
        raise ValueError(
            f"target column {target!r} of {source} must hold exactly two values, one of them "
            f"the positive label {positive!r}; found {values[:6]}"
            f"{' ...' if len(values) > 6 else ''}."
        )
    negative = values[0] if values[1] == positive else values[1]
    y = (labels == positive).astype(np.int64)
    return Dataset(X=X, y=y, feature_names=columns, target_names=[negative, positive])
