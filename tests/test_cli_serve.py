"""``handgrad serve``: options, the default model, and clear failures (no server started)."""

from __future__ import annotations

import pytest

import handgrad.app
from handgrad.cli import main
from handgrad.cli.serve import load_or_train


@pytest.fixture
def launches(monkeypatch):  # type: ignore[no-untyped-def]
    """Record launch_app calls instead of serving."""
    calls: list[dict[str, object]] = []

    def fake_launch(demo, **kwargs):  # type: ignore[no-untyped-def]
        calls.append({"demo": demo, **kwargs})

    monkeypatch.setattr(handgrad.app, "launch_app", fake_launch)
    return calls


def test_serves_a_model_file_on_the_given_host_and_port(default_model, tmp_path, launches) -> None:
    """--model, --host and --port reach the launcher; the app is built for that model."""
    path = default_model.save(tmp_path / "model.json")
    code = main(["serve", "--model", str(path), "--port", "8123", "--host", "0.0.0.0"])
    assert code == 0
    assert len(launches) == 1
    assert (launches[0]["host"], launches[0]["port"], launches[0]["block"]) == (
        "0.0.0.0",
        8123,
        True,
    )
    launches[0]["demo"].close()  # type: ignore[attr-defined]


def test_without_a_model_it_trains_the_default_and_says_so(default_model, capsys) -> None:
    """No --model: the default model is trained (same as train_and_evaluate) and announced."""
    model = load_or_train(None)
    out = capsys.readouterr().out
    assert "No --model given: training the default model on the bundled breast cancer data" in out
    assert "Trained: test accuracy" in out
    assert model.model.coef_.tolist() == default_model.model.coef_.tolist()


def test_a_bad_model_file_fails_with_a_message(tmp_path, capsys, launches) -> None:
    """A missing or corrupt model file exits 1 with the loader's message; nothing is served."""
    (tmp_path / "bad.json").write_text("{not json")
    for path in (tmp_path / "missing.json", tmp_path / "bad.json"):
        assert main(["serve", "--model", str(path)]) == 1
        assert "handgrad serve:" in capsys.readouterr().err
    assert launches == []


def test_a_port_out_of_range_is_refused(capsys, launches) -> None:
    """--port must be 1..65535; anything else exits 2 before any work."""
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port must be in 1..65535; got 70000" in capsys.readouterr().err
    assert launches == []
