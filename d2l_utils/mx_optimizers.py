"""The book's from-scratch optimizers for MXNet parameters, for the chapters beyond 11.8.

Each rule is call-compatible with the book's ``d2l`` version: ``init_*_states(feature_dim)``
builds the state of the linear model's weight vector and bias, and
``rule(params, states, hyperparams)`` updates every parameter in place from its
``grad``, reading its hyperparameters under the book's keys. RMSProp is the same
update as the from-scratch chapter defines in its own cells. Adam and centered
RMSProp share their arithmetic with the 2D runs (:mod:`d2l_utils.optimizers`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mxnet import np, npx

from .checks import check_count, check_decay, check_hyperparam, check_positive
from .optimizers import adam_direction, rmsprop_centered_direction

npx.set_np()

__all__ = [
    "adagrad",
    "adam",
    "init_adagrad_states",
    "init_adam_states",
    "init_momentum_states",
    "init_rmsprop_centered_states",
    "init_rmsprop_states",
    "rmsprop",
    "rmsprop_centered",
    "sgd",
    "sgd_momentum",
]

#: The book's default for the small constant that keeps a division finite.
EPS = 1e-6

Params = Sequence[Any]
Hyperparams = Mapping[str, Any]


def _zeros_like_model(feature_dim: int) -> tuple[Any, Any]:
    """One zero array shaped like the weight vector ``(feature_dim, 1)``, one like the bias."""
    feature_dim = check_count("feature_dim", feature_dim)
    return np.zeros((feature_dim, 1)), np.zeros(1)


def _pairs(params: Params, states: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Pair each parameter with its state, or say clearly that the counts differ."""
    if len(params) != len(states):
        raise ValueError(
            f"got {len(params)} parameters but {len(states)} states; build the states with "
            "the matching init_*_states(feature_dim)"
        )
    return list(zip(params, states, strict=True))


def mx_scalar(value: float) -> float:
    """``value`` with subnormal doubles flushed to zero, ready for an MXNet operator.

    MXNet hands scalars to its operators as text and rejects subnormal doubles
    (below about 2.2e-308) with an obscure "out of range" error; in the float32
    arithmetic of the parameters such values are zero anyway.
    """
    return value if abs(value) >= sys.float_info.min else 0.0


def _hyper(
    hyperparams: Hyperparams, key: str, check: Callable[[str, Any], Any], default: Any = None
) -> float:
    """``hyperparams[key]`` checked by ``check`` (see ``check_hyperparam``), as an MXNet scalar."""
    return mx_scalar(check_hyperparam(hyperparams, key, check, default))


def _lr(hyperparams: Hyperparams) -> float:
    return _hyper(hyperparams, "lr", check_positive)


def _eps(hyperparams: Hyperparams) -> float:
    return _hyper(hyperparams, "eps", check_positive, EPS)


def _below_one(name: str, value: Any) -> float:
    return check_decay(name, value, allow_one=False)


def sgd(params: Params, states: Any, hyperparams: Hyperparams) -> None:
    """Minibatch SGD in place: ``p -= lr * g``. ``states`` is unused (the book passes ``None``).

    This is the signature of the book's minibatch-SGD section (11.5), which plugs into
    ``train_ch11``; the ``d2l`` package's own ``sgd(params, lr, batch_size)`` from its
    linear-regression chapter is a different function that this package does not provide.
    """
    lr = _lr(hyperparams)
    for p in params:
        p -= lr * p.grad


def init_momentum_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero velocities ``(v_w, v_b)`` for the weight vector and the bias."""
    return _zeros_like_model(feature_dim)


def sgd_momentum(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """Momentum in place: ``v = momentum * v + g``, ``p -= lr * v`` (keys ``lr``, ``momentum``)."""
    lr = _lr(hyperparams)
    beta = _hyper(hyperparams, "momentum", check_decay)
    for p, v in _pairs(params, states):
        v *= beta
        v += p.grad
        p -= lr * v


def init_adagrad_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero sums of squared gradients ``(s_w, s_b)``."""
    return _zeros_like_model(feature_dim)


def adagrad(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """Adagrad in place: ``s += g²``, ``p -= lr * g / sqrt(s + eps)`` (``eps`` optional, 1e-6)."""
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    for p, s in _pairs(params, states):
        s += np.square(p.grad)
        p -= lr * p.grad / np.sqrt(s + eps)


def init_rmsprop_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero leaky averages of squared gradients ``(s_w, s_b)``."""
    return _zeros_like_model(feature_dim)


def rmsprop(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """One RMSProp step in place: ``s = γ s + (1-γ) g²``, ``p -= lr g / sqrt(s + eps)``.

    ``hyperparams`` holds ``lr`` and ``gamma``, and optionally ``eps`` (1e-6).
    """
    gamma = _hyper(hyperparams, "gamma", check_decay)
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    for p, s in _pairs(params, states):
        # In-place arithmetic (not ``s[:] = ...``): MXNet's slice assignment costs
        # more than the update itself.
        s *= gamma
        s += (1 - gamma) * np.square(p.grad)
        p -= lr * p.grad / np.sqrt(s + eps)


def init_rmsprop_centered_states(feature_dim: int) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Zero ``((m_w, s_w), (m_b, s_b))``: leaky averages of ``g`` and of ``g²`` per parameter."""
    (m_w, m_b), (s_w, s_b) = _zeros_like_model(feature_dim), _zeros_like_model(feature_dim)
    return (m_w, s_w), (m_b, s_b)


def rmsprop_centered(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """Centered RMSProp in place: divide by ``sqrt(s - m² + eps)``, ``m`` the leaky mean of g.

    Keys as for :func:`rmsprop`: ``lr``, ``gamma`` and optionally ``eps`` (1e-6). With
    MXNet's ``RMSProp(centered=True, gamma2=0)`` and the same ``gamma1``, ``epsilon``
    and learning rate it takes the same steps.
    """
    gamma = _hyper(hyperparams, "gamma", check_decay)
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    for p, (m, s) in _pairs(params, states):
        direction, m[:], s[:] = rmsprop_centered_direction(p.grad, m, s, gamma, eps)
        p -= lr * direction


def init_adam_states(feature_dim: int) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Zero ``((v_w, s_w), (v_b, s_b))``: Adam's first and second moments per parameter."""
    (v_w, v_b), (s_w, s_b) = _zeros_like_model(feature_dim), _zeros_like_model(feature_dim)
    return (v_w, s_w), (v_b, s_b)


def adam(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """One Adam step in place, then ``hyperparams['t'] += 1``.

    Keys: ``lr``, the step count ``t`` (start it at 1), and optionally ``beta1``
    (0.9), ``beta2`` (0.999) and ``eps`` (1e-6, added after the square root). Both
    moments are bias-corrected by ``1 - beta**t``. ``hyperparams`` must be a
    mutable dict, since the count is kept in it, as in the book.
    """
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    t = check_hyperparam(hyperparams, "t", check_count)
    beta1 = _hyper(hyperparams, "beta1", _below_one, 0.9)
    beta2 = _hyper(hyperparams, "beta2", _below_one, 0.999)
    for p, (v, s) in _pairs(params, states):
        direction, v[:], s[:] = adam_direction(p.grad, v, s, t, beta1, beta2, eps)
        p -= lr * direction
    hyperparams["t"] = t + 1  # type: ignore[index]
