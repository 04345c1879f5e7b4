"""Building the Gradio app: offline settings, components the tests rely on, a missing extra."""

from __future__ import annotations

import os
import sys

import pytest

from handgrad.app import AppService, build_app
from handgrad.app._gradio import import_gradio


@pytest.fixture(scope="module")
def demo(default_model):  # type: ignore[no-untyped-def]
    """The app for the default model, built but not launched."""
    service = AppService.for_model(default_model)
    blocks = build_app(service)
    yield blocks
    service.close()


def test_analytics_are_off_before_the_app_is_built(demo) -> None:
    """Gradio's analytics and the Hub lookups are switched off by building the app."""
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert demo.analytics_enabled is False


def test_every_input_and_output_has_its_element_id(demo, default_model) -> None:
    """Each of the 30 inputs and each output the browser tests read carries a stable id."""
    ids = {getattr(block, "elem_id", None) for block in demo.blocks.values()}
    expected = {f"in-{name}" for name in default_model.feature_names} | {
        "case",
        "predict",
        "result",
        "borderline",
        "range-warning",
        "threshold",
        "threshold-metrics",
        "contributions",
        "batch-upload",
        "batch-run",
        "batch-message",
        "batch-result",
        "batch-template",
        "model-summary",
        "loss-curve",
    }
    assert expected <= ids


def test_inputs_are_bounded_by_the_sane_limits(demo, default_model) -> None:
    """Each number box refuses values outside the library's input limits."""
    from handgrad.explain import input_limits

    limits = input_limits(default_model)
    boxes = {
        block.elem_id[3:]: block
        for block in demo.blocks.values()
        if str(getattr(block, "elem_id", "")).startswith("in-")
    }
    for name, (low, high) in limits.items():
        assert (boxes[name].minimum, boxes[name].maximum) == (low, high)


def test_only_predict_and_batch_are_public_api_endpoints(demo) -> None:
    """The API exposes prediction and batch scoring, not the page's internal events."""
    names = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert names == {"predict", "score_csv"}


def test_missing_gradio_names_the_extra(monkeypatch) -> None:
    """Without Gradio installed, the app says which extra to install."""
    monkeypatch.setitem(sys.modules, "gradio", None)
    with pytest.raises(ImportError, match=r"pip install 'handgrad\[app\]'"):
        import_gradio()
