"""handgrad: machine learning with every gradient written by hand, in NumPy."""

from handgrad.datasets import Dataset, load_breast_cancer, load_digits, read_csv
from handgrad.exceptions import (
    ConvergenceWarning,
    MissingExtraError,
    ModelFileError,
    NotFittedError,
)
from handgrad.logistic import LogisticRegression
from handgrad.mlp import MLPClassifier
from handgrad.scaling import StandardScaler
from handgrad.softmax import SoftmaxRegression
from handgrad.split import train_test_split
from handgrad.trained import TrainedModel

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "Dataset",
    "LogisticRegression",
    "MLPClassifier",
    "MissingExtraError",
    "ModelFileError",
    "NotFittedError",
    "SoftmaxRegression",
    "StandardScaler",
    "TrainedModel",
    "__version__",
    "load_breast_cancer",
    "load_digits",
    "read_csv",
    "train_test_split",
]
