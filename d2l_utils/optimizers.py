"""Update rules as plain NumPy/float code, checked argument by argument.

The chapters write RMSProp from scratch for MXNet; the functions here are the
project's reference implementation, used by the tests and the explorers. The
2D trainers plug into :func:`d2l_utils.train_2d` and are mirrored line for line
by the in-browser explorer (``d2l_utils/js/optimizers.js``).

Adam and centered RMSProp, which the explorers do not offer, are written once as
array-agnostic rules (:func:`adam_direction`, :func:`rmsprop_centered_direction`)
shared by their MXNet versions and their 2D runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as onp

from .checks import (
    FloatArray,
    check_callable,
    check_choice,
    check_decay,
    check_positive,
    check_real,
    check_real_array,
    describe,
)
from .optim2d import Point, train_2d

__all__ = [
    "METHODS",
    "MOMENTUM_BETA",
    "adam_direction",
    "f_2d",
    "f_2d_grad",
    "make_trainer_2d",
    "rmsprop_centered_direction",
    "rmsprop_update",
    "train_adam_2d",
    "train_rmsprop_centered_2d",
]

#: Optimizers the 2D explorer can run, in drawing order.
METHODS = ("sgd", "momentum", "adagrad", "rmsprop")
#: The momentum method's fixed leaky-average weight in the comparison.
MOMENTUM_BETA = 0.5
EPS = 1e-6
#: Coordinates (and gradients) beyond this would overflow float64 when squared.
MAX_COORDINATE = 1e150

Trainer2D = Callable[[float, float, float, float], tuple[float, float, float, float]]


def _coordinate(name: str, value: Any) -> Any:
    """A coordinate of :func:`f_2d`: a finite number, or an array of them (as float64)."""
    if isinstance(value, Real) and not isinstance(value, bool):
        number = check_real(name, value)
        if abs(number) > MAX_COORDINATE:
            raise ValueError(f"{name} must lie within ±{MAX_COORDINATE:g}, where f stays finite")
        return number
    array = check_real_array(name, value)
    if (onp.abs(array) > MAX_COORDINATE).any():
        raise ValueError(f"{name} must lie within ±{MAX_COORDINATE:g}, where f stays finite")
    return array


def f_2d(x1: Any, x2: Any) -> Any:
    """The section's ill-conditioned quadratic ``0.1 x1^2 + 2 x2^2`` (numbers or arrays)."""
    x1, x2 = _coordinate("x1", x1), _coordinate("x2", x2)
    try:
        return 0.1 * x1**2 + 2 * x2**2
    except ValueError:
        raise ValueError(
            f"x1 and x2 must have the same shape, got {onp.shape(x1)} and {onp.shape(x2)}"
        ) from None


def f_2d_grad(x1: Any, x2: Any) -> tuple[Any, Any]:
    """Gradient of :func:`f_2d` at ``(x1, x2)``: two numbers, or two arrays for arrays."""
    return 0.2 * _coordinate("x1", x1), 4 * _coordinate("x2", x2)


def rmsprop_update(
    x: Any, s: Any, g: Any, eta: float, gamma: float, eps: float = EPS
) -> tuple[FloatArray, FloatArray]:
    """One RMSProp step; returns the new ``(x, s)``.

    ``s <- gamma * s + (1 - gamma) * g**2`` and
    ``x <- x - eta / sqrt(s + eps) * g``, coordinate by coordinate.
    """
    eta = check_positive("eta", eta)
    gamma = check_decay("gamma", gamma)
    eps = check_positive("eps", eps)
    x, s, g = (check_real_array(name, v) for name, v in (("x", x), ("s", s), ("g", g)))
    if not x.shape == s.shape == g.shape:
        raise ValueError(
            f"x, s and g must have the same shape, got {x.shape}, {s.shape} and {g.shape}"
        )
    if (s < 0).any():
        raise ValueError("s is a running average of squares and cannot be negative")
    if (onp.abs(g) > MAX_COORDINATE).any():
        raise ValueError(f"g must lie within ±{MAX_COORDINATE:g}, where its square stays finite")
    s = gamma * s + (1 - gamma) * g**2
    return x - eta / onp.sqrt(s + eps) * g, s


def make_trainer_2d(
    method: str,
    eta: float,
    gamma: float = 0.9,
    grad: Callable[[float, float], tuple[float, float]] = f_2d_grad,
) -> Trainer2D:
    """A ``train_2d`` trainer with learning rate ``eta`` on the objective with gradient ``grad``.

    ``method`` is one of ``METHODS``. ``gamma`` is RMSProp's decay; momentum uses
    ``MOMENTUM_BETA``; SGD and Adagrad ignore it. Each trainer keeps its state in
    the two slots ``train_2d`` provides (velocity for momentum, the squared
    gradient sums or averages for Adagrad and RMSProp). ``grad`` defaults to the
    section's :func:`f_2d_grad`.
    """
    method = check_choice("method", method, METHODS)
    eta = check_positive("eta", eta)
    gamma = check_decay("gamma", gamma)
    check_callable("grad", grad, "(x1, x2) -> (g1, g2)")

    def gradient(x1: float, x2: float) -> tuple[float, float]:
        out = grad(x1, x2)
        try:
            g1, g2 = out
            return float(g1), float(g2)
        except (TypeError, ValueError):
            raise TypeError(
                f"grad must return the two partial derivatives (g1, g2), got {describe(out)}"
            ) from None

    def sgd(x1: float, x2: float, s1: float, s2: float) -> tuple[float, float, float, float]:
        g1, g2 = gradient(x1, x2)
        return x1 - eta * g1, x2 - eta * g2, 0.0, 0.0

    def momentum(x1: float, x2: float, v1: float, v2: float) -> tuple[float, float, float, float]:
        g1, g2 = gradient(x1, x2)
        v1 = MOMENTUM_BETA * v1 + g1
        v2 = MOMENTUM_BETA * v2 + g2
        return x1 - eta * v1, x2 - eta * v2, v1, v2

    def adagrad(x1: float, x2: float, s1: float, s2: float) -> tuple[float, float, float, float]:
        g1, g2 = gradient(x1, x2)
        s1 += g1 * g1
        s2 += g2 * g2
        return x1 - eta / math.sqrt(s1 + EPS) * g1, x2 - eta / math.sqrt(s2 + EPS) * g2, s1, s2

    def rmsprop(x1: float, x2: float, s1: float, s2: float) -> tuple[float, float, float, float]:
        g1, g2 = gradient(x1, x2)
        s1 = gamma * s1 + (1 - gamma) * g1 * g1
        s2 = gamma * s2 + (1 - gamma) * g2 * g2
        return x1 - eta / math.sqrt(s1 + EPS) * g1, x2 - eta / math.sqrt(s2 + EPS) * g2, s1, s2

    return {"sgd": sgd, "momentum": momentum, "adagrad": adagrad, "rmsprop": rmsprop}[method]


def adam_direction(g: Any, v: Any, s: Any, t: int, beta1: float, beta2: float, eps: float) -> Any:
    """Adam's rule for step ``t`` (counted from 1): returns ``(direction, v, s)``.

    ``v`` and ``s`` are the leaky averages of ``g`` and ``g²`` (weights ``beta1``,
    ``beta2``); both are divided by ``1 - beta**t`` to undo their pull towards the
    zero start, and the step is ``-lr * direction`` with ``direction = v̂ / (√ŝ + eps)``
    (``eps`` outside the root, as in the book and MXNet). Works on floats, NumPy and
    MXNet arrays alike and returns new values; the callers check the arguments.
    """
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return v_hat / (s_hat**0.5 + eps), v, s


def rmsprop_centered_direction(g: Any, m: Any, s: Any, gamma: float, eps: float) -> Any:
    """Centered RMSProp (Graves, 2013): returns ``(direction, m, s)``.

    ``m`` and ``s`` are leaky averages (weight ``gamma``) of ``g`` and ``g²``, so
    ``s - m²`` estimates the *variance* of the gradient rather than its mean square;
    the step is ``-lr * direction`` with ``direction = g / √(s - m² + eps)`` (``eps``
    inside the root, as in the project's RMSProp and MXNet's). Works on floats,
    NumPy and MXNet arrays alike; the callers check the arguments.
    """
    m = gamma * m + (1 - gamma) * g
    s = gamma * s + (1 - gamma) * g * g
    return g / (s - m * m + eps) ** 0.5, m, s


def train_adam_2d(
    eta: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = EPS,
    steps: int = 20,
    start: tuple[float, float] = (-5.0, -2.0),
    verbose: bool = True,
) -> list[Point]:
    """Adam on :func:`f_2d`: the path, as :func:`d2l_utils.train_2d` returns it.

    Adam needs two moment vectors and a step count, more than ``train_2d``'s two
    state slots, so its trainer carries the state ``(v, s, t)`` (``v`` and ``s``
    NumPy vectors over both coordinates) through ``train_2d``'s ``state``
    argument; the loop, the printed line and the divergence check are
    ``train_2d``'s own.
    """
    eta = check_positive("eta", eta)
    beta1 = check_decay("beta1", beta1, allow_one=False)
    beta2 = check_decay("beta2", beta2, allow_one=False)
    eps = check_positive("eps", eps)

    def adam(x1: float, x2: float, v: Any, s: Any, t: int) -> tuple[Any, ...]:
        direction, v, s = adam_direction(
            onp.array(f_2d_grad(x1, x2)), v, s, t + 1, beta1, beta2, eps
        )
        return x1 - eta * direction[0], x2 - eta * direction[1], v, s, t + 1

    state = (onp.zeros(2), onp.zeros(2), 0)
    return train_2d(adam, steps, start=start, verbose=verbose, state=state)


def train_rmsprop_centered_2d(
    eta: float,
    gamma: float = 0.9,
    eps: float = EPS,
    steps: int = 20,
    start: tuple[float, float] = (-5.0, -2.0),
    verbose: bool = True,
) -> list[Point]:
    """Centered RMSProp on :func:`f_2d`, through :func:`d2l_utils.train_2d`.

    Its state, the leaky averages ``m`` of ``g`` and ``s`` of ``g²`` (NumPy vectors
    over both coordinates), travels in ``train_2d``'s ``state`` argument.
    """
    eta = check_positive("eta", eta)
    gamma = check_decay("gamma", gamma)
    eps = check_positive("eps", eps)

    def centered(x1: float, x2: float, m: Any, s: Any) -> tuple[Any, ...]:
        direction, m, s = rmsprop_centered_direction(
            onp.array(f_2d_grad(x1, x2)), m, s, gamma, eps
        )
        return x1 - eta * direction[0], x2 - eta * direction[1], m, s

    return train_2d(
        centered, steps, start=start, verbose=verbose, state=(onp.zeros(2), onp.zeros(2))
    )
