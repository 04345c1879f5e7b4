"""``handgrad serve``: the web app on this machine.

With ``--model`` it serves that model file; without, it first trains the default model on
the bundled data (seeded split, the same model ``handgrad train`` gives) and says so.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """Register ``serve`` and its options."""
    parser = subparsers.add_parser(
        "serve",
        help="start the web app",
        description="Serve a model in the web app (offline; no share link, no analytics).",
    )
    parser.add_argument(
        "--model", metavar="PATH", help="model file to serve (default: train the default model)"
    )
    parser.add_argument("--port", type=int, default=7860, help="port (default: 7860)")
    parser.add_argument(
        "--host",
        default=None,
        help="address to listen on (default: 127.0.0.1, or $GRADIO_SERVER_NAME; "
        "0.0.0.0 to accept other machines)",
    )
    parser.set_defaults(run=run)


def load_or_train(path: str | None) -> Any:
    """The model file at ``path``, or the default model trained on the bundled data."""
    from handgrad.trained import TrainedModel

    if path is not None:
        return TrainedModel.load(path)
    from handgrad.datasets import load_breast_cancer
    from handgrad.workflow import train_and_evaluate

    print(
        "No --model given: training the default model on the bundled breast cancer data "
        "(80/20 stratified split, seed 0) ...",
        flush=True,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = train_and_evaluate(load_breast_cancer())
    for w in caught:
        print(f"note: {w.message}", flush=True)
    m = model.evaluation["metrics"]
    print(
        f"Trained: test accuracy {m['accuracy']:.4f}, recall {m['recall']:.4f}, "
        f"specificity {m['specificity']:.4f} on {m['n_samples']} test cases.",
        flush=True,
    )
    return model


def run(args: argparse.Namespace) -> int:
    """Load or train the model, build the app and serve it until interrupted."""
    from handgrad.exceptions import ModelFileError

    if not 0 < args.port < 65536:
        print(f"handgrad serve: --port must be in 1..65535; got {args.port}.", file=sys.stderr)
        return 2
    try:
        from handgrad.app import AppService, build_app, launch_app

        model = load_or_train(args.model)
    except (ImportError, ModelFileError) as exc:
        print(f"handgrad serve: {exc}", file=sys.stderr)
        return 1
    demo = build_app(AppService.for_model(model))
    host = args.host
    print(f"Serving on http://{host or '127.0.0.1'}:{args.port} (Ctrl+C to stop)", flush=True)
    launch_app(demo, host=host, port=args.port, block=True)
    return 0
