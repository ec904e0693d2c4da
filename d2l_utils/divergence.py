"""When a run has diverged, and the error that says so."""

from __future__ import annotations

from typing import Any

__all__ = ["DIVERGENCE_BOUND", "LOSS_BOUND", "DivergenceError", "divergence_note"]

#: A 2D point farther than this from the origin (or not finite) ends the run.
DIVERGENCE_BOUND = 1e6
#: A training loss above this (or not finite) ends the run.
LOSS_BOUND = 1e6


class DivergenceError(RuntimeError):
    """An optimization run left the finite, bounded region; the message says where.

    ``trajectory`` holds what the run produced before (a 2D run's points, a
    training run's loss curve), so it can still be plotted.
    """

    def __init__(self, message: str, trajectory: list[Any] | None = None) -> None:
        super().__init__(message)
        self.trajectory = list(trajectory or [])


def divergence_note(start_loss: float, final_loss: float, name: str = "loss") -> str | None:
    """One line if a run ended above where it started (``name``: its objective), else None.

    The rule: training that leaves the model worse than where it started has failed,
    whatever the scale of the problem (the airfoil regression starts near 0.5 and a
    good run ends near 0.245; with RMSProp, lr = 3 ends near 1.2 and lr = 10 near 15).
    A loss that becomes infinite stops the run earlier, with ``DivergenceError``.
    """
    if final_loss <= start_loss:
        return None
    times = f"{final_loss / start_loss:.3g} times" if start_loss > 0 else "above"
    return (
        f"diverged: the {name} ended at {final_loss:.4g}, {times} the starting {name} "
        f"{start_loss:.3f}; lower the learning rate"
    )
