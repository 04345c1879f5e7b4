"""Solvers that minimize an objective and know no model.

First-order optimizers (``SGD``, ``Adam``) update a dict or list of parameter arrays in place
from matching gradients, so any model whose objective returns gradients per parameter block
can use them; schedules and early stopping sit beside them.

An objective is a function ``f(theta) -> (loss, grad)`` on a flat float vector ``theta``
(plus a Hessian or Hessian-vector product where a solver needs one).
"""

from handgrad.optim.adam import Adam
from handgrad.optim.early_stopping import EarlyStopping
from handgrad.optim.schedules import (
    Constant,
    ExponentialDecay,
    InverseTimeDecay,
    StepDecay,
    make_schedule,
)
from handgrad.optim.sgd import SGD, minibatches

__all__: list[str] = []
__all__ += ["SGD", "Adam", "minibatches"]  # first-order optimizers updating arrays in place
__all__ += ["Constant", "ExponentialDecay", "InverseTimeDecay", "StepDecay", "make_schedule"]
__all__ += ["EarlyStopping"]
