"""How a leaky average weighs the past: the weights, the window, the half-life."""

from __future__ import annotations

import math

import numpy as onp

from .checks import check_count, check_decay

__all__ = ["effective_window", "half_life", "leaky_weights"]


def leaky_weights(gamma: float, steps: int = 40) -> onp.ndarray:
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
