"""EarlyStopping: patience, tolerance, and restoring the best parameters."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad.optim import EarlyStopping


def test_restores_parameters_of_best_epoch() -> None:
    """After the loss turns up, restore() writes back the copy taken at the lowest loss."""
    params = {"W": np.zeros((2, 2)), "b": np.zeros(2)}
    stopper = EarlyStopping(patience=3)
    losses = [5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.9]
    stops = []
    for epoch, loss in enumerate(losses):
        params["W"][:] = epoch  # the weights change every epoch
        params["b"][:] = -epoch
        stops.append(stopper.update(epoch, loss, params))
    assert stops == [False, False, False, False, False, True, False]
    assert stopper.best_epoch == 6  # a later improvement resets the count
    stopper = EarlyStopping(patience=3)
    for epoch, loss in enumerate(losses[:6]):
        params["W"][:], params["b"][:] = epoch, -epoch
        if stopper.update(epoch, loss, params):
            break
    stopper.restore(params)
    np.testing.assert_array_equal(params["W"], np.full((2, 2), 2.0))
    np.testing.assert_array_equal(params["b"], np.full(2, -2.0))
    assert stopper.best_loss == 3.0


def test_tolerance_ignores_tiny_improvements() -> None:
    """An improvement smaller than tol counts as none."""
    stopper = EarlyStopping(patience=2, tol=0.1)
    params = {"w": np.zeros(1)}
    assert not stopper.update(0, 1.0, params)
    assert not stopper.update(1, 0.95, params)
    assert stopper.update(2, 0.92, params)
    assert stopper.best_epoch == 0


def test_bad_settings_are_refused() -> None:
    """Bad patience or tol, and restore before any update, give clear errors."""
    with pytest.raises(ValueError, match="patience must be an integer >= 1; got 0"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="tol must be a finite number >= 0; got -1"):
        EarlyStopping(tol=-1)
    with pytest.raises(RuntimeError, match="restore called before any update"):
        EarlyStopping().restore({"w": np.zeros(1)})
