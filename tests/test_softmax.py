"""SoftmaxRegression: gradients, invariants, parity with scikit-learn, errors."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad import ConvergenceWarning, LogisticRegression, NotFittedError, StandardScaler
from handgrad.gradcheck import check_gradients
from handgrad.softmax import SoftmaxRegression
from handgrad.softmax_objective import (
    pack_params,
    softmax_flat_objective,
    softmax_objective,
    unpack_params,
)


def _random_problem(rng: np.random.Generator, n: int = 30, d: int = 4, k: int = 3):
    """X (n, d), one-hot Y (n, k), and random non-zero W (d, k), b (k,)."""
    X = rng.normal(size=(n, d))
    Y = np.eye(k)[rng.integers(0, k, size=n)]
    return X, Y, rng.normal(size=(d, k)), rng.normal(size=k)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_objective_gradient_passes_check_gradients(rng: np.random.Generator, l2: float) -> None:
    """∂L/∂W and ∂L/∂b (biases included) agree with central differences, with and without l2."""
    X, Y, W, b = _random_problem(rng)

    def loss_and_grads() -> tuple[float, dict[str, np.ndarray]]:
        loss, dW, db = softmax_objective(W, b, X, Y, l2)
        return loss, {"W": dW, "b": db}

    report = check_gradients(loss_and_grads, {"W": W, "b": b})
    assert report.passed, report.table()
    assert [r.name for r in report.rows] == ["W", "b"]


def test_flat_objective_matches_blocks_and_central_differences(rng: np.random.Generator) -> None:
    """f(theta) packs W then b, and its gradient agrees with central differences."""
    X, Y, W, b = _random_problem(rng)
    theta = pack_params(W, b)
    W_view, b_view = unpack_params(theta, 4, 3)
    np.testing.assert_array_equal(W_view, W)
    np.testing.assert_array_equal(b_view, b)
    f = softmax_flat_objective(X, Y, l2=0.2)
    loss, grad = f(theta)
    assert loss == softmax_objective(W, b, X, Y, 0.2)[0]
    report = check_gradients(lambda: (f(theta)[0], {"theta": f(theta)[1]}), {"theta": theta})
    assert report.passed, report.table()
    assert grad.shape == (4 * 3 + 3,)


def test_fused_P_minus_Y_equals_the_staged_chain_rule(rng: np.random.Generator) -> None:
    """(P − Y)/n equals ∂L/∂P = −Y/(nP) pushed through the Jacobian diag(p) − ppᵀ, row by row."""
    from handgrad.activations import softmax
    from handgrad.losses import cross_entropy_backward

    Z = rng.normal(size=(7, 4))
    Y = np.eye(4)[rng.integers(0, 4, size=7)]
    P = softmax(Z)  # (n, k)
    dP = -Y / (Z.shape[0] * P)  # ∂L/∂P, (n, k)
    J = np.einsum("ij,jk->ijk", P, np.eye(4)) - np.einsum("ij,ik->ijk", P, P)  # (n, k, k)
    staged = np.einsum("ij,ijk->ik", dP, J)  # Σ_j ∂L/∂P_ij · ∂P_ij/∂Z_ik, (n, k)
    np.testing.assert_allclose(cross_entropy_backward(Z, Y), staged, rtol=1e-12, atol=1e-15)


def _standardized(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("dataset", ["iris", "wine"])
def test_matches_sklearn_multinomial(dataset: str) -> None:
    """Centred W, b and the probabilities match sklearn's multinomial fit to a relative 1e-6.

    With l2 > 0 the penalized optimum is centred (each row of W sums to 0: shifting a row by
    c leaves the loss unchanged and (l2/2)‖W‖² is smallest at c = −row mean), and gradient
    descent from zero keeps b centred too; sklearn's W is centred for the same reason, and its
    intercept is compared after subtracting its mean.
    """
    from sklearn import datasets
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    X, y = _standardized(getattr(datasets, f"load_{dataset}"))
    l2 = 0.01
    ours = SoftmaxRegression(learning_rate=1.0, max_iter=100_000, tol=1e-10, l2=l2).fit(X, y)
    C = 1.0 / (X.shape[0] * l2)
    ref = SkLogisticRegression(C=C, tol=1e-14, max_iter=10_000, solver="newton-cg").fit(X, y)
    W_ref, b_ref = ref.coef_.T, ref.intercept_ - ref.intercept_.mean()  # (d, k), (k,)
    np.testing.assert_allclose(ours.coef_.sum(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(ours.coef_, W_ref, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(ours.intercept_, b_ref, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-6, atol=1e-12)


def test_two_classes_equal_binary_logistic(breast_cancer_split) -> None:
    """With k = 2, W[:, 1] − W[:, 0] is the binary model's w (at l2 halved), same probabilities.

    The centred two-class W is [−w/2, w/2], so (l2/2)‖W‖² = (l2/4)‖w‖²: softmax at 2λ is
    logistic regression at λ.
    """
    X_train, X_test, y_train, _ = breast_cancer_split
    soft = SoftmaxRegression(learning_rate=1.0, max_iter=50_000, tol=1e-10, l2=0.1)
    binary = LogisticRegression(learning_rate=0.5, max_iter=50_000, tol=1e-10, l2=0.05)
    soft.fit(X_train, y_train)
    binary.fit(X_train, y_train)
    w = soft.coef_[:, 1] - soft.coef_[:, 0]  # (d,)
    np.testing.assert_allclose(w, binary.coef_, rtol=1e-7, atol=1e-10)
    b = soft.intercept_[1] - soft.intercept_[0]
    assert b == pytest.approx(binary.intercept_, rel=1e-7)
    np.testing.assert_allclose(soft.decision_function(X_test), binary.decision_function(X_test),
                               rtol=1e-7, atol=1e-9)  # fmt: skip
    np.testing.assert_allclose(soft.predict_proba(X_test), binary.predict_proba(X_test),
                               rtol=1e-7, atol=1e-12)  # fmt: skip


def test_probabilities_rows_sum_to_one_and_predict_is_argmax(rng: np.random.Generator) -> None:
    """predict_proba rows lie in [0, 1] and sum to 1; predict picks the most probable class."""
    X = rng.normal(size=(60, 3)) * 50  # large logits: the max-shift keeps them finite
    y = np.array(["cat", "dog", "emu"])[rng.integers(0, 3, size=60)]
    model = SoftmaxRegression(max_iter=50, learning_rate=0.01)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    P = model.predict_proba(X)
    assert P.shape == (60, 3)
    assert np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(model.predict(X), model.classes_[P.argmax(axis=1)])
    assert model.decision_function(X).shape == (60, 3)


def test_loss_at_zero_initialization_is_ln_k(rng: np.random.Generator) -> None:
    """The first recorded loss, at W = 0 and b = 0, is ln k (here k = 5)."""
    X = rng.normal(size=(40, 3))
    y = rng.integers(0, 5, size=40)
    model = SoftmaxRegression(max_iter=1, tol=0.0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert model.loss_history_[0] == pytest.approx(np.log(5), abs=1e-15)


def test_larger_l2_gives_smaller_weights() -> None:
    """‖W‖ decreases strictly as l2 grows."""
    from sklearn.datasets import load_iris

    X, y = _standardized(load_iris)
    norms = [
        np.linalg.norm(SoftmaxRegression(learning_rate=1.0, max_iter=20_000, l2=l2).fit(X, y).coef_)
        for l2 in (0.01, 0.1, 1.0)
    ]
    assert norms[0] > norms[1] > norms[2] > 0


def test_intercept_is_not_penalized(rng: np.random.Generator) -> None:
    """With l2 > 0 the fitted mean probabilities still equal the class frequencies exactly.

    ∂L/∂b = mean(P − Y) = 0 at the optimum only because b has no penalty term; a penalized
    intercept would leave mean(P) − π = −l2·b ≠ 0.
    """
    X = rng.normal(size=(200, 3)) + 1.0
    y = np.repeat([0, 1, 2], [100, 60, 40])
    model = SoftmaxRegression(learning_rate=0.5, max_iter=20_000, tol=1e-12, l2=1.0).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X).mean(axis=0), [0.5, 0.3, 0.2], atol=1e-11)
    assert np.ptp(model.intercept_) > 0.5  # b far from 0: not shrunk


def test_penalty_gradient_excludes_the_intercept(rng: np.random.Generator) -> None:
    """Raising l2 changes ∂L/∂W by exactly Δl2·W and leaves ∂L/∂b unchanged."""
    X, Y, W, b = _random_problem(rng)
    _, dW0, db0 = softmax_objective(W, b, X, Y, 0.0)
    _, dW1, db1 = softmax_objective(W, b, X, Y, 2.0)
    np.testing.assert_array_equal(db1, db0)
    np.testing.assert_allclose(dW1 - dW0, 2.0 * W, rtol=1e-12)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"learning_rate": 0.0}, r"learning_rate must be a finite number > 0; got 0.0"),
        ({"max_iter": 0}, r"max_iter must be an integer >= 1; got 0"),
        ({"tol": -1.0}, r"tol must be a finite number >= 0; got -1.0"),
        ({"l2": -0.1}, r"l2 must be a finite number >= 0; got -0.1"),
        ({"l1": float("inf")}, r"l1 must be a finite number >= 0; got inf"),
        (
            {"solver": "sag"},
            r"solver must be one of \('gd', 'newton', 'lbfgs', 'sgd', 'adam'\) for "
            r"SoftmaxRegression; got 'sag'",
        ),
        ({"solver": "lbfgs", "l1": 0.1}, r"l1 > 0 needs solver='gd' .* needs a smooth objective"),
    ],
)
def test_bad_hyperparameters_are_refused_at_fit(params: dict, match: str) -> None:
    """Each invalid hyperparameter is named in the error, with what was expected."""
    with pytest.raises(ValueError, match=match):
        SoftmaxRegression(**params).fit(np.eye(3), [0, 1, 2])


def test_bad_data_is_refused(rng: np.random.Generator) -> None:
    """One class, continuous y, y None, sparse X, unseen eval labels and a feature mismatch."""
    X = rng.normal(size=(6, 2))
    with pytest.raises(ValueError, match=r"at least 2 classes in y; got 1 class: \['a'\]"):
        SoftmaxRegression().fit(X, ["a"] * 6)
    with pytest.raises(ValueError, match=r"y has continuous values \(e.g. 0.5\); expected class"):
        SoftmaxRegression().fit(X, [0.5, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        SoftmaxRegression().fit(X, None)
    from scipy import sparse

    with pytest.raises(ValueError, match=r"Sparse data .* dense data is required.*toarray"):
        SoftmaxRegression().fit(sparse.csr_matrix(X), [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match=r"y contains labels \[7\] that were not seen in training"):
        SoftmaxRegression().fit(X, [0, 1, 2, 0, 1, 2], eval_set=(X, [0, 1, 7, 0, 1, 2]))
    with pytest.raises(ValueError, match="X has 3 features, but this SoftmaxRegression was"):
        SoftmaxRegression().fit(X, [0, 1, 2, 0, 1, 2], eval_set=(np.zeros((2, 3)), [0, 1]))
    model = SoftmaxRegression(max_iter=5)
    with pytest.warns(ConvergenceWarning, match="stopped at max_iter=5"):
        model.fit(X, [0, 1, 2, 0, 1, 2])
    with pytest.raises(
        ValueError, match="X has 3 features, but this SoftmaxRegression was fitted with 2"
    ):
        model.predict(np.zeros((1, 3)))


def test_use_before_fit_raises() -> None:
    """predict, predict_proba and decision_function before fit raise NotFittedError."""
    for method in ("predict", "predict_proba", "decision_function"):
        with pytest.raises(NotFittedError, match="This SoftmaxRegression instance is not fitted"):
            getattr(SoftmaxRegression(), method)(np.zeros((1, 3)))


def test_divergence_is_reported_not_silent(rng: np.random.Generator) -> None:
    """A learning rate far too large on unscaled data raises instead of returning NaN."""
    X = rng.normal(size=(50, 3)) * 1e200
    with pytest.raises(
        FloatingPointError, match=r"diverged at epoch \d+: the loss became (nan|inf)"
    ):
        SoftmaxRegression(learning_rate=1.0, max_iter=100).fit(X, rng.integers(0, 3, size=50))


def test_eval_set_history_and_digits_accuracy() -> None:
    """On a seeded digits split the eval loss is recorded per epoch and accuracy is high."""
    from handgrad import train_test_split
    from handgrad.datasets import load_digits

    data = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(data.X, data.y, test_size=0.2,
                                                        random_state=0)  # fmt: skip
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    model = SoftmaxRegression(learning_rate=0.5, max_iter=300, tol=1e-4, l2=1e-3)
    with pytest.warns(ConvergenceWarning):
        model.fit(X_train, y_train, eval_set=(X_test, y_test))
    assert len(model.eval_loss_history_) == len(model.loss_history_) == model.n_iter_ + 1
    assert model.score(X_test, y_test) > 0.9


def test_gd_diagnoses_separable_classes() -> None:
    """gd stopped at max_iter on separable classes (l2 = 0) says so, with the exact proof."""
    rng = np.random.default_rng(0)
    centres = ([0.0, 3.0], [3.0, 0.0], [-3.0, -3.0])
    X = np.vstack([rng.normal(size=(30, 2)) * 0.3 + c for c in centres])
    y = np.repeat(["a", "b", "c"], 30)
    with pytest.warns(
        ConvergenceWarning,
        match=r"stopped at max_iter=20 .* linearly separable \(the current weights already "
        r"classify every training sample correctly\).*no finite minimum.*set l2 > 0",
    ):
        SoftmaxRegression(max_iter=20).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="the loss is still falling: raise max_iter"):
        SoftmaxRegression(max_iter=20, l2=0.1).fit(X, y)  # penalized: a finite minimum exists
