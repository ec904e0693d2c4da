"""RMSProp's update rule as a plain NumPy function, checked argument by argument.

The chapters write the update from scratch for MXNet; this version is the
project's reference for tests and for the interactive explorers.
"""

from __future__ import annotations

from typing import Any

import numpy as onp

from .checks import check_decay, check_finite_array, check_positive

__all__ = ["rmsprop_update"]


def rmsprop_update(
    x: Any, s: Any, g: Any, eta: float, gamma: float, eps: float = 1e-6
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
