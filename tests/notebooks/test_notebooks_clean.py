"""The repository's notebooks hold only what the notebook tests compare.

``tools/store_outputs.py`` keeps text outputs and drops images, widget state,
execution counts and timing metadata; a notebook saved from Jupyter without it
would bring them back (large diffs, binary blobs nbval never compares).
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

from tools.store_outputs import strip

ROOT = Path(__file__).resolve().parents[2]
# notebooks/ holds the framework notebooks written from the chapters, without outputs
# (tests/test_framework_tabs.py checks that they are current).
NOTEBOOKS = sorted(
    str(path.relative_to(ROOT))
    for path in ROOT.rglob("*.ipynb")
    if not {".venv", "_build", ".ipynb_checkpoints", "notebooks"}
    & set(path.relative_to(ROOT).parts)
)
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "image/gif")
WIDGET_TYPES = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)


def problems(notebook: nbformat.NotebookNode) -> list[str]:
    """What a stored notebook carries beyond text outputs, one line per finding."""
    found = [f"notebook metadata {key!r}" for key in ("widgets",) if key in notebook.metadata]
    for index, cell in enumerate(notebook.cells):
        where = f"cell {index}"
        if "execution" in cell.metadata:
            found.append(f"{where}: execution timing metadata")
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is not None:
            found.append(f"{where}: execution count {cell.execution_count}")
        for output in cell.outputs:
            if output.get("execution_count") is not None:
                found.append(f"{where}: output execution count {output.execution_count}")
            for mime in output.get("data", {}):
                if mime in IMAGE_TYPES:
                    found.append(f"{where}: image output {mime}")
                elif mime in WIDGET_TYPES:
                    found.append(f"{where}: widget output {mime}")
    return found


def test_the_notebooks_are_found() -> None:
    assert len(NOTEBOOKS) >= 7, NOTEBOOKS
    assert all(name.startswith("chapters/") for name in NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_holds_text_outputs_only(name: str) -> None:
    notebook = nbformat.read(ROOT / name, as_version=4)
    assert problems(notebook) == [], f"run: .venv/bin/python tools/store_outputs.py {name}"
    # Nothing else either: storing the notebook again would not change it.
    assert strip(copy.deepcopy(notebook)) == notebook, f"run tools/store_outputs.py {name}"
    printed = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert printed, f"{name} stores no outputs at all: nbval would compare nothing"


def test_the_check_notices_a_notebook_saved_from_jupyter() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    cell = nbformat.v4.new_code_cell("plot()", execution_count=3)
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {"text/plain": "<Figure>", "image/png": "iVBOR..."},
            execution_count=3,
        ),
        nbformat.v4.new_output("display_data", {"image/svg+xml": "<svg/>"}),
        nbformat.v4.new_output(
            "display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": "x"}}
        ),
    ]
    notebook.cells.append(cell)
    assert problems(notebook) == [
        "notebook metadata 'widgets'",
        "cell 0: execution timing metadata",
        "cell 0: execution count 3",
        "cell 0: output execution count 3",
        "cell 0: image output image/png",
        "cell 0: image output image/svg+xml",
        "cell 0: widget output application/vnd.jupyter.widget-view+json",
    ]
    assert problems(strip(notebook)) == []
