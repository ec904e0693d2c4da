"""pytest plugin (loaded via ``-p`` in pyproject.toml) for executing the chapter notebooks.

* Makes nbval ignore SVG figure bodies, as it already does for PNG: the stored
  notebooks keep only text outputs (a figure is compared by its text form, e.g.
  ``<Figure size 350x250 with 1 Axes>``), never image data.
* The stored notebooks carry no execution counts either (they only make diffs
  noisy), but nbval takes a cell without one for an unrun cell and refuses to
  compare its outputs; a cell with stored outputs is marked as run instead.
* The cells of a notebook share its kernel, so the test command distributes the
  tests by file (``--dist loadfile``): a worker takes a whole notebook.
* Cells run as Jupyter runs them, with history stored: nbval executes with
  ``store_history=False``, which breaks IPython's rule that a trailing ``;``
  hides a cell's value (the book's ``d2l.train_ch11(...);`` relies on it).
"""

from __future__ import annotations

import os

import pytest
from nbval.kernel import RunningKernel

os.environ.setdefault("MPLBACKEND", "Agg")


def _execute_as_jupyter_does(self: RunningKernel, cell_input: str, allow_stdin=None) -> str:
    return self.kc.execute(
        cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
    )


RunningKernel.execute_cell_input = _execute_as_jupyter_does


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip comparing SVG payloads; treat cells with stored outputs as run."""
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "image/svg+xml" not in skip:
            notebook.skip_compare = (*skip, "image/svg+xml")
        cell = getattr(item, "cell", None)
        if cell is not None and cell.get("outputs") and cell.get("execution_count") is None:
            cell["execution_count"] = 0
