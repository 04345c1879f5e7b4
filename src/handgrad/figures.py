"""Pictures for learners, drawn from numbers that the library computes.

Each function takes arrays (from :mod:`handgrad.landscape` or a fitted model) and returns a
``matplotlib.figure.Figure``; nothing here computes a loss. matplotlib is imported only when a
function is called; without it, the error names the extra to install.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Surface",
    "plot_loss_landscapes",
    "plot_scaling_surfaces",
    "plot_symmetry",
    "plot_training_curves",
]

Array = NDArray[np.floating[Any]]


@dataclass
class Surface:
    """A loss surface ``F (len(ys), len(xs))`` over a grid, with labels and an optional path."""

    title: str
    xs: Array
    ys: Array
    F: Array
    xlabel: str = "α"
    ylabel: str = "β"
    path: Array | None = None  # (steps + 1, 2) points in the same coordinates
    optimum: tuple[float, float] | None = None
    curvature: Array | None = None  # min_curvature(F, xs, ys): (len(ys) − 2, len(xs) − 2)


def _figure(figsize: tuple[float, float]) -> Any:
    try:
        from matplotlib.figure import Figure
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "Pictures need matplotlib: pip install 'handgrad[plot]'"
        ) from None
    return Figure(figsize=figsize, layout="constrained")


def plot_loss_landscapes(surfaces: Sequence[Surface]) -> Any:
    """One column per model: the 3-D surface above, its contour map below.

    Where a surface carries ``curvature``, the contour map shades the points where the
    smallest curvature is negative (the surface bends down there: it is not convex).
    """
    fig = _figure((5.4 * len(surfaces), 9.0))
    n = len(surfaces)
    for k, s in enumerate(surfaces):
        A, B = np.meshgrid(s.xs, s.ys)  # (len(ys), len(xs)) each
        ax = fig.add_subplot(2, n, k + 1, projection="3d")
        ax.plot_surface(A, B, s.F, cmap="viridis", linewidth=0, antialiased=True)
        ax.set_title(s.title, fontsize=11)
        ax.set_xlabel(s.xlabel)
        ax.set_ylabel(s.ylabel)
        ax.set_zlabel("training loss")
        ax.locator_params(nbins=5)
        ax.view_init(elev=28, azim=-55)

        ax2 = fig.add_subplot(2, n, n + k + 1)
        levels = np.unique(np.quantile(s.F, np.linspace(0.0, 0.97, 20)))
        ax2.contour(A, B, s.F, levels=levels, cmap="viridis", linewidths=1)
        if s.curvature is not None:
            bent = (s.curvature < 0).astype(float)  # 1 where the surface curves down
            share = float(bent.mean())
            ax2.contourf(
                A[1:-1, 1:-1], B[1:-1, 1:-1], bent, levels=[0.5, 1.5], colors=["tomato"], alpha=0.35
            )
            ax2.set_title(f"shaded: negative curvature ({share:.0%} of the grid)", fontsize=10)
        ax2.plot(0, 0, marker="*", color="black", ms=11)
        ax2.set_aspect("equal")
        ax2.set_xlabel(s.xlabel)
        ax2.set_ylabel(s.ylabel)
    return fig


def plot_scaling_surfaces(surfaces: Sequence[Surface]) -> Any:
    """Contour maps side by side, each with its gradient-descent path and its optimum."""
    fig = _figure((5.0 * len(surfaces), 4.6))
    axes = fig.subplots(1, len(surfaces))
    for ax, s in zip(np.atleast_1d(axes), surfaces, strict=True):
        A, B = np.meshgrid(s.xs, s.ys)
        levels = np.quantile(s.F, np.linspace(0.0, 0.95, 18))
        contour = ax.contour(A, B, s.F, levels=np.unique(levels), cmap="viridis", linewidths=1)
        fig.colorbar(contour, ax=ax, shrink=0.8, label="loss", format="%.3g")
        if s.path is not None:
            ax.plot(
                s.path[:, 0],
                s.path[:, 1],
                "o-",
                color="crimson",
                ms=2.5,
                lw=1,
                label=f"gradient descent, {len(s.path) - 1} steps",
            )
            ax.legend(loc="upper left", fontsize=8)
        if s.optimum is not None:
            ax.plot(*s.optimum, marker="*", color="black", ms=12, ls="none")
        ax.set_aspect("equal")
        ax.set_title(s.title, fontsize=11)
        ax.set_xlabel(s.xlabel)
        ax.set_ylabel(s.ylabel)
    return fig


def plot_training_curves(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float]]], *, title: str = ""
) -> Any:
    """Training loss (left) and validation loss (right) per epoch, one line per optimizer."""
    fig = _figure((11.0, 4.2))
    left, right = fig.subplots(1, 2, sharey=True)
    styles = ["-", "--", ":", "-.", (0, (5, 1, 1, 1))]  # overlapping curves stay visible
    for k, (name, (train, validation)) in enumerate(curves.items()):
        style = {"label": name, "lw": 1.6, "ls": styles[k % len(styles)]}
        left.plot(np.arange(len(train)), train, **style)
        right.plot(np.arange(len(validation)), validation, **style)
    for ax, which in ((left, "training"), (right, "validation")):
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{which} loss (log scale)")
        ax.set_title(f"{which} loss", fontsize=11)
        ax.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=9)
    if title:
        fig.suptitle(title)
    return fig


def plot_symmetry(
    rows: Mapping[str, Array], *, image_shape: tuple[int, int] = (8, 8), n_units: int = 8
) -> Any:
    """Each row: the incoming weights ``W1[:, j]`` of the first hidden units, as images."""
    fig = _figure((1.25 * n_units + 1.5, 1.6 * len(rows) + 0.6))
    axes = np.atleast_2d(fig.subplots(len(rows), n_units))
    for r, (label, W) in enumerate(rows.items()):
        limit = max(float(np.abs(W[:, :n_units]).max()), 1e-12)
        for j in range(n_units):
            ax = axes[r, j]
            ax.imshow(W[:, j].reshape(image_shape), cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"unit {j + 1}", fontsize=9)
        axes[r, 0].set_ylabel(label, fontsize=9, rotation=0, ha="right", va="center")
    return fig
