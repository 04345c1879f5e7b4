"""How the one-pass epoch's block size trades cache fit against the number of BLAS calls.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=src python benchmarks/block_sizes.py

Prints, for 1,000,000 × 100 float64 data, one fused evaluation per block size as a multiple of
one read of X (``X.sum(axis=0)``): median and best of interleaved runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import interleaved, load, synthetic

from handgrad._fused import logistic_value_and_grad


def main() -> None:
    X, y = synthetic(1_000_000, 100)
    yd = y.astype(np.float64)
    w = np.random.default_rng(1).normal(size=100) * 0.1
    mib = [float(s) for s in sys.argv[1:]] or [0.25, 1, 2, 3, 4, 8, 16]
    fns = {"read": lambda: X.sum(axis=0)}
    for size in mib:
        rows = int(size * (1 << 20)) // X.strides[0]
        fns[f"{size} MiB"] = lambda r=rows: logistic_value_and_grad(w, 0.1, X, yd, block_rows=r)
    times = interleaved(fns, repeat=7)
    read = times.pop("read")
    print(f"load {load()}; read of X: median {read * 1e3:.1f} ms, best {read.best * 1e3:.1f} ms\n")
    print("| block | epoch / read (median) | epoch / read (best) |")
    print("|---|---|---|")
    for name, t in times.items():
        print(f"| {name} | {t / read:.2f} | {t.best / read.best:.2f} |")


if __name__ == "__main__":
    main()
