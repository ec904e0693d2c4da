"""Optimizers on a two-dimensional objective: run one, then draw its path."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as onp

from .checks import DivergenceError, check_count, check_real
from .plotting import PALETTE, plt, set_figsize

__all__ = ["DIVERGENCE_BOUND", "show_trace_2d", "train_2d"]

#: A coordinate larger than this in magnitude counts as a diverged run.
DIVERGENCE_BOUND = 1e6

Point = tuple[float, float]


def train_2d(
    trainer: Callable[..., tuple[Any, ...]],
    steps: int = 20,
    f_grad: Callable[[float, float], tuple[float, float]] | None = None,
    start: Sequence[float] = (-5.0, -2.0),
    verbose: bool = True,
    state: Sequence[Any] = (0.0, 0.0),
) -> list[Point]:
    """Run ``trainer`` for ``steps`` steps from ``start`` and return the path.

    ``trainer(x1, x2, *state)`` (or ``trainer(x1, x2, *state, f_grad)`` when
    ``f_grad`` is given) returns the next point and the new state, ``(x1, x2,
    *state)``. The default ``state``, two zeros, is the book's ``(x1, x2, s1, s2)``
    convention; a method that needs more memory passes its own initial state (Adam
    keeps two moment vectors and a step count), so every method runs through this
    one loop. The final point is printed as ``epoch N, x1 ..., x2 ...`` unless
    ``verbose`` is false. A run whose coordinates become NaN, infinite or larger
    than ``DIVERGENCE_BOUND`` raises ``DivergenceError``; the error's
    ``trajectory`` holds the finite part.
    """
    if not callable(trainer):
        raise TypeError(
            f"trainer must be a function (x1, x2, *state) -> (x1, x2, *state): {trainer!r}"
        )
    steps = check_count("steps", steps)
    if len(start) != 2:
        raise ValueError(f"start must be a point (x1, x2), got {start!r}")
    x1, x2 = (check_real(f"start[{i}]", v) for i, v in enumerate(start))
    state = tuple(state)
    results: list[Point] = [(x1, x2)]
    for step in range(1, steps + 1):
        args = (x1, x2, *state) if f_grad is None else (x1, x2, *state, f_grad)
        x1, x2, *new_state = trainer(*args)
        if len(new_state) != len(state):
            raise ValueError(
                f"trainer returned {2 + len(new_state)} values at step {step}; it must return "
                f"the point and {len(state)} state values, (x1, x2, *state)"
            )
        state = tuple(new_state)
        x1, x2 = float(x1), float(x2)
        if not all(math.isfinite(v) and abs(v) <= DIVERGENCE_BOUND for v in (x1, x2)):
            raise DivergenceError(
                f"train_2d diverged at step {step}: x1={x1:g}, x2={x2:g} left the region "
                f"|x| <= {DIVERGENCE_BOUND:g}; lower the learning rate or the decay",
                trajectory=results,
            )
        results.append((x1, x2))
    if verbose:
        print(f"epoch {steps}, x1 {x1:f}, x2 {x2:f}")
    return results


def show_trace_2d(
    f: Callable[[onp.ndarray, onp.ndarray], onp.ndarray], results: Sequence[Point]
) -> None:
    """Draw the contour lines of ``f`` and the path ``results`` on top (current axes)."""
    path = onp.asarray(results, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"results must be a list of (x1, x2) points, got shape {path.shape}")
    if not onp.isfinite(path).all():
        raise ValueError("results contains NaN or infinite coordinates; the run diverged")
    set_figsize()
    axes = plt.gca()
    lo = onp.minimum(path.min(axis=0) - 0.5, (-5.5, -3.0))
    hi = onp.maximum(path.max(axis=0) + 0.5, (1.0, 1.0))
    x1, x2 = onp.meshgrid(onp.arange(lo[0], hi[0], 0.1), onp.arange(lo[1], hi[1], 0.1))
    axes.contour(x1, x2, f(x1, x2), colors=PALETTE[0], linestyles="solid", linewidths=0.8)
    axes.plot(path[:, 0], path[:, 1], "-o", color=PALETTE[5], markersize=4)
    axes.set_xlabel("x1")
    axes.set_ylabel("x2")
