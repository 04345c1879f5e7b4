"""Limited-memory BFGS with a strong Wolfe line search.

BFGS builds an approximation ``H_k`` of the *inverse* Hessian from the last few steps
``s_i = θ_{i+1} − θ_i`` and gradient changes ``y_i = ∇f(θ_{i+1}) − ∇f(θ_i)``, each pair
imposing the secant condition ``H y_i = s_i``. L-BFGS never forms the ``(m, m)`` matrix: it
keeps the last ``memory`` pairs and applies ``H_k`` to the gradient with the *two-loop
recursion* (Nocedal & Wright, Algorithm 7.4), ``O(memory · m)`` work::

    q ← ∇f(θ_k)
    for i = k−1 … k−memory (newest first):    ρ_i = 1/(y_iᵀs_i);  α_i = ρ_i s_iᵀq;  q ← q − α_i y_i
    r ← γ q,   γ = s_{k−1}ᵀy_{k−1} / y_{k−1}ᵀy_{k−1}     (scaled identity as the initial H,
                                                       or r ← H₀ q for a given H₀)
    for i = k−memory … k−1 (oldest first):    β = ρ_i y_iᵀr;  r ← r + s_i (α_i − β)
    direction d = −r

The strong Wolfe line search guarantees ``y_iᵀs_i > 0``, so every ``H_k`` is positive
definite and ``d`` is a descent direction. The solver knows no model: any
``f(theta) -> (loss, grad)`` on a flat vector will do.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from handgrad.optim.linesearch import wolfe
from handgrad.optim.trace import OptimizeResult, Trace

__all__ = ["lbfgs"]

Array = NDArray[np.floating[Any]]
Objective = Callable[[Array], tuple[float, Array]]
Callback = Callable[[Array], bool | None]


def _two_loop(
    grad: Array,
    pairs: deque[tuple[Array, Array, float]],
    precondition: Callable[[Array], Array] | None = None,
) -> Array:
    """Return ``H_k · grad`` by the two-loop recursion over ``(s, y, ρ)`` pairs, shape (m,).

    The initial matrix is ``γ·I`` from the newest pair, or ``precondition`` when given.
    """
    q = grad.copy()  # (m,)
    alphas = []
    for s, y, rho in reversed(pairs):  # newest first
        alpha = rho * float(s @ q)
        q -= alpha * y  # (m,)
        alphas.append(alpha)
    if precondition is not None:
        r = precondition(q)  # H₀·q, (m,)
    else:
        s, y, _ = pairs[-1]
        r = q * (float(s @ y) / float(y @ y))  # γ·q, (m,)
    for (s, y, rho), alpha in zip(pairs, reversed(alphas), strict=True):  # oldest first
        beta = rho * float(y @ r)
        r += s * (alpha - beta)  # (m,)
    return r


def lbfgs(
    fun: Objective,
    theta0: Array,
    *,
    tol: float = 1e-6,
    max_iter: int = 1000,
    memory: int = 10,
    flat: float = 1e-12,
    callback: Callback | None = None,
    pairs: Sequence[tuple[Array, Array]] = (),
    precondition: Callable[[Array], Array] | None = None,
) -> OptimizeResult:
    """Minimize ``fun`` from ``theta0`` until ``‖∇f‖₂ < tol`` or ``max_iter`` updates.

    Parameters
    ----------
    fun : callable(theta) -> (loss, grad)
        The objective and its gradient, ``theta`` and ``grad`` of shape (m,).
    theta0 : ndarray of shape (m,)
        Starting point (not modified).
    tol : float
        Stop when the Euclidean norm of the gradient falls below it.
    max_iter : int
        Most updates.
    memory : int
        How many ``(s, y)`` pairs approximate the inverse Hessian (usually 5 to 20).
    flat : float
        Relative rounding noise of ``fun``: near the optimum a step that changes the loss by
        less than ``flat·|f|`` is judged by its slope (see :mod:`handgrad.optim.linesearch`).
    callback : callable(theta) -> bool, optional
        Called after each update; returning True stops the solver.
    pairs : sequence of (s, y), optional
        Curvature pairs to start from (``OptimizeResult.pairs`` of a related problem, e.g. the
        same objective on a subsample); pairs with ``sᵀy ≤ 0`` are skipped.
    precondition : callable(v) -> H₀·v, optional
        The initial inverse-Hessian approximation ``H₀`` applied to a vector, used in place
        of the scaled identity ``γ·I`` (and, before the first pair, to give the first
        direction ``−H₀∇f``, tried with step 1). With ``H₀`` the inverse of a Hessian
        estimated from a subsample, the first step is a subsampled Newton step and the
        pairs then correct ``H₀`` where the full Hessian differs from it.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> fun = lambda t: (float((t - 3.0) @ (t - 3.0)), 2.0 * (t - 3.0))
    >>> lbfgs(fun, np.zeros(2)).theta
    array([3., 3.])
    """
    theta = np.array(theta0, dtype=np.float64)  # (m,), our own copy
    loss, grad = fun(theta)
    grad_norm = float(np.sqrt(grad @ grad))
    trace = Trace()
    trace.record(loss, grad_norm, 0.0, 1)
    memory_pairs: deque[tuple[Array, Array, float]] = deque(maxlen=memory)
    for s, y in pairs:
        if float(s @ y) > 0:
            memory_pairs.append((s, y, 1.0 / float(s @ y)))
    status, message = "max_iter", f"reached max_iter={max_iter} with gradient norm above tol"
    for k in range(max_iter + 1):
        if grad_norm < tol:
            status, message = "converged", f"gradient norm {grad_norm:.2e} < tol={tol:g}"
            break
        if k == max_iter:
            break
        if memory_pairs:
            direction = -_two_loop(grad, memory_pairs, precondition)  # (m,)
        else:
            direction = -grad if precondition is None else -precondition(grad)  # (m,)
        if float(grad @ direction) >= 0:  # lost descent (rounding): restart from −∇f
            memory_pairs.clear()
            precondition = None
            direction = -grad
        # First step: 1 for a quasi-Newton direction; scaled to length 1 for plain −∇f.
        quasi_newton = bool(memory_pairs) or precondition is not None
        first = 1.0 if quasi_newton else min(1.0, 1.0 / grad_norm)
        search = wolfe(fun, theta, loss, grad, direction, step=first, flat=flat)
        if not search.success and (search.step == 0.0 or search.loss >= loss):
            status = "line search failed"
            message = (
                f"the line search found no step that lowers the loss at iteration {k} "
                f"(gradient norm {grad_norm:.2e}); the loss is flat to rounding there"
            )
            break
        s = search.step * direction  # (m,)
        y = search.grad - grad  # (m,)
        sy = float(s @ y)
        if sy > 1e-12 * float(np.linalg.norm(s)) * float(np.linalg.norm(y)):
            memory_pairs.append((s, y, 1.0 / sy))  # curvature pair, sᵀy > 0 by Wolfe
        theta = theta + s
        loss, grad = search.loss, search.grad
        grad_norm = float(np.sqrt(grad @ grad))
        trace.record(loss, grad_norm, search.step, search.n_evals)
        if callback is not None and callback(theta):
            status, message = "stopped by callback", f"stopped by the callback at iteration {k + 1}"
            break
    kept = [(s, y) for s, y, _ in memory_pairs]
    return OptimizeResult(theta, float(loss), grad, len(trace) - 1, status, message, trace, kept)
