"""The functions behind the web app: library results turned into text and chart rows.

No Gradio here and no math: every number comes from the public API (``TrainedModel``,
``handgrad.explain``, ``handgrad.batch``, ``handgrad.metrics``); this module only words it.
Everything that does not depend on the request (test cases, the model tab) is computed once.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.app.fields import Field, describe
from handgrad.app.model_card import loss_rows, model_summary
from handgrad.batch import MAX_ROWS, BatchFileError, score_csv, write_template
from handgrad.explain import BORDERLINE_MARGIN, explain, input_limits, outside_input_limits
from handgrad.testset import ExampleCase, example_cases, operating_point
from handgrad.trained import TrainedModel

__all__ = ["AppService", "PredictionView", "format_probability"]

BUNDLED_SOURCE = "bundled:breast_cancer"
N_BARS = 10  # contributions drawn in the chart; the text gives the sum of all of them


def format_probability(p: float) -> str:
    """A probability as the page shows it after "P(...)", relation included: ``"= 0.5080"``,
    and ``"< 0.0001"`` or ``"> 0.9999"`` rather than a misleading 0 or 1."""
    if p < 0.00005:
        return "< 0.0001"
    if p > 0.99995:
        return "> 0.9999"
    return f"= {p:.4f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


@dataclass(frozen=True)
class PredictionView:
    """Everything the page shows for one prediction."""

    result: str  # markdown: P(positive) and the label
    borderline: str  # markdown notice, "" when not borderline
    range_warning: str  # markdown warning, "" when every input is in range
    explanation: str  # markdown: intercept + sum of terms = log-odds
    bars: list[dict[str, Any]]  # chart rows: feature, size = |term|, term, pushes towards


class AppService:
    """One trained model and everything the app shows about it.

    Parameters
    ----------
    model : the TrainedModel to serve.
    data_X : the rows the model was evaluated on (``model.evaluation['test_index']`` indexes
        into it), for the picker of real test cases; ``None`` turns the picker off.
    """

    def __init__(self, model: TrainedModel, data_X: NDArray[np.float64] | None = None) -> None:
        self.model = model
        self.fields: list[Field] = [describe(n) for n in model.feature_names]
        self.limits = input_limits(model)
        self.cases: list[ExampleCase] = (
            example_cases(model, data_X) if data_X is not None and model.evaluation else []
        )
        self.max_rows = MAX_ROWS
        # Result files live here until the service goes away (or close() is called).
        self.workdir = Path(tempfile.mkdtemp(prefix="handgrad-app-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.workdir, ignore_errors=True)
        self.template_path = write_template(
            model.feature_names,
            [c.values for c in self.cases],
            self.workdir / "handgrad_batch_template.csv",
        )
        self.model_summary = model_summary(model)
        self.loss_rows = loss_rows(model)

    @classmethod
    def for_model(cls, model: TrainedModel) -> AppService:
        """Serve ``model``; the case picker is on when it was trained on the bundled data."""
        from handgrad.datasets import load_breast_cancer

        if model.training.get("source") == BUNDLED_SOURCE:
            data = load_breast_cancer()
            if data.feature_names == model.feature_names:
                return cls(model, data.X)
        return cls(model)

    def close(self) -> None:
        """Delete the result files now."""
        self._cleanup()

    @property
    def positive(self) -> str:
        return self.model.class_names[1]

    # ------------------------------------------------------------------ form

    def case_choices(self) -> list[str]:
        """Picker entries, e.g. ``'Typical benign (test row 473)'``."""
        return [f"{c.key.capitalize()} (data row {c.row})" for c in self.cases]

    def fill_case(self, choice: str | None) -> tuple[list[float | None], str]:
        """The form values for a picker entry and a line about the case."""
        for label, case in zip(self.case_choices(), self.cases, strict=True):
            if label == choice:
                note = (
                    f"Data row {case.row} of the bundled data, a test case the model never "
                    f"trained on. True diagnosis: **{case.true_label}**; the model gives "
                    f"P({self.positive}) {format_probability(case.probability)}."
                )
                return list(case.values), note
        return [None] * len(self.fields), ""

    def predict(self, values: Sequence[float | None], threshold: float) -> PredictionView:
        """Predict one case from the form's values (raw units) at ``threshold``."""
        missing = [f.short for f, x in zip(self.fields, values, strict=True) if x is None]
        if missing:
            shown = ", ".join(missing[:6]) + (" ..." if len(missing) > 6 else "")
            return PredictionView(
                f"Enter all {len(self.fields)} measurements (or pick a test case); "
                f"{len(missing)} empty: {shown}.",
                "",
                "",
                "",
                [],
            )
        row = [x for x in values if x is not None]  # every value is there (checked above)
        try:
            implausible = outside_input_limits(self.model, row)
            e = explain(self.model, row, threshold=threshold)
        except ValueError as exc:  # text or a bad threshold sent through the API
            return PredictionView(f"Cannot predict: {exc}", "", "", "", [])
        if implausible:
            items = "; ".join(
                f"{describe(o.name).short} = {o.value:g} (accepted: {o.low:g} to {o.high:g})"
                for o in implausible
            )
            return PredictionView(
                f"Check {len(implausible)} value(s) that cannot be right for this model: {items}.",
                "",
                "",
                "",
                [],
            )
        result = (
            f"### P({self.positive}) {format_probability(e.probability)}\n\n"
            f"Prediction: **{e.label}** (threshold {e.threshold:.2f})"
        )
        borderline = (
            f"**Borderline.** The probability is within {BORDERLINE_MARGIN:.2f} of the "
            f"threshold {e.threshold:.2f}: small changes in the measurements can change the "
            "label. Do not rely on this prediction alone."
            if e.borderline
            else ""
        )
        warning = ""
        if e.out_of_range:
            items = "\n".join(
                f"- {describe(o.name).short} = {o.value:g} (training range {o.low:g} to {o.high:g})"
                for o in e.out_of_range
            )
            warning = (
                f"**{len(e.out_of_range)} input(s) outside the range seen in training.** "
                "The model has never seen such values; treat the result with caution.\n\n" + items
            )
        total = sum(c.contribution for c in e.contributions)
        explanation = (
            f"Log-odds z = {e.intercept:+.3f} (intercept) {total:+.3f} (sum of the "
            f"{len(e.contributions)} feature terms) = {e.logit:+.3f}, and "
            f"P = 1 / (1 + exp(−z)). Each term is w·x̃: the weight times the input in standard "
            f"deviations from the training mean. Positive terms push towards {self.positive}. "
            f"The chart shows the {min(N_BARS, len(e.contributions))} largest by size |w·x̃|, "
            "coloured by the way they push."
        )
        bars = [
            {
                "feature": describe(c.name).short,
                "size": abs(c.contribution),
                "term": c.contribution,
                "pushes towards": self.positive
                if c.contribution > 0
                else self.model.class_names[0],
            }
            for c in e.contributions[:N_BARS]
        ]
        return PredictionView(result, borderline, warning, explanation, bars)

    def threshold_summary(self, threshold: float) -> str:
        """The test-set sensitivity and specificity at ``threshold``, in words."""
        if not self.model.evaluation:
            return "This model file holds no test-set results."
        op = operating_point(self.model, threshold)
        neg = self.model.class_names[0]
        return (
            f"At threshold **{op.threshold:.2f}**, on the {op.tp + op.fn + op.tn + op.fp} test "
            f"cases: sensitivity **{_pct(op.sensitivity)}** ({op.tp} of {op.tp + op.fn} "
            f"{self.positive} found), specificity **{_pct(op.specificity)}** ({op.tn} of "
            f"{op.tn + op.fp} {neg} cleared)."
        )

    # ----------------------------------------------------------------- batch

    def score_file(self, path: str | None, threshold: float) -> tuple[str | None, str]:
        """Score an uploaded CSV; returns ``(path of the result or None, message)``."""
        if not path:
            return None, "Choose a CSV file first."
        out = self.workdir / uuid.uuid4().hex / f"{Path(path).stem}_scored.csv"
        out.parent.mkdir()
        try:
            result = score_csv(self.model, path, out, threshold=threshold, max_rows=self.max_rows)
        except BatchFileError as exc:
            return None, f"**This file cannot be scored.** {exc}"
        n_pos = sum(label == self.positive for label in result.labels)
        message = (
            f"Scored **{result.n_rows}** row(s): {n_pos} called {self.positive} at threshold "
            f"{threshold:.2f}. Download the file below."
        )
        if result.n_out_of_range:
            message += (
                f" {result.n_out_of_range} row(s) have inputs outside the training range; "
                "the column outside_training_range names them."
            )
        return str(out), message
