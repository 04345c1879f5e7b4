"""Numerical gradient checking by central differences.

A hand-written gradient is trusted only after it agrees with::

    ∂f/∂θ_i ≈ (f(θ + h·e_i) − f(θ − h·e_i)) / (2h)

whose error is O(h²). In float64 with h = 1e-6 the truncation error (≈ h²·f''') and the
rounding error (≈ ε·|f|/h, ε = 2.2e-16) are both around 1e-10, so a correct gradient gives a
relative error near 1e-9 or below, and a wrong one gives something of order 1.

:func:`check_gradients` runs this for every parameter block of a model (weights and biases
separately) and returns a :class:`GradcheckReport` whose :meth:`~GradcheckReport.table`
prints one row per block with the verdict and the thresholds explained.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "GradcheckReport",
    "GradcheckRow",
    "check_gradients",
    "numerical_gradient",
    "relative_error",
]

Array = NDArray[np.floating[Any]]
LossAndGrads = Callable[[], tuple[float, Mapping[str, Array]]]

_FLOAT32_WHY = (
    "In float32 (machine epsilon 1.2e-7) the rounding error of f, about 1e-7·|f|/h, swamps "
    "the difference being measured: no step h gives a relative error below about 1e-3 even "
    "for a correct gradient, so the check could not tell right from wrong. Cast the "
    "parameters and the data with .astype(np.float64) for the check."
)


def _require_float64(theta: Array, name: str) -> None:
    if theta.dtype != np.float64:
        raise TypeError(
            f"gradient checks need float64 parameters; {name} has dtype {theta.dtype}. "
            + _FLOAT32_WHY
        )


def numerical_gradient(f: Callable[[], float], theta: Array, *, h: float = 1e-6) -> Array:
    """Central-difference gradient of ``f()`` with respect to ``theta``, perturbed in place.

    ``f`` takes no arguments and reads ``theta`` (so it can close over several parameter
    arrays); each entry is restored after it is perturbed. Returns an array shaped like
    ``theta``.
    """
    _require_float64(theta, "theta")
    grad = np.zeros_like(theta)
    flat, out = theta.reshape(-1), grad.reshape(-1)  # views: writes reach theta and grad
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        f_plus = f()
        flat[i] = saved - h
        f_minus = f()
        flat[i] = saved
        out[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(analytic: Array, numeric: Array) -> float:
    """Symmetric relative error ``‖a − n‖ / (‖a‖ + ‖n‖)`` of a whole parameter block.

    Measured on the block rather than entry by entry, so that entries whose true value is
    near zero (where any two tiny numbers differ relatively by a lot) do not dominate.
    Two zero blocks have error 0.
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"gradient shapes differ: analytic {a.shape}, numeric {n.shape}.")
    scale = float(np.linalg.norm(a) + np.linalg.norm(n))
    return float(np.linalg.norm(a - n)) / scale if scale > 0 else 0.0


@dataclass(frozen=True)
class GradcheckRow:
    """The check of one parameter block: its name and shape, the two errors, the verdict."""

    name: str
    shape: tuple[int, ...]
    max_abs_diff: float  # max_i |analytic_i − numeric_i|
    rel_error: float  # ‖a − n‖ / (‖a‖ + ‖n‖) over the block
    passed: bool


@dataclass(frozen=True)
class GradcheckReport:
    """One :class:`GradcheckRow` per parameter block, the thresholds used and the verdict."""

    rows: tuple[GradcheckRow, ...]
    h: float
    tolerance: float
    title: str = "gradient check"

    @property
    def passed(self) -> bool:
        """True when every block's relative error is below ``tolerance``."""
        return all(row.passed for row in self.rows)

    def table(self, *, explain: bool = True) -> str:
        """A readable text table: one row per block, the verdict, what the numbers mean.

        ``explain=False`` leaves out the closing paragraph on the thresholds.
        """
        header = ("parameter", "shape", "max |a − n|", "rel. error", "result")
        body = [
            (r.name, "×".join(map(str, r.shape)) or "scalar", f"{r.max_abs_diff:.2e}",
             f"{r.rel_error:.2e}", "pass" if r.passed else "FAIL")
            for r in self.rows
        ]  # fmt: skip
        widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
        failed = [r.name for r in self.rows if not r.passed]
        verdict = (
            "PASSED: every analytic gradient agrees with central differences."
            if not failed
            else f"FAILED: {', '.join(failed)} disagree(s) with central differences."
        )
        lines = [
            f"{self.title} (central differences, float64, h = {self.h:g})",
            fmt.format(*header).rstrip(),
            rule,
            *(fmt.format(*line).rstrip() for line in body),
            rule,
            verdict,
        ]
        if explain:
            lines += [
                f"A block passes when its relative error ‖a − n‖ / (‖a‖ + ‖n‖) is below "
                f"{self.tolerance:g} (a: analytic,",
                "n: numerical gradient). In float64 with h = 1e-6 a correct gradient gives about "
                "1e-9 or less: the",
                "truncation error (h²) and the rounding error (ε·|f|/h, ε = 2.2e-16) are both "
                "near 1e-10, so the",
                "default 1e-7 leaves a margin. Values from 1e-5 to 1e-3 suggest a kink (ReLU, "
                "|w|) crossed by ±h",
                "or a step too large for this loss; values near 1 mean a wrong formula, sign or "
                "factor.",
            ]
        return "\n".join(lines)


def check_gradients(
    loss_and_grads: LossAndGrads,
    params: Mapping[str, Array],
    *,
    h: float = 1e-6,
    tolerance: float = 1e-7,
    title: str = "gradient check",
) -> GradcheckReport:
    """Compare the analytic gradient of every parameter block with central differences.

    Parameters
    ----------
    loss_and_grads : callable() -> (loss, {name: gradient})
        Evaluates the loss and the analytic gradients at the *current* values of the arrays
        in ``params`` (it closes over them). The gradient dict needs one entry per name in
        ``params``, of the same shape.
    params : dict of name -> float64 ndarray
        The parameter arrays, each checked as one block (weights and biases separately).
        Each entry is perturbed in place by ±h and restored.
    h : float, default=1e-6
        The central-difference step.
    tolerance : float, default=1e-7
        A block passes when its symmetric relative error is below this.
    title : str
        The first line of :meth:`GradcheckReport.table`.

    Returns
    -------
    GradcheckReport

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, -2.0])
    >>> report = check_gradients(lambda: (float(w @ w), {"w": 2 * w}), {"w": w})
    >>> report.passed, report.rows[0].rel_error < 1e-9
    (True, True)
    """
    if not h > 0 or not np.isfinite(h):
        raise ValueError(f"h must be a finite number > 0; got {h!r}.")
    if not tolerance > 0 or not np.isfinite(tolerance):
        raise ValueError(f"tolerance must be a finite number > 0; got {tolerance!r}.")
    if not params:
        raise ValueError("params is empty; expected at least one parameter array to check.")
    for name, theta in params.items():
        if not isinstance(theta, np.ndarray):
            raise TypeError(f"params[{name!r}] must be a NumPy array; got {type(theta).__name__}.")
        _require_float64(theta, f"params[{name!r}]")
    _, grads = loss_and_grads()
    analytic = {}
    for name, theta in params.items():
        if name not in grads:
            raise KeyError(
                f"loss_and_grads returned no gradient for {name!r}; expected one for each of "
                f"{sorted(params)}, found {sorted(grads)}."
            )
        grad = np.array(grads[name], dtype=np.float64)  # a copy: later calls may reuse buffers
        if grad.shape != theta.shape:
            raise ValueError(
                f"the gradient of {name!r} has shape {grad.shape}, but {name!r} has shape "
                f"{theta.shape}; a gradient must have the shape of its parameter."
            )
        analytic[name] = grad

    def loss() -> float:
        return float(loss_and_grads()[0])

    rows = []
    for name, theta in params.items():
        numeric = numerical_gradient(loss, theta, h=h)
        a = analytic[name]
        max_abs = float(np.max(np.abs(a - numeric))) if a.size else 0.0
        error = relative_error(a, numeric)
        rows.append(GradcheckRow(name, theta.shape, max_abs, error, error < tolerance))
    return GradcheckReport(tuple(rows), h=h, tolerance=tolerance, title=title)
