"""Write the pictures of docs/neural_networks.md to docs/images/ (needs the ``plot`` extra).

Run from the repository root:  python docs/make_figures.py

Every number drawn here is computed by handgrad from the bundled data; the script only
chooses the settings and the file names. Seeds are fixed, so the PNGs are reproducible.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from handgrad import (
    ConvergenceWarning,
    LogisticRegression,
    MLPClassifier,
    StandardScaler,
    train_test_split,
)
from handgrad.datasets import load_breast_cancer
from handgrad.datasets.digits import load_digits
from handgrad.figures import (
    Surface,
    plot_loss_landscapes,
    plot_scaling_surfaces,
    plot_symmetry,
    plot_training_curves,
)
from handgrad.landscape import descent_path, loss_surface, min_curvature, random_directions
from handgrad.logistic import logistic_objective

IMAGES = Path(__file__).parent / "images"


def standardized(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """The seed's split (80/20, stratified, seed 0), standardized on the training rows."""
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def landscapes() -> None:
    """The seed's Figure 6, computed: logistic regression's bowl beside an MLP's landscape."""
    data = load_breast_cancer()
    X, _, y, _ = standardized(data.X, data.y)
    grid = np.linspace(-1.5, 1.5, 61)
    rng = np.random.default_rng(0)

    l2 = 0.01
    logistic = LogisticRegression(learning_rate=0.5, max_iter=20_000, tol=1e-8, l2=l2).fit(X, y)
    params = {"w": logistic.coef_.copy(), "b": np.array([logistic.intercept_])}
    loss = lambda: logistic_objective(params["w"], float(params["b"][0]), X, y, l2)[0]  # noqa: E731
    d1, d2 = random_directions(params, rng)
    F_logistic = loss_surface(loss, params, d1, d2, grid, grid)

    mlp = MLPClassifier(
        hidden_layer_sizes=(16, 16),
        activation="tanh",
        l2=1e-3,
        learning_rate=0.01,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    loss_and_grads, mlp_params = mlp.objective(X, y)
    d1, d2 = random_directions(mlp_params, rng)
    F_mlp = loss_surface(lambda: loss_and_grads()[0], mlp_params, d1, d2, grid, grid)

    fig = plot_loss_landscapes(
        [
            Surface(
                "logistic regression: a convex bowl",
                grid,
                grid,
                F_logistic,
                curvature=min_curvature(F_logistic, grid, grid),
            ),
            Surface(
                "MLP 30-16-16-1 (tanh): not convex",
                grid,
                grid,
                F_mlp,
                curvature=min_curvature(F_mlp, grid, grid),
            ),
        ]
    )
    fig.suptitle(
        "Training loss along two filter-normalized random directions through the fitted weights"
    )
    fig.savefig(IMAGES / "loss_landscapes.png", dpi=90)


def scaling() -> None:
    """The seed's Figure 3: the loss over two weights before and after standardization."""
    data = load_breast_cancer()
    names = ["mean_radius", "mean_texture"]
    cols = [data.feature_names.index(name) for name in names]
    X_raw, y = data.X[:, cols], data.y.astype(float)
    scaler = StandardScaler().fit(X_raw)
    X_std = scaler.transform(X_raw)
    fitted = LogisticRegression(learning_rate=1.0, max_iter=20_000, tol=1e-9).fit(X_std, y)
    # The same optimum in raw units: w_raw = w/σ, b_raw = b − Σ w·μ/σ (the predictions agree).
    w_std, b_std = fitted.coef_, fitted.intercept_
    w_raw = w_std / scaler.scale_
    b_raw = b_std - float(np.sum(w_std * scaler.mean_ / scaler.scale_))

    surfaces = []
    for title, X, w_star, b, unit in (
        ("raw features", X_raw, w_raw, b_raw, "raw"),
        ("standardized features", X_std, w_std, b_std, "standardized"),
    ):
        params = {"w": w_star.copy()}
        radius = 1.35 * float(np.abs(w_star).max())
        xs = np.linspace(w_star[0] - radius, w_star[0] + radius, 121)
        ys = np.linspace(w_star[1] - radius, w_star[1] + radius, 121)
        e1, e2 = {"w": np.array([1.0, 0.0])}, {"w": np.array([0.0, 1.0])}
        loss = lambda X=X, b=b, params=params: logistic_objective(params["w"], b, X, y)[0]  # noqa: E731
        F = loss_surface(loss, params, e1, e2, xs - w_star[0], ys - w_star[1])
        grad = lambda w, X=X, b=b: logistic_objective(w, b, X, y)[1]  # noqa: E731
        H = X.T @ (X * 0.25) / X.shape[0]  # bound on the Hessian: p(1 − p) ≤ 1/4
        lr = 1.0 / float(np.linalg.eigvalsh(H).max())  # the largest safe step for each problem
        path = descent_path(grad, np.zeros(2), learning_rate=lr, steps=40)
        surfaces.append(
            Surface(
                f"{title} (step α = {lr:.3g})",
                xs,
                ys,
                F,
                xlabel=f"w ({names[0]}, {unit})",
                ylabel=f"w ({names[1]}, {unit})",
                path=path,
                optimum=(float(w_star[0]), float(w_star[1])),
            )
        )
    fig = plot_scaling_surfaces(surfaces)
    fig.suptitle(
        "Loss over two weights (intercept at its optimum): standardization rounds the bowl"
    )
    fig.savefig(IMAGES / "scaling_surfaces.png", dpi=110)


def optimizer_curves() -> None:
    """Training and validation loss of the same MLP on digits under each optimizer."""
    data = load_digits()
    X, _, y, _ = standardized(data.X, data.y)
    settings = {
        "SGD, α = 0.01": {"optimizer": "sgd", "learning_rate": 0.01},
        "momentum 0.9, α = 0.01": {"optimizer": "momentum", "learning_rate": 0.01},
        "Nesterov 0.9, α = 0.01": {"optimizer": "nesterov", "learning_rate": 0.01},
        "Adam, α = 0.001": {"optimizer": "adam", "learning_rate": 0.001},
        "Adam, α = 0.003, step decay": {
            "optimizer": "adam",
            "learning_rate": 0.003,
            "lr_schedule": "step",
            "lr_decay": 0.1,
        },
    }
    curves = {}
    for name, extra in settings.items():
        model = MLPClassifier(
            hidden_layer_sizes=(64,),
            l2=1e-3,
            max_iter=40,
            patience=40,
            early_stopping=True,
            random_state=0,
            **extra,
        ).fit(X, y)
        curves[name] = (model.loss_history_, model.validation_loss_history_)
    fig = plot_training_curves(
        curves, title="MLP 64-64-10 on digits: same initialization, same mini-batches"
    )
    fig.savefig(IMAGES / "optimizer_curves.png", dpi=110)


def symmetry() -> None:
    """Zero initialization keeps every hidden unit identical; random initialization does not."""
    data = load_digits()
    X, _, y, _ = standardized(data.X, data.y)
    rows = {}
    for label, init in (("zeros", "zeros"), ("Xavier", "xavier")):
        model = MLPClassifier(
            hidden_layer_sizes=(16,),
            activation="sigmoid",
            init=init,
            learning_rate=0.01,
            max_iter=20,
            random_state=0,
        ).fit(X, y)
        accuracy = model.score(X, y)
        rows[f"init={label}\ntrain acc. {accuracy:.0%}"] = model.coefs_[0]
    fig = plot_symmetry(rows)
    fig.suptitle("Incoming weights of the first 8 hidden units after 20 epochs (8×8 pixels each)")
    fig.savefig(IMAGES / "symmetry.png", dpi=110)


if __name__ == "__main__":
    # The pictures train for fixed numbers of epochs on purpose (20 for the symmetry picture,
    # 40 per optimizer); that they stop at max_iter is the setting, not a problem.
    warnings.filterwarnings("ignore", "MLPClassifier reached max_iter", ConvergenceWarning)
    IMAGES.mkdir(exist_ok=True)
    for make in (landscapes, scaling, optimizer_curves, symmetry):
        make()
        print(f"{make.__name__}: done")
