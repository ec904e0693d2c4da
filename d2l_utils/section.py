"""The section's experiments, as the book runs them: one home for their settings."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SECTION_2D", "SECTION_TRAINING", "Run2D", "Training"]


@dataclass(frozen=True)
class Run2D:
    """An optimizer's run on the 2D quadratic."""

    eta: float
    gamma: float
    steps: int
    start: tuple[float, float]


@dataclass(frozen=True)
class Training:
    """A training run on the airfoil regression."""

    lr: float
    gamma: float
    batch_size: int
    num_epochs: int
    seed: int


#: RMSProp on f(x) = 0.1 x1² + 2 x2²: 20 steps from (-5, -2); prints x1 -0.010599.
SECTION_2D = Run2D(eta=0.4, gamma=0.9, steps=20, start=(-5.0, -2.0))
#: RMSProp on the airfoil regression: two epochs of minibatches of 10. The seed is the
#: one the from-scratch chapter sets, under which the run ends at the book's 0.245.
SECTION_TRAINING = Training(lr=0.01, gamma=0.9, batch_size=10, num_epochs=2, seed=2)
