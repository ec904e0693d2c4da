"""The update rules of RMSProp and its neighbours, each written once.

Every rule takes a parameter ``x``, its gradient ``g`` and its state, and returns
the new values. It is written with augmented assignments (``s *= gamma``) and plain
arithmetic, so the same lines serve every kind of number the book uses:

* Python floats (the 2D runs and the explorers): new values are returned;
* NumPy, MXNet and PyTorch arrays: ``x`` and the state are updated **in place**
  (and returned), as the book's from-scratch optimizers require. A hyperparameter
  may then be an array too, broadcast against ``x`` (one learning rate per column).

The browser's explorers run a JavaScript port of these lines
(``d2l_utils/explorers/js/core/rules.js``), fed the constants below from Python and
tested against these functions on the same cases.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

__all__ = [
    "EPS",
    "MOMENTUM_BETA",
    "adagrad",
    "adam",
    "momentum",
    "rmsprop",
    "rmsprop_centered",
    "rmsprop_outside",
    "sgd",
]

#: The small constant that keeps a division by ``sqrt(s + eps)`` finite (the book's).
EPS = 1e-6
#: The momentum method's leaky-average weight in the book's comparisons.
MOMENTUM_BETA = 0.5

T = TypeVar("T")


def _root(v: Any) -> Any:
    """The square root: ``math.sqrt`` for a number, ``v ** 0.5`` elementwise for an array.

    Both are correctly rounded for floats and NumPy arrays (NumPy turns ``** 0.5``
    into its sqrt), as JavaScript's ``Math.sqrt`` is: so the floats of the 2D runs,
    NumPy arrays and the browser take bit-for-bit the same steps.
    """
    return math.sqrt(v) if isinstance(v, int | float) else v**0.5


def sgd(x: T, g: Any, lr: Any) -> T:
    """Gradient descent: ``x <- x - lr g``."""
    x -= lr * g
    return x


def momentum(x: T, g: Any, v: Any, lr: Any, beta: Any) -> tuple[T, Any]:
    """Momentum (the book's form): ``v <- beta v + g``, ``x <- x - lr v``."""
    v *= beta
    v += g
    x -= lr * v
    return x, v


def adagrad(x: T, g: Any, s: Any, lr: Any, eps: Any = EPS) -> tuple[T, Any]:
    """Adagrad: ``s <- s + g²``, ``x <- x - lr g / sqrt(s + eps)``."""
    s += g * g
    x -= lr * g / _root(s + eps)
    return x, s


def rmsprop(x: T, g: Any, s: Any, lr: Any, gamma: Any, eps: Any = EPS) -> tuple[T, Any]:
    """RMSProp, equation (11.8.1): ``s <- γ s + (1-γ) g²``, ``x <- x - lr g / sqrt(s + eps)``."""
    s *= gamma
    s += (1 - gamma) * g * g
    x -= lr * g / _root(s + eps)
    return x, s


def rmsprop_outside(x: T, g: Any, s: Any, lr: Any, gamma: Any, eps: Any = EPS) -> tuple[T, Any]:
    """RMSProp with ε outside the root, as PyTorch has it: ``x <- x - lr g / (sqrt(s) + eps)``."""
    s *= gamma
    s += (1 - gamma) * g * g
    x -= lr * g / (_root(s) + eps)
    return x, s


def rmsprop_centered(
    x: T, g: Any, m: Any, s: Any, lr: Any, gamma: Any, eps: Any = EPS
) -> tuple[T, Any, Any]:
    """Centered RMSProp (Graves, 2013): divide by ``sqrt(s - m² + eps)``.

    ``m`` and ``s`` are leaky averages (weight ``gamma``) of ``g`` and ``g²``, so
    ``s - m²`` estimates the gradient's variance rather than its mean square;
    ``eps`` sits inside the root, as in RMSProp above and in MXNet.
    """
    m *= gamma
    m += (1 - gamma) * g
    s *= gamma
    s += (1 - gamma) * g * g
    x -= lr * g / _root(s - m * m + eps)
    return x, m, s


def adam(
    x: T, g: Any, v: Any, s: Any, t: int, lr: Any, beta1: Any, beta2: Any, eps: Any = EPS
) -> tuple[T, Any, Any]:
    """Adam at step ``t`` (counted from 1), with both moments bias-corrected.

    ``v <- β1 v + (1-β1) g``, ``s <- β2 s + (1-β2) g²``, then
    ``x <- x - lr v̂ / (sqrt(ŝ) + eps)`` with ``v̂ = v / (1-β1^t)``, ``ŝ = s / (1-β2^t)``
    (``eps`` outside the root, as in the book and MXNet).
    """
    v *= beta1
    v += (1 - beta1) * g
    s *= beta2
    s += (1 - beta2) * g * g
    x -= lr * (v / (1 - beta1**t)) / (_root(s / (1 - beta2**t)) + eps)
    return x, v, s
