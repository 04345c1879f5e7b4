"""The bundled data and the CSV reader, including every malformed file it must name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from handgrad import load_breast_cancer, read_csv


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(text)
    return path


def test_bundled_data_codes_malignant_as_one() -> None:
    """569 rows, 30 features, 212 malignant coded 1, the same values as scikit-learn's copy."""
    from sklearn.datasets import load_breast_cancer as sk_load

    data, ref = load_breast_cancer(), sk_load()
    assert data.X.shape == (569, 30)
    assert data.target_names == ["benign", "malignant"]
    np.testing.assert_array_equal(data.X, ref.data)
    np.testing.assert_array_equal(data.y, 1 - ref.target)  # scikit-learn codes malignant 0


def test_reads_labels_with_a_chosen_positive(tmp_path: Path) -> None:
    """Any two label values work; the one named positive becomes 1."""
    path = _csv(tmp_path, "a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n")
    data = read_csv(path, target="label", positive="yes")
    np.testing.assert_array_equal(data.y, [1, 0, 1])
    assert data.feature_names == ["a", "b"]
    assert data.target_names == ["no", "yes"]


def test_empty_file(tmp_path: Path) -> None:
    """An empty file says a header and data rows were expected."""
    with pytest.raises(ValueError, match="is empty; expected a header row and data rows"):
        read_csv(_csv(tmp_path, ""), target="label")


def test_header_only(tmp_path: Path) -> None:
    """A header with no data rows is named as such."""
    with pytest.raises(ValueError, match="has a header but no data rows"):
        read_csv(_csv(tmp_path, "a,label\n"), target="label")


def test_missing_target_column(tmp_path: Path) -> None:
    """A target column that is not in the header is named, with the columns found."""
    path = _csv(tmp_path, "a,b\n1,2\n")
    with pytest.raises(ValueError, match=r"no target column 'label'; found columns \['a', 'b'\]"):
        read_csv(path, target="label")


def test_non_numeric_feature_column_is_named(tmp_path: Path) -> None:
    """A feature cell that is not a number names its column, row and value."""
    path = _csv(tmp_path, "a,colour,label\n1,2,x\n3,red,y\n")
    with pytest.raises(
        ValueError, match=r"column 'colour' .* must be numeric, but row 2 holds 'red'"
    ):
        read_csv(path, target="label")


def test_nan_in_a_feature_column_is_named(tmp_path: Path) -> None:
    """A NaN cell names its column and row: the reader never returns NaN."""
    path = _csv(tmp_path, "a,b,label\n1,nan,x\n3,4,y\n")
    with pytest.raises(ValueError, match=r"column 'b' .* holds 'nan' at row 1; expected a finite"):
        read_csv(path, target="label")


@pytest.mark.parametrize(
    ("labels", "found"),
    [(["yes", "no", "maybe"], r"\['maybe', 'no', 'yes'\]"), (["no", "no", "no"], r"\['no'\]")],
)
def test_unexpected_label_values(tmp_path: Path, labels: list[str], found: str) -> None:
    """A label column that is not exactly {positive, one other} lists what it holds."""
    rows = "".join(f"{i},{label}\n" for i, label in enumerate(labels))
    path = _csv(tmp_path, "a,label\n" + rows)
    with pytest.raises(ValueError, match=f"exactly two values, one of them the positive .*{found}"):
        read_csv(path, target="label", positive="yes")


def test_ragged_row(tmp_path: Path) -> None:
    """A row with the wrong number of fields names its line."""
    with pytest.raises(ValueError, match=r"line 3 .* has 2 fields; expected 3"):
        read_csv(_csv(tmp_path, "a,b,label\n1,2,x\n3,y\n"), target="label")


def test_model_features_missing(tmp_path: Path) -> None:
    """Reading a model's features from a file that lacks some names them."""
    path = _csv(tmp_path, "a,b\n1,2\n")
    with pytest.raises(ValueError, match=r"missing 1 feature column\(s\) the model needs: \['c'\]"):
        read_csv(path, target=None, feature_names=["a", "c"])
