"""Model files: round trip, and every way a file can be bad or a write can fail."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

from handgrad import ModelFileError, TrainedModel, load_breast_cancer, persistence
from handgrad.workflow import train_and_evaluate


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    """A model trained on the bundled data with l2 > 0 (converges quickly, no warning)."""
    return train_and_evaluate(
        load_breast_cancer(), l2=0.01, learning_rate=0.5, max_iter=5000, tol=1e-5
    )


def _rewrite(path: Path, edit, *, fix_checksum: bool) -> None:
    document = json.loads(path.read_text())
    edit(document["payload"])
    if fix_checksum:
        canonical = json.dumps(document["payload"], sort_keys=True, separators=(",", ":"))
        document["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    path.write_text(json.dumps(document))


def test_round_trip_gives_identical_predictions(trained: TrainedModel, tmp_path: Path) -> None:
    """A saved and reloaded model predicts bit-for-bit the same probabilities and labels."""
    X = load_breast_cancer().X
    loaded = TrainedModel.load(trained.save(tmp_path / "model.json"))
    np.testing.assert_array_equal(loaded.positive_proba(X), trained.positive_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), trained.predict(X))
    assert loaded.feature_names == trained.feature_names
    assert loaded.class_names == ["benign", "malignant"]
    assert loaded.model.loss_history_ == trained.model.loss_history_
    assert loaded.training == trained.training


def test_model_file_is_json_not_pickle(trained: TrainedModel, tmp_path: Path) -> None:
    """The file is a JSON document naming its format, version and checksum."""
    document = json.loads(trained.save(tmp_path / "m.json").read_text())
    assert document["format"] == "handgrad-model"
    assert set(document) == {"format", "format_version", "handgrad_version", "sha256", "payload"}


def test_missing_file(tmp_path: Path) -> None:
    """A path with no file raises ModelFileError saying it does not exist."""
    with pytest.raises(ModelFileError, match="does not exist"):
        TrainedModel.load(tmp_path / "nope.json")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    """A directory raises ModelFileError saying a model file was expected."""
    with pytest.raises(ModelFileError, match="is a directory; expected a model file"):
        TrainedModel.load(tmp_path)


def test_unreadable_bytes(tmp_path: Path) -> None:
    """A file that is not UTF-8 text cannot be read."""
    path = tmp_path / "m.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ModelFileError, match="cannot be read"):
        TrainedModel.load(path)


def test_empty_file(tmp_path: Path) -> None:
    """An empty file raises ModelFileError saying it is empty."""
    path = tmp_path / "m.json"
    path.write_text("")
    with pytest.raises(ModelFileError, match="is empty"):
        TrainedModel.load(path)


def test_truncated_file(trained: TrainedModel, tmp_path: Path) -> None:
    """A file cut short is reported as invalid JSON, with where it broke."""
    path = trained.save(tmp_path / "m.json")
    path.write_text(path.read_text()[:500])
    with pytest.raises(ModelFileError, match=r"not valid JSON \(line \d+, column \d+"):
        TrainedModel.load(path)


def test_other_json(tmp_path: Path) -> None:
    """JSON that is not a handgrad model file says what format was expected."""
    path = tmp_path / "m.json"
    path.write_text('{"weights": [1, 2]}')
    with pytest.raises(ModelFileError, match=r'not a handgrad model file; expected .*"format"'):
        TrainedModel.load(path)


def test_tampered_weights_fail_the_checksum(trained: TrainedModel, tmp_path: Path) -> None:
    """Changing one weight without updating the checksum is detected."""
    path = trained.save(tmp_path / "m.json")

    def edit(payload):
        payload["coef"][0] += 1.0

    _rewrite(path, edit, fix_checksum=False)
    with pytest.raises(ModelFileError, match=r"fails its checksum.*modified or corrupted"):
        TrainedModel.load(path)


def test_inconsistent_fields_are_rejected(trained: TrainedModel, tmp_path: Path) -> None:
    """A file with a valid checksum but too few weights for its features is corrupted."""
    path = trained.save(tmp_path / "m.json")

    def edit(payload):
        payload["coef"] = payload["coef"][:-1]

    _rewrite(path, edit, fix_checksum=True)
    with pytest.raises(ModelFileError, match="has 29 weights for 30 features"):
        TrainedModel.load(path)


def test_missing_field_is_rejected(trained: TrainedModel, tmp_path: Path) -> None:
    """A file with a valid checksum but no intercept names the missing field."""
    path = trained.save(tmp_path / "m.json")

    def edit(payload):
        del payload["intercept"]

    _rewrite(path, edit, fix_checksum=True)
    with pytest.raises(ModelFileError, match=r"missing a field.*'intercept'"):
        TrainedModel.load(path)


def test_failed_write_leaves_no_file(
    trained: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails after the bytes are on disk leaves neither the file nor a temp file."""

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(persistence.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        trained.save(tmp_path / "model.json")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file(
    trained: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overwriting fails as a whole: the previous model file is left exactly as it was."""
    path = trained.save(tmp_path / "model.json")
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("rename failed")

    monkeypatch.setattr(persistence.os, "replace", broken_replace)
    with pytest.raises(OSError, match="rename failed"):
        trained.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_written_files_are_not_private(trained: TrainedModel, tmp_path: Path) -> None:
    """Model files get the usual permissions (0o666 less the umask), not mkstemp's 0o600."""
    mask = os.umask(0o022)
    os.umask(mask)
    mode = trained.save(tmp_path / "m.json").stat().st_mode & 0o777
    assert mode == 0o666 & ~mask


def test_numpy_hyperparameters_are_saved_as_plain_numbers(tmp_path: Path) -> None:
    """Hyperparameters given as NumPy scalars are written as JSON numbers and read back."""
    data = load_breast_cancer()
    trained = train_and_evaluate(
        data, l2=np.float64(0.01), learning_rate=np.float32(0.5), max_iter=np.int64(3000)
    )
    loaded = TrainedModel.load(trained.save(tmp_path / "m.json"))
    assert loaded.model.get_params()["max_iter"] == 3000
    np.testing.assert_array_equal(loaded.positive_proba(data.X), trained.positive_proba(data.X))
