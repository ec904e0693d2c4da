"""RMSProp for MXNet parameters, from scratch, for the chapters that build on section 11.8.

The same update as the from-scratch chapter defines in its own cells (and the
section's ``rmsprop``), kept here so that later chapters reuse one version.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

from mxnet import np, npx

from .checks import check_count, check_decay, check_positive

npx.set_np()

__all__ = ["init_rmsprop_states", "rmsprop"]


def mx_scalar(value: float) -> float:
    """``value`` with subnormal doubles flushed to zero, ready for an MXNet operator.

    MXNet hands scalars to its operators as text and rejects subnormal doubles
    (below about 2.2e-308) with an obscure "out of range" error; in the float32
    arithmetic of the parameters such values are zero anyway.
    """
    return value if abs(value) >= sys.float_info.min else 0.0


def init_rmsprop_states(feature_dim: int) -> tuple[Any, Any]:
    """Zero states for the weight vector and the bias of the linear model."""
    feature_dim = check_count("feature_dim", feature_dim)
    return np.zeros((feature_dim, 1)), np.zeros(1)


def rmsprop(params: Sequence[Any], states: Sequence[Any], hyperparams: Mapping[str, Any]) -> None:
    """One RMSProp step in place: ``s = γ s + (1-γ) g²``, ``p -= lr g / sqrt(s + eps)``.

    ``hyperparams`` holds ``lr`` and ``gamma``, and optionally ``eps`` (1e-6).
    """
    gamma = mx_scalar(check_decay("hyperparams['gamma']", hyperparams["gamma"]))
    lr = mx_scalar(check_positive("hyperparams['lr']", hyperparams["lr"]))
    eps = mx_scalar(check_positive("hyperparams['eps']", hyperparams.get("eps", 1e-6)))
    for p, s in zip(params, states, strict=True):
        s[:] = gamma * s + (1 - gamma) * np.square(p.grad)
        p[:] -= lr * p.grad / np.sqrt(s + eps)
