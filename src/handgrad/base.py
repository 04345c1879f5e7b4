"""The estimator base class: scikit-learn's parameter conventions without depending on it."""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["BaseEstimator"]


class BaseEstimator:
    """Hyperparameters live in ``__init__`` (keyword-only, stored unchanged).

    ``get_params``/``set_params`` read them back from the signature, so that
    ``sklearn.base.clone``, grid searches and pipelines work with handgrad estimators.
    """

    _estimator_kind: str | None = None  # "classifier" or "transformer"

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind is not p.VAR_KEYWORD
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the hyperparameters as a dict (``deep`` is accepted for compatibility)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set hyperparameters by name; unknown names raise ``ValueError``."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; "
                    f"expected one of {valid}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        changed = [
            f"{k}={v!r}"
            for k, v in self.get_params().items()
            if not (defaults.get(k) is v or defaults.get(k) == v)
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self) -> Any:
        """Describe this estimator to scikit-learn's tooling (imported only when asked)."""
        from sklearn.utils import ClassifierTags, Tags, TargetTags, TransformerTags

        tags = Tags(estimator_type=None, target_tags=TargetTags(required=False))
        if self._estimator_kind == "classifier":
            tags.estimator_type = "classifier"
            tags.target_tags.required = True
            tags.classifier_tags = ClassifierTags(multi_class=self._multi_class)
        elif self._estimator_kind == "transformer":
            tags.transformer_tags = TransformerTags()
        return tags

    _multi_class: bool = True
