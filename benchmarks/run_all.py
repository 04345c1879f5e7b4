"""Solvers against scikit-learn: targets 1–5 of the solvers issue, measured in one run.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=src \
        python benchmarks/run_all.py [--quick]

Prints markdown: the machine, then one table per target with ratios (ours / reference).
``--quick`` uses 100,000 rows instead of 1,000,000 and fewer repeats (about a minute).
Timings are medians of interleaved runs (competitors take turns, so background load hits all);
the large fits of targets 2 and 5 sleep before each fit so that no fit starts while the
previous one's BLAS or OpenMP threads still spin on the other core.
"""

from __future__ import annotations

import argparse
import gc
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import back_to_back, interleaved, load, machine, median_time, peak_memory, synthetic

from handgrad import LogisticRegression, StandardScaler, load_breast_cancer, train_test_split
from handgrad._fused import logistic_value_and_grad
from handgrad.logistic import logistic_objective

MB = 1 << 20


def objective(coef: np.ndarray, intercept: float, X: np.ndarray, y: np.ndarray, l2: float) -> float:
    """Our penalized mean BCE at (coef, intercept), in float64."""
    return logistic_objective(np.ravel(coef).astype(np.float64), float(intercept), X, y, l2)[0]


def sk(**kw):
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    return SkLogisticRegression(**kw)


def target1(quick: bool) -> None:
    """Seed task: breast cancer, standardized, C = 1; reach f* to 1e-9, vs sklearn's fastest."""
    data = load_breast_cancer()
    X_train, _, y, _ = train_test_split(data.X, data.y, test_size=0.2, random_state=0)
    X = StandardScaler().fit(X_train).transform(X_train)
    y01 = y.astype(np.float64)
    n = X.shape[0]
    l2 = 1.0 / n  # C = 1/(n·l2) = 1
    best_sk = sk(C=1.0, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
    best_ours = LogisticRegression(solver="newton", l2=l2, tol=1e-13).fit(X, y)
    f_star = min(objective(best_sk.coef_, best_sk.intercept_[0], X, y01, l2),
                 objective(best_ours.coef_, best_ours.intercept_, X, y01, l2))  # fmt: skip
    fits = {
        "handgrad newton (tol 1e-6)": lambda: LogisticRegression(solver="newton", l2=l2, tol=1e-6),
        "handgrad lbfgs (tol 1e-6)": lambda: LogisticRegression(solver="lbfgs", l2=l2, tol=1e-6),
    }
    for solver in ("newton-cholesky", "liblinear", "lbfgs", "newton-cg"):
        fits[f"sklearn {solver} (default tol)"] = lambda s=solver: sk(C=1, solver=s, max_iter=1000)
    # the default tol stops short of 1e-9; these tolerances reach it
    fits["sklearn newton-cholesky (tol 1e-7)"] = lambda: sk(solver="newton-cholesky", tol=1e-7)
    fits["sklearn lbfgs (tol 1e-8)"] = lambda: sk(solver="lbfgs", tol=1e-8, max_iter=1000)
    # liblinear penalizes the intercept as one more weight (of a column equal to
    # intercept_scaling); a large scaling makes that penalty negligible, i.e. the same problem
    fits["sklearn liblinear (intercept_scaling 100, tol 1e-8)"] = lambda: sk(
        solver="liblinear", intercept_scaling=100, tol=1e-8, max_iter=10_000
    )
    gaps = {}
    for name, make in fits.items():
        model = make().fit(X, y)
        coef, b = model.coef_, np.ravel(model.intercept_)[0]
        gaps[name] = objective(coef, b, X, y01, l2) / f_star - 1.0
    runs = {name: (lambda m=m: m().fit(X, y)) for name, m in fits.items()}
    repeat = 40 if quick else 300
    print(f"\n### Target 1: seed task (breast cancer train split, n={n}, d=30, C=1)\n")
    print(f"f* = {f_star:.15f}; load {load()}")
    for protocol, timer in (("interleaved (A B C A B C …)", interleaved),
                            ("back to back (A…A B…B C…C, in 5 rounds)", back_to_back)):  # fmt: skip
        times = timer(runs, repeat=repeat)
        _target1_table(protocol, times, gaps)
    print(f"\nload at the end of target 1: {load()}")


def _target1_table(protocol: str, times: dict, gaps: dict[str, float]) -> None:
    sk_times = [t for name, t in times.items() if name.startswith("sklearn")]
    fastest, fastest_best = min(sk_times), min(t.best for t in sk_times)
    exact = [t for name, t in times.items() if name.startswith("sklearn") and gaps[name] <= 1e-9]
    print(f"\n{protocol}:\n")
    print("| fit | median time (best) | relative gap to f* | median / sklearn's fastest median "
          "| best / sklearn's fastest best |")  # fmt: skip
    print("|---|---|---|---|---|")
    for name, t in times.items():
        print(f"| {name} | {t * 1e3:.3f} ms ({t.best * 1e3:.3f}) | {gaps[name]:.1e} | "
              f"{t / fastest:.2f} | {t.best / fastest_best:.2f} |")  # fmt: skip
    if exact:
        ours = times["handgrad newton (tol 1e-6)"]
        print(
            f"\nhandgrad newton / fastest sklearn fit that reaches 1e-9: median "
            f"{ours / min(exact):.2f}, best {ours.best / min(t.best for t in exact):.2f}"
        )


def target2(X: np.ndarray, y: np.ndarray, quick: bool) -> dict[str, float]:
    """Large dense data: reach the objective of sklearn's lbfgs (tol 1e-6), vs its time."""
    n = X.shape[0]
    l2 = 1.0 / n
    y01 = y.astype(np.float64)
    fits = {
        "sklearn lbfgs (tol 1e-6)": lambda: sk(C=1.0, solver="lbfgs", tol=1e-6, max_iter=10_000),
        "handgrad newton (tol 1e-8)": lambda: LogisticRegression(solver="newton", l2=l2, tol=1e-8),
        "handgrad newton (tol 1e-6)": lambda: LogisticRegression(solver="newton", l2=l2, tol=1e-6),
        "handgrad lbfgs (tol 1e-7)": lambda: LogisticRegression(solver="lbfgs", l2=l2, tol=1e-7),
        # the same number as sklearn's tol, on the 2-norm of the gradient (sklearn's is the max)
        "handgrad lbfgs (tol 1e-6)": lambda: LogisticRegression(solver="lbfgs", l2=l2, tol=1e-6),
    }
    if not quick:
        fits["sklearn newton-cholesky (default tol)"] = lambda: sk(C=1.0, solver="newton-cholesky")
    models = {}
    # a 1 s pause before each fit: the previous fit's BLAS/OpenMP threads stop spinning
    times = interleaved({name: (lambda m=m, k=name: models.__setitem__(k, m().fit(X, y)))
                         for name, m in fits.items()}, repeat=1 if quick else 3,
                        pause=1.0)  # fmt: skip
    f = {k: objective(m.coef_, np.ravel(m.intercept_)[0], X, y01, l2) for k, m in models.items()}
    ref = "sklearn lbfgs (tol 1e-6)"
    print(f"\n### Target 2: dense synthetic {n:,} × {X.shape[1]} float64, C=1\n")
    print(f"load {load()}\n")
    print("| fit | median time (best) | iterations | objective − sklearn lbfgs's | "
          "median / sklearn lbfgs | best / sklearn lbfgs best |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for name, t in times.items():
        iters = models[name].n_iter_
        iters = int(np.max(iters)) if np.ndim(iters) else iters
        print(f"| {name} | {t:.2f} s ({t.best:.2f}) | {iters} | {f[name] - f[ref]:+.2e} | "
              f"{t / times[ref]:.3f} | {t.best / times[ref].best:.3f} |")  # fmt: skip
    return times


def target3(X: np.ndarray, y: np.ndarray, quick: bool) -> None:
    """One gradient evaluation (a GD epoch) vs one read of X."""
    w = np.random.default_rng(1).normal(size=X.shape[1]) * 0.1
    print(f"\n### Target 3: one gradient-descent epoch, {X.shape[0]:,} × {X.shape[1]}\n")
    print(f"load {load()}\n")
    print("| dtype | X.sum(axis=0) | textbook (X @ w, then X.T @ r) | fused one pass | "
          "textbook / read | fused / read | fused / read, best runs |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    _epoch_row(X, y.astype(np.float64), w, quick)
    _epoch_row(X.astype(np.float32), y.astype(np.float32), w.astype(np.float32), quick)
    gc.collect()


def _epoch_row(X: np.ndarray, y: np.ndarray, w: np.ndarray, quick: bool) -> None:
    times = interleaved({
        "read": lambda: X.sum(axis=0),
        "textbook": lambda: logistic_objective(w, 0.1, X, y, 1e-6),
        "fused": lambda: logistic_value_and_grad(w, 0.1, X, y, 1e-6),
    }, repeat=5 if quick else 15)  # fmt: skip
    r = times["read"]
    print(f"| {X.dtype.name} | {r * 1e3:.1f} ms | {times['textbook'] * 1e3:.1f} ms | "
          f"{times['fused'] * 1e3:.1f} ms | {times['textbook'] / r:.2f} | "
          f"{times['fused'] / r:.2f} | {times['fused'].best / r.best:.2f} |")  # fmt: skip


def target4(X: np.ndarray, y: np.ndarray) -> None:
    """Peak memory of whole fits above the process's baseline, against the size of X."""
    n = X.shape[0]
    l2 = 1.0 / n
    fits = {
        "handgrad newton": lambda: LogisticRegression(solver="newton", l2=l2, tol=1e-8),
        "handgrad lbfgs": lambda: LogisticRegression(solver="lbfgs", l2=l2, tol=1e-7),
        "handgrad gd, fused (20 epochs)": lambda: LogisticRegression(l2=l2, max_iter=20, fused=1),
        "handgrad gd, textbook (20 epochs)": lambda: LogisticRegression(l2=l2, max_iter=20),
        "sklearn lbfgs (tol 1e-6)": lambda: sk(C=1.0, solver="lbfgs", tol=1e-6, max_iter=10_000),
    }
    print(f"\n### Target 4: peak memory of a fit, X = {X.nbytes / MB:,.0f} MiB\n")
    print("| fit | peak RSS above baseline | / size of X | tracemalloc peak | / size of X |")
    print("|---|---|---|---|---|")
    for name, make in fits.items():
        gc.collect()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the 20-epoch gd runs do not converge, by design
            rss, traced = peak_memory(lambda m=make: m().fit(X, y))
        print(f"| {name} | {rss / MB:,.1f} MiB | {rss / X.nbytes:.3f} | {traced / MB:,.1f} MiB | "
              f"{traced / X.nbytes:.3f} |")  # fmt: skip


def target5(quick: bool) -> None:
    """How time and memory grow with n and with d."""
    shapes = [(10_000, 100), (100_000, 100), (100_000, 10), (100_000, 400)]
    if not quick:
        shapes.insert(2, (300_000, 100))
    print("\n### Target 5: growth with n and d (time to converge, tracemalloc peak / size of X)\n")
    print(f"load {load()}\n")
    print("| n | d | newton | lbfgs | gd epoch (fused) | sklearn lbfgs | newton iters | "
          "lbfgs iters | memory newton | memory lbfgs | memory sklearn lbfgs |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, d in shapes:
        _growth_row(n, d, quick)


def _growth_row(n: int, d: int, quick: bool) -> None:
    X, y = synthetic(n, d, seed=n + d)
    l2 = 1.0 / n
    yd = y.astype(np.float64)
    w = np.zeros(d)
    models = {
        "newton": lambda: LogisticRegression(solver="newton", l2=l2, tol=1e-8),
        "lbfgs": lambda: LogisticRegression(solver="lbfgs", l2=l2, tol=1e-7),
        "sk": lambda: sk(C=1.0, solver="lbfgs", tol=1e-6, max_iter=10_000),
    }
    # The epoch first: right after scikit-learn's fits, scipy's own OpenBLAS threads still
    # spin on the other core for a while and slow numpy's two-thread products down 2-3×.
    logistic_value_and_grad(w, 0.0, X, yd, l2)  # untimed: touch X once
    epoch = median_time(lambda: logistic_value_and_grad(w, 0.0, X, yd, l2), 5)
    fitted = {k: m().fit(X, y) for k, m in models.items()}
    times = interleaved({k: (lambda m=m: m().fit(X, y)) for k, m in models.items()},
                        repeat=1 if quick else 3, pause=0.5)  # fmt: skip
    mem = {k: peak_memory(lambda m=m: m().fit(X, y))[1] / X.nbytes for k, m in models.items()}
    print(f"| {n:,} | {d} | {times['newton']:.3f} s | {times['lbfgs']:.3f} s | "
          f"{epoch * 1e3:.1f} ms | {times['sk']:.3f} s | {fitted['newton'].n_iter_} | "
          f"{fitted['lbfgs'].n_iter_} | {mem['newton']:.3f} | {mem['lbfgs']:.3f} | "
          f"{mem['sk']:.3f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k rows, fewer repeats")
    parser.add_argument("--only", default="1,2,3,4,5", help="targets to run, e.g. 1,3")
    args = parser.parse_args()
    only = {int(t) for t in args.only.split(",")}
    warnings.filterwarnings("ignore", module="sklearn")
    print("## Machine\n")
    print(machine())
    if 1 in only:
        target1(args.quick)
    if only & {2, 3, 4}:
        n = 100_000 if args.quick else 1_000_000
        X, y = synthetic(n, 100)  # generated once, freed at the end
        if 3 in only:
            target3(X, y, args.quick)
        if 2 in only:
            target2(X, y, args.quick)
        if 4 in only:
            target4(X, y)
        del X, y
        gc.collect()
    if 5 in only:
        target5(args.quick)
    print(f"\nload average at the end: {load()}")


if __name__ == "__main__":
    main()
