"""Assemble a Hugging Face Space for the handgrad web app in a folder.

    PYTHONPATH=src python spaces/assemble.py OUT [--model PATH]

OUT receives ``app.py``, ``README.md`` (with the Space's front matter), ``requirements.txt``,
the handgrad sources in ``src/handgrad`` and ``model.json`` (``--model``, or the default
model trained now on the bundled data). Push OUT to a Space's git repository to deploy it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def assemble(out: Path, model: str | None = None) -> Path:
    """Write the Space into ``out`` (created if needed); returns ``out``."""
    sys.path.insert(0, str(ROOT / "src"))
    from handgrad.cli.serve import load_or_train

    out.mkdir(parents=True, exist_ok=True)
    for name in ("app.py", "README.md", "requirements.txt"):
        shutil.copy2(HERE / name, out / name)
    target = out / "src" / "handgrad"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        ROOT / "src" / "handgrad", target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    load_or_train(model).save(out / "model.json")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("out", type=Path, help="folder to write the Space into")
    parser.add_argument("--model", help="model file to serve (default: train the default model)")
    args = parser.parse_args()
    print(f"Space written to {assemble(args.out, args.model)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
