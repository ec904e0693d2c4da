"""The conventions explorer: one epoch of the section's training under each framework's RMSProp.

The same data, starting weights and minibatch order (those ``train_ch11`` draws after the
seed) and the section's learning rate of 0.01, under d2l's from-scratch rule (ε = 10⁻⁶
inside the root) and the built-in optimizers' defaults: Gluon's, PyTorch's (α = 0.99,
ε = 10⁻⁸ outside the root), Keras's and Optax's, as the frameworks page's table gives
them; and a run of the reader's own, with ε placed and sized by the controls. Each run is
compared step by step with d2l's: the largest gap in the parameters after each step.
"""

from __future__ import annotations

from typing import Any

import numpy as onp
import traitlets

from ..optimizers import OPTIMIZERS
from ..palette import PALETTE, Style
from ..section import SECTION_TRAINING
from ..validation import Integer, OneOf, Real, validated
from .base import Choice, Explorer, Grid, log_grid
from .training import LOADER, Retraining, retraining

__all__ = [
    "CONVENTIONS",
    "ConventionsBase",
    "convention_run",
    "convention_runs",
    "conventions_explorer",
]

#: Each framework's RMSProp as it comes (its decay, its ε and where ε goes), at the section's
#: learning rate. The versions are those of the frameworks page's table, which reads them.
CONVENTIONS: dict[str, dict[str, Any]] = {
    "d2l": {"label": "d2l's from-scratch rule", "gamma": 0.9, "eps": 1e-6, "place": "inside"},
    "gluon": {"label": "MXNet Gluon's defaults", "gamma": 0.9, "eps": 1e-8, "place": "inside"},
    "pytorch": {"label": "PyTorch's defaults", "gamma": 0.99, "eps": 1e-8, "place": "outside"},
    "keras": {"label": "Keras's defaults", "gamma": 0.9, "eps": 1e-7, "place": "inside"},
    "optax": {"label": "Optax's defaults", "gamma": 0.9, "eps": 1e-8, "place": "inside"},
}
#: ε of the reader's run: 10 per decade from 10⁻¹⁰ to 1.
EPS_GRID = log_grid(-10, 0, 10)
PLACES = {"inside": "rmsprop", "outside": "rmsprop_outside"}
#: The full-data loss is taken every this many steps.
LOSS_EVERY = 10


def convention_run(
    run: Retraining, lr: float, convention: dict[str, Any]
) -> tuple[Any, list[float]]:
    """One epoch under ``convention``: the parameters after each step (a row each), and the
    loss on all the data at the start and every ``LOSS_EVERY`` steps."""
    rule = OPTIMIZERS[PLACES[convention["place"]]].rule
    gamma, eps = convention["gamma"], convention["eps"]
    w, b = run.w0.copy(), run.b0
    s_w, s_b = onp.zeros_like(w), 0.0
    trace, losses = [], [run.loss(w, b)]
    with onp.errstate(all="ignore"):
        for step, (Xb, yb) in enumerate(run.minibatches(), start=1):
            r, m = Xb @ w + b - yb, len(yb)
            rule(w, Xb.T @ r / m, s_w, lr, gamma, eps)
            b, s_b = rule(b, float(r.sum()) / m, s_b, lr, gamma, eps)
            trace.append(onp.append(w, b))
            if step % LOSS_EVERY == 0:
                losses.append(run.loss(w, b))
    return onp.array(trace), losses


def convention_runs(runs: dict[str, tuple[Any, list[float]]]) -> dict[str, Any]:
    """The runs' gaps to the first one's parameters after each step, and their losses."""
    reference = next(iter(runs.values()))[0]
    return {
        "gaps": {
            name: onp.abs(trace - reference).max(axis=1).tolist()
            for name, (trace, _) in runs.items()
        },
        "losses": {name: losses for name, (_, losses) in runs.items()},
    }


class ConventionsBase(Explorer):
    """The frameworks' RMSProp conventions on one epoch of the section's training."""

    KIND = "conventions"
    place = Choice(list(PLACES), "inside").tag(sync=True, control=True)
    eps = Grid(EPS_GRID, 1e-6).tag(sync=True, control=True)
    gaps = traitlets.Dict().tag(sync=True)
    losses = traitlets.Dict().tag(sync=True)
    #: The edition whose ``init_linreg`` draws the starting weights.
    edition: Any = None

    @validated(
        data_iter=LOADER,
        feature_dim=Integer(1, 10**6),
        place=OneOf(*PLACES),
        eps=Real(EPS_GRID[0], EPS_GRID[-1]),
        seed=Integer(0, 2**32 - 1),
    )
    def __init__(
        self,
        data_iter: Any,
        feature_dim: int,
        place: str = "inside",
        eps: float = 1e-6,
        seed: int = 0,
    ) -> None:
        self._run = retraining(self.edition, data_iter, feature_dim, seed, epochs=1)
        lr = SECTION_TRAINING.lr
        self._frameworks = {
            name: convention_run(self._run, lr, c) for name, c in CONVENTIONS.items()
        }
        config = {
            "lr": SECTION_TRAINING.lr,
            "conventions": CONVENTIONS,
            "yours": {"label": "your run", "gamma": 0.9},
            "loss_every": LOSS_EVERY,
            "places": PLACES,
            "styles": {
                name: Style(PALETTE[i], dash).web()
                for i, (name, dash) in enumerate(
                    [
                        ("d2l", ()),
                        ("gluon", (4, 2)),
                        ("pytorch", (1, 2)),
                        ("keras", (6, 2)),
                        ("optax", (2, 2)),
                        ("yours", (5, 1, 1, 1)),
                    ]
                )
            },
        }
        super().__init__(config, place=place, eps=eps)

    def compute(self) -> dict[str, Any]:
        yours = {"gamma": 0.9, "eps": self.eps, "place": self.place}
        mine = convention_run(self._run, SECTION_TRAINING.lr, yours)
        return convention_runs({**self._frameworks, "yours": mine})

    def web_config(self) -> dict[str, Any]:
        """Everything the browser trains from: the data, the start, the minibatch order."""
        return {**self.config, **self._run.web()}


def conventions_explorer(edition: Any) -> type[ConventionsBase]:
    """The conventions explorer of ``edition`` (the module whose ``init_linreg`` it uses)."""
    return type(
        "ConventionsExplorer",
        (ConventionsBase,),
        {"edition": edition, "__module__": edition.__name__},
    )
