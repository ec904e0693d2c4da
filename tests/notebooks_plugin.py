"""pytest plugin (loaded via ``-p`` in pyproject.toml) for checking the chapter notebooks.

* A chapter holds the cells of up to three frameworks, which would clash in one kernel. So a
  chapter notebook nbval would collect (``chapters/x.ipynb``) is replaced by its
  framework notebooks (``tools/framework_notebooks.py``), written at collection time
  with the chapter's stored outputs into ``_build/nbval/<framework>/chapters/x.ipynb``:
  the MXNet one and, if the chapter has tagged cells, the others. Their tests are
  ``chapters/x.ipynb::mxnet::Cell 0``, ..., ``chapters/x.ipynb::pytorch::Cell 0``, ...;
  ``pytest chapters/x.ipynb`` runs all, ``pytest chapters/x.ipynb::pytorch`` one.
* Each cell's stored outputs are compared, by nbval's own comparison (``compare_outputs``,
  the sanitize file, the same skipped keys and tags), with the outputs of that cell in a
  fresh run of its framework notebook: the run the build made, kept with the execution
  cache (``tools/execute_chapters.py``: each framework notebook top to bottom in a fresh
  kernel of its own, in the chapter's folder, that cannot import the other frameworks).
  Before comparing, the plugin runs ``execute_chapters.execute`` on every chapter
  collected, under the rootdir's ``_build``: a chapter whose code, or any part of the
  package it used, changed since its run (or that has no run) is executed again first,
  so a stale run cannot hide a change; after ``make site`` nothing runs again. A chapter
  that fails to execute fails each of its tests with its traceback.
* Makes nbval ignore SVG figure bodies, as it already does for PNG: the stored
  notebooks keep only text outputs (a figure is compared by its text form, e.g.
  ``<Figure size 350x250 with 1 Axes>``), never image data.
* The stored notebooks carry no execution counts either (they only make diffs
  noisy), but nbval takes a cell without one for an unrun cell and refuses to
  compare its outputs; a cell with stored outputs is marked as run instead.
* The test command distributes the tests by file (``--dist loadfile``, which groups by the
  part of a test's id before the first ``::``): a worker takes a whole chapter.
"""

from __future__ import annotations

from tools.startup import skip_iri_parsers

skip_iri_parsers()  # before nbval imports nbformat: 6 s less per pytest process

import copy
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_cache import get_cache
from nbval.plugin import IPyNbCell, IPyNbFile, coalesce_streams

from tools import execute_chapters, framework_notebooks

os.environ.setdefault("MPLBACKEND", "Agg")
#: Where the framework notebooks of the chapters are written, under the rootdir.
SPLITS = Path("_build") / "nbval"
#: The chapters collected in this session (executed, if need be, before the first test).
CHAPTERS = pytest.StashKey[list[Path]]()
#: Each chapter's framework notebooks' runs, once this process has looked them up.
RUNS = pytest.StashKey[dict[Path, dict[str, nbformat.NotebookNode]]]()


def fresh_runs(config: pytest.Config, chapter: Path) -> dict[str, nbformat.NotebookNode]:
    """The runs of ``chapter``'s framework notebooks, by framework, from the execution
    cache under the rootdir's ``_build``: the first call executes every collected chapter
    that is not cached or whose record says that something it used changed (one process
    at a time: the others wait for it, then find them cached)."""
    runs = config.stash.setdefault(RUNS, {})
    if not runs:
        book = config.rootpath
        progress = execute_chapters.execute(config.stash.get(CHAPTERS, [chapter]), book)
        cache = get_cache(str(book / "_build" / ".jupyter_cache"))
        for path in config.stash.get(CHAPTERS, [chapter]):
            uri = str(path.resolve())
            if uri in progress.failed:
                runs[path] = {}
                continue
            record = cache.get_cached_project_nb(uri)
            runs[path] = {} if record is None else execute_chapters.executed_runs(cache, record)
    if chapter not in runs:  # not collected with the others (e.g. a second session)
        config.stash[RUNS] = {}
        config.stash[CHAPTERS] = [chapter]
        return fresh_runs(config, chapter)
    return runs[chapter]


class FrameworkNotebook(IPyNbFile):  # type: ignore[misc]
    """One framework notebook of a chapter, its stored outputs compared with the build's
    fresh run of it (no kernel of its own)."""

    def __init__(self, *args: Any, chapter: Path, framework: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapter, self.framework = chapter, framework
        self.ran: list[nbformat.NotebookNode] = []

    def setup(self) -> None:
        runs = fresh_runs(self.config, self.chapter)
        if self.framework not in runs:
            project = get_cache(str(self.config.rootpath / "_build" / ".jupyter_cache"))
            traceback = project.get_project_record(str(self.chapter.resolve())).traceback
            raise RuntimeError(
                f"{self.chapter.name} did not execute in its {self.framework} notebook:\n"
                f"{traceback or '(no traceback: see the output above)'}"
            )
        self.ran = [cell for cell in runs[self.framework].cells if cell.cell_type == "code"]
        self.setup_sanitize_files()

    def collect(self) -> Iterator[IPyNbCell]:
        for item in super().collect():
            yield RunCell.from_parent(
                self, name=item.name, cell_num=item.cell_num, cell=item.cell, options=item.options
            )


class RunCell(IPyNbCell):  # type: ignore[misc]
    """A cell's test: its stored outputs against its outputs in the fresh run, as nbval's
    ``runtest`` compares them with the outputs of a kernel."""

    def runtest(self) -> None:
        if self.options["skip"]:
            pytest.skip()
        # By position: a copy of a chapter (same code, same cached run) names its setup
        # cell after its own file.
        ran = self.parent.ran[self.cell_num] if self.cell_num < len(self.parent.ran) else None
        if ran is None or ran.source != self.cell.source:
            raise self.raise_cell_error("the fresh run of this notebook has no cell of this code")
        outputs = coalesce_streams([nbformat.from_dict(copy.deepcopy(o)) for o in ran.outputs])
        for output in outputs:
            if output.output_type == "error" and not self.options["check_exception"]:
                traceback = "\n" + "\n".join(output.traceback)
                self.raise_cell_error("Cell execution caused an exception", traceback)
        unrun = self.cell.execution_count is None
        if unrun and self.cell.outputs:
            self.raise_cell_error("Unrun reference cell has outputs")
        stored = coalesce_streams(self.cell.outputs)
        if self.options["check"] and not unrun and not self.compare_outputs(outputs, stored):
            self.raise_cell_error("Cell outputs differ", "\n".join(self.comparison_traceback))


class ChapterNotebook(pytest.File):
    """A chapter: its framework notebooks, written with its stored outputs."""

    def collect(self) -> Iterator[FrameworkNotebook]:
        self.config.stash.setdefault(CHAPTERS, []).append(self.path)
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
