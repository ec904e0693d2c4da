"""The framework editions as the tests see them: one description each, so that a test
written once runs on every edition (the ``edition`` fixture of ``tests/conftest.py``).

Each description says how to make the edition's arrays and parameters, how to call its
from-scratch optimizers with given gradients, and the section's concise run and
built-in lockstep run in that framework.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as onp

from tools.frameworks import MODULES

#: The editions whose framework this environment has: MXNet and PyTorch in the book's,
#: PyTorch and TensorFlow in the NumPy-2 one (``make test`` runs these tests in both).
NAMES = tuple(name for name, module in MODULES.items() if importlib.util.find_spec(module))


@dataclass
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
    #: The gradients last set (what TensorFlow's optimizers take as an argument).
    grads: Any = None

    def params(self, values: Sequence[Any], grads: Sequence[Any]) -> list[Any]:
        """Parameters holding ``values`` whose gradients are ``grads`` (TensorFlow keeps the
        gradients apart: see ``update``)."""
        params = [
            self.module._FRAMEWORK.param(self.array(onp.asarray(v, dtype=float))) for v in values
        ]
        self.set_grads(params, grads)
        return params

    def set_grads(self, params: Sequence[Any], grads: Sequence[Any]) -> None:
        """Give ``params`` the gradients ``grads`` (as after a backward pass)."""
        arrays = [self.array(onp.asarray(g, dtype=float)) for g in grads]
        for p, g in zip(params, arrays, strict=True):
            if self.name == "mxnet":
                p.grad[:] = g
            elif self.name == "pytorch":
                p.grad = g
        self.grads = arrays

    def update(self, rule: Callable[..., Any], params: Any, states: Any, hyperparams: Any) -> None:
        """Call the from-scratch optimizer ``rule`` as the edition's chapter does: with the
        gradients last set, in TensorFlow."""
        if self.module._FRAMEWORK.grads_given:
            rule(params, self.grads, states, hyperparams)
        else:
            rule(params, states, hyperparams)

    @staticmethod
    def host(value: Any) -> onp.ndarray:
        """The array's values in NumPy."""
        from d2l_utils.arrays import to_numpy

        return onp.asarray(to_numpy(value))


def load(name: str) -> Edition:
    """The description of the edition ``name`` (importing its framework)."""
    module = importlib.import_module(f"d2l_utils.{MODULES[name]}")  # named for the framework
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
    if name == "tensorflow":
        import tensorflow as tf

        def tf_array(values: Any) -> Any:
            values = onp.asarray(values)
            return tf.constant(values, dtype=tf.bool if values.dtype == bool else tf.float32)

        def keras_run(w0: Any, b0: Any, eps: float) -> Any:
            params = {"learning_rate": 0.01, "rho": 0.9, "epsilon": eps}
            return module.KerasLinreg(tf.keras.optimizers.RMSprop, params, w0, b0)

        return Edition(
            name,
            module,
            tf_array,
            (tf.keras.optimizers.RMSprop, {"learning_rate": 0.01, "rho": 0.9}),
            keras_run,
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
