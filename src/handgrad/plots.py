"""The run folder's pictures, drawn with matplotlib (the optional ``plot`` extra).

Every function returns a ``matplotlib.figure.Figure`` drawn on an Agg canvas (no window, no
global pyplot state, safe in a server); :func:`to_png` turns one into PNG bytes. The numbers
drawn come from the library (``handgrad.metrics``, ``handgrad.activations``,
``handgrad.losses``); this module only lays them out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from handgrad.activations import sigmoid
from handgrad.exceptions import MissingExtraError
from handgrad.losses import log1pexp
from handgrad.metrics import roc_auc, roc_curve

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "bce_curves",
    "confusion_matrix_plot",
    "loss_curve",
    "require_matplotlib",
    "roc_plot",
    "sigmoid_plot",
    "to_png",
]

CLASS_COLORS = ("tab:blue", "tab:red")  # negative, positive


def require_matplotlib() -> None:
    """Raise ``MissingExtraError`` with the install command if matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            "the pictures need matplotlib, which is not installed: pip install 'handgrad[plot]'"
        ) from None


def _figure(width: float = 6.0, height: float = 4.0) -> Figure:
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def loss_curve(train_loss: Sequence[float], test_loss: Sequence[float] = ()) -> Figure:
    """Training (and test) loss against the epoch: the seed's check that descent works."""
    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(np.arange(len(train_loss)), train_loss, label="train")
    if len(test_loss):
        ax.plot(np.arange(len(test_loss)), test_loss, label="test", linestyle="--")
    ax.axhline(np.log(2.0), color="gray", linewidth=0.8, linestyle=":", label="ln 2 (w = 0)")
    ax.set(xlabel="epoch", ylabel="loss (mean BCE + penalty)", title="Loss curve")
    ax.legend()
    return fig


def confusion_matrix_plot(matrix: ArrayLike, class_names: Sequence[str]) -> Figure:
    """The 2×2 counts ``[[TN, FP], [FN, TP]]``: rows are the truth, columns the prediction."""
    counts = np.asarray(matrix)
    fig = _figure(4.5, 4.0)
    ax = fig.add_subplot()
    ax.imshow(counts, cmap="Blues")
    for (i, j), count in np.ndenumerate(counts):
        dark = count > counts.max() / 2
        ax.text(j, i, str(count), ha="center", va="center", color="white" if dark else "black")
    ax.set_xticks([0, 1], labels=list(class_names))
    ax.set_yticks([0, 1], labels=list(class_names))
    ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix")
    return fig


def roc_plot(y_true: ArrayLike, proba: ArrayLike) -> Figure:
    """True against false positive rate as the threshold sweeps from 1 down to 0."""
    fpr, tpr, _ = roc_curve(y_true, proba)
    fig = _figure(4.5, 4.5)
    ax = fig.add_subplot()
    ax.plot(fpr, tpr, drawstyle="steps-post", label=f"AUC = {roc_auc(y_true, proba):.4f}")
    ax.plot([0, 1], [0, 1], color="gray", linewidth=0.8, linestyle=":", label="chance")
    ax.set(xlabel="false positive rate", ylabel="true positive rate (recall)", title="ROC curve")
    ax.set_aspect("equal")
    ax.legend(loc="lower right")
    return fig


def sigmoid_plot(
    z: ArrayLike, y_true: ArrayLike, class_names: Sequence[str], *, threshold: float = 0.5
) -> Figure:
    """The sigmoid, with each sample placed on it at its logit z and colored by its true class."""
    z_ = np.asarray(z, dtype=np.float64)
    y = np.asarray(y_true)
    reach = max(6.0, float(np.abs(z_).max(initial=0.0)) * 1.05)
    grid = np.linspace(-reach, reach, 400)
    fig = _figure(7.0, 4.0)
    ax = fig.add_subplot()
    ax.plot(grid, sigmoid(grid), color="black", linewidth=1.0, label="p = σ(z)")
    for label, (name, color) in enumerate(zip(class_names, CLASS_COLORS, strict=True)):
        mine = y == label
        ax.scatter(z_[mine], sigmoid(z_[mine]), s=14, alpha=0.7, color=color, label=f"{name}")
    ax.axhline(threshold, color="gray", linewidth=0.8, linestyle=":")
    ax.set(xlabel="z = x̃·w + b", ylabel="p", title="Test samples on the sigmoid (true class)")
    ax.legend(loc="upper left")
    return fig


def bce_curves() -> Figure:
    """The loss of one sample against p: −log p when y = 1, −log(1 − p) when y = 0."""
    z = np.linspace(-7.0, 7.0, 400)  # p from about 0.001 to 0.999
    p = sigmoid(z)
    fig = _figure()
    ax = fig.add_subplot()
    # Per sample, BCE = log(1 + e^z) − y·z: for y = 1 that is log(1 + e^(−z)) = −log p.
    ax.plot(p, log1pexp(-z), color=CLASS_COLORS[1], label="y = 1:  −log p")
    ax.plot(p, log1pexp(z), color=CLASS_COLORS[0], label="y = 0:  −log(1 − p)")
    ax.set(xlabel="predicted p", ylabel="loss", title="Binary cross-entropy of one sample")
    ax.legend(loc="upper center")
    return fig
