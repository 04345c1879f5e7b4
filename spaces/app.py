"""Hugging Face Spaces entry point: the handgrad web app.

Serves ``model.json`` beside this file when there is one (``spaces/assemble.py`` writes it),
else trains the default model on the bundled data first (deterministic, a few seconds).
The handgrad sources are expected in ``src/`` beside this file, or installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if (HERE / "src" / "handgrad").is_dir():
    sys.path.insert(0, str(HERE / "src"))

from handgrad.app import AppService, build_app, launch_app  # noqa: E402
from handgrad.cli.serve import load_or_train  # noqa: E402

MODEL_FILE = HERE / "model.json"

demo = build_app(
    AppService.for_model(load_or_train(str(MODEL_FILE) if MODEL_FILE.exists() else None))
)

if __name__ == "__main__":
    # Host and port from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (a Space sets 0.0.0.0:7860).
    launch_app(demo)
