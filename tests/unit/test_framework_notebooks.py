"""``tools/framework_notebooks.py``: the splits the tools execute, and ``merge``.

A chapter split with its stored outputs and merged back is the chapter again; runs
that printed other text per framework put each output in its own cell (no kernel runs
for these); a chapter without tagged cells runs as its MXNet notebook alone; a kernel's
environment hides the other frameworks; ``tools/store_outputs.py`` stores the outputs
of a sample chapter whose framework cells would clash in one kernel. The notebooks
written for readers: each keeps the untagged cells and its own, the PyTorch one starts
with a setup cell that installs only what is missing, the staleness check, and the
committed ``notebooks/`` are current.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache

from tests.framework_sample import sample_chapter, write_sample
from tests.tabs_sample import CONFIG, write_book
from tests.tabs_sample import sample_chapter as tabs_chapter
from tools import framework_notebooks as tool
from tools import frameworks
from tools.store_outputs import store

ROOT = Path(__file__).resolve().parents[2]
URL, BRANCH = "https://example.org/r", "main"


def splits(chapter: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {
        framework: tool.split(chapter, "sample", framework, URL, BRANCH, keep_outputs=True)
        for framework in tool.frameworks_of(chapter)
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
    assert tool.frameworks_of(chapter) == ("mxnet",)
    assert list(tool.executable_splits(chapter, "sample")) == ["mxnet"]
    mxnet = ran(tool.split(chapter, "sample", "mxnet", URL, BRANCH), "mxnet")
    merged = tool.merge(chapter, {"mxnet": mxnet})
    assert all(
        printed(cell) == [f"mxnet ran {cell.id}\n"]
        for cell in merged.cells
        if cell.cell_type == "code"
    )
    assert tool.frameworks_of(sample_chapter()) == ("mxnet", "pytorch")


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


@pytest.mark.parametrize("framework", tool.FRAMEWORKS)
def test_a_kernels_environment_hides_the_other_frameworks(framework: str) -> None:
    hidden = [frameworks.MODULES[other] for other in tool.FRAMEWORKS if other != framework]
    environment = tool.kernel_environment(framework, {"PYTHONPATH": "/elsewhere", "X": "1"})
    assert environment["X"] == "1"
    assert environment["PYTHONPATH"] == os.pathsep.join(
        [*(str(tool.WITHOUT / module) for module in hidden), "/elsewhere"]
    )
    for module in hidden:
        assert_hidden(framework, module)


def assert_hidden(framework: str, hidden: str) -> None:
    """Importing ``hidden`` in ``framework``'s kernel environment fails with the stand-in's
    message (the framework's own module need not be installed here: TensorFlow is not)."""
    probe = (
        "import importlib\n"
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
    assert result.stdout.startswith(f"{hidden} No module named '{hidden}' here (tools/without/")


def test_store_outputs_stores_each_cells_output_from_its_own_frameworks_run(
    tmp_path: Path,
) -> None:
    path = write_sample(tmp_path, stored=False)
    store(path)
    stored = nbformat.read(path, as_version=4)
    assert stored.cells == sample_chapter().cells
    assert set(stored.metadata) == {"kernelspec", "language_info"}


# --- the notebooks written for readers (split, setup cell, staleness) ---------------


def ids(book: nbformat.NotebookNode) -> list[str]:
    return [cell.id for cell in book.cells]


def tabs_split(framework: str) -> nbformat.NotebookNode:
    """The sample chapter, its first MXNet cell also tagged hide-input, split."""
    chapter = tabs_chapter()
    chapter.cells[2].metadata.tags.append("hide-input")
    return tool.split(chapter, "chapter", framework, "https://example.org/r", "main")


def test_each_notebook_keeps_the_untagged_cells_and_its_own() -> None:
    mxnet, pytorch = tabs_split("mxnet"), tabs_split("pytorch")
    assert ids(mxnet) == [f"chapter-{i}" for i in (0, 1, 2, 4, 5, 6, 8, 9)]
    assert ids(pytorch) == ["chapter-pytorch-setup"] + [f"chapter-{i}" for i in (0, 1, 3, 5, 7, 8)]
    for book in (mxnet, pytorch):
        code_cells = [cell for cell in book.cells if cell.cell_type == "code"]
        assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)
        tags = [tag for cell in book.cells for tag in cell.metadata.get("tags", [])]
        assert not [tag for tag in tags if tag.startswith("framework-")]
        nbformat.validate(book)
    assert mxnet.cells[2].metadata.tags == ["hide-input"]  # other tags stay
    assert nbformat.writes(tabs_split("mxnet")) == nbformat.writes(mxnet)  # stable


def test_the_chapter_itself_is_left_as_it_was() -> None:
    chapter = tabs_chapter()
    tool.split(chapter, "chapter", "pytorch", "https://example.org/r", "main")
    assert nbformat.writes(chapter) == nbformat.writes(tabs_chapter())


def test_a_cell_tagged_for_both_frameworks_is_refused() -> None:
    chapter = tabs_chapter()
    chapter.cells[2].metadata.tags = ["framework-mxnet", "framework-pytorch"]
    with pytest.raises(
        ValueError,
        match=r"cell 'chapter-2' is tagged for more than one framework \(mxnet, pytorch\)",
    ):
        tool.split(chapter, "chapter", "mxnet", "https://example.org/r", "main")


def test_the_pytorch_notebook_starts_with_one_setup_cell(tmp_path: Path) -> None:
    sample_book = tmp_path / "book"
    write_book(sample_book)
    pytorch = nbformat.read(sample_book / "notebooks" / "pytorch" / "chapter.ipynb", 4)
    mxnet = nbformat.read(sample_book / "notebooks" / "mxnet" / "chapter.ipynb", 4)
    installs = [cell for cell in pytorch.cells if "pip" in cell.source]
    assert installs == [pytorch.cells[0]]
    url, branch = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
    assert f'"d2l_utils[torch] @ git+{url}@{branch}"' in pytorch.cells[0].source
    assert not [cell for cell in mxnet.cells if "pip" in cell.source]


def run_setup(source: str, monkeypatch: pytest.MonkeyPatch, installed: bool) -> list[list[str]]:
    """Run the setup cell with pip replaced by a recorder; return the commands it ran."""
    commands: list[list[str]] = []
    monkeypatch.setattr(subprocess, "check_call", lambda command: commands.append(command))
    if not installed:
        find_spec = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *args: None if name == "d2l_utils" else find_spec(name, *args),
        )
    exec(compile(source, "setup-cell", "exec"), {})
    return commands


def test_the_setup_cell_installs_only_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    source = tool.setup_cell("chapter", "pytorch", "https://github.com/o/r", "dev").source
    assert run_setup(source, monkeypatch, installed=True) == []  # the book's own environment
    requirement = "d2l_utils[torch] @ git+https://github.com/o/r@dev"
    assert run_setup(source, monkeypatch, installed=False) == [
        [sys.executable, "-m", "pip", "install", "--quiet", requirement]
    ]


def test_the_staleness_check(tmp_path: Path) -> None:
    book = tmp_path / "book"
    write_book(book)
    written = sorted((book / "notebooks").glob("*/*.ipynb"))
    assert [p.relative_to(book).as_posix() for p in written] == [
        "notebooks/mxnet/chapter.ipynb",
        "notebooks/mxnet/second.ipynb",
        "notebooks/pytorch/chapter.ipynb",
        "notebooks/pytorch/second.ipynb",
    ]
    assert tool.stale(book) == []
    check = [sys.executable, str(ROOT / "tools" / "framework_notebooks.py"), "--check"]
    assert subprocess.run([*check, "--book", str(book)], capture_output=True).returncode == 0

    chapter = nbformat.read(book / "second.ipynb", 4)
    chapter.cells[2].source = "print('changed')"  # the PyTorch cell
    nbformat.write(chapter, book / "second.ipynb")
    assert tool.stale(book) == [book / "notebooks" / "pytorch" / "second.ipynb"]
    result = subprocess.run([*check, "--book", str(book)], capture_output=True, text=True)
    assert result.returncode == 1 and "notebooks/pytorch/second.ipynb" in result.stdout
    tool.write(book)
    assert tool.stale(book) == []

    (book / "notebooks" / "mxnet" / "chapter.ipynb").unlink()
    (book / "notebooks" / "mxnet" / "gone.ipynb").write_text("{}", encoding="utf-8")
    mxnet = book / "notebooks" / "mxnet"
    assert tool.stale(book) == [mxnet / "chapter.ipynb", mxnet / "gone.ipynb"]
    tool.write(book)
    assert tool.stale(book) == []
    assert json.loads((mxnet / "chapter.ipynb").read_text(encoding="utf-8"))["cells"]


def test_the_committed_notebooks_are_current() -> None:
    assert tool.stale(ROOT) == [], "run `make notebooks` and commit notebooks/"
