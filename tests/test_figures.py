"""Pictures: each drawing function returns a figure that saves as a PNG; matplotlib is lazy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from handgrad import figures
from handgrad.figures import Surface

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _surface(**extra: object) -> Surface:
    xs = ys = np.linspace(-1.0, 1.0, 9)
    A, B = np.meshgrid(xs, ys)
    return Surface("bowl", xs, ys, A**2 + B**2, **extra)  # type: ignore[arg-type]


def _saves_png(fig: object, path: Path) -> None:
    fig.savefig(path)  # type: ignore[attr-defined]
    assert path.read_bytes()[:8] == PNG_SIGNATURE


def test_each_picture_draws_and_saves(tmp_path: Path) -> None:
    """The four drawing functions produce figures with the expected panels, saved as PNG."""
    curvature = np.zeros((7, 7))
    fig = figures.plot_loss_landscapes([_surface(curvature=curvature), _surface()])
    assert len(fig.axes) == 4
    _saves_png(fig, tmp_path / "landscape.png")
    path = np.array([[0.5, 0.5], [0.2, 0.1], [0.0, 0.0]])
    fig = figures.plot_scaling_surfaces([_surface(path=path, optimum=(0.0, 0.0))])
    assert len(fig.axes) == 2  # the map and its colorbar
    _saves_png(fig, tmp_path / "scaling.png")
    fig = figures.plot_training_curves({"sgd": ([1.0, 0.5], [1.1, 0.7])}, title="t")
    assert len(fig.axes) == 2
    _saves_png(fig, tmp_path / "curves.png")
    fig = figures.plot_symmetry({"zeros": np.zeros((64, 8)), "he": np.ones((64, 8))})
    assert len(fig.axes) == 16
    _saves_png(fig, tmp_path / "symmetry.png")


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib the error is one line naming the plot extra."""
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'handgrad\[plot\]'"):
        figures.plot_training_curves({})


def test_importing_handgrad_does_not_import_matplotlib() -> None:
    """The core, the landscape and the figures module import without loading matplotlib."""
    code = (
        "import sys, handgrad, handgrad.figures, handgrad.landscape, handgrad.mlp; "
        "print('matplotlib' in sys.modules, 'torch' in sys.modules)"
    )
    src = str(Path(figures.__file__).parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src},
    )
    assert out.stdout.split() == ["False", "False"]
