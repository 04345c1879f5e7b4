"""Loss landscapes: directions, surfaces, curvature, and the convex/not-convex contrast."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import LogisticRegression, MLPClassifier
from handgrad.landscape import descent_path, loss_surface, min_curvature, random_directions
from handgrad.logistic import logistic_objective


def test_directions_are_filter_normalized(rng: np.random.Generator) -> None:
    """Each unit's direction has the norm of its weights; biases get zero directions."""
    params = {"W1": rng.normal(size=(5, 3)), "b1": rng.normal(size=3), "w": rng.normal(size=4)}
    d1, d2 = random_directions(params, rng)
    for d in (d1, d2):
        np.testing.assert_allclose(
            np.linalg.norm(d["W1"], axis=0), np.linalg.norm(params["W1"], axis=0), rtol=1e-12
        )
        assert np.linalg.norm(d["w"]) == pytest.approx(np.linalg.norm(params["w"]), rel=1e-12)
        np.testing.assert_array_equal(d["b1"], 0.0)
    assert not np.allclose(d1["W1"], d2["W1"])


def test_directions_are_orthogonal_before_normalization() -> None:
    """With a single vector block (one filter) the two directions are exactly orthogonal."""
    d1, d2 = random_directions({"w": np.ones(6)}, np.random.default_rng(3))
    assert abs(float(d1["w"] @ d2["w"])) < 1e-12


def test_surface_values_and_restored_parameters(rng: np.random.Generator) -> None:
    """F[j, i] is the loss at θ* + α_i δ + β_j η, and θ* is restored afterwards."""
    params = {"w": rng.normal(size=3)}
    center = params["w"].copy()
    loss = lambda: float(np.sum(params["w"] ** 2))  # noqa: E731
    d1, d2 = {"w": np.array([1.0, 0.0, 0.0])}, {"w": np.array([0.0, 2.0, 0.0])}
    alphas, betas = np.array([-1.0, 0.0, 0.5]), np.array([0.0, 1.0])
    F = loss_surface(loss, params, d1, d2, alphas, betas)
    assert F.shape == (2, 3)
    expected = float(np.sum((center + 0.5 * d1["w"] + 1.0 * d2["w"]) ** 2))
    assert F[1, 2] == pytest.approx(expected, rel=1e-15)
    np.testing.assert_array_equal(params["w"], center)


def test_min_curvature_of_quadratics() -> None:
    """A bowl x² + 3y² has smallest curvature 2 everywhere; a saddle x² − y² has −2."""
    xs = ys = np.linspace(-1.0, 1.0, 11)
    X, Y = np.meshgrid(xs, ys)
    np.testing.assert_allclose(min_curvature(X**2 + 3 * Y**2, xs, ys), 2.0, atol=1e-9)
    np.testing.assert_allclose(min_curvature(X**2 - Y**2, xs, ys), -2.0, atol=1e-9)


def test_descent_path_on_a_quadratic() -> None:
    """On L = θ²/2 each step multiplies θ by (1 − α)."""
    path = descent_path(lambda t: t, np.array([1.0, -2.0]), learning_rate=0.25, steps=3)
    np.testing.assert_allclose(path[3], 0.75**3 * np.array([1.0, -2.0]), rtol=1e-15)


def test_logistic_bowl_is_convex_and_mlp_landscape_is_not(breast_cancer_split) -> None:
    """Through the fitted optimum, logistic regression's surface curves up everywhere; an MLP's
    curves down somewhere (the seed's Figure 6, checked rather than drawn)."""
    X, _, y, _ = breast_cancer_split
    grid = np.linspace(-1.5, 1.5, 25)
    logistic = LogisticRegression(learning_rate=0.5, max_iter=2000, tol=1e-6, l2=0.01).fit(X, y)
    params = {"w": logistic.coef_.copy(), "b": np.array([logistic.intercept_])}
    loss = lambda: logistic_objective(params["w"], float(params["b"][0]), X, y, 0.01)[0]  # noqa: E731
    F = loss_surface(loss, params, *random_directions(params, np.random.default_rng(0)), grid, grid)
    assert min_curvature(F, grid, grid).min() > -1e-6
    mlp = MLPClassifier(
        hidden_layer_sizes=(16, 16),
        activation="tanh",
        l2=1e-3,
        learning_rate=0.01,
        max_iter=100,
        random_state=0,
    ).fit(X, y)
    loss_and_grads, mlp_params = mlp.objective(X, y)
    d1, d2 = random_directions(mlp_params, np.random.default_rng(0))
    F = loss_surface(lambda: loss_and_grads()[0], mlp_params, d1, d2, grid, grid)
    assert min_curvature(F, grid, grid).min() < -0.05


@pytest.mark.filterwarnings(
    "ignore:MLPClassifier reached max_iter:handgrad.exceptions.ConvergenceWarning"
)  # five epochs on purpose: the objective is read at whatever weights fit left
def test_mlp_objective_is_live_and_correct(rng: np.random.Generator) -> None:
    """MLPClassifier.objective exposes coefs_ themselves, and its loss is the fitted objective."""
    X, y = rng.normal(size=(30, 3)), np.arange(30) % 3
    model = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y)
    loss_and_grads, params = model.objective(X, y)
    assert params["W1"] is model.coefs_[0]
    assert loss_and_grads()[0] == pytest.approx(model.loss_history_[-1], rel=1e-12)
    with pytest.raises(ValueError, match=r"labels \[7\] that were not seen in training"):
        model.objective(X, np.full(30, 7))


def test_bad_directions_are_refused(rng: np.random.Generator) -> None:
    """Unknown weight names, no weights at all, and mis-shaped directions give clear errors."""
    params = {"W": rng.normal(size=(2, 2)), "b": np.zeros(2)}
    with pytest.raises(ValueError, match=r"weights names blocks \['V'\]"):
        random_directions(params, rng, weights=("V",))
    with pytest.raises(ValueError, match="no weight blocks"):
        random_directions({"b": np.zeros(2)}, rng)
    bad = {"W": np.zeros(3), "b": np.zeros(2)}
    with pytest.raises(ValueError, match=r"direction for 'W' has shape \(3,\)"):
        loss_surface(lambda: 0.0, params, bad, bad, np.zeros(1), np.zeros(1))
