"""Shared helpers for the benchmarks: timing, memory, data and the machine description."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


class Timing(float):
    """A median time in seconds that also carries the fastest run (``best``)."""

    best: float

    def __new__(cls, times: list[float]) -> Timing:
        self = super().__new__(cls, float(np.median(times)))
        self.best = float(np.min(times))
        return self


def interleaved(
    fns: dict[str, Callable[[], Any]], repeat: int, pause: float = 0.0
) -> dict[str, Timing]:
    """Median (and best) time of each function, called in turn (A B C A B C …).

    Taking turns spreads background load over all competitors; the best run is what a quiet
    machine would give, the median what this one gave. ``pause`` seconds of sleep before
    each call let the previous call's worker threads go idle: OpenBLAS and OpenMP threads
    keep spinning on the other core for a while after their work, and a call that starts
    meanwhile runs its own two-thread products up to 2× slower.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            if pause:
                time.sleep(pause)
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: Timing(t) for name, t in times.items()}


def back_to_back(
    fns: dict[str, Callable[[], Any]], repeat: int, rounds: int = 5
) -> dict[str, Timing]:
    """Median (and best) time of each function, called ``repeat / rounds`` times in a row.

    Each block of consecutive calls starts with one untimed call; the blocks take turns over
    ``rounds`` rounds (A…A B…B C…C, A…A …) so background load still hits every function.
    This is the steady state of fitting many models in a loop (cross-validation, bootstrap),
    where a function's code and data stay in the CPU caches between calls; ``interleaved``
    measures calls whose caches the other functions have just used.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    per_block = max(1, repeat // rounds)
    for _ in range(rounds):
        for name, fn in fns.items():
            fn()  # untimed: bring its code and data back into the caches
            for _ in range(per_block):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    return {name: Timing(t) for name, t in times.items()}


def _status(field: str) -> int:
    """A ``/proc/self/status`` field in bytes (Linux only)."""
    with open("/proc/self/status") as f:
        match = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M)
    return int(match.group(1)) * 1024 if match else -1


def peak_memory(fn: Callable[[], Any]) -> tuple[int, int]:
    """``(peak RSS above the RSS before the call, tracemalloc peak)`` of ``fn()``, in bytes.

    The RSS high-water mark is reset first through ``/proc/self/clear_refs`` (Linux).
    """
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    baseline = _status("VmRSS")
    tracemalloc.start()
    fn()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return _status("VmHWM") - baseline, traced


def synthetic(n: int, d: int, seed: int = 0, dtype: type = np.float64):
    """Dense Gaussian X (n, d), labels drawn from a logistic model with overlap."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal(size=(n, d), dtype=np.float64).astype(dtype, copy=False)
    w = rng.normal(size=d) / np.sqrt(d) * 2.0
    z = X @ w.astype(dtype) + 0.3  # (n,)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-z))).astype(np.int64)
    return X, y


def load() -> str:
    """The load averages right now."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    """CPU, caches, BLAS kernel (threadpoolctl) and library versions, as markdown lines."""
    import scipy
    import sklearn
    from threadpoolctl import threadpool_info

    lines = []
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for key in ("Model name", "CPU(s)", "Thread(s) per core", "L1d cache", "L2 cache",
                    "L3 cache", "Flags"):  # fmt: skip
            for line in lscpu.splitlines():
                if line.startswith(key + ":"):
                    value = line.split(":", 1)[1].strip()
                    if key == "Flags":
                        value = " ".join(f for f in value.split() if f.startswith("avx"))
                        key = "AVX flags"
                    lines.append(f"- {key}: {value}")
    except OSError:
        lines.append(f"- CPU: {platform.processor()}")
    lines.append(f"- Python {platform.python_version()}, numpy {np.__version__}, "
                 f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}")  # fmt: skip
    for info in threadpool_info():
        lines.append(
            f"- {info['user_api']}: {info['internal_api']} {info.get('version')} "
            f"kernel={info.get('architecture', '-')} threads={info['num_threads']} "
            f"({os.path.basename(info['filepath'])})"
        )
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        lines.append(f"- {var}={os.environ.get(var, '(unset)')}")
    lines.append(f"- load average at start: {load()}")
    return "\n".join(lines)
