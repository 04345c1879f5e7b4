"""Loss landscapes: the loss of a fitted model along directions through its parameters.

A model with parameters ``θ*`` (a dict of arrays) and two directions ``δ, η`` of the same
shapes gives the surface::

    f(α, β) = L(θ* + α·δ + β·η)

For logistic regression this is a bowl (the loss is convex in θ, so every slice is). For a
network it need not be: swapping two hidden units gives the same loss, so a network has many
equivalent minima with ridges between them. Directions are *filter-normalized*
(Li et al., 2018): each unit's incoming weights in δ are scaled to the norm of that unit's
weights in θ*, so that ``α = 1`` is a change as large as the weights themselves, whatever
their scale; biases are left out of the directions (zero), as in that paper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["descent_path", "loss_surface", "min_curvature", "random_directions"]

Array = NDArray[np.floating[Any]]
Params = Mapping[str, Array]


def _filter_normalize(direction: Array, theta: Array) -> Array:
    """Scale each column (one unit's incoming weights) of ``direction`` to that of ``theta``."""
    if direction.ndim == 1:  # a weight vector w (d,) is a single filter
        scale = np.linalg.norm(theta) / max(float(np.linalg.norm(direction)), 1e-300)
        scaled: Array = direction * scale  # (d,)
        return scaled
    norms_theta = np.linalg.norm(theta, axis=0)  # (d_out,)
    norms_dir = np.maximum(np.linalg.norm(direction, axis=0), 1e-300)  # (d_out,)
    scaled = direction * (norms_theta / norms_dir)  # (d_in, d_out) * (d_out,)
    return scaled


def random_directions(
    params: Params,
    rng: np.random.Generator,
    *,
    weights: tuple[str, ...] | None = None,
) -> tuple[dict[str, Array], dict[str, Array]]:
    """Two filter-normalized random directions ``(δ, η)`` shaped like ``params``.

    ``η`` is made orthogonal to ``δ`` (Gram–Schmidt on the flattened weights) before both are
    filter-normalized. Only the blocks named in ``weights`` (default: every block whose name
    starts with ``"W"`` or ``"w"``) get a direction; the others (biases) get zeros.
    """
    names = weights or tuple(k for k in params if k[:1] in ("W", "w"))
    unknown = set(names) - set(params)
    if unknown:
        raise ValueError(f"weights names blocks {sorted(unknown)} that params does not have.")
    if not names:
        raise ValueError("params has no weight blocks to move along; name them in weights=.")
    raw1 = {k: rng.normal(size=params[k].shape) for k in names}
    raw2 = {k: rng.normal(size=params[k].shape) for k in names}
    dot = sum(float(np.sum(raw1[k] * raw2[k])) for k in names)
    sq = sum(float(np.sum(raw1[k] ** 2)) for k in names)
    for k in names:
        raw2[k] = raw2[k] - dot / sq * raw1[k]  # orthogonal to raw1
    d1 = {k: np.zeros_like(p) for k, p in params.items()}
    d2 = {k: np.zeros_like(p) for k, p in params.items()}
    for k in names:
        d1[k] = _filter_normalize(raw1[k], params[k])
        d2[k] = _filter_normalize(raw2[k], params[k])
    return d1, d2


def loss_surface(
    loss: Callable[[], float],
    params: Mapping[str, Array],
    d1: Mapping[str, Array],
    d2: Mapping[str, Array],
    alphas: Array,
    betas: Array,
) -> Array:
    """``F[j, i] = L(θ* + alphas[i]·δ + betas[j]·η)``, shape (len(betas), len(alphas)).

    ``loss()`` reads ``params``, which are moved in place and restored to ``θ*`` afterwards
    (also if ``loss`` raises).
    """
    for name in params:
        if d1[name].shape != params[name].shape or d2[name].shape != params[name].shape:
            raise ValueError(
                f"direction for {name!r} has shape {d1[name].shape} / {d2[name].shape}, but the "
                f"parameter has shape {params[name].shape}."
            )
    center = {k: p.copy() for k, p in params.items()}
    F = np.empty((len(betas), len(alphas)))  # (n_beta, n_alpha)
    try:
        for j, b in enumerate(betas):
            for i, a in enumerate(alphas):
                for k, p in params.items():
                    p[...] = center[k] + a * d1[k] + b * d2[k]  # θ* + α δ + β η
                F[j, i] = loss()
    finally:
        for k, p in params.items():
            p[...] = center[k]
    return F


def min_curvature(F: Array, xs: Array, ys: Array) -> Array:
    """The smaller eigenvalue of the surface's Hessian at each interior grid point.

    Notes
    -----
    With grid steps ``hx, hy`` and central second differences::

        F_xx ≈ (F[j, i+1] − 2F[j, i] + F[j, i−1]) / hx²          (same for F_yy along j)
        F_xy ≈ (F[j+1, i+1] − F[j+1, i−1] − F[j−1, i+1] + F[j−1, i−1]) / (4 hx hy)
        λ_min = (F_xx + F_yy)/2 − √(((F_xx − F_yy)/2)² + F_xy²)

    A convex surface has ``λ_min ≥ 0`` everywhere (up to the differences' rounding); a
    negative value marks a place where it curves down in some direction. Shape
    ``(len(ys) − 2, len(xs) − 2)``, for the points ``ys[1:-1] × xs[1:-1]``.
    """
    hx, hy = float(xs[1] - xs[0]), float(ys[1] - ys[0])
    C = F[1:-1, 1:-1]  # (m−2, n−2)
    Fxx = (F[1:-1, 2:] - 2.0 * C + F[1:-1, :-2]) / hx**2  # (m−2, n−2)
    Fyy = (F[2:, 1:-1] - 2.0 * C + F[:-2, 1:-1]) / hy**2  # (m−2, n−2)
    Fxy = (F[2:, 2:] - F[2:, :-2] - F[:-2, 2:] + F[:-2, :-2]) / (4.0 * hx * hy)  # (m−2, n−2)
    lam: Array = (Fxx + Fyy) / 2.0 - np.sqrt(((Fxx - Fyy) / 2.0) ** 2 + Fxy**2)  # (m−2, n−2)
    return lam


def descent_path(
    gradient: Callable[[Array], Array], start: Array, *, learning_rate: float, steps: int
) -> Array:
    """The points of plain gradient descent ``θ ← θ − α ∇L(θ)``, shape (steps + 1, len(start))."""
    path = np.empty((steps + 1, start.shape[0]))  # (steps + 1, p)
    path[0] = start
    for t in range(steps):
        path[t + 1] = path[t] - learning_rate * gradient(path[t])  # (p,)
    return path
