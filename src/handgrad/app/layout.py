"""The page: Gradio components wired to :class:`AppService`. Layout only, no logic."""

from __future__ import annotations

from typing import Any

import numpy as np

from handgrad.app._gradio import import_gradio, offline_theme
from handgrad.app.fields import glossary, group_fields
from handgrad.app.service import AppService

__all__ = ["MAX_FILE_SIZE", "build_app", "launch_app"]

MAX_FILE_SIZE = "10mb"  # uploads above this are refused by the server before parsing

# The notices are always in the page and styled only when they hold text.
CSS = """
#borderline:has(p) { background: #fff7d6; border-left: 4px solid #d49b00; padding: 0 12px; }
#range-warning:has(p) { background: #fde8e8; border-left: 4px solid #c53030; padding: 0 12px; }
"""

INTRO = """# Breast mass: benign or malignant?
Enter the 30 measurements of a fine-needle aspirate (or pick a real test case), then press
**Predict**. The model is a logistic regression trained by handgrad with hand-written
gradients; it explains each prediction term by term.
*A teaching and research tool, not a medical device: never use it alone for a diagnosis.*
"""


def build_app(service: AppService) -> Any:
    """Build the Gradio Blocks for ``service`` (not launched)."""
    gr = import_gradio()
    import pandas as pd

    model = service.model
    pos, neg = model.class_names[1], model.class_names[0]
    bar_columns = ["feature", "size", "term", "pushes towards"]

    def bars_frame(rows: list[dict[str, Any]]) -> Any:
        # Column by column (4x faster than from records), numbers typed even when empty.
        return pd.DataFrame(
            {
                c: np.array(
                    [r[c] for r in rows], dtype=np.float64 if c in ("size", "term") else object
                )
                for c in bar_columns
            }
        )

    def on_case(choice: str | None) -> list[Any]:
        values, note = service.fill_case(choice)
        return [*values, note]

    def on_predict(*args: Any) -> list[Any]:
        *values, threshold = args
        view = service.predict(values, threshold)
        return [
            view.result,
            view.borderline,  # plain strings: an update that toggles visibility costs more
            view.range_warning,
            bars_frame(view.bars),
            view.explanation,
        ]

    def on_threshold(*args: Any) -> list[Any]:
        return [service.threshold_summary(args[-1]), *on_predict(*args)]

    def on_batch(path: str | None, threshold: float) -> tuple[str | None, str]:
        return service.score_file(path, threshold)

    with gr.Blocks(title=f"handgrad: {neg} or {pos}?", analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        with gr.Tab("Predict", elem_id="tab-predict"), gr.Row():
            with gr.Column(scale=3):
                case = gr.Radio(
                    service.case_choices(),
                    value=None,
                    label="Fill the form from a real test case",
                    visible=bool(service.cases),
                    elem_id="case",
                )
                case_note = gr.Markdown(elem_id="case-note")
                boxes: dict[str, Any] = {}
                for title, fields in group_fields(model.feature_names):
                    with gr.Accordion(title, open=True), gr.Row():
                        for f in fields:
                            lo, hi = model.feature_ranges.get(f.name, [None, None])
                            low, high = service.limits.get(f.name, (None, None))
                            boxes[f.name] = gr.Number(
                                label=f.label,
                                info=f"trained on {lo:g} to {hi:g}" if lo is not None else None,
                                minimum=low,
                                maximum=high,
                                step=0.0001,
                                min_width=170,
                                elem_id=f"in-{f.name}",
                            )
                predict = gr.Button("Predict", variant="primary", elem_id="predict")
                with gr.Accordion("What the measurements mean", open=False):
                    gr.Markdown(glossary())
            with gr.Column(scale=2):
                result = gr.Markdown(
                    "Pick a test case or enter the measurements.", elem_id="result"
                )
                borderline = gr.Markdown(elem_id="borderline")
                range_warning = gr.Markdown(elem_id="range-warning")
                threshold = gr.Slider(
                    0.01,
                    0.99,
                    value=model.threshold,
                    step=0.01,
                    label=f"Threshold: call {pos} when P({pos}) ≥ threshold",
                    elem_id="threshold",
                )
                threshold_note = gr.Markdown(
                    service.threshold_summary(model.threshold), elem_id="threshold-metrics"
                )
                bars = gr.BarPlot(
                    None,  # an empty frame here would fix the colour and y scales
                    x="feature",
                    y="size",
                    color="pushes towards",
                    sort="-y",  # largest first (a sort sent with each update breaks the plot)
                    tooltip="all",
                    y_title="size of the term |w·x̃| in the log-odds",
                    color_map={pos: "#c53030", neg: "#2b6cb0"},
                    title="Why: the largest terms of the log-odds",
                    x_label_angle=-40,
                    height=360,
                    elem_id="contributions",
                )
                explanation = gr.Markdown(elem_id="explanation")
        with gr.Tab("Batch (CSV)", elem_id="tab-batch"):
            gr.Markdown(
                f"Upload a CSV with a header row and exactly the {len(model.feature_names)} "
                f"feature columns (any order), at most {service.max_rows:,} rows and "
                f"{MAX_FILE_SIZE.upper()}. The result repeats your rows and adds "
                f"P({pos}), the predicted label at the threshold set on the Predict tab, and "
                "the inputs outside the training range."
            )
            gr.DownloadButton(
                "Download a template (real test cases)",
                value=str(service.template_path),
                elem_id="batch-template",
            )
            upload = gr.File(label="CSV file", file_types=[".csv"], elem_id="batch-upload")
            run = gr.Button("Score the file", variant="primary", elem_id="batch-run")
            batch_message = gr.Markdown(elem_id="batch-message")
            batch_result = gr.File(label="Result", interactive=False, elem_id="batch-result")
        with gr.Tab("Model", elem_id="tab-model"):
            gr.Markdown(service.model_summary, elem_id="model-summary")
            gr.LinePlot(
                pd.DataFrame(service.loss_rows),
                x="epoch",
                y="loss",
                color="set",
                title="Loss curve (mean binary cross-entropy per epoch)",
                elem_id="loss-curve",
            )

        inputs = [boxes[name] for name in model.feature_names]
        outputs = [result, borderline, range_warning, bars, explanation]
        case.change(on_case, inputs=case, outputs=[*inputs, case_note], api_name=False).then(
            on_predict, inputs=[*inputs, threshold], outputs=outputs, api_name=False
        )
        # Prediction takes microseconds, so Gradio's own per-request work decides the latency:
        # queue=False answers in one HTTP round trip (no queue, no event stream), and
        # preprocess=False takes the numbers as sent (float or None), skipping one worker-thread
        # hop per input; the service checks them against the library's input limits.
        predict.click(
            on_predict,
            inputs=[*inputs, threshold],
            outputs=outputs,
            api_name="predict",
            queue=False,
            preprocess=False,
        )
        threshold.change(
            on_threshold,
            inputs=[*inputs, threshold],
            outputs=[threshold_note, *outputs],
            api_name=False,
            queue=False,
            preprocess=False,
        )
        run.click(
            on_batch,
            inputs=[upload, threshold],
            outputs=[batch_result, batch_message],
            api_name="score_csv",
        )
    return demo


def launch_app(
    demo: Any, *, host: str | None = None, port: int | None = None, block: bool = True
) -> Any:
    """Launch on ``host:port`` (Gradio's defaults and env vars when None); never a share link."""
    gr = import_gradio()
    return demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        ssr_mode=False,
        prevent_thread_lock=not block,
        max_file_size=MAX_FILE_SIZE,
        theme=offline_theme(gr),
        css=CSS,
        footer_links=[],
        quiet=not block,
    )
