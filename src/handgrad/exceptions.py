"""The exceptions and warnings handgrad raises."""

from __future__ import annotations

__all__ = ["ConvergenceWarning", "MissingExtraError", "ModelFileError", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``.

    Subclasses both ``ValueError`` and ``AttributeError`` so that code written
    for scikit-learn's exception of the same name catches it too.
    """


class ConvergenceWarning(UserWarning):
    """A solver stopped before its stopping rule was met; the message says why."""


class ModelFileError(ValueError):
    """A model file could not be read: missing, unreadable, corrupted or incompatible."""


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra to install."""
