"""The command line: ``handgrad train | evaluate | predict``."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    raise NotImplementedError("the CLI is being built")
