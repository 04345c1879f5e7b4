"""Solvers that minimize an objective and know no model.

An objective is a function ``f(theta) -> (loss, grad)`` on a flat float vector ``theta``
(plus a Hessian or Hessian-vector product where a solver needs one). Every solver returns an
:class:`OptimizeResult` whose :class:`Trace` has the same columns: objective, gradient norm,
step size and evaluations per iteration.
"""

from handgrad.optim.lbfgs import lbfgs
from handgrad.optim.linesearch import LineSearchResult, backtracking, wolfe
from handgrad.optim.newton import cholesky_solve, newton
from handgrad.optim.trace import OptimizeResult, Trace

__all__ = [
    "LineSearchResult",
    "OptimizeResult",
    "Trace",
    "backtracking",
    "cholesky_solve",
    "lbfgs",
    "newton",
    "wolfe",
]
