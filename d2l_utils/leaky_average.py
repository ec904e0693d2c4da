"""How a leaky average weighs the past: the weights, the window, the half-life, the run."""

from __future__ import annotations

import math
from typing import Any

import numpy as onp
from numpy.typing import NDArray

from .validation import Array, Integer, Real, validated

__all__ = ["effective_window", "half_life", "leaky_running_average", "leaky_weights"]

DECAY = Real(0, 1)


@validated(gamma=DECAY, steps=Integer(1, 10**6))
def leaky_weights(gamma: float, steps: int = 40) -> NDArray[onp.float64]:
    """Weight ``(1 - gamma) * gamma**t`` of the observation ``t`` steps back, t = 0..steps-1."""
    return (1 - gamma) * gamma ** onp.arange(steps, dtype=float)


@validated(gamma=DECAY)
def effective_window(gamma: float) -> float:
    """``1 / (1 - gamma)``: the number of recent observations the average spans."""
    return math.inf if gamma == 1 else 1 / (1 - gamma)


@validated(gamma=DECAY)
def half_life(gamma: float) -> float:
    """Steps after which an observation's weight has halved: ``ln 2 / (-ln gamma)``."""
    if gamma == 0:
        return 0.0
    return math.inf if gamma == 1 else math.log(2) / -math.log(gamma)


@validated(
    values=Array(empty=False, text="a non-empty sequence of numbers or of arrays"), gamma=DECAY
)
def leaky_running_average(values: Any, gamma: float) -> NDArray[onp.float64]:
    """The leaky average after each value: ``a_t = gamma a_(t-1) + (1 - gamma) x_t``, ``a_0 = 0``.

    ``values`` is a sequence of numbers or of equal-shaped arrays (one per step); the
    result stacks ``a_1, ..., a_T``. Started at zero, as RMSProp's state is, so the
    early averages are pulled towards zero.
    """
    if values.ndim == 0:
        raise ValueError(f"values must be a sequence, one value per step, got {values!r}")
    averages = onp.empty_like(values)
    average = onp.zeros_like(values[0])
    for t, value in enumerate(values):
        average = gamma * average + (1 - gamma) * value
        averages[t] = average
    return averages  # type: ignore[no-any-return]
