"""Each framework's RMSProp defaults, as the frameworks page's table and the conventions
explorer give them, are those of the installed framework: its version in the table's
header, its decay and ε in the table and in ``CONVENTIONS``. Each test runs where its
framework is installed (Keras's in the NumPy-2 environment, as ``make test`` runs it)."""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from d2l_utils.explorers.conventions import CONVENTIONS

ROOT = Path(__file__).resolve().parents[2]


def _mxnet() -> tuple[str, Any, Any]:
    import mxnet as mx

    parameters = inspect.signature(mx.optimizer.RMSProp.__init__).parameters
    return mx.__version__, parameters["gamma1"].default, parameters["epsilon"].default


def _pytorch() -> tuple[str, Any, Any]:
    import torch

    parameters = inspect.signature(torch.optim.RMSprop.__init__).parameters
    return torch.__version__, parameters["alpha"].default, parameters["eps"].default


def _tensorflow() -> tuple[str, Any, Any]:
    import keras

    parameters = inspect.signature(keras.optimizers.RMSprop.__init__).parameters
    return keras.__version__, parameters["rho"].default, parameters["epsilon"].default


#: Each framework: its module, how to read its defaults, its key in ``CONVENTIONS`` and the
#: heading of its column in the table.
FRAMEWORKS: dict[str, tuple[str, Callable[[], tuple[str, Any, Any]], str, str]] = {
    "mxnet": ("mxnet", _mxnet, "gluon", "MXNet"),
    "pytorch": ("torch", _pytorch, "pytorch", "PyTorch"),
    "tensorflow": ("keras", _tensorflow, "keras", "Keras"),
}


def table() -> dict[str, dict[str, str]]:
    """The frameworks page's table of defaults: each column by its header, row by row."""
    cells = json.loads((ROOT / "chapters" / "frameworks.ipynb").read_text(encoding="utf-8"))
    text = next(
        "".join(c["source"]) for c in cells["cells"] if "| decay $\\gamma$" in "".join(c["source"])
    )
    rows = [
        [part.strip() for part in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and "---" not in line
    ]
    header, *body = rows
    return {column: {row[0]: row[i] for row in body} for i, column in enumerate(header) if i}


def power_of_ten(text: str) -> float:
    found = re.fullmatch(r"\$10\^\{(-?\d+)\}\$", text)
    assert found, text
    return 10.0 ** int(found.group(1))


#: The frameworks installed here (the book's environment has MXNet and PyTorch, the NumPy-2
#: one PyTorch and TensorFlow): the test of each runs where it is installed.
INSTALLED = [name for name, (module, *_) in FRAMEWORKS.items() if importlib.util.find_spec(module)]


@pytest.mark.parametrize("framework", INSTALLED)
def test_the_table_and_the_explorer_give_the_installed_defaults(framework: str) -> None:
    _, read, key, heading = FRAMEWORKS[framework]
    version, gamma, eps = read()
    columns = table()
    short = ".".join(version.split("+")[0].split(".")[:2])
    column = next((c for c in columns if c.startswith(f"{heading} ")), None)
    assert column is not None, f"the table has no {heading} column"
    assert column.removeprefix(f"{heading} ").startswith(short), (column, version)
    assert columns[column]["decay $\\gamma$"].split()[-1] == f"{gamma:g}"
    assert power_of_ten(columns[column]["$\\epsilon$"]) == pytest.approx(eps)
    assert (CONVENTIONS[key]["gamma"], CONVENTIONS[key]["eps"]) == pytest.approx((gamma, eps))
