"""SGD with and without momentum: hand-computed steps, torch parity, a convex problem."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from handgrad.logistic import logistic_objective
from handgrad.optim import SGD, Adam, minibatches


def _logistic_problem(breast_cancer_split) -> tuple[np.ndarray, np.ndarray]:
    X_train, _, y_train, _ = breast_cancer_split
    return X_train, y_train.astype(float)


@pytest.mark.parametrize(
    "make",
    [
        lambda: SGD(0.1),
        lambda: SGD(0.05, momentum=0.9),
        lambda: SGD(0.05, momentum=0.9, nesterov=True),
        lambda: Adam(0.01),
    ],
    ids=["sgd", "momentum", "nesterov", "adam"],
)
def test_minibatch_optimizer_decreases_convex_loss(breast_cancer_split, make) -> None:
    """On the (convex) penalized logistic loss, 20 epochs of mini-batches lower it a lot."""
    X, y = _logistic_problem(breast_cancer_split)
    params = {"w": np.zeros(X.shape[1]), "b": np.zeros(1)}
    full = lambda: logistic_objective(params["w"], float(params["b"][0]), X, y, 0.01)[0]  # noqa: E731
    start, optimizer, rng = full(), make(), np.random.default_rng(0)
    for _ in range(20):
        for rows in minibatches(X.shape[0], 32, rng):
            _, dw, db = logistic_objective(
                params["w"], float(params["b"][0]), X[rows], y[rows], 0.01
            )
            optimizer.step(params, {"w": dw, "b": np.array([db])})
    assert full() < 0.25 * start


def test_list_of_arrays_is_accepted() -> None:
    """Parameters may be a list of arrays with a matching list of gradients."""
    params = [np.array([1.0, 2.0]), np.array([[3.0]])]
    SGD(0.5).step(params, [np.array([2.0, 2.0]), np.array([[4.0]])])
    np.testing.assert_array_equal(params[0], [0.0, 1.0])
    np.testing.assert_array_equal(params[1], [[1.0]])


def test_momentum_steps_by_hand() -> None:
    """v ← μv − αg; θ ← θ + v, and Nesterov's θ ← θ + μv − αg, on two hand-computed steps."""
    classical, nesterov = {"w": np.array([1.0])}, {"w": np.array([1.0])}
    sgd_c, sgd_n = SGD(0.1, momentum=0.9), SGD(0.1, momentum=0.9, nesterov=True)
    for g in (2.0, 1.0):
        sgd_c.step(classical, {"w": np.array([g])})
        sgd_n.step(nesterov, {"w": np.array([g])})
    # classical: v1 = −0.2, θ1 = 0.8; v2 = 0.9·(−0.2) − 0.1 = −0.28, θ2 = 0.52
    assert classical["w"][0] == pytest.approx(0.52, abs=1e-15)
    # Nesterov: θ1 = 1 + 0.9·(−0.2) − 0.2 = 0.62; θ2 = 0.62 + 0.9·(−0.28) − 0.1 = 0.268
    assert nesterov["w"][0] == pytest.approx(0.268, abs=1e-15)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_matches_torch(rng: np.random.Generator, nesterov: bool) -> None:
    """Five momentum steps agree with torch.optim.SGD (same update at a constant rate)."""
    theta = rng.normal(size=(3, 2))
    grads = [rng.normal(size=(3, 2)) for _ in range(5)]
    ours = {"W": theta.copy()}
    optimizer = SGD(0.05, momentum=0.8, nesterov=nesterov)
    ref = torch.tensor(theta, requires_grad=True)
    ref_optimizer = torch.optim.SGD([ref], lr=0.05, momentum=0.8, nesterov=nesterov)
    for g in grads:
        optimizer.step(ours, {"W": g})
        ref.grad = torch.tensor(g)
        ref_optimizer.step()
    np.testing.assert_allclose(ours["W"], ref.detach().numpy(), rtol=1e-13)


def test_minibatches_cover_every_row_once() -> None:
    """One epoch's batches are a permutation of all rows, cut to batch_size."""
    batches = list(minibatches(10, 3, np.random.default_rng(0)))
    assert [b.size for b in batches] == [3, 3, 3, 1]
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(10))


def test_bad_settings_and_mismatched_gradients_are_refused() -> None:
    """Bad rates and gradients that do not match the parameters give clear errors."""
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0; got -1"):
        SGD(-1)
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\); got 1.5"):
        SGD(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0"):
        SGD(0.1, nesterov=True)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; got 0"):
        next(minibatches(5, 0, np.random.default_rng(0)))
    params = {"w": np.zeros(3)}
    with pytest.raises(ValueError, match=r"gradient for parameter 'w' has shape \(3, 1\)"):
        SGD(0.1).step(params, {"w": np.zeros((3, 1))})
    with pytest.raises(
        ValueError, match=r"grads must have the keys of params, \['w'\]; got \['v'\]"
    ):
        SGD(0.1).step(params, {"v": np.zeros(3)})
    with pytest.raises(ValueError, match="grads must be a list of 1 arrays"):
        SGD(0.1).step([np.zeros(3)], [np.zeros(3), np.zeros(3)])
