"""``handgrad predict``: probabilities and labels for every row of a CSV."""

from __future__ import annotations

import argparse

import numpy as np

from handgrad.cli._common import command_parser
from handgrad.datasets import read_csv
from handgrad.report import write_csv
from handgrad.trained import TrainedModel

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``predict``."""
    parser = command_parser(
        subparsers,
        "predict",
        "write probabilities and labels for a CSV",
        "Read the model's feature columns (by name; other columns are ignored) from a CSV and "
        "write one row per input row: the row number (the first data row is 0), the probability "
        "of each class and the predicted label. The output file is written atomically.",
    )
    parser.add_argument("--model", required=True, metavar="PATH", help="model file (model.json)")
    parser.add_argument("--data", required=True, metavar="IN.csv", help="rows to predict")
    parser.add_argument("--out", required=True, metavar="OUT.csv", help="where to write them")
    parser.add_argument(
        "--threshold",
        metavar="P",
        type=float,
        help="predict positive where p >= threshold (default: the model's)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Predict every row of ``--data`` and write ``--out``."""
    trained = TrainedModel.load(args.model)
    data = read_csv(args.data, target=None, feature_names=trained.feature_names)
    p = trained.positive_proba(data.X)  # (n,)
    labels = trained.predict(data.X, threshold=args.threshold)  # (n,)
    neg, pos = trained.class_names
    rows = [[i, repr(float(1.0 - pi)), repr(float(pi)), str(label)] for i, (pi, label) in
            enumerate(zip(p, labels, strict=True))]  # fmt: skip
    write_csv(args.out, ["row", f"p_{neg}", f"p_{pos}", "predicted"], rows)
    counts = {name: int(np.sum(labels == name)) for name in (neg, pos)}
    print(f"wrote {len(rows)} predictions to {args.out} ({counts[pos]} {pos}, {counts[neg]} {neg})")
    return 0
