"""Two optimizers run side by side on the same minibatches, compared step by step.

Each side is the airfoil linear regression started from the same parameters:
:class:`ScratchLinreg` updates them with a from-scratch optimizer such as
``d2l.rmsprop``, :class:`GluonLinreg` with a built-in optimizer through
``gluon.Trainer``. :func:`lockstep_gaps` feeds both the same batches and records
how far apart their parameters are after every step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as onp
from mxnet import autograd, gluon, np, npx
from mxnet.gluon import nn
from numpy.typing import NDArray

from .checks import (
    FLOAT32_MAX,
    DivergenceError,
    FloatArray,
    check_batch,
    check_callable,
    check_count,
    check_hyperparams,
    check_minibatches,
    check_mx_data,
    check_real_array,
)
from .training import gluon_trainer, linreg_unchecked, squared_loss_unchecked

npx.set_np()

__all__ = ["GluonLinreg", "LinregRun", "ScratchLinreg", "lockstep_gaps"]

#: The most steps one comparison takes.
MAX_STEPS = 10**6


@runtime_checkable
class LinregRun(Protocol):
    """One side of a lockstep comparison."""

    def step(self, X: Any, y: Any) -> None:
        """Take one optimizer step on the minibatch ``(X, y)``."""

    def predict(self, X: Any) -> Any:
        """The model's current predictions for the rows of ``X``."""

    def params(self) -> FloatArray:
        """All parameters, weights then bias, as one flat float64 NumPy vector."""


def _initial_params(w0: Any, b0: Any) -> tuple[NDArray[onp.float32], NDArray[onp.float32]]:
    """Host copies of the starting weights ``(d, 1)`` and bias ``(1,)``, checked."""
    w = check_real_array("w0", w0, bound=FLOAT32_MAX).astype(onp.float32)
    b = check_real_array("b0", b0, bound=FLOAT32_MAX).astype(onp.float32)
    if w.ndim != 2 or w.shape[1] != 1 or w.shape[0] < 1:
        raise ValueError(f"w0 must be a column of shape (feature_dim, 1), got shape {w.shape}")
    if b.size != 1:
        raise ValueError(f"b0 must hold a single bias value, got shape {b.shape}")
    return w, b.reshape(1)


def _check_features(X: Any, features: int) -> None:
    check_mx_data("X", X)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] != features:
        raise ValueError(
            f"X must have shape (examples, {features}) with at least one example, got {X.shape}"
        )


def _flat(w: Any, b: Any) -> FloatArray:
    flat: FloatArray = onp.concatenate([w.asnumpy().ravel(), b.asnumpy().ravel()])
    return flat.astype(onp.float64)


class ScratchLinreg:
    """Linear regression ``X w + b`` trained by a from-scratch optimizer.

    ``trainer_fn(params, states, hyperparams)`` updates ``[w, b]`` in place from
    the gradients of the minibatch's mean squared loss, as in ``d2l.train_ch11``.
    """

    def __init__(
        self,
        trainer_fn: Callable[[list[Any], Any, Mapping[str, Any]], None],
        states: Any,
        hyperparams: Mapping[str, Any],
        w0: Any,
        b0: Any,
    ) -> None:
        check_callable("trainer_fn", trainer_fn, "(params, states, hyperparams) -> None")
        self.trainer_fn = trainer_fn
        self.states = states
        self.hyperparams = check_hyperparams(hyperparams)
        w, b = _initial_params(w0, b0)
        self.w, self.b = np.array(w), np.array(b)
        self.w.attach_grad()
        self.b.attach_grad()

    def step(self, X: Any, y: Any) -> None:
        """One update from the minibatch's mean loss."""
        check_batch(X, y, self.w.shape[0])
        with autograd.record():
            batch_loss = squared_loss_unchecked(linreg_unchecked(X, self.w, self.b), y).mean()
        batch_loss.backward()
        self.trainer_fn([self.w, self.b], self.states, self.hyperparams)

    def predict(self, X: Any) -> Any:
        """``X w + b`` with the current parameters."""
        _check_features(X, self.w.shape[0])
        return linreg_unchecked(X, self.w, self.b)

    def params(self) -> FloatArray:
        """Weights then bias, flat, as float64."""
        return _flat(self.w, self.b)


class GluonLinreg:
    """The same model as a Gluon ``Dense(1)`` layer, trained by a built-in optimizer.

    ``optimizer`` and ``optimizer_params`` go to ``gluon.Trainer`` as they are,
    e.g. ``'rmsprop'`` and ``{'learning_rate': 0.01, 'gamma1': 0.9, 'epsilon': 1e-6}``.
    Each step backpropagates the summed per-example ``L2Loss`` and calls
    ``trainer.step(batch_size)``, which divides the gradient by the batch size: the
    optimizer sees the gradient of the mean loss, as the from-scratch side does.
    """

    def __init__(
        self, optimizer: str, optimizer_params: Mapping[str, Any], w0: Any, b0: Any
    ) -> None:
        w, b = _initial_params(w0, b0)
        self.features = w.shape[0]
        self.net = nn.Dense(1, in_units=self.features)
        self.net.initialize()
        self.net.weight.set_data(np.array(w.T))  # Dense stores the weight as (1, d)
        self.net.bias.set_data(np.array(b))
        self.trainer = gluon_trainer(
            self.net.collect_params(),
            optimizer,
            optimizer_params,
            ("optimizer", "optimizer_params"),
        )
        self.loss = gluon.loss.L2Loss()

    def step(self, X: Any, y: Any) -> None:
        """One update from the minibatch's summed loss, rescaled by its size."""
        check_batch(X, y, self.features)
        with autograd.record():
            batch_loss = self.loss(self.net(X), y)
        batch_loss.backward()
        self.trainer.step(X.shape[0])

    def predict(self, X: Any) -> Any:
        """The layer's output, ``X w + b``, with the current parameters."""
        _check_features(X, self.features)
        return self.net(X)

    def params(self) -> FloatArray:
        """Weights then bias, flat, as float64."""
        return _flat(self.net.weight.data(), self.net.bias.data())


def lockstep_gaps(
    run_a: LinregRun, run_b: LinregRun, data_iter: Iterable[Any], num_steps: int
) -> FloatArray:
    """Step both runs on the same minibatches; return the gap after every step.

    The gap is the largest absolute difference between the two parameter
    vectors. ``data_iter`` is read once per epoch, each batch going to both
    runs, for as many epochs as ``num_steps`` needs. The runs must start from
    the same parameters; a run whose parameters stop being finite raises
    ``DivergenceError``.
    """
    for name, run in (("run_a", run_a), ("run_b", run_b)):
        if not isinstance(run, LinregRun):
            raise TypeError(
                f"{name} must be a run with step, predict and params methods, such as "
                f"d2l.ScratchLinreg or d2l.GluonLinreg; got {type(run).__name__}"
            )
    num_steps = check_count("num_steps", num_steps, maximum=MAX_STEPS)
    a, b = run_a.params(), run_b.params()
    if a.shape != b.shape:
        raise ValueError(
            f"run_a has {a.size} parameters but run_b has {b.size}; build both from the "
            "same w0 and b0"
        )
    start = onp.abs(a - b).max()
    if start != 0.0:
        raise ValueError(f"the two runs start {start:g} apart; build both from the same w0 and b0")
    features = a.size - 1  # the parameters are w, one weight per feature, then b
    check_minibatches(data_iter, features)
    gaps: list[float] = []
    while len(gaps) < num_steps:
        for X, y in check_minibatches(data_iter, features):
            run_a.step(X, y)
            run_b.step(X, y)
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
    return onp.array(gaps)
