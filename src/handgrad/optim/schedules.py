"""Learning-rate schedules: ``schedule(epoch) -> α`` for epochs 0, 1, 2, ...

With initial rate α₀ and epoch t::

    constant       α₀
    step           α₀ · factor^⌊t / every⌋          (halve every 10 epochs, say)
    exponential    α₀ · e^(−rate·t)
    inverse_time   α₀ / (1 + rate·t)

A large step early moves fast; a smaller one later lets stochastic gradients settle instead of
rattling around the minimum. A training loop sets ``optimizer.learning_rate = schedule(t)``
at the start of each epoch.
"""

from __future__ import annotations

import math

__all__ = [
    "SCHEDULES",
    "Constant",
    "ExponentialDecay",
    "InverseTimeDecay",
    "Schedule",
    "StepDecay",
    "make_schedule",
]


def _positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    number = float(value)
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}; got {value!r}.")
    return number


class Schedule:
    """A learning rate per epoch, starting from ``initial``."""

    def __init__(self, initial: float) -> None:
        self.initial = _positive(initial, "initial learning rate")

    def __call__(self, epoch: int) -> float:
        """The learning rate for ``epoch`` (0-based)."""
        if epoch < 0:
            raise ValueError(f"epoch must be an integer >= 0; got {epoch!r}.")
        return self._rate(int(epoch))

    def _rate(self, t: int) -> float:
        raise NotImplementedError


class Constant(Schedule):
    """``α(t) = α₀``.

    >>> Constant(0.1)(50)
    0.1
    """

    def _rate(self, t: int) -> float:
        return self.initial


class StepDecay(Schedule):
    """``α(t) = α₀ · factor^⌊t / every⌋``.

    >>> [StepDecay(0.1, factor=0.5, every=10)(t) for t in (0, 9, 10, 25)]
    [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(self, initial: float, *, factor: float = 0.5, every: int = 10) -> None:
        super().__init__(initial)
        self.factor = _positive(factor, "factor")
        if self.factor >= 1:
            raise ValueError(f"factor must be a number in (0, 1); got {factor!r}.")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer >= 1; got {every!r}.")
        self.every = every

    def _rate(self, t: int) -> float:
        return self.initial * self.factor ** (t // self.every)


class ExponentialDecay(Schedule):
    """``α(t) = α₀ · e^(−rate·t)``.

    >>> round(ExponentialDecay(0.1, rate=0.1)(10), 6)  # α₀ / e
    0.036788
    """

    def __init__(self, initial: float, *, rate: float) -> None:
        super().__init__(initial)
        self.rate = _positive(rate, "rate", allow_zero=True)

    def _rate(self, t: int) -> float:
        return self.initial * math.exp(-self.rate * t)


class InverseTimeDecay(Schedule):
    """``α(t) = α₀ / (1 + rate·t)``.

    >>> InverseTimeDecay(0.1, rate=0.5)(2)  # α₀ / 2
    0.05
    """

    def __init__(self, initial: float, *, rate: float) -> None:
        super().__init__(initial)
        self.rate = _positive(rate, "rate", allow_zero=True)

    def _rate(self, t: int) -> float:
        return self.initial / (1.0 + self.rate * t)


SCHEDULES = ("constant", "exponential", "inverse_time", "step")


def make_schedule(name: str, initial: float, decay: float) -> Schedule:
    """The schedule ``name`` with one knob, ``decay`` (≥ 0), as an estimator exposes it.

    ``step`` halves the rate every ``round(1/decay)`` epochs; ``exponential`` and
    ``inverse_time`` use ``decay`` as their ``rate``; ``constant`` ignores it.
    """
    if name not in SCHEDULES:
        raise ValueError(f"learning-rate schedule must be one of {SCHEDULES}; got {name!r}.")
    decay = _positive(decay, "lr_decay", allow_zero=True)
    if name == "constant":
        return Constant(initial)
    if name == "exponential":
        return ExponentialDecay(initial, rate=decay)
    if name == "inverse_time":
        return InverseTimeDecay(initial, rate=decay)
    if decay == 0:
        raise ValueError("the step schedule needs lr_decay > 0 (halve every 1/lr_decay epochs).")
    return StepDecay(initial, factor=0.5, every=max(1, round(1.0 / decay)))
