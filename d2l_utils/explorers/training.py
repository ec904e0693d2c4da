"""The training explorer: the airfoil regression retrained with the reader's η and γ.

The computation is small (a linear model of five features, two epochs of 150
minibatches), so the kernel does what the browser does: RMSProp from the package's
rule on float64 NumPy arrays, from the weights and in the minibatch order that the
edition's ``train_ch11`` draws after the seed. It agrees with the framework's float32
training to float32's precision (tested), and with the page's JavaScript to the last
digits it shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as onp
import traitlets
from numpy.typing import NDArray

from .. import rules
from ..arrays import to_numpy
from ..data import ArrayLoader
from ..editions import half_squared_error
from ..plotting import STYLES
from ..section import SECTION_TRAINING
from ..seeding import set_seed
from ..training import EVAL_EVERY
from ..validation import InstanceOf, Integer, InvalidValue, Real, validated
from .base import GAMMA_GRID, Explorer, Grid, log_grid

__all__ = ["TRAINING_ETA_GRID", "format_loss", "train_numpy", "training_explorer"]

#: Learning rates of the training explorer: 10 per decade from 0.001 to 3.2.
TRAINING_ETA_GRID = [eta for eta in log_grid(-3, 1, 10) if eta <= 3.2]
FloatArray = NDArray[onp.float64]


def _js_exponent(text: str) -> str:
    """An exponent as JavaScript writes it: ``e+4``, not ``e+04``."""
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def format_loss(value: float) -> str:
    """A loss as the explorers print it (the browser's ``formatLoss`` writes the same)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return _js_exponent(f"{value:.3e}") if abs(value) >= 1e4 else f"{value:.4f}"


def _three_digits(value: float) -> str:
    """A ratio of at least 1 to three significant digits, as JavaScript's toPrecision(3)."""
    return _js_exponent(f"{value:#.3g}").rstrip(".")


@dataclass(frozen=True)
class Retraining:
    """What every run of the explorer starts from: the data, the starting weights, the
    minibatch order of each epoch and the batch size."""

    X: FloatArray
    y: FloatArray
    w0: FloatArray
    b0: float
    orders: list[list[int]]
    batch_size: int

    @property
    def per_epoch(self) -> int:
        """Minibatches per epoch."""
        return math.ceil(len(self.y) / self.batch_size)

    def minibatches(self) -> Iterator[tuple[FloatArray, FloatArray]]:
        """Every minibatch ``(X, y)`` of every epoch, in order."""
        for order in self.orders:
            X, y = self.X[order], self.y[order]
            for first in range(0, len(y), self.batch_size):
                yield X[first : first + self.batch_size], y[first : first + self.batch_size]

    def loss(self, w: FloatArray, b: float) -> float:
        """The book's loss on all the data."""
        return float(half_squared_error(self.X @ w + b, self.y).mean())

    def web(self) -> dict[str, Any]:
        """The run as the browser's computations take it."""
        data = {"X": self.X.tolist(), "y": self.y.tolist()}
        return {
            "data": data,
            "w0": self.w0.tolist(),
            "b0": self.b0,
            "orders": self.orders,
            "batch_size": self.batch_size,
        }


#: What the explorers that retrain take: the chapter's loader of minibatches.
LOADER = InstanceOf(ArrayLoader, "the iterator of d2l.get_data_ch11 or d2l.load_array")


def retraining(
    edition: Any, data_iter: ArrayLoader, feature_dim: int, seed: int, epochs: int = 2
) -> Retraining:
    """What ``edition``'s ``train_ch11`` starts from after ``seed``: its data, the weights it
    draws and the order of each epoch's minibatches."""
    X, y = data_iter.host
    if X.ndim != 2 or X.shape[1] != feature_dim:
        raise InvalidValue(
            f"feature_dim must be the number of columns of data_iter's X, {X.shape[1]}; "
            f"got {feature_dim}"
        )
    set_seed(seed)  # the weights, then the orders, as train_ch11 draws them
    w0, b0 = (to_numpy(v).astype(onp.float64).ravel() for v in edition.init_linreg(feature_dim))
    orders = [data_iter.epoch_order().tolist() for _ in range(epochs)]
    return Retraining(
        X.astype(onp.float64),
        y.astype(onp.float64),
        w0,
        float(b0[0]),
        orders,
        data_iter.batch_size,
    )


def train_numpy(run: Retraining, eta: float, gamma: float) -> dict[str, Any]:
    """RMSProp on the linear model, as the browser's ``compute.training`` does.

    Returns the loss on all the data at the evaluation points (the epochs at which it
    was taken, and the losses) and a divergence message, or None.
    """
    w, b = run.w0.copy(), run.b0
    s_w, s_b = onp.zeros_like(w), 0.0
    per_epoch, total = run.per_epoch, run.per_epoch * len(run.orders)
    epochs_at: list[float] = []
    curve: list[float] = []
    start_loss, seen, batches, failed = run.loss(w, b), 0, 0, None
    with onp.errstate(all="ignore"):
        for Xb, yb in run.minibatches():
            prediction = Xb @ w + b
            batches += 1
            batch_loss = float(half_squared_error(prediction, yb).mean())
            if not math.isfinite(batch_loss):
                failed = batch_loss
                break
            r, m = prediction - yb, len(yb)
            rules.rmsprop(w, Xb.T @ r / m, s_w, eta, gamma)
            b, s_b = rules.rmsprop(b, float(r.sum()) / m, s_b, eta, gamma)
            before, seen = seen, seen + m
            if seen // EVAL_EVERY > before // EVAL_EVERY or (
                batches == total and seen % EVAL_EVERY
            ):
                loss = run.loss(w, b)
                if not math.isfinite(loss):
                    failed = loss
                    break
                epochs_at.append(batches / per_epoch)
                curve.append(loss)
    diverged = None
    if failed is not None:
        diverged = (
            f"training diverged at epoch {batches / per_epoch:.2f}: the loss is "
            f"{format_loss(failed)}; lower the learning rate"
        )
    elif curve and curve[-1] > start_loss:
        diverged = (
            f"diverged: the loss ended at {format_loss(curve[-1])}, "
            f"{_three_digits(curve[-1] / start_loss)} times the starting loss "
            f"{format_loss(start_loss)}; lower the learning rate"
        )
    return {"epochs_at": epochs_at, "curve": curve, "diverged": diverged}


class TrainingExplorerBase(Explorer):
    """Retrain the airfoil regression with the reader's η and γ; the book's run for reference.

    ``data_iter`` and ``feature_dim`` are those of the chapter's ``train_ch11`` call, and
    ``seed`` the seed set before it (the book's run's, by default): every run starts from
    the weights and follows the minibatch order that ``train_ch11`` draws after it, so
    only η and γ differ, and the book's run is the one the chapter printed.
    """

    KIND = "training"
    eta = Grid(TRAINING_ETA_GRID, SECTION_TRAINING.lr).tag(sync=True, control=True)
    gamma = Grid(GAMMA_GRID, SECTION_TRAINING.gamma).tag(sync=True, control=True)
    epochs_at: traitlets.List[float] = traitlets.List().tag(sync=True)
    curve: traitlets.List[float] = traitlets.List().tag(sync=True)
    diverged = traitlets.Unicode(allow_none=True).tag(sync=True)
    #: The edition whose ``init_linreg`` draws the starting weights.
    edition: Any = None

    @validated(
        data_iter=LOADER,
        feature_dim=Integer(1, 10**6),
        eta=Real(TRAINING_ETA_GRID[0], TRAINING_ETA_GRID[-1]),
        gamma=Real(0, 1),
        seed=Integer(0, 2**32 - 1),
    )
    def __init__(
        self,
        data_iter: ArrayLoader,
        feature_dim: int,
        eta: float = SECTION_TRAINING.lr,
        gamma: float = SECTION_TRAINING.gamma,
        seed: int = SECTION_TRAINING.seed,
    ) -> None:
        self._run = retraining(self.edition, data_iter, feature_dim, seed)
        book: dict[str, Any] = {
            "eta": SECTION_TRAINING.lr,
            "gamma": SECTION_TRAINING.gamma,
            "seed": seed,
        }
        book |= train_numpy(self._run, book["eta"], book["gamma"])
        config = {
            "epochs": SECTION_TRAINING.num_epochs,
            "batch_size": data_iter.batch_size,
            "eval_every": EVAL_EVERY,
            "eps": rules.EPS,
            "book": book,
            "y_range": [0.2, max(0.6, 1.2 * max(book["curve"], default=1.0))],
            "color": STYLES["rmsprop"].color,
            "labels": {"x": "epoch", "y": "loss"},
        }
        super().__init__(config, eta=eta, gamma=gamma)

    def compute(self) -> dict[str, Any]:
        book = self.config["book"]
        if (self.eta, self.gamma) == (book["eta"], book["gamma"]):
            return {k: book[k] for k in ("epochs_at", "curve", "diverged")}
        return train_numpy(self._run, self.eta, self.gamma)

    def web_config(self) -> dict[str, Any]:
        """Everything the browser retrains from: the data, the start, the minibatch order."""
        return {**self.config, **self._run.web()}


def training_explorer(edition: Any) -> type[TrainingExplorerBase]:
    """The training explorer of ``edition`` (the module whose ``init_linreg`` it uses)."""
    return type(
        "TrainingExplorer",
        (TrainingExplorerBase,),
        {"edition": edition, "__module__": edition.__name__},
    )
