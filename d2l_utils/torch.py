"""The PyTorch edition: ``from d2l_utils import torch as d2l`` stands in for the book's
``from d2l import torch as d2l`` in its optimization chapter.

The same names as the MXNet edition (:mod:`d2l_utils.mxnet`): the shared functions of
:class:`d2l_utils.editions.Edition` over PyTorch tensors, the framework aliases, and
the concise training with a ``torch.optim`` optimizer. MXNet is not imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import torch
from numpy.typing import NDArray
from torch import nn

from .editions import (
    BOOK_HYPERPARAMS,
    START_B,
    START_W,
    Edition,
    Framework,
    common_names,
    exports,
    first_line,
)
from .editions import ScratchLinreg as _ScratchLinreg
from .explorers import TrainingExplorer as _TrainingExplorer
from .validation import Batches, Function, Integer, OfSelf, validated


def _numpy(x: Any, *args: Any, **kwargs: Any) -> Any:
    return x.detach().cpu().numpy(*args, **kwargs)


def _size(x: Any) -> int:
    return int(x.numel())


def _method(name: str) -> Callable[..., Any]:
    """The alias ``f(x, ...)`` for the tensor method ``x.name(...)``."""
    return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


#: The framework aliases of the book's d2l.torch, which its chapter calls.
_ALIASES: dict[str, Any] = {
    **{name: getattr(torch, name) for name in ("ones", "zeros", "arange", "meshgrid", "sin")},
    **{name: getattr(torch, name) for name in ("sinh", "cos", "cosh", "tanh", "linspace")},
    **{name: getattr(torch, name) for name in ("exp", "log", "stack", "abs", "eye", "matmul")},
    "tensor": torch.tensor, "normal": torch.normal, "rand": torch.rand, "concat": torch.cat,
    "int32": torch.int32, "float32": torch.float32,
    "numpy": _numpy, "size": _size, "reshape": _method("reshape"), "to": _method("to"),
    "reduce_sum": _method("sum"), "reduce_mean": _method("mean"), "argmax": _method("argmax"),
    "astype": _method("type"), "transpose": _method("t"),
}  # fmt: skip
globals().update(_ALIASES)


class TorchFramework(Framework):
    """PyTorch tensors and autograd, for the shared code."""

    array_type = torch.Tensor
    array_name = "PyTorch tensor (torch.Tensor)"
    errors = (RuntimeError,)

    def from_numpy(self, array: NDArray[Any]) -> Any:
        return torch.tensor(array, dtype=torch.float32)

    def to_numpy(self, array: Any) -> NDArray[Any]:
        return array.detach().cpu().numpy()  # type: ignore[no-any-return]

    def zeros(self, shape: tuple[int, ...]) -> Any:
        return torch.zeros(shape)

    def normal(self, scale: float, shape: tuple[int, ...]) -> Any:
        return torch.normal(0.0, scale, size=shape)

    def is_float32(self, array: Any) -> bool:
        return bool(array.dtype == torch.float32)

    def with_grad(self, array: Any) -> Any:
        return array.requires_grad_(True)

    def grad(self, array: Any) -> Any:
        return array.grad

    def no_grad(self) -> Any:
        return torch.no_grad()

    def zero_grad(self, params: Any) -> None:
        # PyTorch adds each backward pass to the gradients; the book's optimizers reset them.
        for p in params:
            if p.grad is not None:
                p.grad.zero_()


_EDITION = Edition(TorchFramework())
globals().update(common_names())
globals().update(exports(_EDITION))


def _optimizer(
    make: Callable[..., Any], params: Any, hyperparams: Mapping[str, Any], name: str
) -> Any:
    """``make(params, **hyperparams)``; a refusal becomes one ValueError naming ``name``."""
    try:
        return make(params, **hyperparams)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"{name} rejected the hyperparameters {dict(hyperparams)}: {first_line(error)}"
        ) from None


def _linear(w0: NDArray[Any], b0: NDArray[Any]) -> nn.Linear:
    """``nn.Linear`` from ``w0`` (d, 1) and ``b0``."""
    net = nn.Linear(w0.shape[0], 1)
    with torch.no_grad():
        net.weight.copy_(torch.tensor(w0.T, dtype=torch.float32))
        net.bias.copy_(torch.tensor(b0, dtype=torch.float32))
    return net


@validated(
    trainer_fn=Function("(params, **hyperparams) -> optimizer, such as torch.optim.RMSprop"),
    hyperparams=BOOK_HYPERPARAMS,
    data_iter=Batches(),
    num_epochs=Integer(low=1),
)
def train_concise_ch11(
    trainer_fn: Callable[..., Any],
    hyperparams: Mapping[str, Any],
    data_iter: Iterable[Any],
    num_epochs: int = 2,
) -> None:
    """Fit linear regression with a built-in optimizer, e.g. ``torch.optim.RMSprop``.

    ``hyperparams`` go to ``trainer_fn(params, **hyperparams)`` as they are, e.g.
    ``{'lr': 0.01, 'alpha': 0.9}`` (PyTorch calls the decay ``alpha``). Prints the
    final loss (half the squared error, as the from-scratch version) and the time per
    epoch; returns nothing.
    """
    layer = nn.Linear(_EDITION.check_features(data_iter, None), 1)
    nn.init.normal_(layer.weight, std=0.01)
    net = nn.Sequential(layer)
    optimizer = _optimizer(trainer_fn, net.parameters(), hyperparams, "trainer_fn")

    def step(X: Any, y: Any) -> None:
        optimizer.zero_grad()
        out = net(X)
        loss = ((out - y.reshape(out.shape)) ** 2 / 2).mean()
        loss.backward()
        optimizer.step()

    _EDITION.train_builtin(step, net, _EDITION.squared_loss, data_iter, num_epochs)


class TrainingExplorer(_TrainingExplorer):
    """The training explorer, re-running this edition's ``train_ch11``."""

    edition = sys.modules[__name__]


class ScratchLinreg(_ScratchLinreg):
    """Linear regression updated by a from-scratch optimizer such as ``rmsprop``."""

    edition = _EDITION


class TorchLinreg(_ScratchLinreg):
    """The same model as ``nn.Linear``, updated by a ``torch.optim`` optimizer.

    Each step backpropagates the minibatch's mean loss, as on the from-scratch side.
    """

    edition = _EDITION

    @validated(
        optimizer=Function("(params, **hyperparams) -> optimizer, such as torch.optim.RMSprop"),
        optimizer_params=BOOK_HYPERPARAMS,
        w0=START_W,
        b0=START_B,
    )
    def __init__(
        self, optimizer: Callable[..., Any], optimizer_params: Mapping[str, Any], w0: Any, b0: Any
    ) -> None:
        self.net = _linear(w0, b0)
        self.optimizer = _optimizer(
            optimizer, self.net.parameters(), optimizer_params, "optimizer"
        )
        self._set_batch_shape(w0.shape[0])

    @validated(X=OfSelf("inputs"), y=OfSelf("labels"))
    def step(self, X: Any, y: Any) -> None:
        """One update from the minibatch's mean loss."""
        self._check_rows(X, y)
        self.optimizer.zero_grad()
        out = self.net(X)
        ((out - y.reshape(out.shape)) ** 2 / 2).mean().backward()
        self.optimizer.step()

    @validated(X=OfSelf("inputs"))
    def predict(self, X: Any) -> Any:
        """The layer's output with the current parameters."""
        return self.net(X)

    def weights(self) -> tuple[Any, Any]:
        """The layer's current ``w`` (d, 1) and ``b``."""
        return self.net.weight.T, self.net.bias


__all__ = sorted(
    [
        *common_names(),
        *exports(_EDITION),
        *_ALIASES,
        *("ScratchLinreg", "TorchLinreg", "TrainingExplorer", "train_concise_ch11"),
    ]
)
