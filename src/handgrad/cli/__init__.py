"""The command line: ``handgrad <command> [options]``.

Each command lives in its own module in this package and provides ``add_parser(subparsers)``
and ``run(args) -> int``. Exit codes: 0 success, 1 the work failed (bad data, bad model
file, ...), 2 bad usage (argparse's own code).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

__all__ = ["main"]

COMMANDS = ("train", "evaluate", "predict", "serve", "gradcheck")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per available command."""
    from handgrad import __version__

    parser = argparse.ArgumentParser(
        prog="handgrad", description="Machine learning with every gradient written by hand."
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


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: ``sys.argv[1:]``), run the command, return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code
