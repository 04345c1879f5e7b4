"""The bundled handwritten digits (8×8 images, 10 classes).

Creators: E. Alpaydin, C. Kaynak, 1998. Source: UCI Machine Learning Repository, "Optical
Recognition of Handwritten Digits", DOI 10.24432/C50P49. License: CC BY 4.0.
See ``data/README.md`` beside this file.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from handgrad.datasets._csv import Dataset

__all__ = ["DIGITS_CSV", "load_digits"]

DIGITS_CSV = Path(__file__).parent / "data" / "digits.csv.gz"


def load_digits() -> Dataset:
    """Load ``X (1797, 64)`` pixel counts in 0–16 and ``y (1797,)`` digits 0–9.

    Examples
    --------
    >>> data = load_digits()
    >>> data.X.shape, sorted(set(data.y.tolist())) == list(range(10))
    ((1797, 64), True)
    """
    with gzip.open(DIGITS_CSV, "rt", encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    return Dataset(
        X=table[:, :-1].astype(np.float64),
        y=table[:, -1],
        feature_names=header[:-1],
        target_names=[str(k) for k in range(10)],
        description=(
            "Optical Recognition of Handwritten Digits (UCI, Alpaydin and Kaynak 1998, "
            "CC BY 4.0): 1,797 8×8 images of counts 0–16, digits 0–9."
        ),
    )
