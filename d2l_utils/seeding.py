"""One call that makes a notebook's random numbers repeatable."""

from __future__ import annotations

import random

import mxnet as mx
import numpy as onp

from .checks import check_count


def set_seed(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and MXNet, so reruns print the same numbers."""
    seed = check_count("seed", seed, minimum=0)
    random.seed(seed)
    onp.random.seed(seed)
    mx.random.seed(seed)
