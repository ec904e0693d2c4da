"""What every framework's arrays have in common for this package: float32, and NumPy.

The models train in float32, the frameworks' default; every array the package reads
back (a parameter, a loss, a hyperparameter given as an array) goes through
:func:`to_numpy`, whatever framework made it.
"""

from __future__ import annotations

from typing import Any

import numpy as onp

__all__ = ["FLOAT32_MAX", "FLOAT32_TINY", "to_numpy"]

#: The largest float32, and the smallest one held with full precision (normal).
FLOAT32_MAX = float(onp.finfo(onp.float32).max)
FLOAT32_TINY = float(onp.finfo(onp.float32).tiny)


def to_numpy(value: Any) -> Any:
    """An MXNet, PyTorch or TensorFlow array as a NumPy array; anything else as it is."""
    if isinstance(value, onp.ndarray):
        return value
    if hasattr(value, "asnumpy"):  # MXNet
        return value.asnumpy()
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # PyTorch
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and hasattr(value, "dtype"):  # TensorFlow
        return value.numpy()
    return value
