"""The web app in a real headless Chromium: the journeys a person takes through the page.

Needs Playwright's Python package and a Chromium binary (``$HANDGRAD_CHROMIUM``, default
``/usr/bin/chromium``; Playwright's own browser download is never used). Without them these
tests skip, unless ``HANDGRAD_REQUIRE_BROWSER=1`` (as in CI), where they fail. Set
``HANDGRAD_SCREENSHOT=docs/images/app.png`` to refresh the README's screenshot.
"""

from __future__ import annotations

import csv
import ipaddress
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handgrad import load_breast_cancer
from handgrad.app import AppService, build_app, launch_app
from handgrad.app.service import format_probability
from handgrad.testset import operating_point

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("HANDGRAD_CHROMIUM", "/usr/bin/chromium")

# Non-loopback connections attempted from this process while the app is up.
_OUTSIDE: list[str] = []
_WATCHING = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCHING or event != "socket.connect":
        return
    sock, address = args
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            _OUTSIDE.append(f"{host}:{address[1]}")


sys.addaudithook(_audit)


def _require_browser() -> Any:
    """Playwright's sync API, or skip (fail when HANDGRAD_REQUIRE_BROWSER=1) with the reason."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "Playwright's Python package is not installed (pip install playwright)"
    if problem is None and not Path(CHROMIUM).exists():
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set HANDGRAD_CHROMIUM)"
    if problem is not None:
        if os.environ.get("HANDGRAD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but cannot run: {problem}")
        pytest.skip(problem)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(default_model) -> Iterator[tuple[str, AppService]]:  # type: ignore[no-untyped-def]
    """The app for the default model, served on a free loopback port."""
    global _WATCHING
    _require_browser()
    service = AppService.for_model(default_model)
    demo = build_app(service)
    port = _free_port()
    _OUTSIDE.clear()
    _WATCHING = True
    launch_app(demo, host="127.0.0.1", port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}", service
    finally:
        _WATCHING = False
        demo.close()
        service.close()
    assert _OUTSIDE == [], f"the app tried to reach the internet: {_OUTSIDE}"


@pytest.fixture(scope="module")
def browser(server) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Headless Chromium driven by Playwright."""
    sync_playwright = _require_browser()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(server, browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A fresh page on the app; any request that leaves the server is blocked and fails the test."""
    url, _ = server
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.route("**/*", route)
    pg.goto(url)
    pg.locator("#predict").wait_for()
    yield pg
    context.close()
    assert outside == [], f"the page tried to load from outside the app: {outside}"


def _expect() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # a shared 2-core machine can be slow
    return expect


def _pick(page: Any, prefix: str) -> None:
    page.locator("#case").get_by_text(prefix).click()
    _expect()(page.locator("#case-note")).to_contain_text("True diagnosis")


def _set_number(page: Any, elem_id: str, value: float) -> None:
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(repr(value))
    box.press("Tab")


def _case_values(service: AppService, prefix: str) -> list[float]:
    choice = next(c for c in service.case_choices() if c.startswith(prefix))
    values, _ = service.fill_case(choice)
    return [float(v) for v in values if v is not None]


def test_edited_case_shows_the_library_prediction(page, server, default_model) -> None:
    """Pick a case, change a value, press Predict: the page shows the library's probability."""
    _, service = server
    _pick(page, "Borderline")
    values = _case_values(service, "Borderline")
    j = default_model.feature_names.index("worst_texture")
    before = default_model.positive_proba([values])[0]
    values[j] = 30.0
    p = default_model.positive_proba([values])[0]
    assert abs(p - before) > 0.01  # the edit shows in 4 decimals
    assert 0.0001 < p < 0.9999
    _expect()(page.locator("#result")).to_contain_text(f"P(malignant) {format_probability(before)}")
    _set_number(page, "in-worst_texture", 30.0)
    page.locator("#predict").click()
    expect = _expect()
    expect(page.locator("#result")).to_contain_text(f"P(malignant) {format_probability(p)}")
    label = default_model.predict([values])[0]
    expect(page.locator("#result")).to_contain_text(f"Prediction: {label} (threshold 0.50)")
    top = service.predict(values, 0.5).bars[0]["feature"]
    expect(page.locator("#contributions")).to_contain_text(top)


def test_threshold_moves_label_and_shows_its_operating_point(page, default_model) -> None:
    """Moving the threshold relabels the case and shows the test-set rates at that threshold."""
    expect = _expect()
    _pick(page, "Borderline")
    expect(page.locator("#result")).to_contain_text("Prediction: malignant (threshold 0.50)")
    expect(page.locator("#borderline")).to_contain_text("Borderline.")
    _set_number(page, "threshold", 0.6)
    expect(page.locator("#result")).to_contain_text("Prediction: benign (threshold 0.60)")
    op = operating_point(default_model, 0.6)
    expect(page.locator("#threshold-metrics")).to_contain_text(
        f"sensitivity {100 * op.sensitivity:.1f}% ({op.tp} of {op.tp + op.fn} malignant found)"
    )
    expect(page.locator("#threshold-metrics")).to_contain_text(
        f"specificity {100 * op.specificity:.1f}% ({op.tn} of {op.tn + op.fp} benign cleared)"
    )


def test_input_outside_training_range_is_named(page, default_model) -> None:
    """A value beyond the training range shows a warning that names the measurement."""
    expect = _expect()
    _pick(page, "Typical benign")
    expect(page.locator("#result")).to_contain_text("Prediction: benign")
    expect(page.locator("#range-warning")).not_to_contain_text("outside the range")
    high = default_model.feature_ranges["mean_radius"][1]
    _set_number(page, "in-mean_radius", high + 2)
    page.locator("#predict").click()
    expect(page.locator("#range-warning")).to_contain_text("1 input(s) outside the range")
    expect(page.locator("#range-warning")).to_contain_text(f"Radius, mean = {high + 2:g}")


def _upload(page: Any, path: Path) -> None:
    page.get_by_role("tab", name="Batch (CSV)").click()
    page.locator("#batch-upload input[type=file]").set_input_files(str(path))
    _expect()(page.locator("#batch-upload")).to_contain_text(path.name)
    page.locator("#batch-run").click()


def test_batch_upload_downloads_the_scored_file(page, default_model, tmp_path) -> None:
    """Upload the test rows as CSV; the downloaded file holds the library's probabilities."""
    data = load_breast_cancer()
    X = data.X[default_model.evaluation["test_index"]]
    src = tmp_path / "cases.csv"
    with src.open("w", newline="") as handle:
        csv.writer(handle).writerows([data.feature_names, *X.tolist()])
    _upload(page, src)
    _expect()(page.locator("#batch-message")).to_contain_text(f"Scored {len(X)} row(s)")
    with page.expect_download() as info:
        page.locator("#batch-result a").first.click()
    got = tmp_path / "got.csv"
    info.value.save_as(got)
    with got.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][30:] == ["probability_malignant", "predicted_label", "outside_training_range"]
    assert [float(r[30]) for r in rows[1:]] == default_model.positive_proba(X).tolist()
    assert [r[31] for r in rows[1:]] == default_model.predict(X).tolist()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("drop mean_radius", "The file is missing 1 column(s) the model needs: 'mean_radius'"),
        ("text in a cell", "Data row 1, column 'mean_texture' holds 'high'; expected a number."),
    ],
    ids=["missing-column", "text-in-a-cell"],
)
def test_bad_batch_file_gets_a_message_in_the_page(page, tmp_path, edit, message) -> None:
    """A bad CSV gets the library's message in the page, with no file and no traceback."""
    data = load_breast_cancer()
    header, row = list(data.feature_names), [repr(x) for x in data.X[0].tolist()]
    if edit == "drop mean_radius":
        header, row = header[1:], row[1:]
    else:
        row[1] = "high"
    src = tmp_path / "bad.csv"
    with src.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    _upload(page, src)
    expect = _expect()
    expect(page.locator("#batch-message")).to_contain_text("This file cannot be scored.")
    expect(page.locator("#batch-message")).to_contain_text(message)
    assert page.locator("#batch-result a").count() == 0
    assert "Traceback" not in page.content()


def test_model_tab_shows_the_model_file(page, default_model) -> None:
    """The Model tab shows the file's test metrics, confusion matrix and a drawn loss curve."""
    expect = _expect()
    page.get_by_role("tab", name="Model").click()
    metrics = default_model.evaluation["metrics"]
    (tn, fp), (fn, tp) = metrics["confusion_matrix"]
    summary = page.locator("#model-summary")
    expect(summary).to_contain_text(f"accuracy\t{metrics['accuracy']:.4f}")
    expect(summary.locator("tr", has_text="malignant").last).to_contain_text(f"{fn}\t{tp}")
    expect(summary.locator("tr", has_text="benign").nth(1)).to_contain_text(f"{tn}\t{fp}")
    expect(page.locator("#loss-curve")).to_contain_text("epoch")
    expect(page.locator("#loss-curve")).to_contain_text("training")


def test_screenshot_of_a_borderline_prediction(page, tmp_path) -> None:
    """The page renders a borderline case with its chart; the screenshot is saved."""
    expect = _expect()
    _pick(page, "Borderline")
    expect(page.locator("#borderline")).to_contain_text("Borderline.")
    expect(page.locator("#contributions")).to_contain_text("Texture, worst")
    page.evaluate("document.fonts.ready.then(() => true)")
    target = Path(os.environ.get("HANDGRAD_SCREENSHOT") or tmp_path / "app.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
