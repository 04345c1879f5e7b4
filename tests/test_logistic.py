"""LogisticRegression: gradients, invariants, parity with scikit-learn."""

from __future__ import annotations

import re

import numpy as np
import pytest

from handgrad import ConvergenceWarning, LogisticRegression, NotFittedError
from handgrad.gradcheck import numerical_gradient, relative_error
from handgrad.logistic import logistic_objective


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_objective_gradient_matches_central_differences(
    rng: np.random.Generator, l2: float
) -> None:
    """∂L/∂w and ∂L/∂b agree with central differences at random non-zero parameters."""
    X = rng.normal(size=(40, 5))
    y = (rng.random(40) < 0.5).astype(float)
    w, b = rng.normal(size=5), np.array([0.7])
    _, dw, db = logistic_objective(w, float(b[0]), X, y, l2)
    loss = lambda: logistic_objective(w, float(b[0]), X, y, l2)[0]  # noqa: E731
    assert relative_error(dw, numerical_gradient(loss, w)) < 1e-7
    assert relative_error(np.array([db]), numerical_gradient(loss, b)) < 1e-7


def test_loss_at_zero_initialization_is_ln2(breast_cancer_split) -> None:
    """The first recorded loss, at w = 0 and b = 0, is ln 2."""
    X_train, _, y_train, _ = breast_cancer_split
    model = LogisticRegression(max_iter=1, tol=0.0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X_train, y_train)
    assert model.loss_history_[0] == pytest.approx(np.log(2), abs=1e-15)


def test_predict_before_fit_raises() -> None:
    """predict before fit raises NotFittedError naming the class."""
    with pytest.raises(NotFittedError, match="This LogisticRegression instance is not fitted"):
        LogisticRegression().predict(np.zeros((1, 3)))


def test_matches_sklearn_with_l2(breast_cancer_split) -> None:
    """With l2 > 0 at convergence, coef_ and intercept_ match sklearn at C = 1/(n·l2)."""
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    X_train, _, y_train, _ = breast_cancer_split
    l2 = 0.05
    ours = LogisticRegression(learning_rate=0.5, max_iter=100_000, tol=1e-11, l2=l2)
    ours.fit(X_train, y_train)
    C = 1.0 / (X_train.shape[0] * l2)
    ref = SkLogisticRegression(C=C, tol=1e-12, max_iter=10_000, solver="newton-cholesky")
    ref.fit(X_train, y_train)
    np.testing.assert_allclose(ours.coef_, ref.coef_.ravel(), rtol=1e-6, atol=1e-9)
    assert ours.intercept_ == pytest.approx(ref.intercept_[0], rel=1e-6)
    ours_obj = logistic_objective(ours.coef_, ours.intercept_, X_train, y_train, l2)[0]
    ref_obj = logistic_objective(ref.coef_.ravel(), ref.intercept_[0], X_train, y_train, l2)[0]
    assert ours_obj == pytest.approx(ref_obj, rel=1e-12)


def test_default_model_accuracy_on_the_seeded_split(breast_cancer_split) -> None:
    """The default model (lr 0.1, 1000 epochs) scores at least 95% on the seed-0 test split."""
    X_train, X_test, y_train, y_test = breast_cancer_split
    with pytest.warns(ConvergenceWarning, match="stopped at max_iter=1000"):
        model = LogisticRegression().fit(X_train, y_train)
    assert model.score(X_test, y_test) >= 0.95


def test_loss_curve_decreases(breast_cancer_split) -> None:
    """Every epoch of gradient descent lowers the training loss, from ln 2 down."""
    X_train, _, y_train, _ = breast_cancer_split
    with pytest.warns(ConvergenceWarning):
        model = LogisticRegression(max_iter=300).fit(X_train, y_train)
    history = np.asarray(model.loss_history_)
    assert history.shape == (301,)
    assert np.all(np.diff(history) < 0)
    assert history[-1] < 0.1 < np.log(2) == pytest.approx(history[0])


def test_predict_proba_rows_sum_to_one(rng: np.random.Generator) -> None:
    """predict_proba has shape (n, 2), entries in [0, 1], rows summing to 1, column 1 = p."""
    X = rng.normal(size=(60, 3)) * 5
    y = (X[:, 0] + rng.normal(size=60) > 0).astype(int)
    model = LogisticRegression(l2=0.1).fit(X, y)
    P = model.predict_proba(X)
    assert P.shape == (60, 2)
    assert np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(P[:, 1] >= 0.5, model.predict(X) == 1)


def test_string_labels_keep_their_names(rng: np.random.Generator) -> None:
    """Labels of any type work; classes_ is sorted and classes_[1] is the positive class."""
    X = rng.normal(size=(40, 2))
    y = np.where(X[:, 0] > 0, "malignant", "benign")
    model = LogisticRegression(l2=0.1).fit(X, y)
    assert model.classes_.tolist() == ["benign", "malignant"]
    assert set(model.predict(X)) <= {"benign", "malignant"}
    assert model.coef_[0] > 0  # larger x0 means malignant, the positive class


@pytest.mark.parametrize(
    "labels",
    [np.array([3, 7]), np.array([-1.0, 1.0]), np.array([False, True]),
     np.array([0, 1], dtype=np.uint8), np.array(["no", "yes"])],
)  # fmt: skip
def test_labels_of_every_kind_encode_like_np_unique(
    rng: np.random.Generator, labels: np.ndarray
) -> None:
    """Numeric labels take a sort-free path to classes_ and 0/1 codes: the same as np.unique."""
    from handgrad._validation import encode_binary

    y = labels[rng.integers(0, 2, size=50)]
    classes, y01 = encode_binary(y, "LogisticRegression")
    expected_classes, expected_codes = np.unique(y, return_inverse=True)
    np.testing.assert_array_equal(classes, expected_classes)
    assert classes.dtype == expected_classes.dtype
    np.testing.assert_array_equal(y01, expected_codes.astype(np.float64))


@pytest.mark.parametrize(("y", "found"), [([3, 5, 7, 3], "3 class(es): [3, 5, 7]"),
                                          ([1.0, 1.0], "1 class(es): [1.0]")])  # fmt: skip
def test_numeric_labels_that_are_not_two_classes_are_refused(y: list[float], found: str) -> None:
    """The sort-free path falls back to the full count and its message."""
    from handgrad._validation import encode_binary

    with pytest.raises(ValueError, match=re.escape(f"needs exactly 2 classes in y; got {found}")):
        encode_binary(np.array(y), "LogisticRegression")


@pytest.mark.parametrize(
    ("value", "pattern"),
    [(np.nan, r"X contains NaN at row 3, column 1 \(1 value\(s\) in all\); expected finite"),
     (np.inf, r"X contains inf at row 3, column 1 \(1 value\(s\) in all\); expected finite")],
)  # fmt: skip
def test_non_finite_X_says_where(value: float, pattern: str) -> None:
    """NaN or inf in X is reported with its row and column, at fit and at predict."""
    X = np.ones((6, 2))
    X[3, 1] = value
    y = np.array([0, 1, 0, 1, 0, 1])
    with pytest.raises(ValueError, match=pattern):
        LogisticRegression().fit(X, y)
    fitted = LogisticRegression(l2=1.0).fit(np.eye(6, 2), y)
    with pytest.raises(ValueError, match=pattern):
        fitted.predict(X)


def test_wrong_feature_count_at_predict(rng: np.random.Generator) -> None:
    """Predicting with a different number of columns says both counts."""
    model = LogisticRegression(l2=1.0).fit(rng.normal(size=(10, 3)), np.arange(10) % 2)
    with pytest.raises(
        ValueError, match="X has 4 features, but this LogisticRegression was fitted"
    ):
        model.predict_proba(rng.normal(size=(2, 4)))


@pytest.mark.parametrize(
    ("y", "pattern"),
    [([1, 1, 1, 1], r"needs exactly 2 classes in y; got 1 class\(es\): \[1\]"),
     ([0, 1, 2, 0], r"Only binary .* exactly 2 classes in y; got 3 class\(es\): \[0, 1, 2\]")],
)  # fmt: skip
def test_not_exactly_two_classes(y: list[int], pattern: str) -> None:
    """One class or three raises, listing the classes found."""
    with pytest.raises(ValueError, match=pattern):
        LogisticRegression().fit(np.eye(4), y)


def test_continuous_target_is_named() -> None:
    """A real-valued target is named as continuous, not as 40 classes."""
    y = np.linspace(0.1, 3.9, 40)
    with pytest.raises(ValueError, match="Unknown label type: y looks continuous"):
        LogisticRegression().fit(np.ones((40, 2)), y)


@pytest.mark.parametrize("lr", [0.0, -0.1, np.nan])
def test_non_positive_learning_rate(lr: float) -> None:
    """learning_rate must be a finite number > 0; the message shows what was given."""
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0; got"):
        LogisticRegression(learning_rate=lr).fit(np.eye(4), [0, 1, 0, 1])


def test_sparse_X_is_refused_clearly() -> None:
    """A scipy sparse matrix is refused with a hint to convert it."""
    from scipy import sparse

    with pytest.raises(ValueError, match=r"Sparse data .* dense data is required.*toarray"):
        LogisticRegression().fit(sparse.csr_matrix(np.eye(4)), [0, 1, 0, 1])


def test_too_large_learning_rate_is_diagnosed(rng: np.random.Generator) -> None:
    """A learning rate that makes the loss go up ends in a warning that names the cause."""
    X = rng.normal(size=(50, 2)) * 100
    y = (X[:, 0] + 50 * rng.normal(size=50) > 0).astype(int)
    with pytest.warns(ConvergenceWarning, match="loss went up .* lower learning_rate"):
        model = LogisticRegression(learning_rate=10.0, max_iter=50).fit(X, y)
    assert np.all(np.isfinite(model.coef_))


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_training_loop_steps_along_the_checked_gradient(
    rng: np.random.Generator, l2: float
) -> None:
    """fit's inline four-step loop takes exactly the steps of logistic_objective's gradient."""
    X = rng.normal(size=(30, 4))
    y = (rng.random(30) < 0.5).astype(float)
    lr, steps = 0.3, 5
    w, b, losses = np.zeros(4), 0.0, []
    for _ in range(steps):
        loss, dw, db = logistic_objective(w, b, X, y, l2)
        losses.append(loss)
        w, b = w - lr * dw, b - lr * db
    losses.append(logistic_objective(w, b, X, y, l2)[0])
    with pytest.warns(ConvergenceWarning):
        model = LogisticRegression(learning_rate=lr, max_iter=steps, tol=0.0, l2=l2).fit(X, y)
    np.testing.assert_allclose(model.coef_, w, rtol=1e-14, atol=1e-16)
    assert model.intercept_ == pytest.approx(b, rel=1e-14, abs=1e-16)
    np.testing.assert_allclose(model.loss_history_, losses, rtol=1e-14)


def test_default_run_diagnoses_separable_classes(breast_cancer_split) -> None:
    """The seed's 1000 epochs warn that the training classes are separable, proven exactly.

    The weights after 1000 epochs still misclassify some training rows, but a short L-BFGS run
    from them finds weights that classify every row correctly: with l2 = 0 no finite minimum.
    """
    X_train, _, y_train, _ = breast_cancer_split
    pattern = (
        r"stopped at max_iter=1000 .* Likely cause: the classes are linearly separable "
        r"\(L-BFGS on the unpenalized loss, started from the current weights, found weights "
        r"that classify every training sample correctly in \d+ iterations\)\. With l2=0 .*"
        r"no finite minimum.*set l2 > 0"
    )
    with pytest.warns(ConvergenceWarning, match=pattern):
        model = LogisticRegression().fit(X_train, y_train)
    assert model.score(X_train, y_train) < 1.0  # the current weights do not separate yet


def test_separating_weights_are_named_in_the_diagnosis() -> None:
    """When gd's current weights already classify every sample correctly, the warning says so."""
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    with pytest.warns(
        ConvergenceWarning,
        match=r"linearly separable \(the current weights already classify every training sample "
        r"correctly\)\. With l2=0 the loss then keeps falling",
    ):
        LogisticRegression(max_iter=20).fit(X, [0, 0, 1, 1])


@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_no_separation_claim_without_proof(rng: np.random.Generator, l2: float) -> None:
    """Overlapping classes (l2 = 0), or any penalized fit, never get the separability diagnosis."""
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(size=200) > 0).astype(int)  # overlapping: not separable
    if l2 > 0:
        y = (X[:, 0] > 0).astype(int)  # separable, but the penalty gives a finite minimum
    with pytest.warns(ConvergenceWarning, match="the loss is still falling: raise max_iter"):
        LogisticRegression(max_iter=3, l2=l2).fit(X, y)


def test_separation_search_is_bounded_and_claims_only_what_it_finds(breast_cancer_split) -> None:
    """The diagnosis claims separability only once it holds separating weights, within budget."""
    import warnings

    from handgrad._diagnostics import logistic_separation_proof, search_budget

    X_train, _, y_train, _ = breast_cancer_split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression().fit(X_train, y_train)
    y01 = (y_train == model.classes_[1]).astype(float)
    w, b = model.coef_, model.intercept_
    assert logistic_separation_proof(X_train, y01, w, b, max_iter=2) is None  # too few to find
    proof = logistic_separation_proof(X_train, y01, w, b, max_iter=search_budget(1000))
    assert proof is not None
    assert "found weights that classify every training sample" in proof
    assert [search_budget(m) for m in (1, 20, 300, 1000, 10**6)] == [5, 5, 30, 50, 50]
