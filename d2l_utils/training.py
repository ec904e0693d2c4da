"""The training loop every edition shares: when to evaluate, what to draw and print, divergence.

Each framework edition (:mod:`d2l_utils.mxnet`, :mod:`d2l_utils.torch`) supplies a
step (one minibatch's update) and an evaluation (the loss on all the data); this
module runs them the way the book's ``train_ch11`` does.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable
from typing import Any

from .divergence import LOSS_BOUND, DivergenceError, divergence_note
from .plotting import Animator, plt
from .timing import Timer

__all__ = ["EVAL_EVERY", "eval_points", "fit"]

#: Examples between two evaluations of the full training loss (one point of the curve).
EVAL_EVERY = 200
#: The loss range of the book's figures: the y axis shows at least this much.
LOSS_RANGE = (0.22, 0.35)


def eval_points(num_examples: int, batch_size: int, num_epochs: int) -> list[int]:
    """After which minibatches (counted from 1) the loss is evaluated.

    After the one at which the examples seen pass a multiple of ``EVAL_EVERY``, and
    after the last one if the total is not such a multiple. The browser's training
    explorer follows the same rule (``explorers/js/compute/training.js``).
    """
    sizes = [min(batch_size, num_examples - start) for start in range(0, num_examples, batch_size)]
    total = len(sizes) * num_epochs
    points, seen = [], 0
    for done, size in enumerate(sizes * num_epochs, start=1):
        before, seen = seen, seen + size
        if _evaluates(before, seen, done == total):
            points.append(done)
    return points


def _evaluates(before: int, seen: int, last: bool) -> bool:
    """Whether to evaluate after a minibatch that took the examples seen from before to seen."""
    return seen // EVAL_EVERY > before // EVAL_EVERY or (last and seen % EVAL_EVERY != 0)


def fit(
    step: Callable[[Any, Any], None],
    evaluate: Callable[[], float],
    epoch: Callable[[], Iterable[Any]],
    num_batches: int,
    num_epochs: int,
    show: bool = True,
    bulk: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
) -> tuple[list[float], list[float]]:
    """Train with ``step(X, y)`` per minibatch of ``epoch()`` (one epoch's ``num_batches``
    batches); plot, print and return the loss curve.

    ``evaluate()`` gives the loss on all the data, at the points of
    :func:`eval_points`; the timer counts the steps only, so the printed sec/epoch
    excludes evaluation and drawing. ``bulk()`` wraps each step (MXNet hands its
    operations to the engine in bulk). A loss that is not finite or exceeds
    ``LOSS_BOUND`` stops the run with ``DivergenceError``; a run that ends above
    its starting loss is reported as diverged. With ``show=False`` nothing is drawn
    or printed. Returns the cumulative training times and the losses, as the book's.
    """
    start_loss = evaluate()
    animator = (
        Animator(
            xlabel="epoch",
            ylabel="loss",
            xlim=[0, num_epochs],
            ylim=list(LOSS_RANGE),
            grow_ylim=True,
        )
        if show
        else None
    )
    curve: list[float] = []
    timer = Timer()
    seen = 0
    batches = (batch for _ in range(num_epochs) for batch in epoch())
    for done, (X, y) in enumerate(batches, start=1):
        with bulk():
            step(X, y)
        before, seen = seen, seen + len(X)
        if _evaluates(before, seen, done == num_batches * num_epochs):
            timer.stop()
            value = evaluate()
            if not (math.isfinite(value) and value <= LOSS_BOUND):
                if animator is not None:
                    plt.close(animator.fig)
                raise DivergenceError(
                    f"training diverged at epoch {done / num_batches:.2f}: the loss is "
                    f"{value:g}; lower the learning rate",
                    trajectory=curve,
                )
            curve.append(value)
            if animator is not None:
                animator.add(done / num_batches, (value,))
            timer.start()
    if animator is not None:
        animator.finish()
        note = divergence_note(start_loss, curve[-1])
        print(note or f"loss: {curve[-1]:.3f}, {timer.sum() / num_epochs:.3f} sec/epoch")
    return timer.cumsum(), curve
