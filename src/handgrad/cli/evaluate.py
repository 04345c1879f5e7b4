"""``handgrad evaluate``: score a saved model on labelled data."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from handgrad._validation import check_probability
from handgrad.cli._common import (
    BUNDLED,
    UsageError,
    add_data_options,
    command_parser,
    format_evaluation,
)
from handgrad.datasets import load_breast_cancer, read_csv
from handgrad.evaluation import DEFAULT_MARGIN, Evaluation, evaluate
from handgrad.report import write_run_folder
from handgrad.trained import TrainedModel

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``evaluate``."""
    parser = command_parser(
        subparsers,
        "evaluate",
        "score a saved model on labelled data",
        "Load a model file and print its metrics, confusion matrix and borderline samples. "
        "Without --data, a model trained on the bundled data is scored on its own test split.",
    )
    parser.add_argument("--model", required=True, metavar="PATH", help="model file (model.json)")
    add_data_options(
        parser,
        what="default: the model's own test split of the bundled data",
        positive="the label that, in this CSV, means the model's positive class (default: "
        "the labels are spelled as the model names them)",
    )
    parser.add_argument(
        "--threshold",
        metavar="P",
        type=float,
        help="predict positive where p >= threshold (default: the model's)",
    )
    parser.add_argument(
        "--margin",
        metavar="M",
        type=float,
        default=DEFAULT_MARGIN,
        help="flag samples with |p - threshold| <= margin as borderline (default: %(default)s)",
    )
    parser.add_argument("--out", metavar="DIR", help="also write a report folder here (no model)")
    parser.add_argument("--no-plots", action="store_true", help="no PNG pictures in --out")
    parser.set_defaults(run=run)


def _labels_from_csv(trained: TrainedModel, args: argparse.Namespace) -> tuple[Evaluation, str]:
    target = args.target or trained.training.get("target")
    if target is None:
        raise UsageError("--data needs --target COLUMN, the name of the label column.")
    data = read_csv(args.data, target=target, feature_names=trained.feature_names)
    labels = data.y.astype(str)
    values = sorted(set(labels.tolist()))
    if args.positive is not None:
        if len(values) > 2 or (len(values) == 2 and args.positive not in values):
            raise ValueError(
                f"target column {target!r} of {args.data!r} must hold the positive label "
                f"{args.positive!r} and at most one other value; found {values[:6]}."
            )
        positive = args.positive
    else:
        unknown = sorted(set(values) - set(trained.class_names))
        if unknown:
            raise ValueError(
                f"target column {target!r} of {args.data!r} holds label(s) {unknown[:5]} the "
                f"model does not know; expected only {trained.class_names} "
                "(pass --positive VALUE if this file spells the labels differently)."
            )
        positive = trained.class_names[1]
    y = (labels == positive).astype(np.int64)
    return evaluate(trained, data.X, y, threshold=args.threshold), f"csv:{args.data}"


def _own_test_split(trained: TrainedModel) -> tuple[Evaluation, str]:
    if trained.training.get("source") != BUNDLED:
        raise UsageError(
            f"this model was trained on {trained.training.get('source', 'unknown data')!r}, "
            "not the bundled data; pass --data CSV --target COLUMN to evaluate it."
        )
    data = load_breast_cancer()
    test = np.asarray(trained.evaluation.get("test_index", []), dtype=np.intp)
    if test.size == 0 or test.min() < 0 or test.max() >= data.X.shape[0]:
        raise ValueError("the model file records no valid test rows; pass --data CSV to evaluate.")
    return evaluate(trained, data.X[test], data.y[test], rows=test), "its own test split"


def run(args: argparse.Namespace) -> int:
    """Load the model, score it, print the result (and write a report folder with --out)."""
    check_probability(args.margin, "margin")
    trained = TrainedModel.load(args.model)
    if args.data is None and args.positive is not None:
        raise UsageError("--positive goes with --data CSV.")
    ev, what = _labels_from_csv(trained, args) if args.data else _own_test_split(trained)
    print(f"model: {args.model}, scored on {what}")
    print(format_evaluation(ev, margin=args.margin))
    if args.out:
        write_run_folder(
            Path(args.out), trained, ev, pictures=not args.no_plots, margin=args.margin,
            save_model=False,
        )  # fmt: skip
        print(f"report folder: {args.out}")
    return 0
