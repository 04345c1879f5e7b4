"""The run folder: its files, the self-contained report, and nothing half-written on failure."""

from __future__ import annotations

import base64
import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest

from handgrad import TrainedModel, load_breast_cancer, plots, report
from handgrad.evaluation import Evaluation, evaluate
from handgrad.workflow import train_and_evaluate

EXPECTED_FILES = {
    "model.json",
    "metrics.json",
    "predictions.csv",
    "report.html",
    "loss_curve.png",
    "confusion_matrix.png",
    "roc_curve.png",
    "sigmoid.png",
    "bce.png",
}


@pytest.fixture(scope="module")
def run() -> tuple[TrainedModel, Evaluation]:
    """A model trained on the bundled data and its evaluation on the test rows."""
    data = load_breast_cancer()
    trained = train_and_evaluate(data, l2=0.01, learning_rate=0.5, max_iter=5000, tol=1e-5)
    test = np.asarray(trained.evaluation["test_index"])
    return trained, evaluate(trained, data.X[test], data.y[test], rows=test)


@pytest.fixture(scope="module")
def folder(run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A written run folder."""
    path = tmp_path_factory.mktemp("run")
    report.write_run_folder(path, *run)
    return path


def test_folder_holds_every_file(folder: Path) -> None:
    """Model file, metrics, predictions, five pictures and the report; no temporary files."""
    assert {p.name for p in folder.iterdir()} == EXPECTED_FILES


def test_metrics_json_is_the_evaluation(folder: Path, run) -> None:
    """metrics.json holds the test metrics, classes, threshold and settings of the run."""
    _trained, ev = run
    summary = json.loads((folder / "metrics.json").read_text())
    assert summary["metrics"] == ev.metrics
    assert summary["positive_class"] == "malignant"
    assert summary["training"]["model_params"]["l2"] == 0.01
    assert summary["n_borderline"] == sum(r.borderline for r in ev.table())


def test_predictions_csv_is_the_table(folder: Path, run) -> None:
    """predictions.csv has one row per test sample, borderline first, probabilities exact."""
    _, ev = run
    with (folder / "predictions.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    table = ev.table()
    assert len(rows) == len(table) == 113
    assert [int(r["row"]) for r in rows] == [t.row for t in table]
    assert [float(r["p_malignant"]) for r in rows] == [t.proba for t in table]
    flags = [r["borderline"] for r in rows]
    assert flags == sorted(flags, reverse=True)  # every "1" before every "0"


def test_pictures_are_png(folder: Path) -> None:
    """Each picture file is a PNG image."""
    for name in report.PICTURES:
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_report_is_self_contained(folder: Path, run) -> None:
    """report.html inlines every picture and shows settings, metrics, matrix and table."""
    page = (folder / "report.html").read_text()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == len(report.PICTURES)
    assert base64.b64decode(images[0]) == (folder / "loss_curve.png").read_bytes()
    assert not re.search(r'(src|href)="(?!data:)', page)  # nothing loaded from elsewhere
    for text in ("LogisticRegression.learning_rate", "recall (sensitivity)", "ROC AUC",
                 "Confusion matrix", "borderline"):  # fmt: skip
        assert text in page
    _, ev = run
    section = page[page.index("Every test sample") :]
    rows = re.findall(r'<tr class="([^"]*)"><td>(\d+)</td>', section)
    assert [int(row) for _, row in rows] == [t.row for t in ev.table()]
    marked = ["borderline" in css for css, _ in rows]
    assert marked == sorted(marked, reverse=True)
    assert any(marked)


def test_report_escapes_names(run, tmp_path: Path) -> None:
    """Class names are HTML-escaped, so a name cannot inject markup."""
    trained, ev = run
    odd = Evaluation(**{**vars(ev), "class_names": ["<b>neg</b>", "pos&"]})
    report.write_run_folder(tmp_path, trained, odd, pictures=False, save_model=False)
    page = (tmp_path / "report.html").read_text()
    assert "<b>neg</b>" not in page
    assert "&lt;b&gt;neg&lt;/b&gt;" in page


def test_failed_picture_leaves_no_model_file(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while drawing writes nothing at all: no model file, no partial folder."""

    def broken(fig) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(plots, "to_png", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        report.write_run_folder(tmp_path / "run", *run)
    assert not (tmp_path / "run").exists()


def test_failed_model_write_leaves_no_model_file(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while writing the model file (written last) leaves no model file or temp."""
    from handgrad import persistence

    real_replace = persistence.os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith("model.json"):
            raise OSError("no space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(persistence.os, "replace", replace)
    with pytest.raises(OSError, match="no space left"):
        report.write_run_folder(tmp_path, *run)
    names = {p.name for p in tmp_path.iterdir()}
    assert names == EXPECTED_FILES - {"model.json"}


def test_rewriting_a_folder_drops_the_earlier_run(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed run into an earlier run's folder leaves no model file, and no stale pictures."""
    from handgrad import persistence

    report.write_run_folder(tmp_path, *run)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(persistence.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        report.write_run_folder(tmp_path, *run, pictures=False)
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"metrics.json", "predictions.csv", "report.html"}
