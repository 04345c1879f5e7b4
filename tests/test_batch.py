"""Batch scoring of a CSV: the result file, and a clear message for every kind of bad file."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from handgrad import load_breast_cancer
from handgrad.batch import BatchFileError, read_batch_csv, score_csv, write_template


@pytest.fixture(scope="module")
def test_rows(default_model):  # type: ignore[no-untyped-def]
    """The default model's test rows of the bundled data, as (X, names)."""
    data = load_breast_cancer()
    return data.X[default_model.evaluation["test_index"]], data.feature_names


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_result_adds_probability_label_and_range_columns(
    default_model, test_rows, tmp_path
) -> None:
    """Every input row comes back as written, with the library's probability and label added."""
    X, names = test_rows
    order = names[::-1]  # columns in any order
    cells = [[repr(float(x)) for x in row[::-1]] for row in X]
    src = _write(tmp_path / "in.csv", order, cells)
    result = score_csv(default_model, src, tmp_path / "out.csv")
    header, rows = _read(tmp_path / "out.csv")
    assert header == [*order, "probability_malignant", "predicted_label", "outside_training_range"]
    assert [r[:30] for r in rows] == cells
    p = default_model.positive_proba(X)
    assert [float(r[30]) for r in rows] == p.tolist()
    assert [r[31] for r in rows] == default_model.predict(X).tolist()
    assert result.n_rows == len(X)
    assert result.labels == default_model.predict(X).tolist()
    np.testing.assert_array_equal(result.probabilities, p)


def test_threshold_changes_the_labels_only(default_model, test_rows, tmp_path) -> None:
    """A lower threshold calls more rows malignant; the probabilities do not move."""
    X, names = test_rows
    src = _write(tmp_path / "in.csv", names, X.tolist())
    at_half = score_csv(default_model, src, tmp_path / "a.csv", threshold=0.5)
    at_low = score_csv(default_model, src, tmp_path / "b.csv", threshold=0.05)
    np.testing.assert_array_equal(at_half.probabilities, at_low.probabilities)
    assert at_low.labels == default_model.predict(X, threshold=0.05).tolist()
    assert at_low.labels.count("malignant") > at_half.labels.count("malignant")


def test_rows_outside_the_training_range_are_flagged(default_model, test_rows, tmp_path) -> None:
    """The last column names each input outside the training range; in-range rows leave it empty."""
    X, names = test_rows
    rows = X[:3].copy()
    rows[1, names.index("mean_area")] = 10 * default_model.feature_ranges["mean_area"][1]
    rows[1, names.index("worst_texture")] = 0.0
    src = _write(tmp_path / "in.csv", names, rows.tolist())
    result = score_csv(default_model, src, tmp_path / "out.csv")
    _, out = _read(tmp_path / "out.csv")
    assert [r[-1] for r in out] == ["", "mean_area worst_texture", ""]
    assert result.n_out_of_range == 1


def test_template_is_a_scoreable_file(default_model, test_rows, tmp_path) -> None:
    """The template written for users scores as is, to the library's probabilities."""
    X, names = test_rows
    path = write_template(names, X[:3].tolist(), tmp_path / "template.csv")
    result = score_csv(default_model, path, tmp_path / "out.csv")
    np.testing.assert_array_equal(result.probabilities, default_model.positive_proba(X[:3]))


def test_byte_order_mark_and_blank_lines_are_accepted(default_model, test_rows, tmp_path) -> None:
    """A UTF-8 BOM (as spreadsheets write) and blank lines do not break the file."""
    X, names = test_rows
    text = ",".join(names) + "\n\n" + ",".join(map(repr, X[0].tolist())) + "\n\n"
    src = tmp_path / "bom.csv"
    src.write_bytes(b"\xef\xbb\xbf" + text.encode())
    header, _, X_read = read_batch_csv(src, names)
    assert header == names
    np.testing.assert_array_equal(X_read, X[:1])


def _bad_files(names: list[str], row: list[float]) -> list[tuple[str, bytes, str]]:
    """(id, file contents, expected message) for each kind of bad file."""
    good = ",".join(map(repr, row))
    head = ",".join(names)
    text = ",".join(["abc", *map(repr, row[1:])])
    return [
        ("empty", b"", r"The file is empty; expected a header row with the 30 feature columns"),
        ("blank lines only", b"\n \n", r"The file is empty"),
        ("header only", f"{head}\n".encode(), r"has a header but no data rows"),
        (
            "missing column",
            (",".join(names[1:]) + "\n" + ",".join(map(repr, row[1:]))).encode(),
            r"is missing 1 column\(s\) the model needs: 'mean_radius'\. Expected exactly the 30",
        ),
        (
            "extra column",
            (f"id,{head}\n7,{good}").encode(),
            r"has 1 column\(s\) the model does not use: 'id'",
        ),
        (
            "missing and extra",
            ("radius," + ",".join(names[1:]) + "\n" + good).encode(),
            r"is missing 1 column\(s\) .*'mean_radius' and has 1 column\(s\) .*'radius'",
        ),
        (
            "repeated column",
            (f"{head},mean_radius\n{good},1").encode(),
            r"repeats column\(s\) 'mean_radius'",
        ),
        (
            "non-numeric",
            f"{head}\n{good}\n{text}".encode(),
            r"Data row 2, column 'mean_radius' holds 'abc'; expected a number",
        ),
        (
            "empty cell",
            f"{head}\n,{good.split(',', 1)[1]}".encode(),
            r"Data row 1, column 'mean_radius' holds ''; expected a number",
        ),
        (
            "nan",
            f"{head}\nnan,{good.split(',', 1)[1]}".encode(),
            r"holds 'nan'; expected a finite number",
        ),
        (
            "inf",
            f"{head}\n{good.rsplit(',', 1)[0]},inf".encode(),
            r"column 'worst_fractal_dimension' holds 'inf'; expected a finite number",
        ),
        (
            "short line",
            f"{head}\n{good}\n1,2,3".encode(),
            r"Line 3 has 3 fields; expected 30",
        ),
        (
            "not utf-8",
            head.encode() + b"\n\xff\xfe\x00\x81",
            r"is not a text CSV \(it is not UTF-8\)",
        ),
    ]


_DATA = load_breast_cancer()
_BAD_FILES = _bad_files(_DATA.feature_names, _DATA.X[0].tolist())


@pytest.mark.parametrize(
    ("content", "message"), [b[1:] for b in _BAD_FILES], ids=[b[0] for b in _BAD_FILES]
)
def test_every_bad_file_gets_its_message(default_model, tmp_path, content, message) -> None:
    """Each kind of bad file raises BatchFileError naming what is wrong, and writes nothing."""
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    out = tmp_path / "out.csv"
    with pytest.raises(BatchFileError, match=message):
        score_csv(default_model, src, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_too_many_rows_is_refused_with_the_limit(default_model, test_rows, tmp_path) -> None:
    """A file with more data rows than the limit is refused and the limit is stated."""
    X, names = test_rows
    src = _write(tmp_path / "big.csv", names, X[:4].tolist())
    with pytest.raises(BatchFileError, match=r"more than 3 data rows; the limit is 3 rows"):
        score_csv(default_model, src, tmp_path / "out.csv", max_rows=3)
    assert score_csv(default_model, src, tmp_path / "out.csv", max_rows=4).n_rows == 4


def test_a_missing_file_is_reported(default_model, tmp_path) -> None:
    """A path that does not exist is a BatchFileError, not an OSError traceback."""
    with pytest.raises(BatchFileError, match="could not be read: No such file"):
        score_csv(default_model, tmp_path / "nope.csv", tmp_path / "out.csv")


def test_bad_threshold_and_row_limit_are_refused(default_model, test_rows, tmp_path) -> None:
    """Threshold outside [0, 1] and a row limit below 1 are refused before reading."""
    X, names = test_rows
    src = _write(tmp_path / "in.csv", names, X[:1].tolist())
    with pytest.raises(ValueError, match=r"threshold must be a number in \[0, 1\]"):
        score_csv(default_model, src, tmp_path / "out.csv", threshold=2.0)
    with pytest.raises(ValueError, match="max_rows must be an integer >= 1"):
        score_csv(default_model, src, tmp_path / "out.csv", max_rows=0)
