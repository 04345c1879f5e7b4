"""The run folder: model file, metrics, per-sample predictions, pictures and one HTML report.

::

    model.json          the trained model (handgrad model file, JSON with a checksum)
    metrics.json        test metrics, threshold, class names and training settings
    predictions.csv     the per-sample table, borderline samples first
    loss_curve.png  confusion_matrix.png  roc_curve.png  sigmoid.png  bce.png
    report.html         all of the above in one self-contained page (images inlined)

Every file is written atomically, and the model file last: a folder that holds a model file
holds the whole run, and a run that fails leaves no model file at all.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from handgrad.evaluation import DEFAULT_MARGIN, Evaluation, SampleRow
from handgrad.persistence import atomic_write
from handgrad.trained import TrainedModel

__all__ = ["MODEL_FILE", "PICTURES", "predictions_csv", "write_csv", "write_run_folder"]

MODEL_FILE = "model.json"
PICTURES = ("loss_curve", "confusion_matrix", "roc_curve", "sigmoid", "bce")
METRIC_NAMES = {
    "accuracy": "accuracy",
    "precision": "precision",
    "recall": "recall (sensitivity)",
    "specificity": "specificity",
    "f1": "F1",
    "roc_auc": "ROC AUC",
    "log_loss": "log loss",
}


def write_csv(path: str | Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """Write a CSV file atomically; returns its path."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return atomic_write(path, buffer.getvalue().encode("utf-8"))


def predictions_csv(table: Sequence[SampleRow], class_names: Sequence[str]) -> list[list[Any]]:
    """The rows of ``predictions.csv`` (header first) for a per-sample table."""
    header = ["row", f"p_{class_names[1]}", "predicted", "true", "correct", "borderline"]
    body = [
        [r.row, repr(r.proba), r.predicted, r.true, int(r.correct), int(r.borderline)]
        for r in table
    ]
    return [header, *body]


def _pictures(trained: TrainedModel, ev: Evaluation) -> dict[str, bytes]:
    from handgrad import plots

    model = trained.model
    figures = {
        "loss_curve": plots.loss_curve(model.loss_history_, model.eval_loss_history_),
        "confusion_matrix": plots.confusion_matrix_plot(
            ev.metrics["confusion_matrix"], ev.class_names
        ),
        "roc_curve": plots.roc_plot(ev.y_true, ev.proba)
        if ev.metrics["roc_auc"] is not None
        else None,
        "sigmoid": plots.sigmoid_plot(ev.z, ev.y_true, ev.class_names, threshold=ev.threshold),
        "bce": plots.bce_curves(),
    }
    return {name: plots.to_png(fig) for name, fig in figures.items() if fig is not None}


def _summary(trained: TrainedModel, ev: Evaluation, margin: float) -> dict[str, Any]:
    return {
        "metrics": ev.metrics,
        "class_names": ev.class_names,
        "positive_class": ev.class_names[1],
        "threshold": ev.threshold,
        "borderline_margin": margin,
        "n_borderline": int(sum(r.borderline for r in ev.table(margin=margin))),
        "n_iter": int(trained.model.n_iter_),
        "converged": bool(trained.model.converged_),
        "training": trained.training,
    }


def _table(rows: Sequence[Sequence[Any]], *, header: bool = True) -> str:
    def cells(row: Sequence[Any], tag: str) -> str:
        return "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row)

    head = f"<tr>{cells(rows[0], 'th')}</tr>" if header else ""
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows[1 if header else 0 :])
    return f"<table>{head}{body}</table>"


def _settings(trained: TrainedModel) -> list[list[Any]]:
    training = dict(trained.training)
    params = training.pop("model_params", {})
    rows: list[list[Any]] = [["setting", "value"]]
    rows += [[k, v] for k, v in training.items()]
    rows += [[f"LogisticRegression.{k}", v] for k, v in sorted(params.items())]
    rows += [["threshold", trained.threshold]]
    return rows


def render_html(
    trained: TrainedModel, ev: Evaluation, pictures: dict[str, bytes], *, margin: float
) -> str:
    """One self-contained HTML page: settings, metrics, confusion matrix, pictures, table."""
    m = ev.metrics
    neg, pos = ev.class_names
    (tn, fp), (fn, tp) = m["confusion_matrix"]
    metric_rows = [["metric", "value"]] + [
        [label, "n/a" if m[key] is None else f"{m[key]:.4f}"] for key, label in METRIC_NAMES.items()
    ]
    confusion = [["true \\ predicted", neg, pos], [neg, tn, fp], [pos, fn, tp]]
    table = ev.table(margin=margin)
    status = "converged" if trained.model.converged_ else "stopped at max_iter, not converged"
    images = "".join(
        f'<figure><img alt="{name}" src="data:image/png;base64,'
        f'{base64.b64encode(data).decode("ascii")}"></figure>'
        for name, data in pictures.items()
    )
    body_rows = "".join(
        f'<tr class="{"borderline" if r.borderline else ""}{" wrong" if not r.correct else ""}">'
        f"<td>{r.row}</td><td>{r.proba:.4f}</td><td>{html.escape(r.predicted)}</td>"
        f"<td>{html.escape(r.true)}</td><td>{'yes' if r.correct else 'no'}</td>"
        f"<td>{'yes' if r.borderline else ''}</td></tr>"
        for r in table
    )
    columns = ["row", f"p({pos})", "predicted", "true", "correct", "borderline"]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    n_border = sum(r.borderline for r in table)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>handgrad run report</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; }}
td, th {{ border: 1px solid #ccc; padding: 0.2rem 0.6rem; text-align: left; }}
tr.borderline {{ background: #fff3c4; }} tr.wrong td {{ color: #b00020; }}
figure {{ display: inline-block; margin: 0.5rem; }} img {{ max-width: 28rem; }}
</style></head><body>
<h1>handgrad run report</h1>
<p>Logistic regression trained by batch gradient descent: {trained.model.n_iter_} epochs,
{html.escape(status)}. Positive class: <b>{html.escape(pos)}</b>; threshold {ev.threshold:g}.
Evaluated on {m["n_samples"]} held-out samples.</p>
<h2>Settings</h2>{_table(_settings(trained))}
<h2>Metrics</h2>{_table(metric_rows)}
<h2>Confusion matrix</h2>{_table(confusion)}
<h2>Pictures</h2>{images}
<h2>Every test sample</h2>
<p>{n_border} borderline sample(s) (|p − {ev.threshold:g}| ≤ {margin:g}, highlighted) come
first, then the other mistakes (red), then the rest.</p>
<table><tr>{head}</tr>{body_rows}</table>
</body></html>
"""


def write_run_folder(
    folder: str | Path,
    trained: TrainedModel,
    evaluation: Evaluation,
    *,
    pictures: bool = True,
    margin: float = DEFAULT_MARGIN,
    save_model: bool = True,
) -> dict[str, Path]:
    """Write the run folder; returns ``{name: path}`` of every file written.

    All content is computed before anything is written (a missing matplotlib fails here,
    leaving nothing behind), files an earlier run left in ``folder`` that this run does not
    rewrite are removed, and the model file is written last.
    """
    folder = Path(folder)
    images = _pictures(trained, evaluation) if pictures else {}
    table = evaluation.table(margin=margin)
    summary = json.dumps(_summary(trained, evaluation, margin), indent=1, allow_nan=False)
    page = render_html(trained, evaluation, images, margin=margin)
    # Files of an earlier run in this folder that this run will not rewrite go first, so the
    # folder never mixes two runs (and a model file is only ever this run's, written last).
    stale = [MODEL_FILE] if save_model else []
    stale += [f"{name}.png" for name in PICTURES if name not in images]
    for name in stale:
        (folder / name).unlink(missing_ok=True)
    written: dict[str, Path] = {}
    written["metrics"] = atomic_write(folder / "metrics.json", summary.encode("utf-8"))
    csv_rows = predictions_csv(table, evaluation.class_names)
    written["predictions"] = write_csv(folder / "predictions.csv", csv_rows[0], csv_rows[1:])
    for name, data in images.items():
        written[name] = atomic_write(folder / f"{name}.png", data)
    written["report"] = atomic_write(folder / "report.html", page.encode("utf-8"))
    if save_model:
        written["model"] = trained.save(folder / MODEL_FILE)
    return written
