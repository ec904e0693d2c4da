"""The trajectory explorer: RMSProp and its neighbours on f(x) = 0.1 x1² + 2 x2²."""

from __future__ import annotations

from typing import Any, ClassVar

import traitlets

from ..divergence import DIVERGENCE_BOUND
from ..optimizers import OPTIMIZERS, Optimizer
from ..quadratic import COEFFICIENTS, path_2d
from ..section import SECTION_2D
from ..validation import Integer, Real, validated
from .base import ETA_GRID, GAMMA_GRID, Count, Explorer, Grid, Point

__all__ = ["METHODS", "PROMPTS", "TrajectoryExplorer", "method_configs"]

#: The optimizers the explorer compares, in drawing order.
METHODS = ("sgd", "momentum", "adagrad", "rmsprop")
MAX_STEPS = 100
START_BOUNDS = {"x1": [-10.0, 10.0], "x2": [-8.0, 8.0]}
_BOOK: dict[str, Any] = {
    "eta": SECTION_2D.eta,
    "gamma": SECTION_2D.gamma,
    "steps": SECTION_2D.steps,
    "start": list(SECTION_2D.start),
}

#: Short prompts beside the explorer, each leading to one of the section's points. Each
#: sets every control its text talks about, the start point included.
PROMPTS = [
    {
        "id": "section",
        "title": "The section's run",
        "text": "η = 0.4, γ = 0.9, 20 steps from (−5, −2): RMSProp ends at x1 = −0.010599, "
        "x2 = 0.000000, the numbers printed above, and the best of the four.",
        "set": _BOOK,
    },
    {
        "id": "adagrad",
        "title": "Adagrad stalls",
        "text": "With the same η = 0.4 from (−5, −2), Adagrad's sum of squared gradients only "
        "grows, so its steps shrink like 1/√t and it is still far from the minimum after 20 "
        "steps; RMSProp's leaky average forgets, and its steps keep their size.",
        "set": _BOOK,
    },
    {
        "id": "sgd-diverges",
        "title": "A step too large for SGD",
        "text": "SGD multiplies x2 by 1 − 4η at each step: at η = 0.56, past 0.5, that factor "
        "exceeds 1 in size and the run from (−5, −2) diverges. RMSProp's normalised steps "
        "stay bounded.",
        "set": {**_BOOK, "eta": 0.56, "steps": 30},
    },
    {
        "id": "gamma-one",
        "title": "γ close to 1",
        "text": "At γ = 0.999 the average starts at zero and needs about 1/(1 − γ) steps to "
        "fill, so the first steps from (−5, −2) are up to 1/√(1 − γ) times too large and "
        "RMSProp overshoots before it settles (exercise 1).",
        "set": {**_BOOK, "gamma": 0.999, "steps": 40},
    },
    {
        "id": "climb-back",
        "title": "Why RMSProp climbs back at 100 steps",
        "text": "Near the minimum the gradients, and so s, shrink; the effective rate "
        "η/√(s + ε) then grows by about 1/√γ per step. A gradient step along x2 (curvature "
        "4) is stable only for rates below 2/4 = 0.5: once RMSProp's rate passes it, around "
        "step 25, the leftover error in x2 grows again and f climbs back to about 0.1.",
        "set": {**_BOOK, "steps": 100},
    },
]


def method_configs(names: tuple[str, ...]) -> dict[str, Any]:
    """What the browser needs of each optimizer to run it: its port's name is its own."""

    def one(optimizer: Optimizer) -> dict[str, Any]:
        return {
            "label": optimizer.label,
            "style": optimizer.style.web(),
            "state": len(optimizer.state),
            "counts_steps": optimizer.counts_steps,
            "hyperparams": [[h.name, h.default] for h in optimizer.hyperparams],
        }

    return {"methods": list(names), "optimizers": {n: one(OPTIMIZERS[n]) for n in names}}


class TrajectoryExplorer(Explorer):
    """SGD, momentum, Adagrad and RMSProp on f(x) = 0.1 x1² + 2 x2², side by side."""

    KIND = "trajectory"
    eta = Grid(ETA_GRID, 0.4).tag(sync=True, control=True)
    gamma = Grid(GAMMA_GRID, 0.9).tag(sync=True, control=True)
    steps = Count(1, MAX_STEPS, 20).tag(sync=True, control=True)
    start = Point(START_BOUNDS, [-5.0, -2.0]).tag(sync=True, control=True)
    paths = traitlets.Dict().tag(sync=True)
    BOOK: ClassVar[dict[str, Any]] = _BOOK

    @validated(eta=Real(ETA_GRID[0], ETA_GRID[-1]), gamma=Real(0, 1), steps=Integer(1, MAX_STEPS))
    def __init__(self, eta: float = 0.4, gamma: float = 0.9, steps: int = 20) -> None:
        a, b = COEFFICIENTS
        config = {
            **method_configs(METHODS),
            "objective": {"a": a, "b": b},
            "divergence_bound": DIVERGENCE_BOUND,
            "contour_levels": [0.5, 2, 5, 10, 20],
            "default_view": {"x1": [-6.0, 6.0], "x2": [-4.0, 4.0]},
            "prompts": PROMPTS,
            "book": _BOOK,
        }
        super().__init__(config, eta=eta, gamma=gamma, steps=steps)

    def compute(self) -> dict[str, Any]:
        start = (self.start[0], self.start[1])
        return {"paths": {m: path_2d(m, self.eta, self.gamma, self.steps, start) for m in METHODS}}
