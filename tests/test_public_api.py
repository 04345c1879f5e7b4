"""handgrad.__all__ is exactly the public names of the package, each importable."""

from __future__ import annotations

import importlib
import types

import handgrad


def test_all_is_exactly_the_public_names() -> None:
    """Every public non-module name in handgrad is in __all__, and nothing else is."""
    public = {
        name
        for name, value in vars(handgrad).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(handgrad.__all__) - {"__version__"}
    assert list(handgrad.__all__) == sorted(handgrad.__all__)


def test_every_name_in_all_imports() -> None:
    """`from handgrad import NAME` works for every name in __all__."""
    module = importlib.import_module("handgrad")
    for name in handgrad.__all__:
        assert getattr(module, name) is not None, name


def test_version_matches_the_package_metadata() -> None:
    """handgrad.__version__ is the version pyproject.toml declares."""
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text())["project"]["version"]
    assert handgrad.__version__ == declared
