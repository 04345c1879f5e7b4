"""The Hugging Face Space: assembled folder holds everything and its app.py builds the app."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _assemble_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("assemble", ROOT / "spaces" / "assemble.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_space_front_matter_names_gradio_and_the_app() -> None:
    """The Space README declares the Gradio SDK, its version, Python 3.11 and app.py."""
    text = (ROOT / "spaces" / "README.md").read_text()
    front = text.split("---")[1]
    for line in ("sdk: gradio", "app_file: app.py", 'python_version: "3.11"', "sdk_version: "):
        assert line in front
    assert "CC BY 4.0" in text  # the data's attribution travels with the app


def test_assembled_space_runs_from_its_own_copy(default_model, tmp_path) -> None:
    """assemble() copies the app, sources and model file; app.py builds the app from the copy
    and serves that model file, without training."""
    model_path = default_model.save(tmp_path / "trained.json")
    out = _assemble_module().assemble(tmp_path / "space", str(model_path))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["README.md", "app.py", "model.json", "requirements.txt", "src"]
    assert not list(out.rglob("__pycache__"))
    script = (
        "import sys; sys.path.insert(0, '.'); import app, handgrad; "
        "print(type(app.demo).__name__, handgrad.__file__)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    kind, source = done.stdout.split()[-2:]
    assert kind == "Blocks"
    assert Path(source).is_relative_to(out / "src")
    assert "training the default model" not in done.stdout
