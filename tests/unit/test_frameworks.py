"""The frameworks have one home, ``tools/frameworks.py``, and one rule for a cell tagged for
two of them: an error naming the cell, in the notebook tool and in the site's extension."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from docutils import nodes
from sphinx.errors import ExtensionError

from tools import framework_notebooks, frameworks

ROOT = Path(__file__).resolve().parents[2]


def framework_tabs() -> ModuleType:
    """``_ext/framework_tabs.py``, imported as Sphinx imports it (``_ext`` on the path)."""
    spec = importlib.util.spec_from_file_location(
        "framework_tabs", ROOT / "_ext" / "framework_tabs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("framework_tabs", module)
    spec.loader.exec_module(module)
    return module


def cell_node(tags: list[str]) -> nodes.container:
    """A code cell as myst-nb hands it to the extension."""
    node = nodes.container(nb_element="cell_code", cell_index=3, cell_metadata={"tags": tags})
    node.source = "chapters/x.ipynb"
    return node


def test_the_extension_and_the_tools_share_the_frameworks() -> None:
    tabs = framework_tabs()
    assert tabs.FRAMEWORKS is frameworks.FRAMEWORKS
    assert framework_notebooks.FRAMEWORKS is frameworks.FRAMEWORKS
    assert framework_notebooks.KEPT_NOTEBOOK_METADATA is frameworks.KEPT_NOTEBOOK_METADATA
    assert set(frameworks.MODULES) == set(frameworks.FRAMEWORKS)
    assert next(iter(frameworks.FRAMEWORKS)) == frameworks.PRIMARY


@pytest.mark.parametrize("framework", list(frameworks.FRAMEWORKS))
def test_a_cell_tagged_for_one_framework_belongs_to_it(framework: str) -> None:
    tags = ["hide-input", f"framework-{framework}"]
    assert framework_tabs().cell_framework(cell_node(tags)) == framework
    cell = nbformat.v4.new_code_cell("x = 1", id="c1")
    cell.metadata.tags = tags
    assert framework_notebooks.cell_framework(cell) == framework


def test_a_cell_tagged_for_two_frameworks_is_an_error_naming_it_in_both() -> None:
    tags = [f"framework-{name}" for name in frameworks.FRAMEWORKS]
    with pytest.raises(
        ExtensionError, match=r"code cell 3 of chapters/x\.ipynb is tagged for more"
    ):
        framework_tabs().cell_framework(cell_node(tags))
    cell = nbformat.v4.new_code_cell("x = 1", id="c1")
    cell.metadata.tags = tags
    with pytest.raises(frameworks.FrameworkTagError, match="cell 'c1' is tagged for more"):
        framework_notebooks.cell_framework(cell)
