"""The model tab: what the model file says about the model, built once per app."""

from __future__ import annotations

from typing import Any

from handgrad.trained import TrainedModel

__all__ = ["loss_rows", "model_summary"]

_METRICS = ("accuracy", "precision", "recall", "specificity", "f1", "roc_auc", "log_loss")


def model_summary(model: TrainedModel) -> str:
    """Markdown: classes, test metrics, confusion matrix and training settings of the file."""
    m, ev, tr = model, model.evaluation, model.training
    lines = [f"Classes: {m.class_names[0]} (0) and **{m.class_names[1]}** (1, positive)."]
    metrics = ev.get("metrics", {})
    if metrics:
        lines += ["", "#### Test-set metrics", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {metrics[k]:.4f} |" for k in _METRICS if k in metrics]
        if "confusion_matrix" in metrics:
            (tn, fp), (fn, tp) = metrics["confusion_matrix"]
            neg, pos = m.class_names
            lines += [
                "",
                f"#### Confusion matrix (threshold {metrics.get('threshold', m.threshold)})",
                "",
                f"| truth \\ predicted | {neg} | {pos} |",
                "|---|---|---|",
                f"| **{neg}** | {tn} | {fp} |",
                f"| **{pos}** | {fn} | {tp} |",
            ]
    fit = m.model
    lines += [
        "",
        "#### Training",
        "",
        "| setting | value |",
        "|---|---|",
        *(f"| {k} | {tr[k]} |" for k in sorted(tr) if k != "model_params"),
        *(f"| {k} | {val} |" for k, val in sorted(tr.get("model_params", {}).items())),
        f"| epochs run | {fit.n_iter_} |",
        f"| converged | {fit.converged_} |",
    ]
    return "\n".join(lines)


def loss_rows(model: TrainedModel) -> list[dict[str, Any]]:
    """Loss curve points ``{epoch, loss, set}`` for training and test, as recorded in fitting."""
    fit = model.model
    rows = [{"epoch": i, "loss": x, "set": "training"} for i, x in enumerate(fit.loss_history_)]
    rows += [{"epoch": i, "loss": x, "set": "test"} for i, x in enumerate(fit.eval_loss_history_)]
    return rows
