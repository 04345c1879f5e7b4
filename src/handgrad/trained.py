"""A trained model as one object: scaler, classifier, names, threshold and provenance.

This is what a model file holds and what the CLI and the web app use: raw measurements go
in, the scaler and the classifier are applied, probabilities and named labels come out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from handgrad import _validation as v
from handgrad.exceptions import ModelFileError
from handgrad.logistic import LogisticRegression
from handgrad.persistence import read_model_file, write_model_file
from handgrad.scaling import StandardScaler

__all__ = ["TrainedModel"]

Array = NDArray[np.floating[Any]]


@dataclass
class TrainedModel:
    """A fitted scaler + logistic regression, with everything needed to use it later.

    Attributes
    ----------
    model : fitted LogisticRegression, trained on 0/1 labels (1 = ``class_names[1]``)
    scaler : fitted StandardScaler or None
    feature_names : list of str, length d
    class_names : [negative, positive]
    threshold : float
        Predict the positive class where ``P(positive) ≥ threshold``.
    feature_ranges : dict name -> [min, max] seen in the training rows (raw units)
    training : dict of settings used (hyperparameters, split, seed, data source, ...)
    evaluation : dict of test-set results (metrics, probabilities, labels), may be empty
    """

    model: LogisticRegression
    scaler: StandardScaler | None
    feature_names: list[str]
    class_names: list[str]
    threshold: float = 0.5
    feature_ranges: dict[str, list[float]] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)

    # ----------------------------------------------------------------- use

    def _prepare(self, X: ArrayLike) -> Array:
        X_ = v.check_array(X, feature_names=self.feature_names)
        if X_.shape[1] != len(self.feature_names):
            raise ValueError(
                f"X has {X_.shape[1]} features, but this model was trained with "
                f"{len(self.feature_names)}."
            )
        return self.scaler.transform(X_) if self.scaler is not None else X_

    def decision_function(self, X: ArrayLike) -> Array:
        """The logits ``z = x̃·w + b`` for raw rows ``X (n, d)`` (x̃ standardized), shape (n,)."""
        return self.model.decision_function(self._prepare(X))

    def positive_proba(self, X: ArrayLike) -> Array:
        """P(positive class) for raw rows ``X (n, d)``, shape (n,)."""
        return self.model.predict_proba(self._prepare(X))[:, 1]

    def predict(self, X: ArrayLike, *, threshold: float | None = None) -> NDArray[np.str_]:
        """Class names for raw rows, positive where ``p ≥ threshold`` (default: the model's)."""
        t = self.threshold if threshold is None else v.check_probability(threshold, "threshold")
        labels = (self.positive_proba(X) >= t).astype(np.intp)
        return np.asarray(self.class_names)[labels]

    def logit_contributions(self, X: ArrayLike) -> Array:
        """Per-feature terms of the log-odds, ``w_j · x̃_j`` on standardized inputs, (n, d).

        Exact for this model: each row's terms plus ``intercept_`` sum to its logit ``z``.
        """
        X_ = self._prepare(X)
        return X_ * self.model.coef_  # (n, d) * (d,) -> (n, d)

    # ------------------------------------------------------------- save/load

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (lists, floats, strings) of everything in the model."""
        m = self.model
        return {
            "kind": "logistic_regression",
            "params": m.get_params(),
            "coef": m.coef_.astype(np.float64).tolist(),
            "intercept": float(m.intercept_),
            "n_iter": int(m.n_iter_),
            "converged": bool(m.converged_),
            "loss_history": [float(x) for x in m.loss_history_],
            "eval_loss_history": [float(x) for x in m.eval_loss_history_],
            "scaler": None
            if self.scaler is None
            else {"mean": self.scaler.mean_.tolist(), "scale": self.scaler.scale_.tolist()},
            "feature_names": list(self.feature_names),
            "class_names": list(self.class_names),
            "threshold": float(self.threshold),
            "feature_ranges": self.feature_ranges,
            "training": self.training,
            "evaluation": self.evaluation,
        }

    def save(self, path: str | Path) -> Path:
        """Write the model file (JSON, atomically); returns the path."""
        from handgrad import __version__

        return write_model_file(path, self.to_dict(), version=__version__)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "model") -> TrainedModel:
        """Rebuild from :meth:`to_dict` output, checking every field's type and shape."""
        try:
            if data["kind"] != "logistic_regression":
                raise ModelFileError(
                    f"{source} holds a {data['kind']!r} model; expected 'logistic_regression'."
                )
            names = [str(n) for n in data["feature_names"]]
            coef = np.asarray(data["coef"], dtype=np.float64)
            if coef.shape != (len(names),):
                raise ModelFileError(
                    f"{source} has {coef.size} weights for {len(names)} features; corrupted."
                )
            model = LogisticRegression(**data["params"])
            model.coef_ = coef
            model.intercept_ = float(data["intercept"])
            model.classes_ = np.array([0, 1])
            model.n_features_in_ = len(names)
            model.n_iter_ = int(data["n_iter"])
            model.converged_ = bool(data["converged"])
            model.loss_history_ = [float(x) for x in data["loss_history"]]
            model.eval_loss_history_ = [float(x) for x in data["eval_loss_history"]]
            scaler = None
            if data["scaler"] is not None:
                scaler = StandardScaler()
                scaler.mean_ = np.asarray(data["scaler"]["mean"], dtype=np.float64)
                scaler.scale_ = np.asarray(data["scaler"]["scale"], dtype=np.float64)
                scaler.n_features_in_ = len(names)
                if scaler.mean_.shape != coef.shape or scaler.scale_.shape != coef.shape:
                    raise ModelFileError(f"{source} has scaler statistics of the wrong length.")
            class_names = [str(c) for c in data["class_names"]]
            if len(class_names) != 2:
                raise ModelFileError(f"{source} must name exactly 2 classes.")
            return cls(
                model=model,
                scaler=scaler,
                feature_names=names,
                class_names=class_names,
                threshold=v.check_probability(data["threshold"], "threshold"),
                feature_ranges=dict(data["feature_ranges"]),
                training=dict(data["training"]),
                evaluation=dict(data["evaluation"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(
                f"{source} is missing a field or has one of the wrong type ({exc!r}); "
                "it is corrupted or from an incompatible version."
            ) from None

    @classmethod
    def load(cls, path: str | Path) -> TrainedModel:
        """Read a model file written by :meth:`save`; raises ``ModelFileError`` if it is bad."""
        payload = read_model_file(path)
        return cls.from_dict(payload, source=f"model file {str(path)!r}")
