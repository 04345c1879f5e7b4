"""The functions behind the web app, called directly: what the page says for each input."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from handgrad import load_breast_cancer
from handgrad.app.fields import GROUPS, describe, glossary, group_fields
from handgrad.app.service import AppService, format_probability
from handgrad.testset import operating_point


@pytest.fixture(scope="module")
def service(default_model):  # type: ignore[no-untyped-def]
    """The app's service for the default model, with the bundled test cases."""
    svc = AppService.for_model(default_model)
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    """The bundled data."""
    return load_breast_cancer()


def _case(service: AppService, prefix: str) -> list[float]:
    choice = next(c for c in service.case_choices() if c.startswith(prefix))
    values, _ = service.fill_case(choice)
    return [float(v) for v in values if v is not None]


def test_fields_group_the_thirty_measurements() -> None:
    """The 30 columns fall into mean / standard error / worst, ten each, with readable labels."""
    names = load_breast_cancer().feature_names
    groups = group_fields(names)
    assert [title for title, _ in groups] == [title for _, title, _ in GROUPS]
    assert [len(fields) for _, fields in groups] == [10, 10, 10]
    assert sorted(f.name for _, fields in groups for f in fields) == sorted(names)
    assert describe("worst_area").label == "Area (image units²)"
    assert describe("worst_area").short == "Area, worst"
    assert describe("concave_points_error").short == "Concave points, s.e."
    assert describe("my_column").label == "my_column"
    assert group_fields(["my_column"])[0][0] == "Other measurements"
    assert "| Texture | grey levels |" in glossary()


def test_format_probability_never_shows_a_false_certainty() -> None:
    """Probabilities print with 4 decimals; tiny and near-1 values print as bounds, not 0 or 1."""
    assert format_probability(0.50796) == "= 0.5080"
    assert format_probability(1e-9) == "< 0.0001"
    assert format_probability(1 - 1e-9) == "> 0.9999"
    assert format_probability(0.00005) == "= 0.0001"


def test_picker_fills_the_form_with_real_test_rows(service, data) -> None:
    """Each picker entry fills the form with its data row and says its true diagnosis."""
    choices = service.case_choices()
    assert [c.split(" (")[0] for c in choices] == [
        "Typical benign",
        "Typical malignant",
        "Borderline",
    ]
    for choice, case in zip(choices, service.cases, strict=True):
        values, note = service.fill_case(choice)
        assert values == data.X[case.row].tolist()
        assert f"True diagnosis: **{case.true_label}**" in note
        assert f"Data row {case.row}" in note
    assert service.fill_case("no such case") == ([None] * 30, "")


def test_prediction_text_is_the_library_prediction(service, default_model, data) -> None:
    """The page's probability is TrainedModel.positive_proba formatted, with its label."""
    x = data.X[123].copy()
    x[0] = 15.5
    view = service.predict(x.tolist(), 0.5)
    p = default_model.positive_proba(x[None, :])[0]
    label = default_model.predict(x[None, :])[0]
    assert f"P(malignant) {format_probability(p)}" in view.result
    assert f"Prediction: **{label}** (threshold 0.50)" in view.result


def test_borderline_notice_only_near_the_threshold(service) -> None:
    """The borderline case gets the notice; the typical cases do not."""
    assert "Borderline" in service.predict(_case(service, "Borderline"), 0.5).borderline
    assert service.predict(_case(service, "Typical benign"), 0.5).borderline == ""
    assert service.predict(_case(service, "Typical malignant"), 0.5).borderline == ""
    # Moving the threshold far from the case's probability removes the notice.
    assert service.predict(_case(service, "Borderline"), 0.9).borderline == ""


def test_threshold_moves_the_label(service) -> None:
    """The same borderline case is malignant at 0.50 and benign at 0.60 (its p is about 0.51)."""
    x = _case(service, "Borderline")
    assert "**malignant**" in service.predict(x, 0.5).result
    assert "**benign**" in service.predict(x, 0.6).result


def test_range_warning_names_each_input_outside_training(service, default_model) -> None:
    """Each out-of-range input is named readably with its value and the training range."""
    x = _case(service, "Typical benign")
    assert service.predict(x, 0.5).range_warning == ""
    hi = default_model.feature_ranges["mean_radius"][1]
    x[0] = hi + 2
    warning = service.predict(x, 0.5).range_warning
    assert "1 input(s) outside the range seen in training" in warning
    assert f"Radius, mean = {hi + 2:g} (training range" in warning


def test_chart_rows_are_the_largest_terms_first(service, default_model) -> None:
    """The chart gets the ten largest terms by size, signed term and direction consistent."""
    x = _case(service, "Typical malignant")
    bars = service.predict(x, 0.5).bars
    terms = default_model.logit_contributions(np.array([x]))[0]
    assert len(bars) == 10
    assert [b["size"] for b in bars] == sorted(np.abs(terms).tolist(), reverse=True)[:10]
    for b in bars:
        assert b["size"] == abs(b["term"])
        assert b["pushes towards"] == ("malignant" if b["term"] > 0 else "benign")


def test_explanation_states_the_exact_sum(service, default_model) -> None:
    """The text gives intercept + sum of terms = log-odds with the model's numbers."""
    x = _case(service, "Borderline")
    text = service.predict(x, 0.5).explanation
    z = float(default_model.model.decision_function(default_model.scaler.transform([x]))[0])
    assert f"= {z:+.3f}" in text
    assert f"{float(default_model.model.intercept_):+.3f} (intercept)" in text


def test_missing_inputs_are_named(service) -> None:
    """An incomplete form gets a message naming the empty fields, and nothing else."""
    x: list[float | None] = [*_case(service, "Borderline")]
    x[0] = None
    x[29] = None
    view = service.predict(x, 0.5)
    assert "Enter all 30 measurements" in view.result
    assert "2 empty: Radius, mean, Fractal dimension, worst." in view.result
    assert (view.borderline, view.range_warning, view.bars) == ("", "", [])


def test_threshold_summary_reports_the_operating_point(service, default_model) -> None:
    """The threshold text carries the test-set sensitivity and specificity at that threshold."""
    for t in (0.2, 0.5, 0.8):
        op = operating_point(default_model, t)
        text = service.threshold_summary(t)
        assert f"sensitivity **{100 * op.sensitivity:.1f}%** ({op.tp} of {op.tp + op.fn}" in text
        assert f"specificity **{100 * op.specificity:.1f}%** ({op.tn} of {op.tn + op.fp}" in text


def test_batch_upload_gives_a_file_and_a_summary(service, default_model, data, tmp_path) -> None:
    """A good upload returns the scored file and a one-line summary; bad ones a message only."""
    X = data.X[:5]
    src = tmp_path / "cases.csv"
    with src.open("w", newline="") as handle:
        csv.writer(handle).writerows([data.feature_names, *X.tolist()])
    path, message = service.score_file(str(src), 0.5)
    assert path is not None
    assert Path(path).name == "cases_scored.csv"
    n_pos = int((default_model.positive_proba(X) >= 0.5).sum())
    assert message.startswith(f"Scored **5** row(s): {n_pos} called malignant at threshold 0.50.")
    src.write_text("mean_radius\n1\n")
    path, message = service.score_file(str(src), 0.5)
    assert path is None
    assert message.startswith("**This file cannot be scored.** The file is missing 29 column(s)")
    assert service.score_file(None, 0.5) == (None, "Choose a CSV file first.")


def test_model_tab_summary_comes_from_the_model_file(service, default_model) -> None:
    """The model tab shows the file's metrics, confusion matrix and settings; the loss curve
    has one point per recorded epoch for each set."""
    text = service.model_summary
    metrics = default_model.evaluation["metrics"]
    (tn, fp), (fn, tp) = metrics["confusion_matrix"]
    assert f"| **benign** | {tn} | {fp} |" in text
    assert f"| **malignant** | {fn} | {tp} |" in text
    assert f"| accuracy | {metrics['accuracy']:.4f} |" in text
    assert "| learning_rate | 0.1 |" in text
    assert f"| epochs run | {default_model.model.n_iter_} |" in text
    fit = default_model.model
    assert len(service.loss_rows) == len(fit.loss_history_) + len(fit.eval_loss_history_)
    assert service.loss_rows[0] == {"epoch": 0, "loss": fit.loss_history_[0], "set": "training"}


def test_picker_is_off_for_a_model_of_other_data(default_model) -> None:
    """A model trained on another source has no test cases to pick, but still predicts."""
    other = dataclasses.replace(
        default_model, training={**default_model.training, "source": "my.csv"}
    )
    svc = AppService.for_model(other)
    try:
        assert svc.case_choices() == []
        x = load_breast_cancer().X[5].tolist()
        p = default_model.positive_proba([x])[0]
        assert f"P(malignant) {format_probability(p)}" in svc.predict(x, 0.5).result
    finally:
        svc.close()


def test_close_removes_the_result_files(default_model) -> None:
    """close() deletes the folder of templates and results."""
    svc = AppService.for_model(default_model)
    assert svc.template_path.exists()
    svc.close()
    assert not svc.workdir.exists()


def test_impossible_values_are_refused_by_name(service, default_model) -> None:
    """A value outside the sane input limits gets a message naming it, and no prediction."""
    x = _case(service, "Typical benign")
    x[0] = -3.0
    view = service.predict(x, 0.5)
    high = service.limits["mean_radius"][1]
    assert view.result == (
        "Check 1 value(s) that cannot be right for this model: "
        f"Radius, mean = -3 (accepted: 0 to {high:g})."
    )
    assert view.bars == []


def test_api_input_errors_are_messages_not_tracebacks(service) -> None:
    """Text in a field or a threshold outside [0, 1] (possible through the API) is a message."""
    x: list[object] = [*_case(service, "Typical benign")]
    view = service.predict(x, 1.5)  # type: ignore[arg-type]
    assert view.result == "Cannot predict: threshold must be a number in [0, 1]; got 1.5."
    x[0] = "abc"
    assert service.predict(x, 0.5).result.startswith(  # type: ignore[arg-type]
        "Cannot predict: X must contain only numbers"
    )
