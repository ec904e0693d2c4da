"""The rotation explorer: the section's valley turned by an angle, RMSProp against its neighbours.

Exercise 2 asks what happens on f(x) = 0.1 (x1 + x2)² + 2 (x1 - x2)², the section's
f = 0.1 x1² + 2 x2² with its valley turned by 45°. The explorer turns it by any angle θ
from 0° to 90°: f_θ(x) = 0.1 u² + 2 v² with u = a x1 + b x2 and v = a x2 - b x1, where
(a, b) is the direction (cos θ, sin θ) scaled so that its larger coordinate is 1. So 0°
is the section's function, 45° exactly the exercise's, and 90° the section's with the
axes swapped; the ratio of the curvatures stays 20 at every angle.
"""

from __future__ import annotations

import math
from typing import Any

import traitlets

from .. import rules
from ..divergence import DIVERGENCE_BOUND
from ..quadratic import COEFFICIENTS, path_2d
from ..quadratic import step_2d as make_step
from ..section import SECTION_2D
from ..validation import Real, validated
from .base import ETA_GRID, GAMMA_GRID, Explorer, Grid
from .trajectory import method_configs

__all__ = ["ANGLES", "METHODS", "RotationExplorer", "turn", "turned"]

#: The angles of the slider, in degrees.
ANGLES = [float(angle) for angle in range(91)]
#: The optimizers compared, in drawing order.
METHODS = ("sgd", "adam", "rmsprop")
#: Steps drawn, and steps tried before a run is said not to reach the tolerance.
DRAWN, MOST = 40, 2000
TOLERANCE = 1e-3


def turn(angle: float) -> tuple[float, float]:
    """``(a, b)``: the direction at ``angle`` degrees with its larger coordinate 1 (exactly
    1 and 0 at 0°, 45° and 90°)."""
    if angle <= 45:
        return 1.0, (1.0 if angle == 45 else math.tan(math.radians(angle)))
    return (0.0 if angle == 90 else math.tan(math.radians(90 - angle))), 1.0


def turned(a: float, b: float) -> tuple[Any, Any]:
    """The turned quadratic f(x1, x2) and its gradient, for the direction ``(a, b)``."""
    first, second = COEFFICIENTS

    def f(x1: float, x2: float) -> float:
        u, v = a * x1 + b * x2, a * x2 - b * x1
        return first * u * u + second * v * v

    def grad(x1: float, x2: float) -> tuple[float, float]:
        u, v = a * x1 + b * x2, a * x2 - b * x1
        return 2 * first * u * a - 2 * second * v * b, 2 * first * u * b + 2 * second * v * a

    return f, grad


class RotationExplorer(Explorer):
    """RMSProp, SGD and Adam on the section's valley turned by an angle (exercise 2)."""

    KIND = "rotation"
    angle = Grid(ANGLES, 0.0).tag(sync=True, control=True)
    eta = Grid(ETA_GRID, SECTION_2D.eta).tag(sync=True, control=True)
    gamma = Grid(GAMMA_GRID, SECTION_2D.gamma).tag(sync=True, control=True)
    paths = traitlets.Dict().tag(sync=True)
    scales: traitlets.List[float | None] = traitlets.List().tag(sync=True)

    @validated(angle=Real(0, 90), eta=Real(ETA_GRID[0], ETA_GRID[-1]), gamma=Real(0, 1))
    def __init__(self, angle: float = 0.0, eta: float = 0.4, gamma: float = 0.9) -> None:
        a, b = COEFFICIENTS
        config = {
            **method_configs(METHODS),
            "objective": {"a": a, "b": b},
            "turns": [list(turn(angle)) for angle in ANGLES],
            "start": list(SECTION_2D.start),
            "drawn": DRAWN,
            "most": MOST,
            "tolerance": TOLERANCE,
            "contour_levels": [0.5, 2, 5, 10, 20],
            "divergence_bound": DIVERGENCE_BOUND,
        }
        super().__init__(config, angle=angle, eta=eta, gamma=gamma)

    def compute(self) -> dict[str, Any]:
        f, grad = turned(*turn(self.angle))
        start = SECTION_2D.start
        paths = {
            m: path_2d(m, self.eta, self.gamma, MOST, start, (f, grad), TOLERANCE, DRAWN)
            for m in METHODS
        }
        return {"paths": paths, "scales": _scales(self.eta, self.gamma, grad)}


def _scales(eta: float, gamma: float, grad: Any) -> list[float | None]:
    """RMSProp's step size η/√(s + ε) for each coordinate after the drawn steps (None where
    the run went beyond numbers)."""
    step = make_step("rmsprop", eta, gamma, grad)
    x1, x2 = SECTION_2D.start
    s1 = s2 = 0.0
    for _ in range(DRAWN):
        x1, x2, s1, s2 = step(x1, x2, s1, s2)
    scales = [eta / math.sqrt(s + rules.EPS) if math.isfinite(s) else math.nan for s in (s1, s2)]
    return [scale if math.isfinite(scale) else None for scale in scales]
