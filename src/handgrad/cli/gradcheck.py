"""``handgrad gradcheck``: check every model's hand-written gradient on a batch of real data.

Each entry of :data:`PROBLEMS` names a model and builds, from a small batch of real data and
random non-zero parameters, the ``(loss_and_grads, params)`` pair that
:func:`handgrad.gradcheck.check_gradients` takes. A new model joins the command with one entry.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.datasets import Dataset, load_breast_cancer, load_digits
from handgrad.gradcheck import LossAndGrads, check_gradients
from handgrad.logistic import logistic_objective
from handgrad.network import mlp_gradcheck_problem
from handgrad.scaling import StandardScaler
from handgrad.softmax_objective import softmax_objective

__all__ = ["PROBLEMS", "GradientProblem", "add_parser", "run"]

Array = NDArray[np.floating[Any]]
Builder = Callable[[int, np.random.Generator], tuple[LossAndGrads, dict[str, Array]]]


@dataclass(frozen=True)
class GradientProblem:
    """A model's loss on real data: ``build(batch_size, rng) -> (loss_and_grads, params)``."""

    description: str
    build: Builder


def _batch(data: Dataset, batch_size: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """``batch_size`` random rows (all rows if fewer), stratified, standardized on themselves.

    Each class's rows are shuffled and spread evenly over the order (the j-th of a class's
    ``n_c`` rows sits at ``(j + ½)/n_c``), so any first rows keep the class proportions and a
    digits batch of 10 or more rows holds every digit.
    """
    shuffled = rng.permutation(data.X.shape[0])  # (N,)
    labels = data.y[shuffled]  # (N,)
    position = np.zeros(shuffled.shape[0])  # (N,) where each row falls within its class
    for label in np.unique(labels):
        mask = labels == label
        position[mask] = (np.arange(np.count_nonzero(mask)) + 0.5) / np.count_nonzero(mask)
    rows = shuffled[np.argsort(position, kind="stable")][:batch_size]  # (m,)
    X = StandardScaler().fit_transform(data.X[rows])  # (m, d)
    return X, data.y[rows]


def _logistic(l2: float) -> Builder:
    def build(batch_size: int, rng: np.random.Generator) -> tuple[LossAndGrads, dict[str, Array]]:
        X, y = _batch(load_breast_cancer(), batch_size, rng)
        y01 = y.astype(np.float64)  # malignant = 1
        w: Array = rng.normal(scale=0.5, size=(X.shape[1],))  # (d,)
        b: Array = np.array(rng.normal())  # (), a 0-d array so that it can be perturbed

        def loss_and_grads() -> tuple[float, dict[str, Array]]:
            loss, dw, db = logistic_objective(w, float(b), X, y01, l2)
            return loss, {"w": dw, "b": np.array(db)}

        return loss_and_grads, {"w": w, "b": b}

    return build


def _softmax(l2: float) -> Builder:
    def build(batch_size: int, rng: np.random.Generator) -> tuple[LossAndGrads, dict[str, Array]]:
        X, y = _batch(load_digits(), batch_size, rng)
        Y = np.eye(10)[y]  # one-hot over the ten digits, (m, 10)
        W: Array = rng.normal(scale=0.5, size=(X.shape[1], 10))  # (d, k)
        b: Array = rng.normal(size=10)  # (k,)

        def loss_and_grads() -> tuple[float, dict[str, Array]]:
            loss, dW, db = softmax_objective(W, b, X, Y, l2)
            return loss, {"W": dW, "b": db}

        return loss_and_grads, {"W": W, "b": b}

    return build


def _mlp(data: str, hidden: tuple[int, ...], activation: str, l2: float) -> Builder:
    """An MLP on ``data`` with every weight and bias drawn from Normal(0, 1)."""

    def build(batch_size: int, rng: np.random.Generator) -> tuple[LossAndGrads, dict[str, Array]]:
        loader = load_digits if data == "digits" else load_breast_cancer
        X, y = _batch(loader(), batch_size, rng)
        return mlp_gradcheck_problem(
            X, y, hidden_layer_sizes=hidden, activation=activation, l2=l2,
            random_state=int(rng.integers(2**31)),
        )  # fmt: skip

    return build


PROBLEMS: dict[str, GradientProblem] = {
    "logistic": GradientProblem("logistic regression, breast cancer", _logistic(0.0)),
    "logistic-l2": GradientProblem("logistic regression + l2 = 0.1, breast cancer", _logistic(0.1)),
    "softmax": GradientProblem("softmax regression, digits", _softmax(0.0)),
    "softmax-l2": GradientProblem("softmax regression + l2 = 0.1, digits", _softmax(0.1)),
    "mlp": GradientProblem(
        "MLP 64-16-8-10, ReLU, softmax output, digits", _mlp("digits", (16, 8), "relu", 0.0)
    ),
    "mlp-l2": GradientProblem(
        "MLP 64-16-8-10, ReLU, softmax output + l2 = 0.1, digits",
        _mlp("digits", (16, 8), "relu", 0.1),
    ),
    "mlp-binary": GradientProblem(
        "MLP 30-8-1, tanh, sigmoid output + l2 = 0.1, breast cancer",
        _mlp("breast_cancer", (8,), "tanh", 0.1),
    ),
}


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0; got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0; got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1; got {text!r}")
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``gradcheck``."""
    parser = subparsers.add_parser(
        "gradcheck",
        help="check every model's gradient against central differences",
        description="For each model, compare the hand-written gradient of its loss on a small "
        "batch of real data, at random non-zero parameters, with central differences in "
        "float64, block by block (weights and biases separately), and print the table. "
        "Exit code 1 if any block fails.",
    )
    parser.add_argument(
        "--model",
        action="append",
        choices=sorted(PROBLEMS),
        help="check only this model (repeatable; default: all)",
    )
    parser.add_argument(
        "--batch-size", type=_positive_int, default=32, help="rows of data (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--h", type=_positive_float, default=1e-6, help="difference step (default: %(default)g)"
    )
    parser.add_argument(
        "--tolerance",
        type=_positive_float,
        default=1e-7,
        help="largest relative error that passes (default: %(default)g)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the selected checks, print one table each and a summary; 1 if any failed."""
    names = args.model or list(PROBLEMS)
    failed = []
    for i, name in enumerate(names):
        problem = PROBLEMS[name]
        rng = np.random.default_rng(args.seed)
        loss_and_grads, params = problem.build(args.batch_size, rng)
        report = check_gradients(
            loss_and_grads, params, h=args.h, tolerance=args.tolerance,
            title=f"{name}: {problem.description}, {args.batch_size} rows",
        )  # fmt: skip
        print(report.table(explain=i == len(names) - 1), end="\n\n")  # explain once, last
        if not report.passed:
            failed.append(name)
    if failed:
        print(f"gradcheck FAILED for {', '.join(failed)} ({len(failed)} of {len(names)} models).")
        return 1
    print(f"gradcheck passed for all {len(names)} models.")
    return 0
