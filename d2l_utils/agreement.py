"""Two optimizers stepped side by side on the same minibatches, compared step by step.

A run is anything with ``step(X, y)``, ``predict(X)`` and ``params()`` (all its
parameters as one flat float64 NumPy vector): the editions define the linear
regression runs (``ScratchLinreg``, ``GluonLinreg``, ``TorchLinreg``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

import numpy as onp
from numpy.typing import NDArray

from .divergence import DivergenceError
from .validation import (
    Batches,
    InstanceOf,
    Integer,
    InvalidType,
    InvalidValue,
    describe,
    validated,
)

__all__ = ["LinregRun", "lockstep_gaps"]


@runtime_checkable
class LinregRun(Protocol):
    """One side of a lockstep comparison."""

    def step(self, X: Any, y: Any) -> None:
        """Take one optimizer step on the minibatch ``(X, y)``."""

    def predict(self, X: Any) -> Any:
        """The model's current predictions for the rows of ``X``."""

    def params(self) -> NDArray[onp.float64]:
        """All parameters, weights then bias, as one flat float64 NumPy vector."""


RUN = InstanceOf(LinregRun, "a run with step, predict and params, such as d2l.ScratchLinreg")


@validated(run_a=RUN, run_b=RUN, data_iter=Batches(), num_steps=Integer(1, 10**5))
def lockstep_gaps(
    run_a: LinregRun, run_b: LinregRun, data_iter: Iterable[Any], num_steps: int
) -> NDArray[onp.float64]:
    """Step both runs on the same minibatches; return their largest parameter gap after each.

    ``data_iter`` is read once per epoch, each batch going to both runs, for as many
    epochs as ``num_steps`` needs. The runs must start from the same parameters; a
    run whose parameters stop being finite raises ``DivergenceError``.
    """
    a, b = run_a.params(), run_b.params()
    gap = onp.abs(a - b).max() if a.shape == b.shape else onp.inf
    if gap != 0.0:
        raise InvalidValue(
            f"run_a and run_b must start from the same parameters (the same w0 and b0); they "
            f"start {gap:g} apart"
        )
    gaps: list[float] = []
    while len(gaps) < num_steps:
        before = len(gaps)
        for batch in data_iter:
            if not isinstance(batch, tuple | list) or len(batch) != 2:
                raise InvalidType(f"data_iter must yield (X, y) pairs, got {describe(batch)}")
            try:
                run_a.step(*batch)
                run_b.step(*batch)
            except (TypeError, ValueError) as error:
                kind = InvalidType if isinstance(error, TypeError) else InvalidValue
                raise kind(f"data_iter yields a batch the runs cannot take: {error}") from None
            a, b = run_a.params(), run_b.params()
            for name, values in (("run_a", a), ("run_b", b)):
                if not onp.isfinite(values).all():
                    raise DivergenceError(
                        f"{name} diverged at step {len(gaps) + 1}: its parameters are not "
                        "finite; lower the learning rate",
                        trajectory=gaps,
                    )
            gaps.append(float(onp.abs(a - b).max()))
            if len(gaps) == num_steps:
                break
        if len(gaps) == before:
            raise InvalidValue(
                "data_iter yielded no minibatch: it must yield its batches again every epoch "
                "(a list, or d2l.load_array's iterator; not a generator)"
            )
    return onp.array(gaps)
