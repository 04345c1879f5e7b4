"""The bundled Breast Cancer Wisconsin (Diagnostic) data, with malignant as the positive class.

Creators: William H. Wolberg, W. Nick Street, Olvi L. Mangasarian (University of Wisconsin),
1995. Source: UCI Machine Learning Repository, "Breast Cancer Wisconsin (Diagnostic)",
DOI 10.24432/C5DW2B. License: CC BY 4.0. See ``data/README.md`` beside this file.
"""

from __future__ import annotations

from pathlib import Path

from handgrad.datasets._csv import Dataset, read_csv

__all__ = ["BREAST_CANCER_CSV", "load_breast_cancer"]

BREAST_CANCER_CSV = Path(__file__).parent / "data" / "breast_cancer_wisconsin.csv"

DESCRIPTION = (
    "Breast Cancer Wisconsin (Diagnostic): 569 fine-needle aspirates of breast masses, "
    "30 real-valued features (mean, standard error and worst of 10 cell-nucleus measurements), "
    "212 malignant (y = 1) and 357 benign (y = 0). Wolberg, Street and Mangasarian, 1995; "
    "UCI Machine Learning Repository, DOI 10.24432/C5DW2B, CC BY 4.0."
)


def load_breast_cancer() -> Dataset:
    """Load the bundled data: ``X (569, 30)``, ``y (569,)`` with 1 = malignant.

    Examples
    --------
    >>> data = load_breast_cancer()
    >>> data.X.shape, int(data.y.sum()), data.target_names
    ((569, 30), 212, ['benign', 'malignant'])
    """
    data = read_csv(BREAST_CANCER_CSV, target="diagnosis", positive="malignant")
    return Dataset(
        X=data.X,
        y=data.y,
        feature_names=data.feature_names,
        target_names=data.target_names,
        description=DESCRIPTION,
    )
