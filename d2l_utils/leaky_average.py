"""How a leaky average weighs the past: the weights, the window, the half-life, the run."""

from __future__ import annotations

import math
from typing import Any

import numpy as onp

from .checks import FloatArray, check_count, check_decay, check_real_array

__all__ = ["effective_window", "half_life", "leaky_running_average", "leaky_weights"]


def leaky_weights(gamma: float, steps: int = 40) -> FloatArray:
    """Weight ``(1 - gamma) * gamma**t`` of the observation ``t`` steps back, t = 0..steps-1."""
    gamma = check_decay("gamma", gamma)
    steps = check_count("steps", steps)
    return (1 - gamma) * gamma ** onp.arange(steps, dtype=float)


def effective_window(gamma: float) -> float:
    """``1 / (1 - gamma)``: the number of recent observations the average spans."""
    gamma = check_decay("gamma", gamma)
    return math.inf if gamma == 1 else 1 / (1 - gamma)


def half_life(gamma: float) -> float:
    """Steps after which an observation's weight has halved: ``ln 2 / (-ln gamma)``."""
    gamma = check_decay("gamma", gamma)
    if gamma == 0:
        return 0.0
    return math.inf if gamma == 1 else math.log(2) / -math.log(gamma)


def leaky_running_average(values: Any, gamma: float) -> FloatArray:
    """The leaky average after each value: ``a_t = gamma a_(t-1) + (1 - gamma) x_t``, ``a_0 = 0``.

    ``values`` is a sequence of numbers or of equal-shaped arrays (one per step);
    the result stacks ``a_1, ..., a_T`` along a new first axis. Started at zero, as
    RMSProp's state is, so the early averages are pulled towards zero.
    """
    gamma = check_decay("gamma", gamma)
    series = check_real_array("values", values)
    if series.ndim == 0 or len(series) == 0:
        raise ValueError(f"values must be a non-empty sequence, got shape {series.shape}")
    averages = onp.empty_like(series)
    average = onp.zeros_like(series[0])
    for t, value in enumerate(series):
        average = gamma * average + (1 - gamma) * value
        averages[t] = average
    return averages
