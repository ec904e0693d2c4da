"""The book's explorers, each one definition shown in two places (see :mod:`.base`)."""

from __future__ import annotations

from .base import ETA_GRID, GAMMA_GRID, MARKER_CLASS, Explorer, script_files
from .map import MapExplorer
from .rotation import RotationExplorer
from .state import StateExplorer
from .training import TRAINING_ETA_GRID
from .trajectory import TrajectoryExplorer
from .weights import WeightsExplorer

__all__ = [
    "ETA_GRID",
    "GAMMA_GRID",
    "MARKER_CLASS",
    "TRAINING_ETA_GRID",
    "Explorer",
    "MapExplorer",
    "RotationExplorer",
    "StateExplorer",
    "TrajectoryExplorer",
    "WeightsExplorer",
    "script_files",
]
