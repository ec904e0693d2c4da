"""Optimizers on a two-dimensional objective: run one, then draw its path."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as onp

from .checks import (
    DivergenceError,
    FloatArray,
    check_callable,
    check_count,
    check_flag,
    check_pair,
    check_real_array,
    describe,
)
from .plotting import PALETTE, plt, set_figsize

__all__ = ["DIVERGENCE_BOUND", "show_trace_2d", "train_2d"]

#: A coordinate larger than this in magnitude counts as a diverged run.
DIVERGENCE_BOUND = 1e6
#: The most steps one run takes (a few seconds).
MAX_STEPS = 10**6
#: The widest range of x1 or x2 that show_trace_2d draws contours over.
MAX_SPAN = 200.0

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
    check_callable("trainer", trainer, "(x1, x2, *state) -> (x1, x2, *state)")
    steps = check_count("steps", steps, maximum=MAX_STEPS)
    if f_grad is not None:
        check_callable("f_grad", f_grad, "(x1, x2) -> (g1, g2)")
    x1, x2 = check_pair("start", start)
    if max(abs(x1), abs(x2)) > DIVERGENCE_BOUND:
        raise ValueError(f"start must lie within ±{DIVERGENCE_BOUND:g}, got {start!r}")
    verbose = check_flag("verbose", verbose)
    if isinstance(state, str) or not isinstance(state, Sequence):
        raise TypeError(
            f"state must be a tuple of the trainer's initial state, got {describe(state)}"
        )
    state = tuple(state)
    extra = () if f_grad is None else (f_grad,)
    try:
        inspect.signature(trainer).bind(x1, x2, *state, *extra)
    except TypeError as error:
        raise TypeError(
            f"trainer cannot be called as trainer(x1, x2, *state"
            f"{', f_grad' if extra else ''}) with {len(state)} state value(s): {error}"
        ) from None
    except ValueError:  # a builtin without a signature: the call itself will tell
        pass
    results: list[Point] = [(x1, x2)]
    for step in range(1, steps + 1):
        out = trainer(x1, x2, *state, *extra)
        try:
            x1, x2, *new_state = out
            x1, x2 = float(x1), float(x2)
        except (TypeError, ValueError):
            raise TypeError(
                f"trainer must return (x1, x2, *state) with numbers x1 and x2; at step {step} "
                f"it returned {describe(out)}"
            ) from None
        if len(new_state) != len(state):
            raise ValueError(
                f"trainer returned {2 + len(new_state)} values at step {step}; it must return "
                f"the point and {len(state)} state values, (x1, x2, *state)"
            )
        state = tuple(new_state)
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
    f: Callable[[FloatArray, FloatArray], Any], results: Sequence[Point] | FloatArray
) -> None:
    """Draw the contour lines of ``f`` and the path ``results`` on top (current axes)."""
    check_callable("f", f, "(x1, x2) -> f(x1, x2) on arrays")
    path = check_real_array("results", results, ndim=2, hint="the run diverged")
    if path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"results must be a list of (x1, x2) points, got shape {path.shape}")
    lo = onp.minimum(path.min(axis=0) - 0.5, (-5.5, -3.0))
    hi = onp.maximum(path.max(axis=0) + 0.5, (1.0, 1.0))
    if (hi - lo > MAX_SPAN).any():
        raise ValueError(
            f"results spans more than {MAX_SPAN:g} in x1 or x2, too wide to draw contours "
            "on a 0.1 grid; the run has diverged"
        )
    x1, x2 = onp.meshgrid(onp.arange(lo[0], hi[0], 0.1), onp.arange(lo[1], hi[1], 0.1))
    values = check_real_array("f(x1, x2)", f(x1, x2))
    if values.shape != x1.shape:
        raise ValueError(
            f"f must return one value per grid point, an array of shape {x1.shape}; "
            f"got shape {values.shape}"
        )
    set_figsize()
    axes = plt.gca()
    axes.contour(x1, x2, values, colors=PALETTE[0], linestyles="solid", linewidths=0.8)
    axes.plot(path[:, 0], path[:, 1], "-o", color=PALETTE[5], markersize=4)
    axes.set_xlabel("x1")
    axes.set_ylabel("x2")
