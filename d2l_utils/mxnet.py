"""The MXNet edition: ``from d2l_utils import mxnet as d2l`` stands in for the book's
``from d2l import mxnet as d2l`` in its optimization chapter (and ``import d2l_utils as
d2l`` is this module too, for the section's own cells).

What depends on MXNet lives here: the framework aliases the chapter's code calls
(``d2l.arange``, ``d2l.numpy``, ...), MXNet's half of the framework interface of
:mod:`d2l_utils.editions` (whose shared functions this module publishes: the
from-scratch optimizers, the model, its data, ``train_ch11``), the concise training with
Gluon's optimizers and the lockstep run over them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as onp
from mxnet import autograd, engine, gluon, init, np, npx
from mxnet.base import MXNetError
from mxnet.gluon import nn
from numpy.typing import NDArray

from .editions import (
    BUILTIN_HYPERPARAMS,
    EPOCHS,
    START_B,
    START_W,
    Framework,
    aliases,
    book_functions,
    first_line,
    linreg_run,
    method,
    publish,
)
from .explorers.conventions import conventions_explorer
from .explorers.training import training_explorer
from .validation import Batches, InvalidValue, Text, validated

npx.set_np()

#: Operations MXNet's engine receives as one unit during a training step.
BULK_SIZE = 16


#: The framework aliases of the book's d2l.mxnet, which its chapter calls.
_ALIASES = aliases(
    np, tensor=np.array, matmul=np.dot, concat=np.concatenate, normal=np.random.normal,
    rand=np.random.rand, int32=onp.int32, float32=onp.float32, numpy=method("asnumpy"),
    size=lambda x: int(x.size), reshape=method("reshape"), to=method("as_in_context"),
    reduce_sum=method("sum"), reduce_mean=method("mean"), argmax=method("argmax"),
    astype=method("astype"), transpose=method("transpose"),
)  # fmt: skip


class MXNetFramework(Framework):
    """MXNet's numpy-compatible arrays and autograd, for the shared code."""

    name, label = "mxnet", "MXNet"
    array_type = np.ndarray
    array_name = "MXNet array (mxnet.np.ndarray)"
    errors = (MXNetError,)

    def from_numpy(self, array: NDArray[Any]) -> Any:
        return np.array(array, dtype="float32")

    def zeros(self, shape: tuple[int, ...]) -> Any:
        return np.zeros(shape)

    def normal(self, scale: float, shape: tuple[int, ...]) -> Any:
        return np.random.normal(scale=scale, size=shape)

    def param(self, array: Any) -> Any:
        array.attach_grad()
        return array

    def bulk(self) -> Any:
        # A step is a few dozen tiny operations: handed to the engine in bulk, not one by one.
        return engine.bulk(BULK_SIZE)

    def record(self) -> Any:
        return autograd.record()


_FRAMEWORK = MXNetFramework()
_BOOK = book_functions(_FRAMEWORK)


def _gluon_trainer(
    params: Any, optimizer: str, hyperparams: Mapping[str, Any], names: tuple[str, str]
) -> gluon.Trainer:
    """``gluon.Trainer(params, optimizer, hyperparams)``; its refusals become one ValueError."""
    try:
        return gluon.Trainer(params, optimizer, dict(hyperparams))
    except (ValueError, TypeError, AssertionError, KeyError, MXNetError) as error:
        raise InvalidValue(
            f"gluon.Trainer rejected {names[0]}={optimizer!r} with "
            f"{names[1]}={dict(hyperparams)}: {first_line(error)}"
        ) from None


class _Objective(nn.HybridBlock):  # type: ignore[misc]
    """``loss(net(X), y)`` as one hybridized block: a training step runs one compiled
    graph forward and back (two graphs, one per block, cost 15 % more per step)."""

    def __init__(self, net: nn.HybridBlock, loss: gluon.loss.Loss) -> None:
        super().__init__()
        self.net, self.loss = net, loss
        self.hybridize(static_alloc=True)

    def hybrid_forward(self, F: Any, X: Any, y: Any) -> Any:
        return self.loss(self.net(X), y)


@validated(
    trainer_name=Text(empty=False),
    hyperparams=BUILTIN_HYPERPARAMS,
    data_iter=Batches(),
    num_epochs=EPOCHS,
)
def train_concise_ch11(
    trainer_name: str,
    hyperparams: Mapping[str, Any],
    data_iter: Iterable[Any],
    num_epochs: int = 2,
) -> None:
    """Fit linear regression with Gluon's built-in optimizer ``trainer_name``.

    ``hyperparams`` go to ``gluon.Trainer`` as they are, e.g.
    ``{'learning_rate': 0.01, 'gamma1': 0.9}`` for ``'rmsprop'``. Prints the final loss
    and the time per epoch and, like the book's version, returns nothing.
    """
    net = nn.HybridSequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    loss = gluon.loss.L2Loss()
    objective = _Objective(net, loss)
    trainer = _gluon_trainer(
        net.collect_params(), trainer_name, hyperparams, ("trainer_name", "hyperparams")
    )

    def step(X: Any, y: Any) -> None:
        with autograd.record():
            batch_loss = objective(X, y)
        batch_loss.backward()
        trainer.step(X.shape[0])

    _BOOK["_train_builtin"](step, net, loss, data_iter, num_epochs)


_LinregRun, ScratchLinreg = linreg_run(_FRAMEWORK, _BOOK)


class GluonLinreg(_LinregRun):  # type: ignore[valid-type,misc]
    """The same model as a Gluon ``Dense(1)`` layer, updated by a built-in optimizer.

    Each step backpropagates the summed ``L2Loss`` and calls ``trainer.step(batch
    size)``, which rescales the gradient to that of the mean loss, as on the
    from-scratch side.
    """

    @validated(
        optimizer=Text(empty=False), optimizer_params=BUILTIN_HYPERPARAMS, w0=START_W, b0=START_B
    )
    def __init__(
        self, optimizer: str, optimizer_params: Mapping[str, Any], w0: Any, b0: Any
    ) -> None:
        self.net = nn.Dense(1, in_units=w0.shape[0])
        self.net.initialize()
        self.net.weight.set_data(np.array(w0.T, dtype="float32"))  # Dense keeps it as (1, d)
        self.net.bias.set_data(np.array(b0, dtype="float32"))
        self.trainer = _gluon_trainer(
            self.net.collect_params(),
            optimizer,
            optimizer_params,
            ("optimizer", "optimizer_params"),
        )
        self.loss = gluon.loss.L2Loss()
        self.features = w0.shape[0]

    def _update(self, X: Any, y: Any) -> None:
        with autograd.record():
            batch_loss = self.loss(self.net(X), y)
        batch_loss.backward()
        self.trainer.step(X.shape[0])

    def _predict(self, X: Any) -> Any:
        return self.net(X)

    def weights(self) -> tuple[Any, Any]:
        """The layer's current ``w`` (d, 1) and ``b``."""
        return self.net.weight.data().T, self.net.bias.data()


__all__ = publish(
    globals(),
    _ALIASES,
    _BOOK,
    {
        "train_concise_ch11": train_concise_ch11,
        #: The first edition's name, which the seed's cells call.
        "train_gluon_ch11": train_concise_ch11,
        "ScratchLinreg": ScratchLinreg,
        "GluonLinreg": GluonLinreg,
        "TrainingExplorer": training_explorer(sys.modules[__name__]),
        "ConventionsExplorer": conventions_explorer(sys.modules[__name__]),
    },
)
