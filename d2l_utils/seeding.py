"""One call that makes a notebook's random numbers repeatable."""

from __future__ import annotations

import random

import mxnet as mx
import numpy as onp

from .checks import check_count

#: NumPy takes seeds below 2**32.
MAX_SEED = 2**32 - 1


def set_seed(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and MXNet, so reruns print the same numbers."""
    seed = check_count("seed", seed, minimum=0, maximum=MAX_SEED)
    random.seed(seed)
    onp.random.seed(seed)
    mx.random.seed(seed)
