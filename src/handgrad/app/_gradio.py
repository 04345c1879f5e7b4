"""Import Gradio for an app that never talks to the internet."""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

__all__ = ["import_gradio", "offline_theme"]


def import_gradio() -> ModuleType:
    """Gradio, with its analytics and version check off; a one-line message if it is missing."""
    # Read when Blocks is built and at launch: set before either, unless the user chose.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gradio
    except ImportError:
        raise ImportError("The web app needs Gradio: pip install 'handgrad[app]'") from None
    return gradio


def offline_theme(gr: Any) -> Any:
    """A theme whose fonts ship with Gradio or the system: no font is fetched from a CDN.

    Weights 400 and 700 only: the bundled Source Sans Pro semibold lacks lowercase glyphs.
    """
    return gr.themes.Default(
        primary_hue="blue",
        font=[
            gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)),
            "ui-sans-serif",
            "system-ui",
            "sans-serif",
        ],
        font_mono=[
            gr.themes.LocalFont("IBM Plex Mono", weights=(400, 700)),
            "ui-monospace",
            "monospace",
        ],
    )
