"""Update rules as plain NumPy/float code, checked argument by argument.

The chapters write RMSProp from scratch for MXNet; the functions here are the
project's reference implementation, used by the tests and the explorers. The
2D trainers plug into :func:`d2l_utils.train_2d` and are mirrored line for line
by the in-browser explorer (``d2l_utils/js/optimizers.js``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as onp

from .checks import check_decay, check_finite_array, check_positive

__all__ = [
    "METHODS",
    "MOMENTUM_BETA",
    "f_2d",
    "f_2d_grad",
    "make_trainer_2d",
    "rmsprop_update",
]

#: Optimizers the 2D explorer can run, in drawing order.
METHODS = ("sgd", "momentum", "adagrad", "rmsprop")
#: The momentum method's fixed leaky-average weight in the comparison.
MOMENTUM_BETA = 0.5
EPS = 1e-6

Trainer2D = Callable[[float, float, float, float], tuple[float, float, float, float]]


def f_2d(x1: Any, x2: Any) -> Any:
    """The section's ill-conditioned quadratic ``0.1 x1^2 + 2 x2^2``."""
    return 0.1 * x1**2 + 2 * x2**2


def f_2d_grad(x1: float, x2: float) -> tuple[float, float]:
    """Gradient of :func:`f_2d`."""
    return 0.2 * x1, 4 * x2


def rmsprop_update(
    x: Any, s: Any, g: Any, eta: float, gamma: float, eps: float = EPS
) -> tuple[onp.ndarray, onp.ndarray]:
    """One RMSProp step; returns the new ``(x, s)``.

    ``s <- gamma * s + (1 - gamma) * g**2`` and
    ``x <- x - eta / sqrt(s + eps) * g``, coordinate by coordinate.
    """
    eta = check_positive("eta", eta)
    gamma = check_decay("gamma", gamma)
    eps = check_positive("eps", eps)
    x, s, g = (onp.asarray(v, dtype=float) for v in (x, s, g))
    if not x.shape == s.shape == g.shape:
        raise ValueError(
            f"x, s and g must have the same shape, got {x.shape}, {s.shape} and {g.shape}"
        )
    for name, value in (("x", x), ("s", s), ("g", g)):
        check_finite_array(name, value)
    if (s < 0).any():
        raise ValueError("s is a running average of squares and cannot be negative")
    s = gamma * s + (1 - gamma) * g**2
    return x - eta / onp.sqrt(s + eps) * g, s


def make_trainer_2d(method: str, eta: float, gamma: float = 0.9) -> Trainer2D:
    """A ``train_2d`` trainer for :func:`f_2d` with learning rate ``eta``.

    ``method`` is one of ``METHODS``. ``gamma`` is RMSProp's decay; momentum uses
    ``MOMENTUM_BETA``; SGD and Adagrad ignore it. Each trainer keeps its state in
    the two slots ``train_2d`` provides (velocity for momentum, the squared
    gradient sums or averages for Adagrad and RMSProp).
    """
    eta = check_positive("eta", eta)
    gamma = check_decay("gamma", gamma)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")

    def sgd(x1: float, x2: float, s1: float, s2: float) -> tuple[float, float, float, float]:
        g1, g2 = f_2d_grad(x1, x2)
        return x1 - eta * g1, x2 - eta * g2, 0.0, 0.0

    def momentum(x1: float, x2: float, v1: float, v2: float) -> tuple[float, float, float, float]:
        g1, g2 = f_2d_grad(x1, x2)
        v1 = MOMENTUM_BETA * v1 + g1
        v2 = MOMENTUM_BETA * v2 + g2
        return x1 - eta * v1, x2 - eta * v2, v1, v2

    def adagrad(x1: float, x2: float, s1: float, s2: float) -> tuple[float, float, float, float]:
        g1, g2 = f_2d_grad(x1, x2)
        s1 += g1 * g1
        s2 += g2 * g2
        return x1 - eta / math.sqrt(s1 + EPS) * g1, x2 - eta / math.sqrt(s2 + EPS) * g2, s1, s2

    def rmsprop(x1: float, x2: float, s1: float, s2: float) -> tuple[float, float, float, float]:
        g1, g2 = f_2d_grad(x1, x2)
        s1 = gamma * s1 + (1 - gamma) * g1 * g1
        s2 = gamma * s2 + (1 - gamma) * g2 * g2
        return x1 - eta / math.sqrt(s1 + EPS) * g1, x2 - eta / math.sqrt(s2 + EPS) * g2, s1, s2

    return {"sgd": sgd, "momentum": momentum, "adagrad": adagrad, "rmsprop": rmsprop}[method]
