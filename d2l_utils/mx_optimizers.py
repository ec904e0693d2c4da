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
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

from mxnet import np, npx

from .checks import (
    MAX_ELEMENTS,
    check_count,
    check_decay,
    check_float32,
    check_hyperparam,
    check_mx_array,
    check_positive,
    describe,
)
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
    feature_dim = check_count("feature_dim", feature_dim, maximum=MAX_ELEMENTS)
    return np.zeros((feature_dim, 1)), np.zeros(1)


def _gradients(params: Params) -> list[tuple[Any, Any]]:
    """Each parameter with its gradient, or one clear error for what is not a parameter."""
    if not isinstance(params, list | tuple):
        raise TypeError(
            f"params must be a list of MXNet arrays such as [w, b], got {type(params).__name__}"
        )
    pairs = []
    for i, p in enumerate(params):
        check_mx_array(f"params[{i}]", p)
        grad = p.grad
        if grad is None:
            raise ValueError(
                f"params[{i}] has no gradient; call attach_grad() on it and backward() on the loss"
            )
        pairs.append((p, grad))
    return pairs


def _with_states(params: Params, states: Any, arrays_per_state: int) -> list[tuple[Any, ...]]:
    """``(p, grad, state)`` per parameter; a state is one array shaped like ``p``, or a pair."""
    pairs = _gradients(params)
    if not isinstance(states, list | tuple):
        raise TypeError(
            "states must be a tuple with one state per parameter, built by the matching "
            f"init_*_states(feature_dim); got {describe(states)}"
        )
    if len(states) != len(pairs):
        raise ValueError(
            f"params holds {len(pairs)} arrays but states holds {len(states)}; build the states "
            "with the matching init_*_states(feature_dim)"
        )
    for i, ((p, _), state) in enumerate(zip(pairs, states, strict=True)):
        shape = p.shape
        if arrays_per_state == 1:
            _check_state(f"states[{i}]", state, i, shape)
            continue
        if not isinstance(state, list | tuple) or len(state) != arrays_per_state:
            raise TypeError(f"states[{i}] must be a pair of MXNet arrays shaped like params[{i}]")
        for j, array in enumerate(state):
            _check_state(f"states[{i}][{j}]", array, i, shape)
    return [(p, grad, state) for (p, grad), state in zip(pairs, states, strict=True)]


def _check_state(name: str, state: Any, i: int, shape: tuple[int, ...]) -> None:
    check_mx_array(name, state)
    if state.shape != shape:
        raise ValueError(
            f"{name} has shape {state.shape} but params[{i}] has shape {shape}; build the "
            "states with init_*_states(feature_dim) for the model's feature_dim"
        )


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
    value = check_hyperparam(hyperparams, key, check, default)
    return mx_scalar(check_float32(f"hyperparams[{key!r}]", value))


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
    for p, grad in _gradients(params):
        p -= lr * grad


def init_momentum_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero velocities ``(v_w, v_b)`` for the weight vector and the bias."""
    return _zeros_like_model(feature_dim)


def sgd_momentum(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """Momentum in place: ``v = momentum * v + g``, ``p -= lr * v`` (keys ``lr``, ``momentum``)."""
    lr = _lr(hyperparams)
    beta = _hyper(hyperparams, "momentum", check_decay)
    for p, grad, v in _with_states(params, states, 1):
        v *= beta
        v += grad
        p -= lr * v


def init_adagrad_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero sums of squared gradients ``(s_w, s_b)``."""
    return _zeros_like_model(feature_dim)


def adagrad(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """Adagrad in place: ``s += g²``, ``p -= lr * g / sqrt(s + eps)`` (``eps`` optional, 1e-6)."""
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    for p, grad, s in _with_states(params, states, 1):
        s += np.square(grad)
        p -= lr * grad / np.sqrt(s + eps)


def init_rmsprop_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero leaky averages of squared gradients ``(s_w, s_b)``."""
    return _zeros_like_model(feature_dim)


def rmsprop(params: Params, states: Sequence[Any], hyperparams: Hyperparams) -> None:
    """One RMSProp step in place: ``s = γ s + (1-γ) g²``, ``p -= lr g / sqrt(s + eps)``.

    ``hyperparams`` holds ``lr`` and ``gamma``, and optionally ``eps`` (1e-6).
    """
    gamma = _hyper(hyperparams, "gamma", check_decay)
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    for p, grad, s in _with_states(params, states, 1):
        # In-place arithmetic (not ``s[:] = ...``): MXNet's slice assignment costs
        # more than the update itself.
        s *= gamma
        s += (1 - gamma) * np.square(grad)
        p -= lr * grad / np.sqrt(s + eps)


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
    for p, grad, (m, s) in _with_states(params, states, 2):
        direction, m[:], s[:] = rmsprop_centered_direction(grad, m, s, gamma, eps)
        p -= lr * direction


def init_adam_states(feature_dim: int) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Zero ``((v_w, s_w), (v_b, s_b))``: Adam's first and second moments per parameter."""
    (v_w, v_b), (s_w, s_b) = _zeros_like_model(feature_dim), _zeros_like_model(feature_dim)
    return (v_w, s_w), (v_b, s_b)


def adam(params: Params, states: Sequence[Any], hyperparams: MutableMapping[str, Any]) -> None:
    """One Adam step in place, then ``hyperparams['t'] += 1``.

    Keys: ``lr``, the step count ``t`` (start it at 1), and optionally ``beta1``
    (0.9), ``beta2`` (0.999) and ``eps`` (1e-6, added after the square root). Both
    moments are bias-corrected by ``1 - beta**t``. ``hyperparams`` must be a
    mutable dict, since the count is kept in it, as in the book.
    """
    if not isinstance(hyperparams, MutableMapping):
        raise TypeError(
            "hyperparams must be a dict such as {'lr': 0.01, 't': 1}: adam counts its steps "
            f"in hyperparams['t'], got {type(hyperparams).__name__}"
        )
    lr, eps = _lr(hyperparams), _eps(hyperparams)
    t = check_hyperparam(hyperparams, "t", check_count)
    beta1 = _hyper(hyperparams, "beta1", _below_one, 0.9)
    beta2 = _hyper(hyperparams, "beta2", _below_one, 0.999)
    for p, grad, (v, s) in _with_states(params, states, 2):
        direction, v[:], s[:] = adam_direction(grad, v, s, t, beta1, beta2, eps)
        p -= lr * direction
    hyperparams["t"] = t + 1
