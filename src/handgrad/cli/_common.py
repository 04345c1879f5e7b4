"""What the train, evaluate and predict commands share: options, data loading, printing."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import TextIO

import numpy as np

from handgrad.datasets import Dataset, load_breast_cancer, read_csv
from handgrad.evaluation import DEFAULT_MARGIN, Evaluation
from handgrad.report import METRIC_NAMES

BUNDLED = "bundled:breast_cancer"

EXIT_CODES = """\
exit codes:
  0  success
  1  the work failed (bad data, bad model file, diverged training, ...);
     one line 'error: ...' on stderr says what was wrong, expected and found
  2  bad usage (unknown option, missing argument); the usage is printed
  141  stdout was closed by its reader (for example '| head'); output stopped quietly
"""


class UsageError(Exception):
    """The command line asks for something that cannot be done as given (exit code 2)."""


def command_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    """A sub-parser with the shared epilog that documents the exit codes."""
    return subparsers.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, width=78),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_data_options(parser: argparse.ArgumentParser, *, what: str, positive: str) -> None:
    """``--data``, ``--target`` and ``--positive``."""
    parser.add_argument("--data", metavar="CSV", help=f"CSV file with a header row ({what})")
    parser.add_argument("--target", metavar="COLUMN", help="name of the label column")
    parser.add_argument("--positive", metavar="VALUE", help=positive)


def load_labelled_csv(path: str, target: str | None, positive: str | None) -> Dataset:
    """Read a binary-labelled CSV; the positive label defaults to the later of the two."""
    if target is None:
        raise UsageError("--data needs --target COLUMN, the name of the label column.")
    if positive is None:
        labels = read_csv(path, target=target).y
        values = sorted(set(labels.tolist()))
        if len(values) != 2:
            raise ValueError(
                f"target column {target!r} of {path!r} must hold exactly two values; "
                f"found {len(values)}: {values[:6]}{' ...' if len(values) > 6 else ''}."
            )
        positive = values[1]
    return read_csv(path, target=target, positive=positive)


def load_training_data(args: argparse.Namespace) -> tuple[Dataset, str, str]:
    """``(data, source, target)``: the bundled data, or the CSV named by ``--data``."""
    if args.data is None:
        if args.target is not None or args.positive is not None:
            raise UsageError("--target and --positive go with --data CSV.")
        return load_breast_cancer(), BUNDLED, "diagnosis"
    data = load_labelled_csv(args.data, args.target, args.positive)
    return data, f"csv:{args.data}", args.target


def default_run_folder(root: str = "runs") -> Path:
    """``runs/<YYYYmmdd-HHMMSS>``, with a suffix if that folder exists already."""
    stem = Path(root) / datetime.now().strftime("%Y%m%d-%H%M%S")
    folder, k = stem, 1
    while folder.exists():
        k += 1
        folder = stem.with_name(f"{stem.name}-{k}")
    return folder


class ProgressBar:
    """A text progress bar for ``fit(callback=...)``, drawn on a stream (stderr).

    On a terminal it redraws one line in place; elsewhere (a log, a pipe) it writes a single
    line when training ends.
    """

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total, self.width = max(total, 1), width
        self.stream = sys.stderr if stream is None else stream
        self.live = self.stream.isatty()
        self.last: tuple[int, float] | None = None
        self._drawn = -1

    def _line(self, epoch: int, loss: float) -> str:
        filled = round(self.width * epoch / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        return f"training [{bar}] epoch {epoch}/{self.total}  loss {loss:.4f}"

    def __call__(self, epoch: int, loss: float) -> None:
        self.last = (epoch, loss)
        step = max(self.total // 100, 1)
        if self.live and (epoch - self._drawn >= step or epoch == self.total):
            self._drawn = epoch
            self.stream.write("\r" + self._line(epoch, loss))
            self.stream.flush()

    def close(self) -> None:
        """Finish the line (on a terminal) or write the final state (elsewhere)."""
        if self.last is None:
            return
        text = self._line(*self.last)
        self.stream.write(("\r" + text if self.live else text) + "\n")
        self.stream.flush()


def format_evaluation(ev: Evaluation, *, margin: float = DEFAULT_MARGIN, limit: int = 10) -> str:
    """The metrics, the confusion matrix and the head of the per-sample table, as text."""
    m = ev.metrics
    neg, pos = ev.class_names
    right = int(np.sum(ev.y_true == (ev.proba >= ev.threshold)))
    lines = [
        f"test set: {m['n_samples']} samples, positive class {pos!r}, threshold {ev.threshold:g}"
    ]
    for key, label in METRIC_NAMES.items():
        value = "n/a (one class only)" if m[key] is None else f"{m[key]:.4f}"
        extra = f"  ({right}/{m['n_samples']})" if key == "accuracy" else ""
        lines.append(f"  {label:<22}{value}{extra}")
    (tn, fp), (fn, tp) = m["confusion_matrix"]
    width = max(len(neg), len(pos), 9)
    lines += [
        "confusion matrix (rows: true, columns: predicted)",
        f"  {'':<{width}}  {neg:>{width}}  {pos:>{width}}",
        f"  {neg:<{width}}  {tn:>{width}}  {fp:>{width}}",
        f"  {pos:<{width}}  {fn:>{width}}  {tp:>{width}}",
    ]
    table = ev.table(margin=margin)
    n_border = sum(r.borderline for r in table)
    n_wrong = sum(not r.correct for r in table)
    shown = [r for r in table if r.borderline or not r.correct][:limit]
    lines.append(
        f"{n_border} borderline sample(s) (|p - {ev.threshold:g}| <= {margin:g}) and "
        f"{n_wrong} mistake(s); borderline first:"
    )
    if shown:
        lines.append(f"  {'row':>5}  {'p(' + pos + ')':>14}  {'predicted':<{width}}  true")
    for r in shown:
        flag = "borderline" if r.borderline else ""
        mark = "ok" if r.correct else "WRONG"
        lines.append(
            f"  {r.row:>5}  {r.proba:>14.4f}  {r.predicted:<{width}}  {r.true:<{width}}  "
            f"{mark:<5} {flag}".rstrip()
        )
    return "\n".join(lines)
