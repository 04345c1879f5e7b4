"""The command line: ``handgrad <command> [options]``.

Each command lives in its own module in this package and provides ``add_parser(subparsers)``
and ``run(args) -> int``. Exit codes: 0 success, 1 the work failed (bad data, bad model
file, ...; one line ``error: ...`` on stderr, no traceback), 2 bad usage (argparse's own code),
141 stdout closed by its reader (``handgrad ... | head``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["main"]

COMMANDS = ("train", "evaluate", "predict", "serve", "gradcheck")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per available command."""
    from handgrad import __version__
    from handgrad.cli._common import EXIT_CODES

    parser = argparse.ArgumentParser(
        prog="handgrad",
        description="Machine learning with every gradient written by hand.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"handgrad {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"handgrad.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"handgrad.cli.{name}":
                raise
            continue
        module.add_parser(subparsers)
    return parser


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


@contextmanager
def _readable_warnings() -> Iterator[None]:
    """Show each ConvergenceWarning as one line ``warning: ...`` on stderr."""
    from handgrad.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always", ConvergenceWarning)
        show = warnings.showwarning

        def one_line(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if issubclass(category, ConvergenceWarning):
                print(f"warning: {_one_line(Exception(message))}", file=sys.stderr)
            else:
                show(message, category, filename, lineno, file, line)

        warnings.showwarning = one_line
        yield


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: ``sys.argv[1:]``), run the command, return its exit code."""
    from handgrad.cli._common import UsageError
    from handgrad.exceptions import MissingExtraError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and --version (0), usage errors (2)
        code: Any = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    with _readable_warnings():
        try:
            result: int = args.run(args)
        except UsageError as exc:
            print(f"error: {_one_line(exc)}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # the reader went away (`handgrad ... | head`): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit cannot fail
            return 141  # 128 + SIGPIPE, as a shell reports a process killed by a closed pipe
        except (ValueError, OSError, FloatingPointError, MissingExtraError) as exc:
            print(f"error: {_one_line(exc)}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("error: interrupted", file=sys.stderr)
            return 130
    return result
