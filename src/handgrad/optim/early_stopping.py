"""Early stopping: stop when the validation loss has not improved for ``patience`` epochs,
and give back the parameters from the best epoch.

The training loss of a flexible model keeps falling long after the model has stopped
generalizing; the loss on held-out rows turns back up. Watching that loss, and keeping a copy
of the parameters at its lowest, picks the epoch count from data instead of guessing it.
"""

from __future__ import annotations

import math

import numpy as np

from handgrad.optim._params import Array

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Track a loss to minimize; remember the best parameters; say when to stop.

    Parameters
    ----------
    patience : int, default=10
        Stop after this many epochs in a row without an improvement.
    tol : float, default=0.0
        An epoch counts as an improvement when its loss is below ``best − tol``.

    Attributes
    ----------
    best_loss : float
    best_epoch : int
        The epoch (as passed to :meth:`update`) of the best loss; -1 before any update.
    best_params : dict of ndarray
        Copies of the parameters at ``best_epoch``.

    Examples
    --------
    >>> import numpy as np
    >>> stopper, params = EarlyStopping(patience=2), {"w": np.zeros(1)}
    >>> for epoch, loss in enumerate([3.0, 2.0, 2.5, 2.4]):
    ...     params["w"][:] = epoch
    ...     stop = stopper.update(epoch, loss, params)
    >>> stop, stopper.best_epoch
    (True, 1)
    >>> stopper.restore(params); params["w"]
    array([1.])
    """

    def __init__(self, *, patience: int = 10, tol: float = 0.0) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"patience must be an integer >= 1; got {patience!r}.")
        if not math.isfinite(float(tol)) or tol < 0:
            raise ValueError(f"tol must be a finite number >= 0; got {tol!r}.")
        self.patience, self.tol = patience, float(tol)
        self.best_loss = math.inf
        self.best_epoch = -1
        self.best_params: dict[str, Array] = {}
        self.epochs_without_improvement = 0

    def update(self, epoch: int, loss: float, params: dict[str, Array]) -> bool:
        """Record ``loss`` at ``epoch``; copy ``params`` if it is the best; True means stop."""
        if loss < self.best_loss - self.tol:
            self.best_loss, self.best_epoch = float(loss), epoch
            self.best_params = {k: np.array(p, copy=True) for k, p in params.items()}
            self.epochs_without_improvement = 0
        else:
            self.epochs_without_improvement += 1
        return self.epochs_without_improvement >= self.patience

    def restore(self, params: dict[str, Array]) -> None:
        """Write the best parameters back into ``params``, in place."""
        if not self.best_params:
            raise RuntimeError(
                "EarlyStopping.restore called before any update; nothing to restore."
            )
        for key, best in self.best_params.items():
            params[key][...] = best
