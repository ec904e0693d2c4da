"""The frameworks have one home, ``tools/frameworks.py``, and one rule for a cell tagged for
two of them: an error naming the cell, in the notebook tool and in the site's extension.
Each framework has a kernel, and the kernels of other environments are installed by name."""

from __future__ import annotations

import importlib.util
import json
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from docutils import nodes
from sphinx.errors import ExtensionError

from tools import framework_notebooks, frameworks, kernels

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


def test_every_framework_has_a_kernel_and_every_other_kernel_an_environment() -> None:
    assert set(frameworks.KERNELS) == set(frameworks.FRAMEWORKS)
    others = {kernel for kernel in frameworks.KERNELS.values() if kernel != "python3"}
    assert others == set(frameworks.OTHER_ENVIRONMENTS)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert set(frameworks.EXTRAS.values()) <= set(extras["optional-dependencies"])
    assert frameworks.PRIMARY not in frameworks.EXTRAS  # MXNet does not install in Colab


def test_installing_the_kernels_writes_each_environments_spec(tmp_path: Path) -> None:
    book, prefix = tmp_path / "book", tmp_path / "prefix"
    for folder in frameworks.OTHER_ENVIRONMENTS.values():
        python = book / folder / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.touch()
    written = kernels.install(book, prefix)
    assert [path.parent.name for path in written] == list(frameworks.OTHER_ENVIRONMENTS)
    spec = json.loads(written[0].read_text())
    folder = frameworks.OTHER_ENVIRONMENTS[written[0].parent.name]
    assert spec["argv"][0] == str(book / folder / "bin" / "python")
    assert "TensorFlow" in spec["display_name"]
    assert list(written[0].parent.iterdir()) == [written[0]]  # no partial file left


def test_installing_a_kernel_whose_environment_is_not_built_names_it(tmp_path: Path) -> None:
    folder = next(iter(frameworks.OTHER_ENVIRONMENTS.values()))
    with pytest.raises(FileNotFoundError, match=f"runs in {folder}, which is not built"):
        kernels.install(tmp_path, tmp_path / "prefix")
    assert not (tmp_path / "prefix").exists()
