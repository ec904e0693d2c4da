"""Helpers for the interactive RMSProp chapter, call-compatible with the book's ``d2l``.

Two ways in, as in the book:

* ``from d2l_utils import mxnet as d2l`` or ``from d2l_utils import torch as d2l``:
  the edition for that framework (:mod:`d2l_utils.mxnet`, :mod:`d2l_utils.torch`);
* ``import d2l_utils as d2l``: the MXNet edition, so that the section's own cells run
  unchanged. Its names are looked up when first used, so importing the framework-free
  modules (``d2l_utils.rules``, ``d2l_utils.leaky_average``, ...) imports no framework.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

#: The package's modules: ``from d2l_utils import rules`` imports them, never the edition.
_SUBMODULES = {module.name for module in pkgutil.iter_modules(__path__)}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES or name.startswith("__"):
        raise AttributeError(name)  # a submodule, imported by the import system itself
    edition = importlib.import_module(".mxnet", __name__)
    try:
        return getattr(edition, name)
    except AttributeError:
        raise AttributeError(f"module 'd2l_utils' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *importlib.import_module(".mxnet", __name__).__all__})
