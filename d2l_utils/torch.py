"""The PyTorch edition: ``from d2l_utils import torch as d2l`` stands in for the book's
``from d2l import torch as d2l`` in its optimization chapter.

The same names as the MXNet edition (:mod:`d2l_utils.mxnet`): the shared functions of
:mod:`d2l_utils.editions` over PyTorch tensors, the framework aliases, and the concise
training with a ``torch.optim`` optimizer. MXNet is not imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import torch
from numpy.typing import NDArray
from torch import nn

from .editions import (
    BUILTIN_HYPERPARAMS,
    EPOCHS,
    START_B,
    START_W,
    Framework,
    aliases,
    book_functions,
    first_line,
    half_squared_error,
    linreg_run,
    method,
    publish,
)
from .explorers.conventions import conventions_explorer
from .explorers.training import training_explorer
from .validation import Batches, Function, InvalidType, InvalidValue, validated

#: The framework aliases of the book's d2l.torch, which its chapter calls.
_ALIASES = aliases(
    torch, tensor=torch.tensor, matmul=torch.matmul, concat=torch.cat, normal=torch.normal,
    rand=torch.rand, int32=torch.int32, float32=torch.float32,
    numpy=lambda x, *args, **kwargs: x.detach().cpu().numpy(*args, **kwargs),
    size=lambda x: int(x.numel()), reshape=method("reshape"), to=method("to"),
    reduce_sum=method("sum"), reduce_mean=method("mean"), argmax=method("argmax"),
    astype=method("type"), transpose=method("t"),
)  # fmt: skip


class TorchFramework(Framework):
    """PyTorch tensors and autograd, for the shared code."""

    name, label = "pytorch", "PyTorch"
    array_type = torch.Tensor
    array_name = "PyTorch tensor (torch.Tensor)"
    errors = (RuntimeError,)

    def from_numpy(self, array: NDArray[Any]) -> Any:
        return torch.tensor(array, dtype=torch.float32)

    def zeros(self, shape: tuple[int, ...]) -> Any:
        return torch.zeros(shape)

    def normal(self, scale: float, shape: tuple[int, ...]) -> Any:
        return torch.normal(0.0, scale, size=shape)

    def param(self, array: Any) -> Any:
        return array.requires_grad_(True)

    def no_grad(self) -> Any:
        return torch.no_grad()

    def zero_grad(self, params: Any) -> None:
        # PyTorch adds each backward pass to the gradients; the book's optimizers reset them.
        for p in params:
            if p.grad is not None:
                p.grad.zero_()


_FRAMEWORK = TorchFramework()
_BOOK = book_functions(_FRAMEWORK)
#: What ``train_concise_ch11`` and ``TorchLinreg`` take: an optimizer class or factory.
OPTIMIZER = Function("(params, **hyperparams) -> optimizer, such as torch.optim.RMSprop", 1)


def _optimizer(
    make: Callable[..., Any], params: Any, hyperparams: Mapping[str, Any], names: tuple[str, str]
) -> Any:
    """``make(params, **hyperparams)``: a ``torch.optim`` optimizer that steps without a
    closure; a refusal, or anything else, becomes one error naming ``names``."""
    name = names[0]
    try:
        optimizer = make(params, **hyperparams)
    except (ValueError, TypeError) as error:
        raise InvalidValue(
            f"{name} rejected {names[1]}={dict(hyperparams)}: {first_line(error)}"
        ) from None
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise InvalidType(f"{name} must make a torch.optim optimizer, it made {optimizer!r:.60}")
    if isinstance(optimizer, torch.optim.LBFGS):
        raise InvalidValue(f"{name} must step without a closure; torch.optim.LBFGS needs one")
    return optimizer


def _step(optimizer: Any, net: Any, X: Any, y: Any) -> None:
    """One update of ``net`` from the minibatch's mean loss (half the squared error)."""
    optimizer.zero_grad()
    half_squared_error(net(X), y).mean().backward()
    optimizer.step()


@validated(
    trainer_fn=OPTIMIZER,
    hyperparams=BUILTIN_HYPERPARAMS,
    data_iter=Batches(),
    num_epochs=EPOCHS,
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
    layer = nn.Linear(_BOOK["_features_of"](data_iter, None), 1)
    nn.init.normal_(layer.weight, std=0.01)
    net = nn.Sequential(layer)
    optimizer = _optimizer(
        trainer_fn, net.parameters(), hyperparams, ("trainer_fn", "hyperparams")
    )
    _BOOK["_train_builtin"](
        lambda X, y: _step(optimizer, net, X, y), net, _BOOK["squared_loss"], data_iter, num_epochs
    )


_LinregRun, ScratchLinreg = linreg_run(_FRAMEWORK, _BOOK)


class TorchLinreg(_LinregRun):  # type: ignore[valid-type,misc]
    """The same model as ``nn.Linear``, updated by a ``torch.optim`` optimizer.

    Each step backpropagates the minibatch's mean loss, as on the from-scratch side.
    """

    @validated(optimizer=OPTIMIZER, optimizer_params=BUILTIN_HYPERPARAMS, w0=START_W, b0=START_B)
    def __init__(
        self, optimizer: Callable[..., Any], optimizer_params: Mapping[str, Any], w0: Any, b0: Any
    ) -> None:
        self.net = nn.Linear(w0.shape[0], 1)
        with torch.no_grad():
            self.net.weight.copy_(torch.tensor(w0.T, dtype=torch.float32))
            self.net.bias.copy_(torch.tensor(b0, dtype=torch.float32))
        self.optimizer = _optimizer(
            optimizer, self.net.parameters(), optimizer_params, ("optimizer", "optimizer_params")
        )
        self.features = w0.shape[0]

    def _update(self, X: Any, y: Any) -> None:
        _step(self.optimizer, self.net, X, y)

    def _predict(self, X: Any) -> Any:
        return self.net(X)

    def weights(self) -> tuple[Any, Any]:
        """The layer's current ``w`` (d, 1) and ``b``."""
        return self.net.weight.T, self.net.bias


__all__ = publish(
    globals(),
    _ALIASES,
    _BOOK,
    {
        "train_concise_ch11": train_concise_ch11,
        "ScratchLinreg": ScratchLinreg,
        "TorchLinreg": TorchLinreg,
        "TrainingExplorer": training_explorer(sys.modules[__name__]),
        "ConventionsExplorer": conventions_explorer(sys.modules[__name__]),
    },
)
