"""The (η, γ) map: RMSProp on the section's quadratic over a grid of learning rates and decays.

For each pair the map shows how many steps RMSProp needs from the section's start until
f < 10⁻³ (within a horizon), or the value of f after the section's 20 steps. Every pair
runs the same rule, elementwise on NumPy arrays here and one pair at a time in the
browser: the same operations on each pair, so both give the same map. Choosing a cell
runs that pair in the view beside it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as onp
import traitlets

from .. import rules
from ..divergence import DIVERGENCE_BOUND
from ..quadratic import COEFFICIENTS, path_2d
from ..section import SECTION_2D
from ..validation import OneOf, Real, validated
from .base import Choice, Explorer, Grid, log_grid
from .trajectory import method_configs

__all__ = ["MAP_ETAS", "MAP_GAMMAS", "MapExplorer", "rmsprop_map"]

#: The map's learning rates (10 per decade, 0.01 to 2) and decays (10 per decade in 1 - γ,
#: from 0 to 0.999), with the section's 0.4 and 0.9 among them.
MAP_ETAS = [eta for eta in log_grid(-2, 1, 10) if eta <= 2]
MAP_GAMMAS = sorted({round(1 - r, 6) for r in log_grid(-3, 0, 10)})
#: The steps the map allows a run, the tolerance it counts to, and the steps drawn.
HORIZON, TOLERANCE, DRAWN = 200, 1e-3, 60
METRICS = {"steps": "steps until f < 10⁻³", "loss": "f after 20 steps"}


@cache
def rmsprop_map(metric: str) -> list[list[float | None]]:
    """The map: one row per decay, one value per learning rate (None: diverged, or not
    below the tolerance within the horizon)."""
    a, b = COEFFICIENTS
    gamma, eta = (onp.array(v, dtype=float)[:, None] for v in (MAP_GAMMAS, MAP_ETAS))
    eta = eta.T
    shape = (len(MAP_GAMMAS), len(MAP_ETAS))
    x1, x2 = (onp.full(shape, v) for v in SECTION_2D.start)
    s1, s2 = onp.zeros(shape), onp.zeros(shape)
    alive = onp.ones(shape, dtype=bool)
    found = onp.full(shape, onp.nan)
    steps = HORIZON if metric == "steps" else SECTION_2D.steps
    with onp.errstate(all="ignore"):
        for t in range(steps + 1):
            if t:
                rules.rmsprop(x1, 2 * a * x1, s1, eta, gamma)  # in place, as train_2d's steps
                rules.rmsprop(x2, 2 * b * x2, s2, eta, gamma)
                alive &= (onp.abs(x1) <= DIVERGENCE_BOUND) & (onp.abs(x2) <= DIVERGENCE_BOUND)
            if metric == "steps":
                below = alive & onp.isnan(found) & (a * x1 * x1 + b * x2 * x2 < TOLERANCE)
                found[below] = t
        if metric == "loss":
            found = onp.where(alive, a * x1 * x1 + b * x2 * x2, onp.nan)
    return [[None if onp.isnan(v) else float(v) for v in row] for row in found]


class MapExplorer(Explorer):
    """RMSProp's steps to converge (or its f after 20 steps) over a grid of η and γ."""

    KIND = "map"
    eta = Grid(MAP_ETAS, SECTION_2D.eta).tag(sync=True, control=True)
    gamma = Grid(MAP_GAMMAS, SECTION_2D.gamma).tag(sync=True, control=True)
    metric = Choice(list(METRICS), "steps").tag(sync=True, control=True)
    values: traitlets.List[list[float | None]] = traitlets.List().tag(sync=True)
    path = traitlets.Dict().tag(sync=True)

    @validated(eta=Real(MAP_ETAS[0], MAP_ETAS[-1]), gamma=Real(0, 1), metric=OneOf(*METRICS))
    def __init__(self, eta: float = 0.4, gamma: float = 0.9, metric: str = "steps") -> None:
        a, b = COEFFICIENTS
        config = {
            **method_configs(("rmsprop",)),
            "objective": {"a": a, "b": b},
            "start": list(SECTION_2D.start),
            "section_steps": SECTION_2D.steps,
            "book": {"eta": SECTION_2D.eta, "gamma": SECTION_2D.gamma},
            "horizon": HORIZON,
            "tolerance": TOLERANCE,
            "drawn": DRAWN,
            "divergence_bound": DIVERGENCE_BOUND,
            "metrics": METRICS,
            "contour_levels": [0.5, 2, 5, 10, 20],
        }
        for kind in METRICS:  # both maps now: a move of the metric is then a look-up
            rmsprop_map(kind)
        super().__init__(config, eta=eta, gamma=gamma, metric=metric)

    def compute(self) -> dict[str, Any]:
        start = SECTION_2D.start
        path = path_2d(
            "rmsprop", self.eta, self.gamma, HORIZON, start, tolerance=TOLERANCE, drawn=DRAWN
        )
        return {"values": rmsprop_map(self.metric), "path": path}
