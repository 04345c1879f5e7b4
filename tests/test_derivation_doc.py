"""docs/derivation.md stays true: every line of code it quotes is in the function it names."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "derivation.md"
POINTER = re.compile(r"`src/(handgrad/[\w/]+)\.py`, `([\w.]+)`: `([^`]+)`")
POINTERS = POINTER.findall(DOC.read_text(encoding="utf-8"))


def test_the_derivation_points_at_code() -> None:
    """The derivation quotes the forward, loss, gradient and update lines (at least 12)."""
    assert len(POINTERS) >= 12


@pytest.mark.parametrize(("module", "qualname", "line"), POINTERS)
def test_quoted_line_is_in_the_named_function(module: str, qualname: str, line: str) -> None:
    """The quoted line appears, as a whole line, in the source of the function named."""
    target = importlib.import_module(module.replace("/", "."))
    for part in qualname.split("."):
        target = getattr(target, part)
    source_lines = [text.strip() for text in inspect.getsource(target).splitlines()]
    assert line.strip() in source_lines
