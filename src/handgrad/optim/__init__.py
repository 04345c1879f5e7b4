"""Solvers that minimize an objective and know no model.

An objective is a function ``f(theta) -> (loss, grad)`` on a flat float vector ``theta``
(plus a Hessian or Hessian-vector product where a solver needs one).
"""

__all__: list[str] = []
