"""Data sets: the bundled Breast Cancer Wisconsin data and a loader for any binary CSV."""

from handgrad.datasets._csv import Dataset, read_csv
from handgrad.datasets.breast_cancer import load_breast_cancer
from handgrad.datasets.digits import load_digits

__all__ = ["Dataset", "load_breast_cancer", "load_digits", "read_csv"]
