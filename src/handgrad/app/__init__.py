"""The web app: enter measurements, get a probability, a label and the reasons.

``AppService`` holds the functions behind the page (plain Python, testable without a browser);
``build_app`` lays them out with Gradio; ``launch_app`` serves them offline.

Examples
--------
>>> from handgrad.workflow import train_and_evaluate
>>> from handgrad import load_breast_cancer
>>> model = train_and_evaluate(load_breast_cancer(), learning_rate=1.0, l2=0.01)
>>> service = AppService.for_model(model)
>>> service.case_choices()[0].startswith("Typical benign")
True
"""

from handgrad.app.layout import build_app, launch_app
from handgrad.app.service import AppService

__all__ = ["AppService", "build_app", "launch_app"]
