"""Pair parameters with their gradients, for optimizers that update arrays in place."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating[Any]]
Params = Mapping[str, Array] | Sequence[Array]


def pairs(params: Params, grads: Params) -> Iterator[tuple[str | int, Array, Array]]:
    """Yield ``(key, θ, g)`` for a dict of arrays (keys) or a list of arrays (positions).

    Raises a ``ValueError`` if the gradients do not match the parameters one to one, shape for
    shape: an update with a mis-shaped gradient would broadcast silently into nonsense.
    """
    if isinstance(params, Mapping):
        if not isinstance(grads, Mapping) or set(grads) != set(params):
            found = sorted(grads) if isinstance(grads, Mapping) else f"a {type(grads).__name__}"
            raise ValueError(f"grads must have the keys of params, {sorted(params)}; got {found}.")
        items: list[tuple[str | int, Array, Array]] = [(k, params[k], grads[k]) for k in params]
    else:
        if isinstance(grads, Mapping) or len(grads) != len(params):
            raise ValueError(
                f"grads must be a list of {len(params)} arrays, one per parameter; got "
                f"{len(grads)} {'keys' if isinstance(grads, Mapping) else 'arrays'}."
            )
        items = [(i, p, g) for i, (p, g) in enumerate(zip(params, grads, strict=True))]
    for key, theta, g in items:
        if not isinstance(theta, np.ndarray) or theta.shape != np.shape(g):
            raise ValueError(
                f"the gradient for parameter {key!r} has shape {np.shape(g)}, but the parameter "
                f"has shape {np.shape(theta)}; optimizers update NumPy arrays in place with a "
                "gradient of the same shape."
            )
        yield key, theta, np.asarray(g)
