"""Score a CSV of many cases with a :class:`TrainedModel`, checking the file first.

The file must hold exactly the model's feature columns (any order), a header row, and between
1 and ``max_rows`` data rows of finite numbers. Anything else raises :class:`BatchFileError`
with a message meant for the person who made the file: what was wrong, what was expected,
what was found, and where. The output repeats every input cell as written and adds three
columns: the probability of the positive class, the predicted label and the names of the
inputs outside the training range (separated by spaces; empty when none).
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from handgrad import _validation as v
from handgrad.explain import outside_training_range
from handgrad.trained import TrainedModel

__all__ = [
    "MAX_ROWS",
    "BatchFileError",
    "BatchResult",
    "read_batch_csv",
    "score_csv",
    "write_template",
]

# Upload limit: enough for a clinic's day or a whole data set, small enough to answer at once.
MAX_ROWS = 10_000


class BatchFileError(ValueError):
    """A batch CSV that cannot be scored; the message says why, for the file's author."""


@dataclass(frozen=True)
class BatchResult:
    """What :func:`score_csv` wrote."""

    path: Path
    n_rows: int
    probabilities: NDArray[np.float64]  # (n,)
    labels: list[str]
    n_out_of_range: int  # rows with at least one input outside the training range


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def read_batch_csv(
    path: str | Path, feature_names: list[str], *, max_rows: int = MAX_ROWS
) -> tuple[list[str], list[list[str]], NDArray[np.float64]]:
    """Read and check a batch file; return ``(header, rows as text, X (n, d))``.

    ``X`` has the columns in ``feature_names`` order whatever their order in the file.
    """
    max_rows = v.check_int(max_rows, "max_rows", minimum=1)
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header: list[str] | None = None
            rows: list[list[str]] = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue  # blank lines carry no case
                if header is None:
                    header = [cell.strip() for cell in row]
                    continue
                if len(rows) == max_rows:
                    raise BatchFileError(
                        f"The file has more than {max_rows:,} data rows; the limit is "
                        f"{max_rows:,} rows per file. Split it into smaller files."
                    )
                if len(row) != len(header):
                    raise BatchFileError(
                        f"Line {reader.line_num} has {len(row)} fields; expected {len(header)}, "
                        "one per column of the header."
                    )
                rows.append(row)
    except UnicodeDecodeError:
        raise BatchFileError(
            "The file is not a text CSV (it is not UTF-8); expected a CSV with a header row."
        ) from None
    except csv.Error as exc:
        raise BatchFileError(f"The file is not a valid CSV: {exc}.") from None
    except OSError as exc:
        raise BatchFileError(f"The file could not be read: {exc.strerror}.") from None
    if header is None:
        raise BatchFileError(
            f"The file is empty; expected a header row with the {len(feature_names)} feature "
            "columns, then one row per case."
        )
    if not rows:
        raise BatchFileError("The file has a header but no data rows; expected one row per case.")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise BatchFileError(
            f"The header repeats column(s) {_names(repeated)}; expected each once."
        )
    missing = [f for f in feature_names if f not in header]
    extra = [h for h in header if h not in feature_names]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"is missing {len(missing)} column(s) the model needs: {_names(missing)}")
        if extra:
            parts.append(f"has {len(extra)} column(s) the model does not use: {_names(extra)}")
        raise BatchFileError(
            f"The file {' and '.join(parts)}. Expected exactly the {len(feature_names)} "
            "feature columns, named as in the model (see the template)."
        )
    columns = [header.index(f) for f in feature_names]
    X = np.empty((len(rows), len(feature_names)), dtype=np.float64)  # (n, d)
    for r, row in enumerate(rows):
        for j, c in enumerate(columns):
            text = row[c].strip()
            try:
                X[r, j] = float(text)
            except ValueError:
                raise BatchFileError(
                    f"Data row {r + 1}, column {feature_names[j]!r} holds {text!r}; "
                    "expected a number."
                ) from None
            if not np.isfinite(X[r, j]):
                raise BatchFileError(
                    f"Data row {r + 1}, column {feature_names[j]!r} holds {text!r}; "
                    "expected a finite number."
                )
    return header, rows, X


def score_csv(
    model: TrainedModel,
    path: str | Path,
    out_path: str | Path,
    *,
    threshold: float | None = None,
    max_rows: int = MAX_ROWS,
) -> BatchResult:
    """Check ``path``, score every row and write ``out_path`` atomically.

    Output columns: the input columns as written, then ``probability_<positive class>``
    (full float precision), ``predicted_label`` and ``outside_training_range``.
    """
    t = model.threshold if threshold is None else v.check_probability(threshold, "threshold")
    header, rows, X = read_batch_csv(path, model.feature_names, max_rows=max_rows)
    p = model.positive_proba(X)  # (n,)
    labels = [model.class_names[int(k)] for k in p >= t]
    outside = outside_training_range(model, X)  # (n, d)
    out = Path(out_path)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    *header,
                    f"probability_{model.class_names[1]}",
                    "predicted_label",
                    "outside_training_range",
                ]
            )
            for r, row in enumerate(rows):
                flagged = " ".join(
                    n for n, o in zip(model.feature_names, outside[r], strict=True) if o
                )
                writer.writerow([*row, repr(float(p[r])), labels[r], flagged])
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return BatchResult(
        path=out,
        n_rows=len(rows),
        probabilities=p.astype(np.float64),
        labels=labels,
        n_out_of_range=int(outside.any(axis=1).sum()),
    )


def write_template(feature_names: list[str], rows: list[list[float]], path: str | Path) -> Path:
    """Write a ready-to-fill batch file: the header and ``rows`` (e.g. real example cases)."""
    out = Path(path)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(feature_names)
        writer.writerows([[repr(float(x)) for x in row] for row in rows])
    return out
