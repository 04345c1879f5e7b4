"""Pictures: what each one draws, and the one-line message when matplotlib is missing."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from handgrad import MissingExtraError, plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_loss_curve_draws_both_histories() -> None:
    """The train and test lines carry the loss histories epoch by epoch."""
    fig = plots.loss_curve([0.69, 0.5, 0.4], [0.69, 0.55, 0.5])
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["train"].get_ydata(), [0.69, 0.5, 0.4])
    np.testing.assert_array_equal(lines["test"].get_xdata(), [0, 1, 2])
    assert plots.to_png(fig).startswith(PNG_SIGNATURE)


def test_confusion_matrix_shows_the_counts() -> None:
    """Each cell is labelled with its count, rows true and columns predicted."""
    fig = plots.confusion_matrix_plot([[70, 1], [4, 38]], ["benign", "malignant"])
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "38", "4", "70"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["benign", "malignant"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted", "true")


def test_roc_plot_is_the_roc_curve() -> None:
    """The drawn curve is metrics.roc_curve, and the legend gives the AUC."""
    from handgrad.metrics import roc_curve

    y, p = np.array([0, 0, 1, 1, 0, 1]), np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    fig = plots.roc_plot(y, p)
    curve = fig.axes[0].get_lines()[0]
    fpr, tpr, _ = roc_curve(y, p)
    np.testing.assert_array_equal(curve.get_xdata(), fpr)
    np.testing.assert_array_equal(curve.get_ydata(), tpr)
    assert curve.get_label() == "AUC = 0.8889"


def test_sigmoid_plot_places_samples_at_their_logit() -> None:
    """Each class's points sit at (z, σ(z)) on the curve."""
    z, y = np.array([-2.0, 0.5, 3.0]), np.array([0, 1, 1])
    fig = plots.sigmoid_plot(z, y, ["benign", "malignant"])
    benign, malignant = fig.axes[0].collections
    np.testing.assert_allclose(benign.get_offsets(), [[-2.0, 1 / (1 + np.exp(2.0))]])
    np.testing.assert_allclose(
        malignant.get_offsets(), [[0.5, 1 / (1 + np.exp(-0.5))], [3.0, 1 / (1 + np.exp(-3.0))]]
    )


def test_bce_curves_are_minus_log_p() -> None:
    """The y = 1 curve is −log p and the y = 0 curve is −log(1 − p)."""
    fig = plots.bce_curves()
    one, zero = fig.axes[0].get_lines()
    p = one.get_xdata()
    np.testing.assert_allclose(one.get_ydata(), -np.log(p), rtol=1e-12)
    np.testing.assert_allclose(zero.get_ydata(), -np.log1p(-p), rtol=1e-9)


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib a plot raises one line naming pip install 'handgrad[plot]'."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"^[^\n]*pip install 'handgrad\[plot\]'$"):
        plots.bce_curves()


def test_core_imports_without_matplotlib() -> None:
    """handgrad, its plots, report and CLI modules import with matplotlib unavailable."""
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import handgrad, handgrad.plots, handgrad.report, handgrad.cli.train\n"
        "print('matplotlib' in sys.modules and sys.modules['matplotlib'] is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
