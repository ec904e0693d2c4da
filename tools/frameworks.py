"""The book's frameworks, defined once for the build's extensions and the tools.

A code cell tagged ``framework-<name>`` belongs to one framework: the website shows it in
that framework's tab (``_ext/framework_tabs.py``), and it runs only in that framework's
notebook (``tools/framework_notebooks.py``). ``FRAMEWORKS`` lists them in tab order, each
with its label; adding one here adds its tab, its notebook and its kernel.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Each framework's name (its tag's suffix, its tabs' sync id, its notebooks' folder) and
#: label, in tab order; the first is the default tab.
FRAMEWORKS = {"mxnet": "MXNet", "pytorch": "PyTorch", "tensorflow": "TensorFlow"}
#: The module each framework's notebooks import (hidden from the other frameworks' kernels
#: by its stand-in in ``tools/without/<module>/``).
MODULES = {"mxnet": "mxnet", "pytorch": "torch", "tensorflow": "tensorflow"}
#: The kernel each framework's notebooks run in. TensorFlow's current release needs NumPy 2,
#: MXNet 1.9.1 NumPy 1.23, and MXNet crashes where TensorFlow was imported first: its
#: notebooks run in the NumPy-2 environment ``make colab-env`` builds. The others run in
#: the book's environment (``.venv``), whose own kernel is ``python3``.
KERNELS = {"mxnet": "python3", "pytorch": "python3", "tensorflow": "d2l-numpy2"}
#: The kernels that run in another environment than the book's, each with the folder of
#: that environment (relative to the book); ``tools/kernels.py --install`` installs them
#: into the book's environment.
OTHER_ENVIRONMENTS = {"d2l-numpy2": ".venv-colab"}
#: The extra of ``d2l_utils`` a framework's notebook installs where the package is missing
#: (Colab); MXNet's notebooks have no such cell, as MXNet does not install there.
EXTRAS = {"pytorch": "torch", "tensorflow": "tensorflow"}
TAG_PREFIX = "framework-"
#: The framework whose run gives the untagged cells their outputs: the seed's edition, the
#: one ``import d2l_utils as d2l`` gives.
PRIMARY = "mxnet"
#: The notebook metadata a framework notebook keeps from its chapter (and stored outputs).
KEPT_NOTEBOOK_METADATA = ("kernelspec", "language_info")


class FrameworkTagError(ValueError):
    """A cell is tagged for more than one framework."""


def framework_of(tags: Iterable[str], cell: str) -> str | None:
    """The framework that ``tags`` name, or None; ``cell`` names the cell in the error
    raised when they name more than one."""
    tags = list(tags)
    found = [name for name in FRAMEWORKS if TAG_PREFIX + name in tags]
    if len(found) > 1:
        raise FrameworkTagError(
            f"{cell} is tagged for more than one framework ({', '.join(found)}): "
            "a cell belongs to one framework, or to all when untagged"
        )
    return found[0] if found else None


def notebook_frameworks(tagged: Iterable[str | None]) -> tuple[str, ...]:
    """The frameworks a chapter has a notebook for, given the framework of each of its cells
    (None for untagged ones), in tab order: the primary one (its run gives the untagged
    cells their outputs) and each one a cell is tagged for."""
    found = set(tagged)
    return tuple(name for name in FRAMEWORKS if name == PRIMARY or name in found)
