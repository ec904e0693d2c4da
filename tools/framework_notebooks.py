"""Write each chapter notebook's framework notebooks (MXNet, PyTorch, TensorFlow).

Usage: python tools/framework_notebooks.py [--check] [--book FOLDER]

The chapters are the notebook pages listed in the book's ``_toc.yml``. A chapter's
code cells tagged ``framework-<name>`` belong to one framework (``tools/frameworks.py``;
the website shows them as tabs). ``notebooks/<name>/<chapter>.ipynb`` keeps the untagged
cells and that framework's cells; it exists for the primary framework (MXNet, the
section's own) and for each framework the chapter has a cell for. Where the framework
installs on Colab, it starts with one setup cell that installs the book's package with
that framework's extra where it is missing. The framework tags are removed, the outputs
cleared, and every cell keeps the chapter's id, so the files only change when the
chapter does. ``--check`` writes nothing and exits with status 1 when a written notebook
would differ from the one on disk (or is missing, or has no chapter any more).

The same module gives the tools that execute a chapter what they need: each framework's
notebook is executed on its own, in a kernel of its own that cannot import the other
frameworks (``kernel_environment``), as a reader runs it; ``merge`` puts the outputs of
those runs back into the chapter, each cell's from its own framework's run.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat
import yaml
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.frameworks import (  # noqa: E402
    EXTRAS,
    MODULES,
    PRIMARY,
    TAG_PREFIX,
    framework_of,
    notebook_frameworks,
)
from tools.frameworks import (  # noqa: E402  (one home for the frameworks: tools/frameworks.py)
    FRAMEWORKS as FRAMEWORKS,
)
from tools.frameworks import (  # noqa: E402
    KEPT_NOTEBOOK_METADATA as KEPT_NOTEBOOK_METADATA,
)

OUTPUT = "notebooks"
#: The folder whose stand-ins for each framework's module raise ModuleNotFoundError on
#: import: every other framework's is put first on a kernel's PYTHONPATH.
WITHOUT = ROOT / "tools" / "without"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

SETUP = """\
# Setup for a fresh kernel such as Colab's: install this book's package with its
# {label} extra from the book's repository when it is missing. In the book's own
# environment d2l_utils is found and nothing happens. `sys.executable -m pip` (rather
# than `!pip`, or `%pip`, which only IPython understands) installs into the Python
# this kernel runs, and find_spec looks for the package without importing it.
import importlib
import importlib.util
import subprocess
import sys

REQUIREMENT = "{requirement}"
if importlib.util.find_spec("d2l_utils") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", REQUIREMENT])
    importlib.invalidate_caches()  # let this kernel see the newly installed package
"""


def repository(config: Path) -> tuple[str, str]:
    """The book's ``repository.url`` and ``repository.branch`` from its ``_config.yml``."""
    section = yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]
    return str(section["url"]).rstrip("/"), str(section.get("branch", "main"))


def cell_framework(cell: nbformat.NotebookNode) -> str | None:
    """The framework a cell is tagged for, or None; a cell tagged for two is an error."""
    found = framework_of(cell.metadata.get("tags", []), f"cell {cell.get('id')!r}")
    if found and cell.cell_type != "code":
        raise ValueError(f"cell {cell.get('id')!r} is tagged {TAG_PREFIX}{found} but not code")
    return found


def setup_cell(name: str, framework: str, url: str, branch: str) -> nbformat.NotebookNode:
    """The first cell of a ``framework`` notebook (one of ``EXTRAS``): install
    ``d2l_utils[<its extra>]`` from the book's repository if the package is missing."""
    requirement = f"d2l_utils[{EXTRAS[framework]}] @ git+{url}@{branch}"
    source = SETUP.format(label=FRAMEWORKS[framework], requirement=requirement)
    cell: nbformat.NotebookNode = nbformat.v4.new_code_cell(source)
    cell.id = f"{name}-{framework}-setup"
    return cell


def split(
    chapter: nbformat.NotebookNode,
    name: str,
    framework: str,
    url: str,
    branch: str,
    *,
    keep_outputs: bool = False,
) -> nbformat.NotebookNode:
    """The ``framework`` notebook of ``chapter`` (whose file is ``<name>.ipynb``); with
    ``keep_outputs``, its cells keep the chapter's stored outputs (what nbval compares)."""
    cells = []
    for cell in chapter.cells:
        own = cell_framework(cell)
        if own not in (None, framework):
            continue
        kept = copy.deepcopy(cell)
        tags = [t for t in kept.metadata.get("tags", []) if not t.startswith(TAG_PREFIX)]
        kept.metadata.pop("tags", None)
        if tags:
            kept.metadata.tags = tags
        if kept.cell_type == "code" and not keep_outputs:
            kept.outputs, kept.execution_count = [], None
        cells.append(kept)
    if framework in EXTRAS:
        cells.insert(0, setup_cell(name, framework, url, branch))
    ids = [cell.get("id") for cell in cells]
    if None in ids or len(set(ids)) != len(ids):
        raise ValueError(f"{name}: every cell needs an id of its own, got {ids}")
    notebook: nbformat.NotebookNode = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        k: chapter.metadata[k] for k in KEPT_NOTEBOOK_METADATA if k in chapter.metadata
    }
    notebook.nbformat_minor = max(chapter.nbformat_minor, 5)  # cell ids need 4.5
    return notebook


def frameworks_of(chapter: nbformat.NotebookNode) -> tuple[str, ...]:
    """The frameworks ``chapter`` has a notebook for (``frameworks.notebook_frameworks``).
    These notebooks are written, offered to readers and executed to give every code cell
    its outputs."""
    return notebook_frameworks(cell_framework(cell) for cell in chapter.cells)


def executable_splits(
    chapter: nbformat.NotebookNode, name: str, *, keep_outputs: bool = False
) -> dict[str, nbformat.NotebookNode]:
    """The notebooks of ``frameworks_of(chapter)``, by framework (the setup cell
    installs from this book's repository)."""
    url, branch = repository(ROOT / "_config.yml")
    return {
        framework: split(chapter, name, framework, url, branch, keep_outputs=keep_outputs)
        for framework in frameworks_of(chapter)
    }


def kernel_environment(framework: str, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``environ`` for the kernel of a ``framework`` notebook: every other framework's
    stand-in first on PYTHONPATH, so that importing it fails as where it is not installed."""
    hidden = [str(WITHOUT / MODULES[other]) for other in FRAMEWORKS if other != framework]
    path = environ.get("PYTHONPATH")
    return {**environ, "PYTHONPATH": os.pathsep.join([*hidden, path] if path else hidden)}


def _widget_state(runs: list[nbformat.NotebookNode]) -> dict[str, object] | None:
    """The widget state of ``runs`` in one record (each run's models under their ids)."""
    states = [run.metadata.widgets[WIDGET_STATE] for run in runs if "widgets" in run.metadata]
    if not states:
        return None
    models = {key: model for state in states for key, model in state["state"].items()}
    return {**states[0], "state": models}


def merge(
    chapter: nbformat.NotebookNode, runs: Mapping[str, nbformat.NotebookNode]
) -> nbformat.NotebookNode:
    """``chapter`` with the outputs of its framework notebooks' ``runs`` (by framework).

    A tagged code cell takes its outputs and execution count from its own framework's
    run, an untagged one from the primary framework's; cells are matched by id (a setup
    cell has one of its own and is dropped). A chapter without tagged cells has the
    primary run alone. The chapter's cells, metadata and tags stay as they are (the
    execution cache matches them); the notebook's ``language_info`` comes from the
    primary run and its widget state from all.
    """
    cells = {
        framework: {cell.get("id"): cell for cell in run.cells} for framework, run in runs.items()
    }
    merged = copy.deepcopy(chapter)
    for cell in merged.cells:
        if cell.cell_type != "code":
            continue
        framework = cell_framework(cell) or PRIMARY
        if framework not in cells:
            raise ValueError(f"cell {cell.get('id')!r} is tagged {framework}: its run is missing")
        ran = cells[framework].get(cell.get("id"))
        if ran is None or ran.source != cell.source:
            raise ValueError(f"the {framework} run has no cell {cell.get('id')!r} of this code")
        cell.outputs = copy.deepcopy(ran.outputs)
        cell.execution_count = ran.execution_count
    primary = runs.get(PRIMARY)
    if primary is not None and "language_info" in primary.metadata:
        merged.metadata.language_info = copy.deepcopy(primary.metadata.language_info)
    widgets = _widget_state(list(runs.values()))
    if widgets is not None:
        merged.metadata.widgets = {WIDGET_STATE: copy.deepcopy(widgets)}
    return merged


def chapters(book: Path) -> list[Path]:
    """The notebook pages of the book, in the order of its ``_toc.yml``."""
    pages = [book / f"{docname}.ipynb" for docname in parse_toc_yaml(book / "_toc.yml")]
    return [path for path in pages if path.is_file()]


def expected(book: Path = ROOT) -> dict[Path, str]:
    """Every framework notebook's path under ``book/notebooks`` and its text."""
    url, branch = repository(book / "_config.yml")
    files: dict[Path, str] = {}
    for chapter in chapters(book):
        notebook = nbformat.read(chapter, as_version=4)
        for framework in frameworks_of(notebook):
            path = book / OUTPUT / framework / f"{chapter.stem}.ipynb"
            if path in files:
                raise ValueError(f"two chapters are named {chapter.stem}")
            text = nbformat.writes(split(notebook, chapter.stem, framework, url, branch))
            files[path] = text + "\n"  # as nbformat.write ends a file
    return files


def _on_disk(book: Path) -> set[Path]:
    return set((book / OUTPUT).glob("*/*.ipynb"))


def stale(book: Path = ROOT) -> list[Path]:
    """The framework notebooks that are missing, differ from what ``write`` writes, or
    have no chapter."""
    files = expected(book)
    wrong = [p for p, text in files.items() if not p.is_file() or p.read_text("utf-8") != text]
    return sorted(wrong + list(_on_disk(book) - set(files)))


def write(book: Path = ROOT) -> list[Path]:
    """Write every framework notebook and remove those without a chapter; return the
    paths written."""
    files = expected(book)
    for path in _on_disk(book) - set(files):
        path.unlink()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=ROOT, help="the book's folder")
    parser.add_argument("--check", action="store_true", help="report stale notebooks only")
    arguments = parser.parse_args()
    book = arguments.book.resolve()
    if arguments.check:
        outdated = stale(book)
        for path in outdated:
            print(f"stale: {path.relative_to(book)} (run `make notebooks`)")
        sys.exit(1 if outdated else 0)
    written = write(book)
    print(f"wrote {len(written)} notebooks into {book / OUTPUT}")
