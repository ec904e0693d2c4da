"""The framework editions as the tests see them: one description each, so that a test
written once runs on every edition (the ``edition`` fixture of ``tests/conftest.py``).

Each description says how to make the edition's arrays and parameters, how to call its
from-scratch optimizers with given gradients, and the section's concise run and
built-in lockstep run in that framework.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as onp

#: Every edition, by the chapters' tag for its framework.
NAMES = ("mxnet", "pytorch")


@dataclass(frozen=True)
class Edition:
    """One edition under test."""

    name: str
    module: ModuleType
    #: A float32 array of the framework from NumPy values (or a bool array as it is).
    array: Callable[[Any], Any]
    #: The concise training of the section: (its first argument, its hyperparameters).
    concise: tuple[Any, dict[str, Any]]
    #: The built-in RMSProp as a lockstep run: (w0, b0, eps) -> run, γ = 0.9, η = 0.01.
    builtin_run: Callable[[Any, Any, float], Any]
    #: Waits for the framework's queued work (MXNet runs asynchronously).
    wait: Callable[[], None] = lambda: None

    def params(self, values: Sequence[Any], grads: Sequence[Any]) -> list[Any]:
        """Parameters holding ``values`` whose gradients are ``grads``."""
        params = []
        for value, grad in zip(values, grads, strict=True):
            p = self.array(onp.asarray(value, dtype=float))
            if self.name == "mxnet":
                p.attach_grad()
                p.grad[:] = self.array(onp.asarray(grad, dtype=float))
            else:
                p.requires_grad_(True)
                p.grad = self.array(onp.asarray(grad, dtype=float))
            params.append(p)
        return params

    def set_grads(self, params: Sequence[Any], grads: Sequence[Any]) -> None:
        """Give ``params`` the gradients ``grads`` (as after a backward pass)."""
        for p, g in zip(params, grads, strict=True):
            if self.name == "mxnet":
                p.grad[:] = self.array(onp.asarray(g, dtype=float))
            else:
                p.grad = self.array(onp.asarray(g, dtype=float))

    @staticmethod
    def host(value: Any) -> onp.ndarray:
        """The array's values in NumPy."""
        from d2l_utils.arrays import to_numpy

        return onp.asarray(to_numpy(value))


def load(name: str) -> Edition:
    """The description of the edition ``name`` (importing its framework)."""
    module = importlib.import_module(
        {"mxnet": "d2l_utils.mxnet", "pytorch": "d2l_utils.torch"}[name]
    )
    if name == "mxnet":
        from mxnet import np, npx

        def mx_array(values: Any) -> Any:
            values = onp.asarray(values)
            return np.array(values, dtype=None if values.dtype == bool else "float32")

        def gluon_run(w0: Any, b0: Any, eps: float) -> Any:
            params = {"learning_rate": 0.01, "gamma1": 0.9, "epsilon": eps}
            return module.GluonLinreg("rmsprop", params, w0, b0)

        return Edition(
            name,
            module,
            mx_array,
            ("rmsprop", {"learning_rate": 0.01, "gamma1": 0.9}),
            gluon_run,
            npx.waitall,
        )
    import torch

    # The first optimizer imports torch._dynamo (seconds): once here, not in a timed call.
    torch.optim.RMSprop([torch.zeros(1, requires_grad=True)])

    def torch_array(values: Any) -> Any:
        values = onp.asarray(values)
        return torch.tensor(values, dtype=torch.bool if values.dtype == bool else torch.float32)

    def torch_run(w0: Any, b0: Any, eps: float) -> Any:
        params = {"lr": 0.01, "alpha": 0.9, "eps": eps}
        return module.TorchLinreg(torch.optim.RMSprop, params, w0, b0)

    return Edition(
        name,
        module,
        torch_array,
        (torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9}),
        torch_run,
    )
