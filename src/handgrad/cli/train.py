"""``handgrad train``: split, standardize, fit, evaluate, and write the run folder."""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from handgrad._validation import check_probability
from handgrad.cli._common import (
    ProgressBar,
    add_data_options,
    command_parser,
    default_run_folder,
    format_evaluation,
    load_training_data,
)
from handgrad.evaluation import DEFAULT_MARGIN, evaluate
from handgrad.exceptions import MissingExtraError
from handgrad.report import MODEL_FILE, write_run_folder
from handgrad.workflow import DEFAULT_MODEL_PARAMS, train_and_evaluate

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``train``."""
    parser = command_parser(
        subparsers,
        "train",
        "train logistic regression and write a run folder",
        "Train logistic regression by batch gradient descent on the bundled Breast Cancer "
        "Wisconsin data (default) or on any CSV with a binary label column. The rows are split "
        "(stratified, seeded), standardized on the training rows, fitted, and evaluated on the "
        "test rows; the run folder gets the model file, metrics.json, predictions.csv, the "
        "pictures and report.html.",
    )
    add_data_options(
        parser,
        what="default: the bundled Breast Cancer Wisconsin data",
        positive="label value of the positive class (y = 1); default: the later of the two "
        "values in sorted order",
    )
    hyper = parser.add_argument_group("model")
    hyper.add_argument(
        "--learning-rate",
        metavar="LR",
        type=float,
        default=DEFAULT_MODEL_PARAMS["learning_rate"],
        help="gradient descent step size (default: %(default)s)",
    )
    hyper.add_argument(
        "--max-iter",
        metavar="N",
        type=int,
        default=DEFAULT_MODEL_PARAMS["max_iter"],
        help="most epochs (default: %(default)s)",
    )
    hyper.add_argument(
        "--tol",
        metavar="TOL",
        type=float,
        default=1e-4,
        help="stop when the gradient norm falls below it (default: %(default)s)",
    )
    hyper.add_argument(
        "--l2",
        metavar="L2",
        type=float,
        default=0.0,
        help="L2 penalty strength, (l2/2)·‖w‖² (default: 0)",
    )
    split = parser.add_argument_group("split and evaluation")
    split.add_argument(
        "--test-size",
        metavar="FRACTION",
        type=float,
        default=0.2,
        help="test fraction (default: %(default)s)",
    )
    split.add_argument(
        "--seed", metavar="N", type=int, default=0, help="split seed (default: %(default)s)"
    )
    split.add_argument(
        "--threshold",
        metavar="P",
        type=float,
        default=0.5,
        help="predict positive where p >= threshold (default: %(default)s)",
    )
    split.add_argument(
        "--margin",
        metavar="M",
        type=float,
        default=DEFAULT_MARGIN,
        help="flag samples with |p - threshold| <= margin as borderline (default: %(default)s)",
    )
    out = parser.add_argument_group("output")
    out.add_argument("--out", metavar="DIR", help="run folder (default: runs/<timestamp>)")
    out.add_argument("--no-plots", action="store_true", help="skip the PNG pictures")
    out.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Train, evaluate, write the run folder, print the evaluation and the folder's path."""
    check_probability(args.margin, "margin")
    if not args.no_plots:
        from handgrad.plots import require_matplotlib

        try:
            require_matplotlib()
        except MissingExtraError as exc:
            raise MissingExtraError(f"{exc} (or pass --no-plots)") from None
    data, source, target = load_training_data(args)
    folder = Path(args.out) if args.out else default_run_folder()
    print(
        f"data: {source} ({data.X.shape[0]} rows, {data.X.shape[1]} features, "
        f"positive class {data.target_names[1]!r})"
    )
    progress = None if args.no_progress else ProgressBar(args.max_iter)
    # Warnings raised while the bar is drawn are held back and shown after its last line.
    with warnings.catch_warnings(record=True) as held:
        warnings.simplefilter("always")
        try:
            trained = train_and_evaluate(
                data,
                test_size=args.test_size,
                random_state=args.seed,
                threshold=args.threshold,
                callback=progress,
                source=source,
                learning_rate=args.learning_rate,
                max_iter=args.max_iter,
                tol=args.tol,
                l2=args.l2,
            )
        finally:
            if progress is not None:
                progress.close()
    for w in held:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    trained.training["target"] = target
    test = np.asarray(trained.evaluation["test_index"], dtype=np.intp)
    ev = evaluate(trained, data.X[test], data.y[test], rows=test)
    write_run_folder(folder, trained, ev, pictures=not args.no_plots, margin=args.margin)
    model = trained.model
    state = "converged" if model.converged_ else "not converged"
    final = model.loss_history_[-1]
    print(f"trained: {model.n_iter_} epochs ({state}), final training loss {final:.4f}")
    print(format_evaluation(ev, margin=args.margin))
    print(f"model file: {folder / MODEL_FILE}")
    print(f"run folder: {folder}")
    return 0
