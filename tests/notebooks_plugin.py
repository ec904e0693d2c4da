"""pytest plugin (loaded via ``-p`` in pyproject.toml) for executing the chapter notebooks.

* A chapter holds the cells of two frameworks, which would clash in one kernel. So a
  chapter notebook nbval would collect (``chapters/x.ipynb``) is replaced by its
  framework notebooks (``tools/framework_notebooks.py``), written at collection time
  with the chapter's stored outputs into ``_build/nbval/<framework>/chapters/x.ipynb``:
  the MXNet one and, if the chapter has tagged cells, the PyTorch one. Each runs in a
  fresh kernel of its own, in the chapter's folder, that cannot import the other
  framework; every output is compared with the stored one as nbval does. Their tests
  are ``chapters/x.ipynb::mxnet::Cell 0``, ..., ``chapters/x.ipynb::pytorch::Cell 0``,
  ...; ``pytest chapters/x.ipynb`` runs both, ``pytest chapters/x.ipynb::pytorch`` one.
* Makes nbval ignore SVG figure bodies, as it already does for PNG: the stored
  notebooks keep only text outputs (a figure is compared by its text form, e.g.
  ``<Figure size 350x250 with 1 Axes>``), never image data.
* The stored notebooks carry no execution counts either (they only make diffs
  noisy), but nbval takes a cell without one for an unrun cell and refuses to
  compare its outputs; a cell with stored outputs is marked as run instead.
* The cells of a framework notebook share its kernel, so the test command distributes
  the tests by file (``--dist loadfile``, which groups by the part of a test's id before
  the first ``::``): a worker takes a whole chapter, both of its notebooks.
* Cells run as Jupyter runs them, with history stored: nbval executes with
  ``store_history=False``, which breaks IPython's rule that a trailing ``;``
  hides a cell's value (the book's ``d2l.train_ch11(...);`` relies on it).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel, start_new_kernel
from nbval.plugin import IPyNbFile

from tools import framework_notebooks

os.environ.setdefault("MPLBACKEND", "Agg")
#: Where the framework notebooks of the chapters are written, under the rootdir.
SPLITS = Path("_build") / "nbval"


def _execute_as_jupyter_does(
    self: RunningKernel, cell_input: str, allow_stdin: bool | None = None
) -> str:
    reply: str = self.kc.execute(
        cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
    )
    return reply


RunningKernel.execute_cell_input = _execute_as_jupyter_does


class FrameworkKernel(RunningKernel):  # type: ignore[misc]
    """nbval's kernel, started in ``cwd`` with the environment ``env``."""

    def __init__(self, kernel_name: str, cwd: Path, env: dict[str, str], timeout: float) -> None:
        self.km, self.kc = start_new_kernel(
            startup_timeout=timeout,
            kernel_name=kernel_name,
            stderr=subprocess.DEVNULL,
            cwd=str(cwd),
            env=env,
        )
        self._ensure_iopub_up()


class FrameworkNotebook(IPyNbFile):  # type: ignore[misc]
    """One framework notebook of a chapter, run by nbval in the chapter's folder, in a
    kernel that cannot import the other framework."""

    def __init__(self, *args: Any, chapter: Path, framework: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapter, self.framework = chapter, framework

    def setup(self) -> None:
        option = self.config.option
        if option.nbval_current_env:
            kernel_name = CURRENT_ENV_KERNEL_NAME
        else:
            kernel_name = option.nbval_kernel_name or self.nb.metadata.get("kernelspec", {}).get(
                "name", "python"
            )
        self.kernel = FrameworkKernel(
            kernel_name,
            self.chapter.parent,
            framework_notebooks.kernel_environment(self.framework),
            option.nbval_kernel_startup_timeout,
        )
        self.setup_sanitize_files()


class ChapterNotebook(pytest.File):
    """A chapter: its framework notebooks, written with its stored outputs."""

    def collect(self) -> Iterator[FrameworkNotebook]:
        chapter = nbformat.read(self.path, as_version=4)
        splits = framework_notebooks.executable_splits(chapter, self.path.stem, keep_outputs=True)
        root = self.config.rootpath
        inside = self.path.is_relative_to(root)
        relative = self.path.relative_to(root if inside else self.path.anchor)
        for framework, split in splits.items():
            path = root / SPLITS / framework / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}")  # workers write at once
            nbformat.write(split, partial)
            partial.replace(path)
            yield FrameworkNotebook.from_parent(
                self,
                path=path,
                name=framework,
                nodeid=f"{self.nodeid}::{framework}",
                chapter=self.path,
                framework=framework,
            )


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(
    file_path: Path, parent: pytest.Collector
) -> Generator[None, list[pytest.Collector], list[pytest.Collector]]:
    """Replace nbval's collector of a notebook by a ``ChapterNotebook``; a framework
    notebook written here is collected through its chapter only."""
    collected = yield
    if not any(isinstance(node, IPyNbFile) for node in collected):
        return collected
    others = [node for node in collected if not isinstance(node, IPyNbFile)]
    if file_path.is_relative_to(parent.config.rootpath / SPLITS):
        return others
    return [*others, ChapterNotebook.from_parent(parent, path=file_path)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip comparing SVG payloads; treat cells with stored outputs as run."""
    for item in items:
        notebook = item.parent
        if isinstance(notebook, IPyNbFile) and "image/svg+xml" not in notebook.skip_compare:
            notebook.skip_compare = (*notebook.skip_compare, "image/svg+xml")
        cell = getattr(item, "cell", None)
        if cell is not None and cell.get("outputs") and cell.get("execution_count") is None:
            cell["execution_count"] = 0
