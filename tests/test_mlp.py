"""MLPClassifier: gradients (central differences and torch), symmetry, fitting, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

from handgrad import ConvergenceWarning, NotFittedError, StandardScaler, train_test_split
from handgrad.datasets.digits import load_digits
from handgrad.gradcheck import check_gradients, relative_error
from handgrad.mlp import MLPClassifier, mlp_gradcheck_problem

HIDDEN = [(3,), (4, 3), (4, 3, 3)]
# W1, b1, ..., W{L}, b{L}: every weight and bias block of a network with n hidden layers.
EXPECTED_BLOCKS = {n: [f"{p}{i}" for i in range(1, n + 2) for p in "Wb"] for n in (1, 2, 3)}
ACTIVATIONS = ["relu", "tanh", "sigmoid"]
# For fits that run a small, fixed number of epochs on purpose: reaching max_iter there is
# the point, not a problem, so its ConvergenceWarning (tested below) is ignored.
FIXED_EPOCHS = pytest.mark.filterwarnings(
    "ignore:MLPClassifier reached max_iter:handgrad.exceptions.ConvergenceWarning"
)


def _batch(rng: np.random.Generator, n_classes: int, n: int = 7) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, 4))
    y = np.arange(n) % n_classes  # every class present
    return X, rng.permutation(y)


@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("n_classes", [2, 3], ids=["sigmoid-output", "softmax-output"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=["1-layer", "2-layers", "3-layers"])
def test_network_gradient_matches_central_differences(
    rng: np.random.Generator, hidden: tuple[int, ...], activation: str, n_classes: int, l2: float
) -> None:
    """Every W_l and b_l gradient of the full objective agrees with central differences."""
    X, y = _batch(rng, n_classes)
    loss_and_grads, params = mlp_gradcheck_problem(
        X, y, hidden_layer_sizes=hidden, activation=activation, l2=l2, random_state=1
    )
    for name, theta in params.items():
        assert np.all(theta != 0), f"{name} must be checked at non-zero values"
    report = check_gradients(loss_and_grads, params, tolerance=1e-7)
    assert [row.name for row in report.rows] == EXPECTED_BLOCKS[len(hidden)]  # biases included
    assert report.passed, report.table()


def _torch_gradients(
    params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, activation: str, l2: float
) -> tuple[float, dict[str, np.ndarray]]:
    """The same objective built from torch operations, differentiated by autograd."""
    tensors = {
        k: torch.tensor(p, dtype=torch.float64, requires_grad=True) for k, p in params.items()
    }
    g = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[activation]
    n_layers = len(params) // 2
    A = torch.tensor(X, dtype=torch.float64)
    for i in range(1, n_layers + 1):
        Z = A @ tensors[f"W{i}"] + tensors[f"b{i}"]
        A = g(Z) if i < n_layers else Z
    classes, codes = np.unique(y, return_inverse=True)
    if classes.shape[0] == 2:
        target = torch.tensor(codes, dtype=torch.float64)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(Z[:, 0], target)
    else:
        loss = torch.nn.functional.cross_entropy(Z, torch.tensor(codes))
    loss = loss + sum(0.5 * l2 * (tensors[f"W{i}"] ** 2).sum() for i in range(1, n_layers + 1))
    loss.backward()
    return float(loss.detach()), {k: t.grad.numpy() for k, t in tensors.items()}


@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("n_classes", [2, 4], ids=["sigmoid-output", "softmax-output"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=["1-layer", "2-layers", "3-layers"])
def test_network_gradient_matches_torch_autograd(
    rng: np.random.Generator, hidden: tuple[int, ...], activation: str, n_classes: int, l2: float
) -> None:
    """Loss and every gradient agree with torch autograd in float64 to a relative 1e-6."""
    X, y = _batch(rng, n_classes, n=12)
    loss_and_grads, params = mlp_gradcheck_problem(
        X, y, hidden_layer_sizes=hidden, activation=activation, l2=l2, random_state=2
    )
    loss, grads = loss_and_grads()
    ref_loss, ref_grads = _torch_gradients(params, X, y, activation, l2)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for name in params:
        np.testing.assert_allclose(grads[name], ref_grads[name], rtol=1e-6, atol=1e-12)
        assert relative_error(grads[name], ref_grads[name]) < 1e-12, name


@FIXED_EPOCHS
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_zero_init_keeps_hidden_units_identical(rng: np.random.Generator, activation: str) -> None:
    """With zero init every hidden unit has the same weights after training; with He/Xavier not."""
    X, y = rng.normal(size=(60, 5)), rng.integers(0, 3, size=60)
    kwargs = {"hidden_layer_sizes": (6, 4), "activation": activation, "max_iter": 30}
    zero = MLPClassifier(init="zeros", learning_rate=0.01, random_state=0, **kwargs).fit(X, y)
    for W, b in zip(zero.coefs_[:-1], zero.intercepts_[:-1], strict=True):
        np.testing.assert_array_equal(W, W[:, :1].repeat(W.shape[1], axis=1))  # equal columns
        np.testing.assert_array_equal(b, np.full_like(b, b[0]))
    W_out = zero.coefs_[-1]
    np.testing.assert_array_equal(W_out, W_out[:1].repeat(W_out.shape[0], axis=0))  # equal rows
    if activation == "sigmoid":  # σ(0) = 1/2 ≠ 0: the units move, but all together
        assert np.abs(zero.coefs_[0]).max() > 1e-3
    random = MLPClassifier(init="auto", learning_rate=0.01, random_state=0, **kwargs).fit(X, y)
    for W in random.coefs_[:-1]:
        gaps = np.abs(W[:, :, None] - W[:, None, :]).max(axis=0)  # (h, h): unit i vs unit j
        assert np.all(gaps[~np.eye(W.shape[1], dtype=bool)] > 1e-3)  # no two units alike


@FIXED_EPOCHS
def test_overfits_twenty_samples(rng: np.random.Generator) -> None:
    """A small network reaches 100% training accuracy on 20 random points with random labels."""
    X, y = rng.normal(size=(20, 8)), rng.integers(0, 3, size=20)
    model = MLPClassifier(
        hidden_layer_sizes=(32,),
        l2=0.0,
        learning_rate=0.01,
        max_iter=300,
        tol=0.0,
        patience=300,
        random_state=0,
    ).fit(X, y)
    assert model.score(X, y) == 1.0
    assert model.loss_history_[-1] < 0.05


# The settings behind the digits figure quoted in the README: the defaults (100 ReLU units,
# Adam at 0.001, l2 = 1e-4, batches of 64), given the epochs they need to converge: the
# patience rule stops them after 348 to 366 epochs. On the seeded split the test accuracy is
# 97.2–98.3% for every initialization seed 0–15; random_state=0 gives 97.5% (350 of 359).
DIGITS_SETTINGS = {"max_iter": 400, "random_state": 0}


def test_digits_test_accuracy_at_least_97_percent() -> None:
    """On the seeded 80/20 digits split (standardized), test accuracy is at least 97%."""
    data = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=0.2, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    # One BLAS thread: on a busy two-core machine OpenBLAS's threads wait on each other and
    # this fit takes about 20 times longer; the result is the same.
    with threadpool_limits(limits=1):
        model = MLPClassifier(**DIGITS_SETTINGS).fit(scaler.transform(X_train), y_train)
    assert model.converged_  # stopped by the patience rule, not by max_iter
    assert model.score(scaler.transform(X_test), y_test) >= 0.97


@FIXED_EPOCHS
@pytest.mark.parametrize("k", [2, 5])
def test_loss_at_zero_init_is_log_k(rng: np.random.Generator, k: int) -> None:
    """With zero weights the first recorded loss is ln 2 (sigmoid output) or ln k (softmax)."""
    X, y = rng.normal(size=(30, 3)), np.arange(30) % k
    model = MLPClassifier(init="zeros", max_iter=1, random_state=0).fit(X, y)
    assert model.loss_history_[0] == pytest.approx(np.log(k), abs=1e-15)


@FIXED_EPOCHS
def test_probabilities_and_labels(rng: np.random.Generator) -> None:
    """predict_proba rows sum to 1 in classes_ order; predict returns the original labels."""
    X = rng.normal(size=(40, 3))
    y = np.where(X[:, 0] > 0, "yes", "no")
    model = MLPClassifier(hidden_layer_sizes=4, max_iter=200, learning_rate=0.02, random_state=0)
    P = model.fit(X, y).predict_proba(X)
    assert P.shape == (40, 2)
    assert model.out_activation_ == "sigmoid"
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    assert set(model.predict(X)) <= {"no", "yes"}
    assert model.score(X, y) > 0.9
    np.testing.assert_array_equal(model.classes_, ["no", "yes"])


def test_early_stopping_restores_best_validation_weights(rng: np.random.Generator) -> None:
    """With early_stopping the returned weights are those of the lowest validation loss."""
    X = rng.normal(size=(120, 6))
    y = (X[:, 0] + 0.8 * rng.normal(size=120) > 0).astype(int)  # noisy: overfitting sets in
    model = MLPClassifier(
        hidden_layer_sizes=(64,),
        l2=0.0,
        learning_rate=0.02,
        max_iter=300,
        early_stopping=True,
        validation_fraction=0.25,
        patience=8,
        random_state=0,
    ).fit(X, y)
    history = model.validation_loss_history_
    assert model.n_iter_ < 300
    assert len(history) == model.n_iter_ + 1
    assert model.best_epoch_ == int(np.argmin(history))
    assert model.best_epoch_ < model.n_iter_
    assert min(history) < history[-1]


@FIXED_EPOCHS
def test_random_state_makes_fits_reproducible(rng: np.random.Generator) -> None:
    """The same random_state gives identical weights; a different one does not."""
    X, y = rng.normal(size=(30, 3)), np.arange(30) % 3
    fit = lambda seed: MLPClassifier(max_iter=3, random_state=seed).fit(X, y).coefs_[0]  # noqa: E731
    np.testing.assert_array_equal(fit(1), fit(1))
    assert not np.array_equal(fit(1), fit(2))


@FIXED_EPOCHS
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
@pytest.mark.parametrize("schedule", ["constant", "step", "exponential", "inverse_time"])
def test_every_optimizer_and_schedule_lowers_the_loss(
    rng: np.random.Generator, optimizer: str, schedule: str
) -> None:
    """Each optimizer with each schedule ends with a lower training loss than it started."""
    X = rng.normal(size=(50, 4))
    y = X[:, :3].argmax(axis=1)  # learnable: the largest of the first three features
    lr = 0.01 if optimizer == "adam" else 0.1
    model = MLPClassifier(
        hidden_layer_sizes=(8,),
        optimizer=optimizer,
        learning_rate=lr,
        lr_schedule=schedule,
        lr_decay=0.1,
        max_iter=20,
        random_state=0,
    )
    model.fit(X, y)
    assert model.loss_history_[-1] < 0.9 * model.loss_history_[0]


BAD_PARAMS = [
    ({"hidden_layer_sizes": ()}, r"hidden_layer_sizes must be 1 to 3 positive integers.*got \(\)"),
    ({"hidden_layer_sizes": (4, 4, 4, 4)}, r"1 to 3 positive integers.*got \(4, 4, 4, 4\)"),
    ({"hidden_layer_sizes": (4, 0)}, r"1 to 3 positive integers.*got \(4, 0\)"),
    ({"hidden_layer_sizes": "10"}, r"1 to 3 positive integers.*got '10'"),
    ({"hidden_layer_sizes": (2.5,)}, r"1 to 3 positive integers.*got \(2.5,\)"),
    (
        {"activation": "softplus"},
        r"activation must be one of \('relu', 'sigmoid', 'tanh'\); got 'soft",
    ),
    ({"init": "random"}, r"init must be one of \('auto', 'he', 'xavier', 'zeros'\); got 'random'"),
    ({"optimizer": "rmsprop"}, r"optimizer must be one of .*'sgd'\); got 'rmsprop'"),
    ({"lr_schedule": "cosine"}, r"lr_schedule must be one of .*; got 'cosine'"),
    ({"learning_rate": 0.0}, r"learning_rate must be a finite number > 0; got 0.0"),
    ({"l2": -1.0}, r"l2 must be a finite number >= 0; got -1.0"),
    ({"batch_size": 0}, r"batch_size must be an integer >= 1; got 0"),
    ({"max_iter": 2.5}, r"max_iter must be an integer >= 1; got 2.5"),
    ({"patience": 0}, r"patience must be an integer >= 1; got 0"),
    ({"momentum": 1.0}, r"momentum must be a number in \[0, 1\); got 1.0"),
    ({"momentum": "high"}, r"momentum must be a number in \[0, 1\); got 'high'"),
    ({"lr_decay": -0.1}, r"lr_decay must be a finite number >= 0; got -0.1"),
    ({"lr_schedule": "step"}, r"the step schedule needs lr_decay > 0"),
    ({"early_stopping": True, "validation_fraction": 1.0}, r"must be in \(0, 1\); got 1.0"),
]


@pytest.mark.parametrize(("params", "message"), BAD_PARAMS)
def test_bad_hyperparameters_are_refused(params: dict[str, object], message: str) -> None:
    """Each invalid hyperparameter gives a message naming it, what is expected and what came."""
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match=message):
        MLPClassifier(**params).fit(X, y)  # type: ignore[arg-type]


@FIXED_EPOCHS
def test_bad_data_is_refused() -> None:
    """No y, one class, continuous targets, NaN, a wrong feature count: each refused clearly."""
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"at least 2 classes in y; got 1 class: \[1\]"):
        MLPClassifier().fit(X, np.ones(4, dtype=int))
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        MLPClassifier().fit(X, None)
    with pytest.raises(ValueError, match=r"y has continuous values \(e.g. 0.5\); expected class"):
        MLPClassifier().fit(X, np.array([0.5, 1.5, 0.2, 0.1]))
    with pytest.raises(ValueError, match="X contains NaN at row 0, column 1"):
        MLPClassifier().fit(np.array([[0.0, np.nan], [1.0, 1.0]]), np.array([0, 1]))
    model = MLPClassifier(max_iter=1, random_state=0).fit(X, np.array([0, 1, 0, 1]))
    with pytest.raises(
        ValueError, match="X has 3 features, but this MLPClassifier was fitted with 2"
    ):
        model.predict(np.zeros((1, 3)))


def test_predict_before_fit_raises() -> None:
    """predict before fit raises NotFittedError naming the class."""
    with pytest.raises(NotFittedError, match="This MLPClassifier instance is not fitted"):
        MLPClassifier().predict(np.zeros((1, 3)))


def test_diverging_training_is_reported() -> None:
    """A learning rate that makes the loss overflow raises instead of returning NaN weights."""
    X = np.random.default_rng(0).normal(size=(40, 3)) * 1e3
    y = np.arange(40) % 2
    model = MLPClassifier(
        optimizer="sgd", learning_rate=1e6, l2=1.0, max_iter=100, patience=100, random_state=0
    )
    with pytest.raises(FloatingPointError, match="training diverged at epoch"):
        model.fit(X, y)


def test_gradcheck_problem_rejects_bad_input() -> None:
    """The gradient-check factory refuses an unknown activation and a one-class batch."""
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="activation must be one of"):
        mlp_gradcheck_problem(X, np.array([0, 1, 0]), activation="elu")
    with pytest.raises(ValueError, match="at least 2 classes"):
        mlp_gradcheck_problem(X, np.zeros(3))


def _learnable(rng: np.random.Generator, n: int = 80) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, 4))
    return X, X[:, :3].argmax(axis=1)  # the largest of the first three features


def test_max_iter_before_the_stopping_rule_warns_why(rng: np.random.Generator) -> None:
    """Reaching max_iter while the loss still falls warns, says so, and leaves converged_ False."""
    X, y = _learnable(rng)
    model = MLPClassifier(hidden_layer_sizes=(8,), learning_rate=0.01, max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning) as caught:
        model.fit(X, y)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith(
        "MLPClassifier reached max_iter=5 epochs before its stopping rule: the training loss "
        "still improved by more than tol=0.0001 within the last 5 epochs (patience=10). "
        "Likely cause: the training loss was still falling ("
    )
    assert message.endswith("over the last 5 epochs): raise max_iter (or learning_rate).")
    assert caught[0].filename == __file__  # points at the caller's fit
    assert model.n_iter_ == 5
    assert not model.converged_


def test_no_warning_when_the_stopping_rule_ends_training(rng: np.random.Generator) -> None:
    """When the patience rule stops training before max_iter, fit is silent and converged_."""
    X, y = _learnable(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = MLPClassifier(
            hidden_layer_sizes=(8,), learning_rate=0.01, max_iter=1000, random_state=0
        ).fit(X, y)
    assert model.n_iter_ < 1000
    assert model.converged_


@pytest.mark.parametrize(
    ("settings", "data", "cause"),
    [
        (
            {
                "optimizer": "sgd",
                "learning_rate": 0.5,
                "batch_size": 4,
                "max_iter": 60,
                "patience": 30,
                "hidden_layer_sizes": (32,),
            },
            "random labels",
            r"the training loss went up in \d+ of the last 30 epochs while still reaching new "
            r"lows, so the steps are too noisy to settle: lower learning_rate, use a decaying "
            r"lr_schedule, or a larger batch_size\.",
        ),
        (
            {"max_iter": 5, "hidden_layer_sizes": (8,)},
            "unscaled",
            r"the feature scales differ a lot \(standard deviations from 0\.0\d+ to \d+\), "
            r"which makes gradient descent crawl: standardize X \(StandardScaler\)\.",
        ),
        (
            {"max_iter": 5, "hidden_layer_sizes": (8,), "early_stopping": True},
            "learnable",
            r"reached max_iter=5 epochs before its stopping rule: the validation loss still "
            r"improved .* Likely cause: the validation loss was still falling",
        ),
    ],
    ids=["noisy-steps", "unscaled-features", "early-stopping"],
)
def test_convergence_warning_names_the_likely_cause(
    rng: np.random.Generator, settings: dict[str, object], data: str, cause: str
) -> None:
    """Noisy steps, unscaled features and a still-falling validation loss are told apart."""
    X, y = _learnable(rng)
    if data == "random labels":
        y = rng.integers(0, 3, size=X.shape[0])
    elif data == "unscaled":
        X = X * np.array([1.0, 1000.0, 1.0, 0.01])
    with pytest.warns(ConvergenceWarning, match=cause):
        MLPClassifier(random_state=0, **settings).fit(X, y)  # type: ignore[arg-type]
