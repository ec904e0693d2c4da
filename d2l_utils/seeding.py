"""One call that makes a notebook's random numbers repeatable."""

from __future__ import annotations

import random
import sys

import numpy as onp

from .validation import Integer, validated

__all__ = ["set_seed"]


@validated(seed=Integer(0, 2**32 - 1))
def set_seed(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy, and MXNet, PyTorch and TensorFlow if they are loaded.

    A framework not imported yet needs no seed: importing it later starts it fresh,
    and its edition of ``d2l_utils`` seeds it through this same call.
    """
    random.seed(seed)
    onp.random.seed(seed)
    if "mxnet" in sys.modules:
        sys.modules["mxnet"].random.seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)
