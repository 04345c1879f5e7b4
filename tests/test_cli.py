"""The command line through main(argv): output, files written and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from handgrad import TrainedModel, load_breast_cancer
from handgrad.cli import main
from handgrad.cli._common import ProgressBar
from handgrad.datasets.breast_cancer import BREAST_CANCER_CSV


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """`handgrad train` with every default, into a fresh folder."""
    folder = tmp_path_factory.mktemp("cli") / "run"
    return (folder, *_run(["train", "--out", str(folder)]))


@pytest.fixture
def small_csv(tmp_path: Path, rng: np.random.Generator) -> Path:
    """A binary CSV of three features and string labels yes/no."""
    X = rng.normal(size=(80, 3))
    labels = np.where(X @ [2.0, -1.0, 0.5] + 0.3 * rng.normal(size=80) > 0, "yes", "no")
    path = tmp_path / "small.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["f1", "f2", "f3", "outcome"])
        writer.writerows([*row.tolist(), label] for row, label in zip(X, labels, strict=True))
    return path


def test_train_defaults(trained_run) -> None:
    """Exit 0; prints the metrics and the run folder, which holds the model and the report."""
    folder, code, out, _ = trained_run
    assert code == 0
    assert "accuracy              0.9558  (108/113)" in out
    assert out.rstrip().endswith(f"run folder: {folder}")
    assert {"model.json", "metrics.json", "predictions.csv", "report.html"} <= {
        p.name for p in folder.iterdir()
    }
    metrics = json.loads((folder / "metrics.json").read_text())["metrics"]
    assert metrics["accuracy"] == pytest.approx(108 / 113, abs=1e-15)


def test_train_progress_and_convergence_warning_on_stderr(trained_run) -> None:
    """stderr has the progress bar's final line and the warning as one readable line."""
    _, _, _, err = trained_run
    lines = err.splitlines()
    assert lines[0].startswith("training [##############################] epoch 1000/1000")
    assert lines[1].startswith("warning: gradient descent stopped at max_iter=1000")
    assert len(lines) == 2
    assert "Traceback" not in err
    assert "ConvergenceWarning:" not in err


def test_progress_bar_redraws_in_place_on_a_terminal() -> None:
    """On a terminal the bar is redrawn with carriage returns and ends with a newline."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = ProgressBar(200, stream=stream)
    for epoch in range(201):
        bar(epoch, 0.5)
    bar.close()
    text = stream.getvalue()
    assert 100 <= text.count("\r") <= 102
    assert text.endswith("epoch 200/200  loss 0.5000\n")


def test_evaluate_defaults_to_the_models_own_test_split(trained_run) -> None:
    """evaluate on a bundled-data model reproduces the training run's test metrics."""
    folder, *_ = trained_run
    code, out, err = _run(["evaluate", "--model", str(folder / "model.json")])
    assert (code, err) == (0, "")
    assert "scored on its own test split" in out
    assert "accuracy              0.9558  (108/113)" in out
    assert "borderline first:" in out


def test_evaluate_on_a_csv_and_write_a_report(trained_run, tmp_path: Path) -> None:
    """evaluate --data scores every row of the CSV and --out writes a report without a model."""
    folder, *_ = trained_run
    argv = ["evaluate", "--model", str(folder / "model.json"), "--data", str(BREAST_CANCER_CSV)]
    code, out, _ = _run([*argv, "--out", str(tmp_path / "eval"), "--no-plots"])
    assert code == 0
    assert "test set: 569 samples" in out
    assert {p.name for p in (tmp_path / "eval").iterdir()} == {
        "metrics.json", "predictions.csv", "report.html"
    }  # fmt: skip


def test_predict_writes_probabilities_and_labels(trained_run, tmp_path: Path) -> None:
    """predict writes one row per input row: P(benign), P(malignant) and the label."""
    folder, *_ = trained_run
    out_csv = tmp_path / "out.csv"
    argv = ["predict", "--model", str(folder / "model.json"), "--data", str(BREAST_CANCER_CSV)]
    code, out, _ = _run([*argv, "--out", str(out_csv)])
    assert code == 0
    assert "wrote 569 predictions" in out
    with out_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    model = TrainedModel.load(folder / "model.json")
    X = load_breast_cancer().X
    np.testing.assert_array_equal([float(r["p_malignant"]) for r in rows], model.positive_proba(X))
    np.testing.assert_allclose(
        [float(r["p_benign"]) + float(r["p_malignant"]) for r in rows], 1.0, atol=1e-15
    )
    assert [r["predicted"] for r in rows] == model.predict(X).tolist()


def test_train_and_evaluate_on_any_csv(small_csv: Path, tmp_path: Path) -> None:
    """train --data/--target/--positive works on a CSV; evaluate then needs --data."""
    folder = tmp_path / "run"
    argv = ["train", "--data", str(small_csv), "--target", "outcome", "--positive", "yes"]
    code, out, _ = _run([*argv, "--l2", "0.01", "--no-plots", "--out", str(folder)])
    assert code == 0, out
    assert "positive class 'yes'" in out
    model = TrainedModel.load(folder / "model.json")
    assert model.class_names == ["no", "yes"]
    assert model.feature_names == ["f1", "f2", "f3"]
    code, _, err = _run(["evaluate", "--model", str(folder / "model.json")])
    assert code == 2
    assert err.startswith("error: this model was trained on 'csv:")
    code, out, _ = _run(
        ["evaluate", "--model", str(folder / "model.json"), "--data", str(small_csv)]
    )
    assert code == 0
    assert "test set: 80 samples" in out


def test_positive_defaults_to_the_later_label(small_csv: Path, tmp_path: Path) -> None:
    """Without --positive, the later of the two labels in sorted order is positive."""
    argv = ["train", "--data", str(small_csv), "--target", "outcome", "--no-plots"]
    code, out, _ = _run([*argv, "--l2", "0.01", "--out", str(tmp_path / "r")])
    assert code == 0
    assert "positive class 'yes'" in out


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_documents_exit_codes(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each command's --help exits 0 and documents the exit codes."""
    for command in ([], ["train"], ["evaluate"], ["predict"]):
        assert main([*command, flag]) == 0
        out = capsys.readouterr().out
        assert "exit codes:" in out
        assert "2  bad usage" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown options, missing commands and missing required options exit with 2."""
    assert main(["train", "--bogus"]) == 2
    assert main([]) == 2
    assert main(["predict", "--model", "m.json"]) == 2
    assert main(["train", "--data", "x.csv"]) == 2
    assert "error: --data needs --target COLUMN" in capsys.readouterr().err


def test_bad_learning_rate_exits_1_without_a_folder(tmp_path: Path) -> None:
    """A failed run prints one 'error:' line, no traceback, and writes no run folder."""
    code, _, err = _run(["train", "--learning-rate", "0", "--out", str(tmp_path / "run")])
    assert code == 1
    assert err == "error: learning_rate must be a finite number > 0; got 0.0.\n"
    assert not (tmp_path / "run").exists()


def test_missing_matplotlib_exits_1_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib, train stops at once, naming the extra and --no-plots."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = _run(["train", "--out", str(tmp_path / "run")])
    assert code == 1
    assert out == ""
    assert err == (
        "error: the pictures need matplotlib, which is not installed: "
        "pip install 'handgrad[plot]' (or pass --no-plots)\n"
    )


def test_failed_model_write_leaves_no_model_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while the model file is written: exit 1 and no model file, whole or partial."""
    from handgrad import persistence

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(persistence.os, "fsync", broken_fsync)
    folder = tmp_path / "run"
    code, _, err = _run(["train", "--max-iter", "5", "--no-plots", "--out", str(folder)])
    assert code == 1
    assert err.splitlines()[-1] == "error: disk full"
    assert not any(p.name.startswith(("model.json", ".model.json")) for p in tmp_path.rglob("*"))


def test_bad_model_files_exit_1(tmp_path: Path) -> None:
    """A missing or corrupted model file gives exit 1 and one line naming the problem."""
    broken = tmp_path / "model.json"
    broken.write_text('{"format": "handgrad-model", "format_ver')
    for path, message in [(tmp_path / "none.json", "does not exist"), (broken, "not valid JSON")]:
        code, _, err = _run(["evaluate", "--model", str(path)])
        assert code == 1
        assert err.startswith("error: model file")
        assert message in err
        assert err.count("\n") == 1


def test_evaluate_refuses_unknown_labels(trained_run, tmp_path: Path) -> None:
    """Evaluating on a CSV whose labels the model does not know exits 1 and lists them."""
    folder, *_ = trained_run
    lines = BREAST_CANCER_CSV.read_text().splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1].replace("malignant", "M"), lines[2]]) + "\n")
    code, _, err = _run(["evaluate", "--model", str(folder / "model.json"), "--data", str(bad)])
    assert code == 1
    assert "holds label(s) ['M'] the model does not know" in err


def test_predict_with_missing_columns_writes_nothing(trained_run, tmp_path: Path) -> None:
    """A CSV without the model's feature columns exits 1 and writes no output file."""
    folder, *_ = trained_run
    data = tmp_path / "in.csv"
    data.write_text("mean_radius,other\n1,2\n")
    out_csv = tmp_path / "out.csv"
    argv = ["predict", "--model", str(folder / "model.json"), "--data", str(data)]
    code, _, err = _run([*argv, "--out", str(out_csv)])
    assert code == 1
    assert "missing 29 feature column(s) the model needs" in err
    assert not out_csv.exists()


def test_python_dash_m_runs_the_cli() -> None:
    """`python -m handgrad --version` prints the version and exits 0."""
    from handgrad import __version__

    done = subprocess.run(
        [sys.executable, "-m", "handgrad", "--version"], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"handgrad {__version__}")


def test_bad_margin_fails_before_training(tmp_path: Path) -> None:
    """An impossible --margin is refused at once: exit 1, nothing trained or written."""
    code, out, err = _run(["train", "--margin", "2", "--out", str(tmp_path / "run")])
    assert code == 1
    assert out == ""
    assert err == "error: margin must be a number in [0, 1]; got 2.0.\n"


def test_evaluate_maps_other_label_spellings_with_positive(trained_run, tmp_path: Path) -> None:
    """--positive names this file's spelling of the positive class (M/B for malignant/benign)."""
    folder, *_ = trained_run
    recoded = tmp_path / "mb.csv"
    text = BREAST_CANCER_CSV.read_text()
    recoded.write_text(text.replace(",malignant\n", ",M\n").replace(",benign\n", ",B\n"))
    argv = ["evaluate", "--model", str(folder / "model.json"), "--data", str(recoded)]
    code, out, _ = _run([*argv, "--positive", "M"])
    _, reference, _ = _run([*argv[:-1], str(BREAST_CANCER_CSV)])
    assert code == 0
    assert out.split("\n", 1)[1] == reference.split("\n", 1)[1]  # same metrics and table


def test_closed_pipe_stops_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """When stdout's reader has gone (`handgrad ... | head`), exit 141 with no error message."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone: every write now fails with EPIPE
    closed = open(write_end, "w", buffering=1)  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stdout", closed)
    try:
        code = main(["gradcheck", "--model", "logistic"])
    finally:
        monkeypatch.undo()
        closed.close()
    assert code == 141
    assert "Broken pipe" not in capsys.readouterr().err
