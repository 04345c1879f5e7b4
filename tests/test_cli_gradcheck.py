"""`handgrad gradcheck` through main(argv): tables, exit codes, usage errors."""

from __future__ import annotations

import numpy as np
import pytest

from handgrad.cli import gradcheck as command
from handgrad.cli import main


def test_all_models_pass_and_print_their_tables(capsys: pytest.CaptureFixture[str]) -> None:
    """With no options every registered model is checked on real data; exit code 0."""
    assert main(["gradcheck"]) == 0
    out = capsys.readouterr().out
    for name in command.PROBLEMS:
        assert f"{name}: " in out
    assert "W          64×10" in out  # the softmax weights on digits, as one block
    assert "b          scalar" in out  # the logistic intercept, as its own block
    assert out.count("PASSED") == len(command.PROBLEMS)
    assert out.count("A block passes when") == 1  # the thresholds explained once
    assert out.rstrip().endswith(f"gradcheck passed for all {len(command.PROBLEMS)} models.")


def test_selected_models_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    """--model picks models; --batch-size, --h and --tolerance reach the check."""
    argv = ["gradcheck", "--model", "softmax-l2", "--batch-size", "7", "--h", "1e-5",
            "--tolerance", "1e-6"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "softmax-l2: softmax regression + l2 = 0.1, digits, 7 rows" in out
    assert "h = 1e-05" in out
    assert "is below 1e-06" in out
    assert "logistic" not in out


def test_mlp_entries_check_every_layer(capsys: pytest.CaptureFixture[str]) -> None:
    """The MLP entries check every W_l and b_l: softmax output on digits, sigmoid on cancer."""
    argv = ["gradcheck", "--model", "mlp", "--model", "mlp-l2", "--model", "mlp-binary",
            "--batch-size", "10"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    tables = out.split("\n\n")
    digits, digits_l2, cancer = tables[0], tables[1], tables[2]
    assert digits.startswith("mlp: MLP 64-16-8-10, ReLU, softmax output, digits, 10 rows")
    assert digits_l2.startswith("mlp-l2: MLP 64-16-8-10, ReLU, softmax output + l2 = 0.1")
    for table in (digits, digits_l2):  # 10 rows hold all ten digits: ten output units
        for block in ("W1         64×16", "b1         16", "W2         16×8", "b2         8",
                      "W3         8×10", "b3         10"):  # fmt: skip
            assert block in table
    assert cancer.startswith("mlp-binary: MLP 30-8-1, tanh, sigmoid output + l2 = 0.1")
    for block in ("W1         30×8", "b1         8", "W2         8×1", "b2         1"):
        assert block in cancer
    assert out.count("PASSED") == 3


def test_batches_are_stratified() -> None:
    """A batch keeps the class proportions and holds every class once it has k rows."""
    from handgrad.datasets import load_breast_cancer, load_digits

    for seed in range(5):
        rng = np.random.default_rng(seed)
        _, y = command._batch(load_digits(), 10, rng)
        assert sorted(y.tolist()) == list(range(10))
        _, y = command._batch(load_breast_cancer(), 100, rng)
        assert 36 <= int(y.sum()) <= 38  # 212 of 569 are malignant: 37.3 of 100
        X, y = command._batch(load_breast_cancer(), 1000, rng)
        assert X.shape == (569, 30)  # all rows when the batch asks for more
        assert sorted(y.tolist()) == sorted(load_breast_cancer().y.tolist())


def test_a_wrong_gradient_fails_with_exit_code_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registered problem whose gradient is wrong makes the command fail and name it."""

    def build(batch_size: int, rng: np.random.Generator):
        w = rng.normal(size=3)
        return (lambda: (float(w @ w), {"w": 3 * w})), {"w": w}  # d(w·w)/dw is 2w, not 3w

    problems = {**command.PROBLEMS, "broken": command.GradientProblem("a wrong gradient", build)}
    monkeypatch.setattr(command, "PROBLEMS", problems)
    assert main(["gradcheck", "--model", "logistic", "--model", "broken"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: w disagree(s) with central differences." in out
    assert out.rstrip().endswith("gradcheck FAILED for broken (1 of 2 models).")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "nope"], "argument --model: invalid choice: 'nope'"),
        (["--h", "0"], "argument --h: expected a finite number > 0; got '0'"),
        (["--tolerance", "x"], "argument --tolerance: expected a number > 0; got 'x'"),
        (["--batch-size", "0"], "argument --batch-size: expected an integer >= 1; got '0'"),
        (["--batch-size", "2.5"], "argument --batch-size: expected an integer >= 1; got '2.5'"),
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], argv, message) -> None:
    """Invalid options stop with argparse's exit code 2 and say what was wrong."""
    assert main(["gradcheck", *argv]) == 2
    assert message in capsys.readouterr().err
