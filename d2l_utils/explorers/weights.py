"""The weights explorer: how much a leaky average weighs each past squared gradient."""

from __future__ import annotations

import math
from typing import Any

import traitlets

from ..leaky_average import effective_window, half_life, leaky_weights
from ..plotting import STYLES
from ..validation import Real, validated
from .base import GAMMA_GRID, Explorer, Grid

__all__ = ["MAX_LAGS", "WeightsExplorer"]

#: The explorer draws at most this many lags (the window at γ = 0.999 is 1000).
MAX_LAGS = 1250


class WeightsExplorer(Explorer):
    """The weights ``(1-γ)γ^t`` a leaky average gives the past, with window and half-life."""

    KIND = "weights"
    gamma = Grid(GAMMA_GRID, 0.9).tag(sync=True, control=True)
    weights: traitlets.List[float] = traitlets.List().tag(sync=True)
    window = traitlets.Float(allow_none=True).tag(sync=True)
    half_life = traitlets.Float(allow_none=True).tag(sync=True)

    @validated(gamma=Real(0, 0.999))
    def __init__(self, gamma: float = 0.9) -> None:
        config = {
            "min_lags": 40,
            "max_lags": MAX_LAGS,
            "color": STYLES["adagrad"].color,
            "marker_styles": {name: STYLES[name].web() for name in ("window", "half_life")},
        }
        super().__init__(config, gamma=gamma)

    def compute(self) -> dict[str, Any]:
        window, half = effective_window(self.gamma), half_life(self.gamma)
        return {
            "weights": leaky_weights(self.gamma, MAX_LAGS).tolist(),
            "window": None if math.isinf(window) else window,
            "half_life": None if math.isinf(half) else half,
        }
