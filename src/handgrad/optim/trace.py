"""The record every solver keeps: one row per iteration, the same columns for every solver.

Row ``k`` describes the iterate ``θ_k``: the objective ``f(θ_k)``, the gradient norm
``‖∇f(θ_k)‖₂``, the step size that produced it (``0`` for the starting point) and how many
objective evaluations that step cost (``1`` for the starting point). Gradient descent, Newton
and L-BFGS all fill it, so their convergence can be compared column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["OptimizeResult", "Trace"]

Array = NDArray[np.floating[Any]]


@dataclass
class Trace:
    """Per-iteration columns; ``len(trace)`` is the number of iterates recorded.

    Attributes
    ----------
    loss : list of float
        ``f(θ_k)``.
    grad_norm : list of float
        ``‖∇f(θ_k)‖₂`` (Euclidean norm of the whole flat gradient, intercepts included).
    step : list of float
        The step size ``t`` of the update ``θ_k = θ_{k−1} + t·d`` (the learning rate for
        gradient descent, the accepted line-search step for Newton and L-BFGS).
    n_evals : list of int
        Objective evaluations spent on that update (the line search may try several steps).
    """

    loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    step: list[float] = field(default_factory=list)
    n_evals: list[int] = field(default_factory=list)

    def record(self, loss: float, grad_norm: float, step: float, n_evals: int) -> None:
        """Append one row."""
        self.loss.append(float(loss))
        self.grad_norm.append(float(grad_norm))
        self.step.append(float(step))
        self.n_evals.append(int(n_evals))

    def __len__(self) -> int:
        return len(self.loss)

    def as_dict(self) -> dict[str, list[float] | list[int]]:
        """The columns as a plain dict (for JSON, tables or ``pandas.DataFrame``)."""
        return {
            "loss": list(self.loss),
            "grad_norm": list(self.grad_norm),
            "step": list(self.step),
            "n_evals": list(self.n_evals),
        }


@dataclass
class OptimizeResult:
    """What a solver returns.

    Attributes
    ----------
    theta : ndarray of shape (m,)
        The last accepted iterate.
    loss : float
        ``f(theta)``.
    grad : ndarray of shape (m,)
        ``∇f(theta)``.
    n_iter : int
        Updates made (``len(trace) − 1``).
    status : str
        Why the solver stopped: ``"converged"`` (gradient norm below ``tol``), ``"max_iter"``,
        ``"line search failed"``, ``"singular hessian"`` or ``"stopped by callback"``.
    message : str
        The same in a sentence.
    trace : Trace
    pairs : list of (s, y)
        L-BFGS only: the curvature pairs it ended with, to warm-start a related problem.
    """

    theta: Array
    loss: float
    grad: Array
    n_iter: int
    status: str
    message: str
    trace: Trace
    pairs: list[tuple[Array, Array]] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        """True when the gradient norm fell below the tolerance."""
        return self.status == "converged"
