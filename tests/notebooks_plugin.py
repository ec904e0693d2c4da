"""pytest plugin (loaded via ``-p`` in pyproject.toml) for executing the chapter notebooks.

* Points the data loader at the checkout's sibling ``shared/data`` when no data
  folder is set, so neither tests nor notebook kernels touch the network.
* Makes nbval ignore SVG figure bodies, as it already does for PNG: the stored
  notebooks keep only text outputs (a figure is compared by its text form, e.g.
  ``<Figure size 350x250 with 1 Axes>``), never image data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

if "D2L_DATA_DIR" not in os.environ and (SHARED_DATA / "airfoil_self_noise.dat").is_file():
    os.environ["D2L_DATA_DIR"] = str(SHARED_DATA)
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip comparing SVG payloads in every collected notebook."""
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "image/svg+xml" not in skip:
            notebook.skip_compare = (*skip, "image/svg+xml")
