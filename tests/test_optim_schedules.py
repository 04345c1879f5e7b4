"""Learning-rate schedules give their documented values."""

from __future__ import annotations

import math

import pytest

from handgrad.optim import Constant, ExponentialDecay, InverseTimeDecay, StepDecay, make_schedule


def test_documented_values() -> None:
    """Each schedule's formula at chosen epochs."""
    assert [Constant(0.3)(t) for t in (0, 7)] == [0.3, 0.3]
    step = StepDecay(0.1, factor=0.5, every=10)
    assert [step(t) for t in (0, 9, 10, 19, 20, 35)] == [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]
    assert ExponentialDecay(0.2, rate=0.1)(10) == pytest.approx(0.2 / math.e, rel=1e-15)
    assert InverseTimeDecay(0.3, rate=0.5)(4) == pytest.approx(0.1, rel=1e-15)


def test_make_schedule_maps_one_knob() -> None:
    """make_schedule: step halves every 1/decay epochs; the others use decay as their rate."""
    assert make_schedule("step", 0.1, 0.2)(5) == 0.05
    assert make_schedule("step", 0.1, 0.2)(4) == 0.1
    assert make_schedule("exponential", 1.0, 0.5)(2) == pytest.approx(math.exp(-1.0))
    assert make_schedule("inverse_time", 1.0, 0.5)(2) == 0.5
    assert make_schedule("constant", 1.0, 0.5)(100) == 1.0


def test_bad_schedules_are_refused() -> None:
    """Unknown names, bad factors, periods, rates and epochs give clear errors."""
    with pytest.raises(ValueError, match=r"schedule must be one of .*; got 'cosine'"):
        make_schedule("cosine", 0.1, 0.1)
    with pytest.raises(ValueError, match=r"factor must be a number in \(0, 1\); got 1.5"):
        StepDecay(0.1, factor=1.5)
    with pytest.raises(ValueError, match="every must be an integer >= 1; got 0"):
        StepDecay(0.1, every=0)
    with pytest.raises(ValueError, match="rate must be a finite number >= 0; got -1"):
        ExponentialDecay(0.1, rate=-1)
    with pytest.raises(ValueError, match="initial learning rate must be a finite number > 0"):
        InverseTimeDecay(0.0, rate=1)
    with pytest.raises(ValueError, match="epoch must be an integer >= 0; got -1"):
        Constant(0.1)(-1)
