"""The state explorer: RMSProp's state s_t and its step sizes η/√(s_t + ε), step by step."""

from __future__ import annotations

import math
from typing import Any

import traitlets

from .. import rules
from ..divergence import DIVERGENCE_BOUND
from ..quadratic import COEFFICIENTS, f_2d, f_2d_grad, step_2d
from ..section import SECTION_2D
from ..validation import Integer, Real, validated
from .base import ETA_GRID, GAMMA_GRID, Count, Explorer, Grid

__all__ = ["STATE_GAMMA_GRID", "StateExplorer", "state_run"]

#: The decays of the section's grid and γ = 1 itself (exercise 1: the state never moves).
STATE_GAMMA_GRID = [*GAMMA_GRID, 1.0]
#: How many steps the explorer runs and shows.
STEPS = 60


def state_run(eta: float, gamma: float, steps: int = STEPS) -> dict[str, Any]:
    """RMSProp from the section's start: each step's point, gradient, state and step size.

    ``rate`` is the effective learning rate η/√(s_t + ε) of each coordinate after step t
    (its value at t = 0 is that of a state still zero). The run stops where it leaves the
    bounded region (``diverged``: that step), as ``train_2d`` does.
    """
    step = step_2d("rmsprop", eta, gamma)
    x1, x2 = SECTION_2D.start
    s1 = s2 = 0.0
    run: dict[str, Any] = {k: [] for k in ("x1", "x2", "f", "g1", "g2", "s1", "s2", "r1", "r2")}
    run["diverged"] = 0

    def record(x1: float, x2: float, s1: float, s2: float) -> None:
        g1, g2 = f_2d_grad(x1, x2)
        values = (x1, x2, f_2d(x1, x2), g1, g2, s1, s2)
        for key, value in zip(("x1", "x2", "f", "g1", "g2", "s1", "s2"), values, strict=True):
            run[key].append(value)
        run["r1"].append(eta / math.sqrt(s1 + rules.EPS))
        run["r2"].append(eta / math.sqrt(s2 + rules.EPS))

    record(x1, x2, s1, s2)
    for t in range(1, steps + 1):
        x1, x2, s1, s2 = step(x1, x2, s1, s2)
        if not (abs(x1) <= DIVERGENCE_BOUND and abs(x2) <= DIVERGENCE_BOUND):
            run["diverged"] = t
            break
        record(x1, x2, s1, s2)
    return run


class StateExplorer(Explorer):
    """RMSProp on the section's quadratic, its state and step sizes, one step at a time."""

    KIND = "state"
    eta = Grid(ETA_GRID, SECTION_2D.eta).tag(sync=True, control=True)
    gamma = Grid(STATE_GAMMA_GRID, SECTION_2D.gamma).tag(sync=True, control=True)
    t = Count(0, STEPS, SECTION_2D.steps).tag(sync=True, control=True)
    run = traitlets.Dict().tag(sync=True)

    @validated(eta=Real(ETA_GRID[0], ETA_GRID[-1]), gamma=Real(0, 1), t=Integer(0, STEPS))
    def __init__(self, eta: float = 0.4, gamma: float = 0.9, t: int = 20) -> None:
        a, b = COEFFICIENTS
        config = {
            "steps": STEPS,
            "start": list(SECTION_2D.start),
            "objective": {"a": a, "b": b},
            "eps": rules.EPS,
            "divergence_bound": DIVERGENCE_BOUND,
            # A gradient step along a direction of curvature 2a or 2b is stable below 2/curvature.
            "stable_rates": [1 / a, 1 / b],
            "contour_levels": [0.5, 2, 5, 10, 20],
        }
        super().__init__(config, eta=eta, gamma=gamma, t=t)

    def compute(self) -> dict[str, Any]:
        return {"run": state_run(self.eta, self.gamma)}
