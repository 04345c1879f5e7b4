"""Solvers that minimize an objective and know no model.

First-order optimizers (``SGD``, ``Adam``) update a dict or list of parameter arrays in place
from matching gradients, so any model whose objective returns gradients per parameter block
can use them; schedules and early stopping sit beside them.

An objective is a function ``f(theta) -> (loss, grad)`` on a flat float vector ``theta``
(plus a Hessian or Hessian-vector product where a solver needs one). Every solver returns an
:class:`OptimizeResult` whose :class:`Trace` has the same columns: objective, gradient norm,
step size and evaluations per iteration.
"""

from handgrad.optim.adam import Adam
from handgrad.optim.early_stopping import EarlyStopping
from handgrad.optim.lbfgs import lbfgs
from handgrad.optim.linesearch import LineSearchResult, backtracking, wolfe
from handgrad.optim.newton import cholesky_solve, newton
from handgrad.optim.schedules import (
    Constant,
    ExponentialDecay,
    InverseTimeDecay,
    StepDecay,
    make_schedule,
)
from handgrad.optim.sgd import SGD, minibatches
from handgrad.optim.trace import OptimizeResult, Trace

__all__: list[str] = [
    "LineSearchResult",
    "OptimizeResult",
    "Trace",
    "backtracking",
    "cholesky_solve",
    "lbfgs",
    "newton",
    "wolfe",
]  # second-order and quasi-Newton solvers on a flat objective, with their line searches
__all__ += ["SGD", "Adam", "minibatches"]  # first-order optimizers updating arrays in place
__all__ += ["Constant", "ExponentialDecay", "InverseTimeDecay", "StepDecay", "make_schedule"]
__all__ += ["EarlyStopping"]
