"""Where targets 1 and 3 would stand with a compiled loop: the same algorithms, compiled by numba.

    pip install numba        # not a handgrad dependency, not in any extra
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=src python benchmarks/compiled_floor.py

handgrad's core is NumPy only, so every step of a fit is a NumPy call driven from Python. This
script measures what that costs against the same work compiled to machine code:

- target 3: one gradient evaluation on 1,000,000 × 100 as a row loop (each row read once: its
  logit, signed margin, loss term and share of ``Xᵀ(p − y)`` while it is in L1), on one and on
  two cores, against one read of X and against handgrad's fused NumPy pass;
- target 1: the small-X Newton fit of the seed task (signed transpose, step-length guess,
  chord steps, Armijo backtracking, Cholesky) as one compiled function, against handgrad's
  ``LogisticRegression(solver="newton")`` and scikit-learn, interleaved and back to back.

It checks that the compiled results equal handgrad's before timing them. Nothing here is used
by handgrad itself.
"""

from __future__ import annotations

import math
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import back_to_back, interleaved, load, synthetic

try:
    from numba import njit, prange
except ImportError:  # pragma: no cover - a benchmark-only dependency
    sys.exit("benchmarks/compiled_floor.py needs numba: pip install numba")


@njit(parallel=True, cache=True, fastmath=True)
def fused_epoch(X, y, w, b, l2, chunks):
    """``(loss, ∂L/∂w (d,), ∂L/∂b)`` in one pass over the rows of X (n, d), split in ``chunks``."""
    n, d = X.shape
    partial = np.zeros((chunks, d + 2))  # per chunk: Σ r·x (d), Σ r, Σ loss
    size = (n + chunks - 1) // chunks
    for c in prange(chunks):
        acc = np.zeros(d)  # (d,)
        residual, loss = 0.0, 0.0
        for i in range(c * size, min(n, (c + 1) * size)):
            z = b
            for j in range(d):
                z += X[i, j] * w[j]  # z_i = x_i·w + b
            s = 2.0 * y[i] - 1.0
            m = s * z  # signed margin
            if m > 0:
                q = math.exp(-m)
                loss += math.log1p(q)  # log(1 + e^(−m))
                tail = q / (1.0 + q)  # σ(−m)
            else:
                q = math.exp(m)
                loss += -m + math.log1p(q)
                tail = 1.0 / (1.0 + q)
            r = -s * tail  # p_i − y_i
            residual += r
            for j in range(d):
                acc[j] += r * X[i, j]  # x_i (p_i − y_i)
        partial[c, :d] = acc
        partial[c, d] = residual
        partial[c, d + 1] = loss
    total = partial.sum(axis=0)
    return total[d + 1] / n + 0.5 * l2 * (w @ w), total[:d] / n + l2 * w, total[d] / n


@njit(cache=True)
def _evaluate(theta, S, l2):
    """``(f, ∇f (m,), margins (n,), σ(−margins) (n,))`` from the signed transpose S (m, n)."""
    m_, n = S.shape
    margins = theta @ S  # (n,)
    tail = np.empty(n)
    loss = 0.0
    for i in range(n):
        mi = margins[i]
        if mi > 0:
            q = math.exp(-mi)
            loss += math.log1p(q)
            tail[i] = q / (1.0 + q)
        else:
            q = math.exp(mi)
            loss += -mi + math.log1p(q)
            tail[i] = 1.0 / (1.0 + q)
    grad = -(S @ tail) / n  # (m,)
    penalty = 0.0
    for j in range(m_ - 1):
        grad[j] += l2 * theta[j]
        penalty += theta[j] * theta[j]
    return loss / n + 0.5 * l2 * penalty, grad, margins, tail


@njit(cache=True)
def small_newton(S, l2, tol, max_iter):
    """handgrad's small-X Newton (guess, chord steps, backtracking), compiled: (θ, iterations)."""
    m_, n = S.shape
    theta = np.zeros(m_)
    loss, grad, margins, tail = _evaluate(theta, S, l2)
    norm = math.sqrt(grad @ grad)
    H = np.eye(m_)
    L = np.eye(m_)
    last, guessing, k = np.inf, True, 0
    while norm >= tol and k < max_iter:
        if k == 0 or norm > 0.05 * last:  # else a chord step: the last step was quadratic
            h = tail * (1.0 - tail)  # p(1 − p), (n,)
            H = ((S * h) @ S.T) / n  # (m, m)
            for j in range(m_ - 1):
                H[j, j] += l2
            L = np.linalg.cholesky(H)
        last = norm
        direction = -np.linalg.solve(L.T, np.linalg.solve(L, grad))  # H d = −g
        slope = grad @ direction
        t = 1.0
        if guessing:  # one 1-D Newton step on φ(t) = f(θ + t·d) from t = 1
            dm = direction @ S  # (n,)
            d1, d2 = 0.0, 0.0
            for i in range(n):
                q = 1.0 / (1.0 + math.exp(min(margins[i] + dm[i], 700.0)))  # σ(−m(1))
                d1 -= q * dm[i]
                d2 += q * (1.0 - q) * dm[i] * dm[i]
            vd, dd = 0.0, 0.0
            for j in range(m_ - 1):
                vd += (theta[j] + direction[j]) * direction[j]
                dd += direction[j] * direction[j]
            d1, d2 = d1 / n + l2 * vd, d2 / n + l2 * dd
            if d2 > 0:
                t = min(4.0, max(0.5, 1.0 - d1 / d2))
            guessing = abs(t - 1.0) >= 0.05
        while True:  # Armijo backtracking from t
            point = theta + t * direction
            new = _evaluate(point, S, l2)
            if new[0] <= loss + 1e-4 * t * slope or t < 1e-12:
                break
            t *= 0.5
        theta = point
        loss, grad, margins, tail = new
        norm = math.sqrt(grad @ grad)
        k += 1
    return theta, k


def target3() -> None:
    from handgrad._fused import logistic_value_and_grad

    X, y = synthetic(1_000_000, 100)
    yd = y.astype(np.float64)
    w = np.random.default_rng(1).normal(size=100) * 0.1
    reference = logistic_value_and_grad(w, 0.1, X, yd, 1e-6)
    for chunks in (1, 2):
        loss, dw, db = fused_epoch(X, yd, w, 0.1, 1e-6, chunks)
        assert abs(loss - reference.loss) < 1e-12 * reference.loss
        assert np.abs(dw - reference.dw).max() < 1e-12
        assert abs(db - reference.db) < 1e-12
    times = interleaved({
        "read": lambda: X.sum(axis=0),
        "handgrad fused (NumPy)": lambda: logistic_value_and_grad(w, 0.1, X, yd, 1e-6),
        "compiled, 1 core": lambda: fused_epoch(X, yd, w, 0.1, 1e-6, 1),
        "compiled, 2 cores": lambda: fused_epoch(X, yd, w, 0.1, 1e-6, 2),
    }, repeat=15)  # fmt: skip
    read = times["read"]
    print(f"\n### Target 3: one evaluation, 1,000,000 × 100 float64 (load {load()})\n")
    print("| pass | median (best) | / one read of X |")
    print("|---|---|---|")
    for name, t in times.items():
        print(f"| {name} | {t * 1e3:.1f} ms ({t.best * 1e3:.1f}) | {t / read:.2f} |")


def target1() -> None:
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    from handgrad import LogisticRegression, StandardScaler, load_breast_cancer, train_test_split
    from handgrad._fused import signed_transpose

    data = load_breast_cancer()
    X_train, _, y, _ = train_test_split(data.X, data.y, test_size=0.2, random_state=0)
    X = StandardScaler().fit(X_train).transform(X_train)
    y01 = y.astype(np.float64)
    l2 = 1.0 / X.shape[0]

    def compiled() -> np.ndarray:
        theta, _ = small_newton(signed_transpose(X, y01), l2, 1e-6, 100)
        return theta

    ours = LogisticRegression(solver="newton", l2=l2, tol=1e-6).fit(X, y)
    theta = compiled()
    assert np.allclose(theta, np.append(ours.coef_, ours.intercept_), rtol=1e-6, atol=1e-8)
    fits = {
        "handgrad newton (NumPy calls)": lambda: LogisticRegression(solver="newton", l2=l2,
                                                                    tol=1e-6).fit(X, y),
        "compiled newton (no input checks)": compiled,
        "sklearn liblinear (default tol)": lambda: SkLogisticRegression(
            solver="liblinear").fit(X, y),
        "sklearn newton-cholesky (tol 1e-7)": lambda: SkLogisticRegression(
            solver="newton-cholesky", tol=1e-7).fit(X, y),
    }  # fmt: skip
    print(f"\n### Target 1: seed task, Newton to tol 1e-6 (load {load()})\n")
    print("| protocol | fit | median (best) | / liblinear |")
    print("|---|---|---|---|")
    for protocol, timer in (("interleaved", interleaved), ("back to back", back_to_back)):
        times = timer(fits, repeat=300)
        lib = times["sklearn liblinear (default tol)"]
        for name, t in times.items():
            print(
                f"| {protocol} | {name} | {t * 1e3:.3f} ms ({t.best * 1e3:.3f}) | {t / lib:.2f} |"
            )


def main() -> None:
    warnings.filterwarnings("ignore", module="sklearn")
    target3()
    target1()


if __name__ == "__main__":
    main()
