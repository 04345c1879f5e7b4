"""solver="sgd" and "adam" for LogisticRegression and SoftmaxRegression (_stochastic.py)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from handgrad import ConvergenceWarning, LogisticRegression, StandardScaler, load_breast_cancer
from handgrad._stochastic import validation_split
from handgrad.logistic import logistic_objective
from handgrad.optim import SGD, minibatches
from handgrad.softmax import SoftmaxRegression
from handgrad.softmax_objective import softmax_objective

L2 = 0.01
# Settings that reach the optimum's objective to a relative 1e-4 within max_iter epochs
# (measured: 3e-6 to 1e-5); a decaying rate lets the mini-batch noise settle.
SGD_RUN = {"solver": "sgd", "learning_rate": 0.1, "momentum": 0.9, "batch_size": 32,
           "lr_schedule": "inverse_time"}  # fmt: skip


@pytest.fixture(scope="module")
def cancer() -> tuple[np.ndarray, np.ndarray]:
    """The breast cancer data, standardized."""
    data = load_breast_cancer()
    return StandardScaler().fit_transform(data.X), data.y


@pytest.fixture(scope="module")
def iris() -> tuple[np.ndarray, np.ndarray]:
    """Iris, standardized (three classes)."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _newton_objective(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    """The penalized objective at the Newton optimum (to rounding)."""
    reference = type(model)(solver="newton", l2=L2, tol=1e-12).fit(X, y)
    return float(reference.loss_history_[-1])


@pytest.mark.parametrize(
    ("model", "max_iter"),
    [
        (LogisticRegression(l2=L2, lr_decay=0.05, **SGD_RUN), 300),
        (
            LogisticRegression(
                l2=L2,
                solver="adam",
                learning_rate=0.01,
                batch_size=32,
                lr_schedule="inverse_time",
                lr_decay=0.05,
            ),
            300,
        ),
        (SoftmaxRegression(l2=L2, lr_decay=0.02, **SGD_RUN), 400),
        (
            SoftmaxRegression(
                l2=L2,
                solver="adam",
                learning_rate=0.05,
                batch_size=32,
                lr_schedule="exponential",
                lr_decay=0.01,
            ),
            400,
        ),
    ],
    ids=["logistic-sgd", "logistic-adam", "softmax-sgd", "softmax-adam"],
)
def test_reaches_the_newton_objective(model: Any, max_iter: int, request: Any) -> None:
    """sgd (momentum) and adam with a decaying rate reach Newton's objective to a relative 1e-4."""
    data = "iris" if isinstance(model, SoftmaxRegression) else "cancer"
    X, y = request.getfixturevalue(data)
    optimum = _newton_objective(model, X, y)
    model.set_params(max_iter=max_iter, tol=1e-6, random_state=0)
    with pytest.warns(ConvergenceWarning, match=f"stopped at max_iter={max_iter}") as caught:
        model.fit(X, y)  # the mini-batch noise keeps the gradient norm above 1e-6
    assert caught[0].filename == __file__  # points at the user's fit call
    assert model.n_iter_ == max_iter
    assert not model.converged_
    assert model.loss_history_[-1] == pytest.approx(optimum, rel=1e-4)
    assert model.loss_history_[-1] >= optimum * (1 - 1e-12)  # the optimum is a lower bound


@pytest.mark.parametrize("cls", [LogisticRegression, SoftmaxRegression])
@pytest.mark.parametrize("rows", [1, 10])  # batch_size = n and 10·n
def test_full_batch_sgd_is_gradient_descent_step_for_step(
    cls: Any, rows: int, cancer: Any, iris: Any
) -> None:
    """batch_size ≥ n with sgd and momentum 0 gives gd's weights and trace, bit for bit."""
    X, y = iris if cls is SoftmaxRegression else cancer
    settings = {"l2": L2, "learning_rate": 0.5, "max_iter": 40, "tol": 1e-3}
    with pytest.warns(ConvergenceWarning):
        gd = cls(**settings).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        sgd = cls(solver="sgd", batch_size=rows * X.shape[0], **settings).fit(X, y)
    np.testing.assert_array_equal(sgd.coef_, gd.coef_)
    np.testing.assert_array_equal(sgd.intercept_, gd.intercept_)
    assert type(sgd.intercept_) is type(gd.intercept_)
    assert sgd.loss_history_ == gd.loss_history_
    assert sgd.trace_.step == gd.trace_.step
    assert sgd.trace_.n_evals == gd.trace_.n_evals
    # gd reports ‖(w − w_next)/α‖, sgd ‖∂L/∂w‖ itself: equal up to that rounding.
    np.testing.assert_allclose(sgd.trace_.grad_norm, gd.trace_.grad_norm, rtol=1e-12)
    assert sgd.n_iter_ == gd.n_iter_ == 40


def test_full_batch_sgd_converges_like_gd(cancer: Any) -> None:
    """Full-batch sgd stops at the same epoch as gd once the gradient norm is below tol."""
    X, y = cancer
    settings = {"l2": L2, "learning_rate": 1.0, "max_iter": 1000, "tol": 1e-4}
    gd = LogisticRegression(**settings).fit(X, y)
    sgd = LogisticRegression(solver="sgd", batch_size=X.shape[0], **settings).fit(X, y)
    assert sgd.converged_
    assert gd.converged_
    assert sgd.n_iter_ == gd.n_iter_ < 1000
    assert sgd.trace_.grad_norm[-1] < 1e-4 <= sgd.trace_.grad_norm[-2]


def test_one_epoch_is_sgd_steps_on_the_batch_objective(cancer: Any) -> None:
    """An epoch is SGD.step on logistic_objective of each shuffled batch, in minibatches' order."""
    X, y = cancer
    with pytest.warns(ConvergenceWarning):
        model = LogisticRegression(solver="sgd", l2=L2, batch_size=50, max_iter=1,
                                   learning_rate=0.3, random_state=7).fit(X, y)  # fmt: skip
    params = {"w": np.zeros(X.shape[1]), "b": np.zeros(())}
    optimizer, n_batches = SGD(0.3), 0
    for rows in minibatches(X.shape[0], 50, np.random.default_rng(7)):
        _, dw, db = logistic_objective(params["w"], float(params["b"]), X[rows], y[rows], L2)
        optimizer.step(params, {"w": dw, "b": np.asarray(db)})
        n_batches += 1
    np.testing.assert_array_equal(model.coef_, params["w"])
    assert model.intercept_ == float(params["b"])
    assert model.trace_.n_evals == [1, n_batches]
    assert n_batches == math.ceil(X.shape[0] / 50)
    assert model.loss_history_[1] == logistic_objective(params["w"], model.intercept_, X, y, L2)[0]


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_seeded_runs_are_reproducible(solver: str, iris: Any) -> None:
    """The same random_state gives the same fit; another seed, another batch order."""
    X, y = iris

    def fit(seed: int) -> SoftmaxRegression:
        model = SoftmaxRegression(solver=solver, l2=L2, batch_size=16, max_iter=5,
                                  random_state=seed)  # fmt: skip
        with pytest.warns(ConvergenceWarning):
            return model.fit(X, y)

    first, again, other = fit(3), fit(3), fit(4)
    np.testing.assert_array_equal(first.coef_, again.coef_)
    assert first.loss_history_ == again.loss_history_
    assert not np.array_equal(first.coef_, other.coef_)


def test_schedule_sets_the_step_column(cancer: Any) -> None:
    """trace_.step holds the scheduled rate of each epoch: α₀·e^(−decay·(epoch − 1))."""
    X, y = cancer
    with pytest.warns(ConvergenceWarning):
        model = LogisticRegression(solver="sgd", learning_rate=0.2, lr_schedule="exponential",
                                   lr_decay=0.1, max_iter=6, random_state=0).fit(X, y)  # fmt: skip
    expected = [0.0] + [0.2 * math.exp(-0.1 * t) for t in range(6)]
    np.testing.assert_allclose(model.trace_.step, expected, rtol=1e-15)
    assert len(model.loss_history_) == len(model.trace_) == model.n_iter_ + 1 == 7


@pytest.mark.parametrize("cls", [LogisticRegression, SoftmaxRegression])
def test_early_stopping_restores_the_best_weights(cls: Any, cancer: Any, iris: Any) -> None:
    """With early_stopping the patience rule stops the run and coef_ is the best epoch's."""
    X, y = iris if cls is SoftmaxRegression else cancer
    model = cls(solver="adam", learning_rate=0.3, batch_size=8, max_iter=200, patience=3,
                tol=1e-3, early_stopping=True, validation_fraction=0.3, random_state=1)  # fmt: skip
    model.fit(X, y)
    history = model.validation_loss_history_
    assert model.converged_
    assert model.n_iter_ < 200
    assert len(history) == model.n_iter_ + 1 == len(model.loss_history_)
    assert model.best_epoch_ == int(np.argmin(history)) < model.n_iter_
    assert history[model.best_epoch_] < history[-1]  # the last epoch's weights were worse
    codes = np.searchsorted(model.classes_, y)
    _, val_rows = validation_split(codes, 0.3, np.random.default_rng(1))
    if cls is SoftmaxRegression:
        Y = np.eye(3)[codes[val_rows]]
        loss = softmax_objective(model.coef_, model.intercept_, X[val_rows], Y, 0.0)[0]
    else:
        loss = logistic_objective(model.coef_, model.intercept_, X[val_rows],
                                  y[val_rows].astype(float), 0.0)[0]  # fmt: skip
    assert loss == pytest.approx(history[model.best_epoch_], rel=1e-12)


def test_early_stopping_warns_when_max_iter_comes_first(cancer: Any) -> None:
    """A run still improving on the validation rows at max_iter warns in the project's style."""
    X, y = cancer
    model = LogisticRegression(solver="sgd", learning_rate=0.001, max_iter=3, early_stopping=True,
                               random_state=0)  # fmt: skip
    with pytest.warns(ConvergenceWarning, match=r"LogisticRegression reached max_iter=3 epochs "
                      r"before its stopping rule: the validation loss") as caught:  # fmt: skip
        model.fit(X, y)
    assert caught[0].filename == __file__  # points at the user's fit call
    assert not model.converged_
    assert model.n_iter_ == model.best_epoch_ == 3


def test_eval_set_and_callback_see_every_epoch(iris: Any) -> None:
    """eval_set losses and the callback come once per epoch, the start included."""
    X, y = iris
    seen: list[tuple[int, float]] = []
    with pytest.warns(ConvergenceWarning):
        model = SoftmaxRegression(solver="adam", batch_size=32, max_iter=4, random_state=0).fit(
            X, y, eval_set=(X[:20], y[:20]), callback=lambda e, loss: seen.append((e, loss))
        )
    assert seen == list(enumerate(model.loss_history_))
    assert len(model.eval_loss_history_) == 5
    first = softmax_objective(np.zeros((4, 3)), np.zeros(3), X[:20], np.eye(3)[y[:20]], 0.0)[0]
    assert model.eval_loss_history_[0] == pytest.approx(first)  # ln 3 at zero weights


def test_hyperparameters_are_stored_unchanged() -> None:
    """The new keywords are kept as given (get_params round-trips them)."""
    model = LogisticRegression(solver="adam", batch_size=7, momentum=0.5, lr_schedule="step",
                               lr_decay=0.1, early_stopping=True, validation_fraction=0.2,
                               patience=4, random_state=9)  # fmt: skip
    params = model.get_params()
    assert {k: params[k] for k in ("batch_size", "momentum", "lr_schedule", "lr_decay",
            "early_stopping", "validation_fraction", "patience", "random_state")} == {
        "batch_size": 7, "momentum": 0.5, "lr_schedule": "step", "lr_decay": 0.1,
        "early_stopping": True, "validation_fraction": 0.2, "patience": 4, "random_state": 9,
    }  # fmt: skip


@pytest.mark.parametrize("cls", [LogisticRegression, SoftmaxRegression])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"batch_size": 0}, r"batch_size must be an integer >= 1; got 0"),
        ({"batch_size": 2.5}, r"batch_size must be an integer"),
        ({"momentum": 1.0}, r"momentum must be a number in \[0, 1\); got 1.0"),
        ({"momentum": True}, r"momentum must be a number in \[0, 1\); got True"),
        ({"lr_schedule": "cosine"}, r"lr_schedule must be one of \('constant', .*got 'cosine'"),
        ({"lr_decay": -1.0}, r"lr_decay must be"),
        ({"lr_schedule": "step"}, r"the step schedule needs lr_decay > 0"),
        ({"patience": 0}, r"patience must be an integer >= 1; got 0"),
        ({"early_stopping": "yes"}, r"early_stopping must be True or False; got 'yes'"),
        (
            {"early_stopping": True, "validation_fraction": 1.0},
            r"validation_fraction must be in \(0, 1\); got 1.0",
        ),
        ({"validation_fraction": 0.0}, r"validation_fraction must be"),
        ({"l1": 0.1}, r"l1 > 0 needs solver='gd' .*solver='sgd' needs a smooth objective"),
    ],
)
def test_bad_minibatch_hyperparameters_are_refused(
    cls: Any, params: dict[str, Any], message: str
) -> None:
    """Each bad mini-batch hyperparameter raises a ValueError naming it, at fit."""
    model = cls(solver="sgd", max_iter=2, **params)
    with pytest.raises(ValueError, match=message):
        model.fit(np.array([[0.0], [1.0], [2.0], [3.0]] * 5), [0, 1, 0, 1] * 5)


def test_bad_minibatch_hyperparameters_are_refused_for_every_solver() -> None:
    """A bad batch_size is refused even with solver='gd', never silently ignored."""
    with pytest.raises(ValueError, match=r"batch_size must be an integer >= 1; got -3"):
        LogisticRegression(batch_size=-3).fit(np.array([[0.0], [1.0]]), [0, 1])
