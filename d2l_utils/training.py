"""Linear regression on the airfoil data, trained by a from-scratch or a Gluon optimizer."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mxnet import autograd, engine, gluon, init, np, npx
from mxnet.base import MXNetError
from mxnet.gluon import nn

from .checks import (
    MAX_ELEMENTS,
    DivergenceError,
    check_callable,
    check_count,
    check_flag,
    check_hyperparams,
    check_minibatches,
    check_mx_data,
    check_text,
)
from .plotting import Animator, plt
from .timing import Timer

npx.set_np()

__all__ = [
    "divergence_note",
    "evaluate_loss",
    "linreg",
    "squared_loss",
    "train_ch11",
    "train_concise_ch11",
    "train_gluon_ch11",
]

#: Examples between two evaluations of the full training loss (one curve point).
EVAL_EVERY = 200
#: Operations MXNet's engine receives as one unit during a training step (see ``_fit``).
BULK_SIZE = 16
#: A training loss above this (or not finite) counts as a diverged run.
LOSS_BOUND = 1e6
#: The most epochs one call trains for (about a quarter of an hour on the airfoil data).
MAX_EPOCHS = 10_000


def linreg(X: Any, w: Any, b: Any) -> Any:
    """The linear model ``X w + b``, for float32 MXNet arrays ``X`` (n, d), ``w`` (d, 1), ``b``."""
    for name, value in (("X", X), ("w", w), ("b", b)):
        check_mx_data(name, value)
    if X.ndim != 2 or w.ndim != 2:
        raise ValueError(
            f"linreg: X must have shape (examples, features) and w (features, 1), got {X.shape} "
            f"and {w.shape}"
        )
    if X.shape[1] != w.shape[0]:
        raise ValueError(
            f"linreg: X has {X.shape[1]} features per row but w has {w.shape[0]} rows; "
            "they must match"
        )
    if b.size != 1:
        raise ValueError(f"linreg: b must hold one bias value, got shape {b.shape}")
    return linreg_unchecked(X, w, b)


def linreg_unchecked(X: Any, w: Any, b: Any) -> Any:
    """:func:`linreg` without the checks, for the training loops' checked data."""
    return np.dot(X, w) + b


def squared_loss(y_hat: Any, y: Any) -> Any:
    """Half the squared error per example, ``(y_hat - y)**2 / 2``."""
    check_mx_data("y_hat", y_hat)
    check_mx_data("y", y)
    if y_hat.size != y.size:
        raise ValueError(
            f"squared_loss: y_hat has {y_hat.size} values but y has {y.size}; "
            "pass one prediction per label"
        )
    return squared_loss_unchecked(y_hat, y)


def squared_loss_unchecked(y_hat: Any, y: Any) -> Any:
    """:func:`squared_loss` without the checks, for the training loops."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def evaluate_loss(
    net: Callable[[Any], Any], data_iter: Iterable[Any], loss: Callable[[Any, Any], Any]
) -> float:
    """Mean of ``loss(net(X), y)`` over every example of ``data_iter``.

    An iterator from ``load_array`` exposes its full arrays, so the loss is
    computed in one pass instead of one small call per minibatch.
    """
    check_callable("net", net, "X -> predictions")
    check_callable("loss", loss, "(y_hat, y) -> losses")
    batches = check_minibatches(data_iter)
    arrays = getattr(data_iter, "arrays", None)
    if arrays is not None:
        return float(_losses(net, loss, *arrays).mean())
    total, count = 0.0, 0
    for X, y in batches:
        values = _losses(net, loss, X, y)
        total += float(values.sum())
        count += values.size
    return total / count


def _losses(net: Callable[[Any], Any], loss: Callable[[Any, Any], Any], X: Any, y: Any) -> Any:
    """``loss(net(X), y)``, with one clear error when ``net`` or ``loss`` cannot take the data."""
    try:
        predictions = net(X)
    except (ValueError, TypeError, MXNetError) as error:
        kind = TypeError if isinstance(error, TypeError) else ValueError
        raise kind(
            f"net cannot predict data_iter's X of shape {X.shape}: {_first_line(error)}"
        ) from None
    if not isinstance(predictions, np.ndarray):
        raise TypeError(f"net must return an MXNet array, got {type(predictions).__name__}")
    values = loss(predictions, y)
    if not isinstance(values, np.ndarray):
        raise TypeError(f"loss must return an MXNet array, got {type(values).__name__}")
    return values


def _first_line(error: BaseException) -> str:
    """The first line of an error's message (MXNet's carry a C++ stack trace)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _fit(
    step: Callable[[Any, Any], None],
    net: Callable[[Any], Any],
    loss: Callable[[Any, Any], Any],
    data_iter: Any,
    num_epochs: int,
    show: bool = True,
    features: int | None = None,
) -> tuple[list[float], list[float]]:
    """Train with ``step(X, y)`` per minibatch; plot and return the loss curve.

    The full training loss is evaluated after every ``EVAL_EVERY`` examples and at
    the end, one (time, loss) pair per point. The timer counts training only, so
    the printed sec/epoch excludes evaluation and drawing. A loss that is not
    finite or exceeds ``LOSS_BOUND`` stops the run with ``DivergenceError``; a run
    that ends above the loss of its starting weights is reported as diverged
    (see :func:`divergence_note`). With ``show=False`` no figure is made and
    nothing is printed.
    """
    num_batches = len(data_iter)
    start_loss = evaluate_loss(net, data_iter, loss)
    animator = (
        Animator(
            xlabel="epoch", ylabel="loss", xlim=[0, num_epochs], ylim=[0.22, 0.35], grow_ylim=True
        )
        if show
        else None
    )
    curve: list[float] = []
    timer = Timer()

    def record(epoch: float) -> None:
        timer.stop()
        value = evaluate_loss(net, data_iter, loss)
        if not (math.isfinite(value) and value <= LOSS_BOUND):
            if animator is not None:
                plt.close(animator.fig)  # no figure of a diverged run beyond what was live
            raise DivergenceError(
                f"training diverged at epoch {epoch:.2f}: the loss is {value:g}; "
                "lower the learning rate",
                trajectory=curve,
            )
        curve.append(value)
        if animator is not None:
            animator.add(epoch, (value,))
        timer.start()

    seen, done = 0, 0
    for _ in range(num_epochs):
        for X, y in check_minibatches(data_iter, features, sized=True):
            # A step is a few dozen tiny operations; handing them to the engine in
            # bulk rather than one by one saves about a tenth of the step's time.
            with engine.bulk(BULK_SIZE):
                step(X, y)
            done += 1
            before, seen = seen, seen + X.shape[0]
            if seen // EVAL_EVERY > before // EVAL_EVERY:
                record(done / num_batches)
    if seen % EVAL_EVERY:  # the last minibatches fell between two evaluation points
        record(done / num_batches)
    if animator is not None:
        animator.finish()
        note = divergence_note(start_loss, curve[-1])
        print(note or f"loss: {curve[-1]:.3f}, {timer.sum() / num_epochs:.3f} sec/epoch")
    return timer.cumsum(), curve


def divergence_note(start_loss: float, final_loss: float) -> str | None:
    """One line if a run ended above the loss of its starting weights, else None.

    The rule: training that leaves the model worse than where it started has failed,
    whatever the scale of the problem (the airfoil data starts near 0.5, a good run
    ends near 0.245). A run whose loss becomes infinite stops earlier, with
    ``DivergenceError``.
    """
    if final_loss <= start_loss:
        return None
    return (
        f"diverged: the loss ended at {final_loss:.4g}, {final_loss / start_loss:.3g} times "
        f"the starting loss {start_loss:.3f}; lower the learning rate"
    )


def train_ch11(
    trainer_fn: Callable[[list[Any], Any, Mapping[str, Any]], None],
    states: Any,
    hyperparams: Mapping[str, Any],
    data_iter: Iterable[Any],
    feature_dim: int,
    num_epochs: int = 2,
    *,
    show: bool = True,
) -> tuple[list[float], list[float]]:
    """Fit linear regression with the from-scratch optimizer ``trainer_fn``.

    ``trainer_fn(params, states, hyperparams)`` updates ``params = [w, b]`` in
    place from their gradients of the minibatch's mean loss. Prints the final
    loss and the training time per epoch (unless ``show`` is false, which also
    skips the live plot); returns the cumulative times and the loss curve.
    """
    check_callable("trainer_fn", trainer_fn, "(params, states, hyperparams) -> None")
    hyperparams = check_hyperparams(hyperparams)
    feature_dim = check_count("feature_dim", feature_dim, maximum=MAX_ELEMENTS)
    num_epochs = check_count("num_epochs", num_epochs, maximum=MAX_EPOCHS)
    show = check_flag("show", show)
    check_minibatches(data_iter, feature_dim, sized=True)
    w = np.random.normal(scale=0.01, size=(feature_dim, 1))
    b = np.zeros(1)
    w.attach_grad()
    b.attach_grad()

    def net(X: Any) -> Any:
        return linreg_unchecked(X, w, b)

    def step(X: Any, y: Any) -> None:
        with autograd.record():
            batch_loss = squared_loss_unchecked(net(X), y).mean()
        batch_loss.backward()
        trainer_fn([w, b], states, hyperparams)

    return _fit(step, net, squared_loss_unchecked, data_iter, num_epochs, show, feature_dim)


def gluon_trainer(
    params: Any, optimizer: Any, hyperparams: Mapping[str, Any], names: tuple[str, str]
) -> gluon.Trainer:
    """``gluon.Trainer(params, optimizer, hyperparams)``, whose refusals become one ValueError.

    ``names`` are the caller's names for the optimizer and its hyperparameters.
    """
    check_text(names[0], optimizer)
    hyperparams = check_hyperparams(hyperparams, names[1])
    try:
        return gluon.Trainer(params, optimizer, hyperparams)
    except (ValueError, TypeError, AssertionError, KeyError, MXNetError) as error:
        raise ValueError(
            f"gluon.Trainer rejected {names[0]}={optimizer!r} with {names[1]}={hyperparams}: "
            f"{_first_line(error)}"
        ) from None


def train_gluon_ch11(
    trainer_name: str,
    hyperparams: Mapping[str, Any],
    data_iter: Iterable[Any],
    num_epochs: int = 2,
) -> None:
    """Fit linear regression with Gluon's built-in optimizer ``trainer_name``.

    ``hyperparams`` go to ``gluon.Trainer`` as they are, e.g.
    ``{'learning_rate': 0.01, 'gamma1': 0.9}`` for ``'rmsprop'``. Prints the final
    loss and the training time per epoch and, like the book's version, returns
    nothing (so a notebook cell shows only the printed line and the curve).
    """
    num_epochs = check_count("num_epochs", num_epochs, maximum=MAX_EPOCHS)
    check_minibatches(data_iter, sized=True)
    net = nn.HybridSequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    loss = gluon.loss.L2Loss()
    # One compiled graph per call, with its memory planned once, instead of one
    # Python dispatch per operation: the same arithmetic in about 60 % of the time.
    net.hybridize(static_alloc=True)
    loss.hybridize(static_alloc=True)
    trainer = gluon_trainer(
        net.collect_params(), trainer_name, hyperparams, ("trainer_name", "hyperparams")
    )

    def step(X: Any, y: Any) -> None:
        with autograd.record():
            batch_loss = loss(net(X), y)
        batch_loss.backward()
        trainer.step(X.shape[0])

    _fit(step, net, loss, data_iter, num_epochs)


#: The name later editions of the book use for :func:`train_gluon_ch11`.
train_concise_ch11 = train_gluon_ch11
