"""Argument checks shared by the public functions.

Each check raises one ``ValueError`` (or ``TypeError``) whose message names the
argument, the value received and what would be accepted, so a reader who passes
a bad value learns how to fix it without reading a traceback from MXNet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any

import numpy as onp

#: Hyperparameters that are decay rates and must lie in [0, 1].
DECAY_KEYS = ("gamma", "gamma1", "gamma2", "momentum", "beta1", "beta2", "rho")
#: Hyperparameters that are step sizes and must be positive.
STEP_KEYS = ("lr", "learning_rate", "eta")


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real | onp.number):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def check_decay(name: str, value: Any, allow_one: bool = True) -> float:
    """Check a decay rate such as RMSProp's gamma: a real number in [0, 1].

    ``allow_one=False`` also rejects 1, for rules that divide by ``1 - value**t``.
    """
    value = check_real(name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1] (it weights the old average), got {value}")
    if value == 1.0 and not allow_one:
        raise ValueError(f"{name} must be < 1: the bias correction divides by 1 - {name}**t")
    return value


def check_positive(name: str, value: Any) -> float:
    """Check a step size such as the learning rate eta: a finite number > 0."""
    value = check_real(name, value)
    if value <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value}; try a small value such as 0.01")
    return value


def check_count(name: str, value: Any, minimum: int = 1) -> int:
    """Check an integer count such as a batch size or a number of steps."""
    if isinstance(value, bool) or not isinstance(value, int | onp.integer):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_hyperparams(hyperparams: Mapping[str, Any]) -> dict[str, Any]:
    """Check a hyperparameter dictionary: step sizes > 0, decay rates in [0, 1]."""
    if not isinstance(hyperparams, Mapping):
        raise TypeError(
            f"hyperparams must be a dict such as {{'lr': 0.01, 'gamma': 0.9}}, "
            f"got {type(hyperparams).__name__}"
        )
    for key, value in hyperparams.items():
        if key in STEP_KEYS:
            check_positive(f"hyperparams[{key!r}]", value)
        elif key in DECAY_KEYS:
            check_decay(f"hyperparams[{key!r}]", value)
    return dict(hyperparams)


def check_hyperparam(
    hyperparams: Mapping[str, Any],
    key: str,
    check: Callable[[str, Any], Any],
    default: Any = None,
) -> Any:
    """Read ``hyperparams[key]`` through ``check``; ``default`` when the key is optional.

    A missing required key raises one ``ValueError`` naming it (not a bare ``KeyError``).
    """
    if not isinstance(hyperparams, Mapping):
        raise TypeError(
            f"hyperparams must be a dict such as {{'lr': 0.01}}, got {type(hyperparams).__name__}"
        )
    if key not in hyperparams:
        if default is None:
            raise ValueError(
                f"hyperparams needs a {key!r} entry; it has only {sorted(hyperparams)}"
            )
        return default
    return check(f"hyperparams[{key!r}]", hyperparams[key])


def check_finite_array(name: str, array: onp.ndarray) -> onp.ndarray:
    """Raise if a NumPy array holds NaN or infinite values."""
    bad = ~onp.isfinite(array)
    if bad.any():
        first = tuple(int(i) for i in onp.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s), the first at "
            f"index {first}; clean or drop those entries first"
        )
    return array


class DivergenceError(RuntimeError):
    """Raised when an optimization run leaves the finite, bounded region.

    ``trajectory`` holds whatever the run produced before it diverged (for a 2D
    run the finite points of its path), so the reader can still plot it.
    """

    def __init__(self, message: str, trajectory: list[Any] | None = None) -> None:
        super().__init__(message)
        self.trajectory = trajectory if trajectory is not None else []
