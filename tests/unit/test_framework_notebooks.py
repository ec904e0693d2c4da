"""``tools/framework_notebooks.py``: the splits the tools execute, and ``merge``.

A chapter split with its stored outputs and merged back is the chapter again; runs
that printed other text per framework put each output in its own cell (no kernel runs
for these); a chapter without tagged cells runs as its MXNet notebook alone; a kernel's
environment hides the other framework; ``tools/store_outputs.py`` stores the outputs
of a sample chapter whose framework cells would clash in one kernel.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache

from tests.framework_sample import sample_chapter, write_sample
from tools import framework_notebooks as tool
from tools.store_outputs import store

URL, BRANCH = "https://example.org/r", "main"


def splits(chapter: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {
        framework: tool.split(chapter, "sample", framework, URL, BRANCH, keep_outputs=True)
        for framework in tool.FRAMEWORKS
    }


def printed(cell: nbformat.NotebookNode) -> list[str]:
    return [output.text for output in cell.outputs]


def ran(notebook: nbformat.NotebookNode, framework: str) -> nbformat.NotebookNode:
    """``notebook`` as if executed: each code cell printed ``<framework> ran <id>``."""
    executed = copy.deepcopy(notebook)
    for count, cell in enumerate(c for c in executed.cells if c.cell_type == "code"):
        text = f"{framework} ran {cell.id}\n"
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = count + 1
    executed.metadata.language_info = {"name": "python", "ran": framework}
    return executed


def test_split_with_outputs_keeps_each_cells_stored_output() -> None:
    chapter = sample_chapter()
    stored = {cell.id: cell.outputs for cell in chapter.cells if cell.cell_type == "code"}
    for framework, split in splits(chapter).items():
        code = [cell for cell in split.cells if cell.cell_type == "code"]
        if framework == "pytorch":
            setup, *code = code
            assert setup.id == "sample-pytorch-setup" and setup.outputs == []
        assert [(c.id, c.outputs) for c in code] == [(c.id, stored[c.id]) for c in code]
        texts = [text for cell in code for text in printed(cell)]
        assert texts[0] == "untagged\n"  # an untagged cell's stored output in both
        own, other = ("mxnet", "torch") if framework == "mxnet" else ("torch", "mxnet")
        assert f"d2l_sample.{own}\n" in texts and f"d2l_sample.{other}\n" not in texts
    cleared = tool.split(chapter, "sample", "mxnet", URL, BRANCH)
    assert all(c.outputs == [] for c in cleared.cells if c.cell_type == "code")


def test_the_split_with_outputs_merges_back_into_the_chapter() -> None:
    chapter = sample_chapter()
    merged = tool.merge(chapter, splits(chapter))
    assert merged == chapter
    assert merged is not chapter


def test_merge_takes_each_cells_outputs_from_its_own_frameworks_run(tmp_path: Path) -> None:
    chapter = sample_chapter()
    before = copy.deepcopy(chapter)
    runs = {framework: ran(split, framework) for framework, split in splits(chapter).items()}
    merged = tool.merge(chapter, runs)
    assert chapter == before  # the chapter itself is left as it was
    assert [cell.id for cell in merged.cells] == [cell.id for cell in chapter.cells]
    for cell, original in zip(merged.cells, chapter.cells, strict=True):
        if cell.cell_type != "code":
            assert cell == original
            continue
        framework = tool.cell_framework(cell) or "mxnet"
        assert printed(cell) == [f"{framework} ran {cell.id}\n"], cell.id
        assert (cell.source, cell.metadata) == (original.source, original.metadata)
    executed = [cell.execution_count for cell in merged.cells if cell.cell_type == "code"]
    assert executed == [1, 2, 3, 3, 4, 4, 5, 6]  # the PyTorch run counts its setup cell
    assert merged.metadata.language_info == {"name": "python", "ran": "mxnet"}
    assert merged.metadata.kernelspec == chapter.metadata.kernelspec
    # The execution cache's key (the code cells and their metadata, the kernelspec) is the
    # chapter's: myst-nb's lookup finds the merged notebook for the chapter.
    cache = get_cache(str(tmp_path))
    assert cache.create_hashed_notebook(merged)[1] == cache.create_hashed_notebook(chapter)[1]


def test_merge_joins_the_widget_state_of_both_runs() -> None:
    chapter = sample_chapter()
    runs = {framework: ran(split, framework) for framework, split in splits(chapter).items()}
    for framework, run in runs.items():
        state = {"state": {f"{framework}-model": {"state": {}}}, "version_major": 2}
        run.metadata.widgets = {tool.WIDGET_STATE: state}
    widgets = tool.merge(chapter, runs).metadata.widgets
    assert widgets[tool.WIDGET_STATE] == {
        "state": {"mxnet-model": {"state": {}}, "pytorch-model": {"state": {}}},
        "version_major": 2,
    }


def test_a_chapter_without_tagged_cells_runs_as_its_mxnet_notebook_alone() -> None:
    chapter = sample_chapter()
    for cell in chapter.cells:
        cell.metadata.pop("tags", None)
    assert tool.frameworks_to_run(chapter) == ("mxnet",)
    assert list(tool.executable_splits(chapter, "sample")) == ["mxnet"]
    mxnet = ran(tool.split(chapter, "sample", "mxnet", URL, BRANCH), "mxnet")
    merged = tool.merge(chapter, {"mxnet": mxnet})
    assert all(
        printed(cell) == [f"mxnet ran {cell.id}\n"]
        for cell in merged.cells
        if cell.cell_type == "code"
    )
    assert tool.frameworks_to_run(sample_chapter()) == ("mxnet", "pytorch")


def test_merge_refuses_runs_that_do_not_match_the_chapter() -> None:
    chapter = sample_chapter()
    mxnet, pytorch = splits(chapter).values()
    with pytest.raises(ValueError, match="tagged pytorch: its run is missing"):
        tool.merge(chapter, {"mxnet": mxnet})
    changed = copy.deepcopy(pytorch)
    changed.cells[-1].source = "print('other code')"
    with pytest.raises(ValueError, match="the pytorch run has no cell 'sample-8'"):
        tool.merge(chapter, {"mxnet": mxnet, "pytorch": changed})
    del changed.cells[-1]
    with pytest.raises(ValueError, match="the pytorch run has no cell 'sample-8'"):
        tool.merge(chapter, {"mxnet": mxnet, "pytorch": changed})


@pytest.mark.parametrize(
    ("framework", "hidden", "found"), [("mxnet", "torch", "mxnet"), ("pytorch", "mxnet", "torch")]
)
def test_a_kernels_environment_hides_the_other_framework(
    framework: str, hidden: str, found: str
) -> None:
    environment = tool.kernel_environment(framework, {"PYTHONPATH": "/elsewhere", "X": "1"})
    assert environment["X"] == "1"
    assert environment["PYTHONPATH"] == os.pathsep.join([str(tool.WITHOUT / hidden), "/elsewhere"])
    probe = (
        f"import importlib, {found}\n"
        f"try:\n    importlib.import_module({hidden!r})\n"
        f"except ModuleNotFoundError as error:\n    print(error.name, error)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=tool.kernel_environment(framework),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{hidden} No module named '{hidden}' in a chapter's")


def test_store_outputs_stores_each_cells_output_from_its_own_frameworks_run(
    tmp_path: Path,
) -> None:
    path = write_sample(tmp_path, stored=False)
    store(path)
    stored = nbformat.read(path, as_version=4)
    assert stored.cells == sample_chapter().cells
    assert set(stored.metadata) == {"kernelspec", "language_info"}
