"""The test command's notebook check fails when a stored output is wrong.

``make test`` runs nbval over every chapter (``testpaths`` in pyproject.toml), through
``tests/notebooks_plugin.py``: each chapter's framework notebooks are written with its
stored outputs, each executed in a fresh kernel of its own, and every output is
compared with the stored one, timings masked by ``tests/sanitize.cfg``. Here copies of
chapters go through the same check, with the same options: a copy of a chapter with
one stored number changed must fail at that cell and the unchanged copy pass; a sample
chapter whose MXNet and PyTorch cells would clash in one kernel must pass, and fail
once its PyTorch cell's stored output is changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from tests.framework_sample import sample_chapter, stored_output, write_sample
from tools.framework_notebooks import executable_splits


def splits(chapter: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return executable_splits(chapter, "sample")


ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "chapters" / "algorithm.ipynb"
#: A number the chapter prints (the half-life at gamma = 0.9), and a wrong one.
STORED, WRONG = "6.58", "6.59"


def nbval(
    folder: Path, *arguments: Path | str, first: Path | None = None
) -> tuple[int, str, list[str]]:
    """Run the test command's pytest options (pyproject.toml) with ``arguments`` (the
    notebooks), ``folder`` as the rootdir; its exit status, output and ``FAILED`` lines.
    ``first`` goes before the checkout on PYTHONPATH (the kernels inherit it)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            "pyproject.toml",
            "--rootdir",
            str(folder),
            "-p",
            "no:xdist",
            "-q",
            "-rf",
            *map(str, arguments),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(map(str, filter(None, [first, ROOT])))},
        capture_output=True,
        text=True,
        timeout=300,
    )
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    return result.returncode, result.stdout, failed


def test_a_changed_stored_number_fails_and_the_unchanged_copy_passes(tmp_path: Path) -> None:
    unchanged = tmp_path / "unchanged.ipynb"
    changed = tmp_path / "changed.ipynb"
    shutil.copy(CHAPTER, unchanged)
    notebook = json.loads(CHAPTER.read_text(encoding="utf-8"))
    edited = [
        index
        for index, cell in enumerate(notebook["cells"])
        for output in cell.get("outputs", [])
        if STORED in "".join(output.get("text", ""))
    ]
    assert edited, f"{CHAPTER.name} no longer prints {STORED}; pick another stored number"
    for output in notebook["cells"][edited[0]]["outputs"]:
        output["text"] = [line.replace(STORED, WRONG) for line in output.get("text", [])]
    changed.write_text(json.dumps(notebook), encoding="utf-8")

    status, printed, failed = nbval(tmp_path, unchanged, changed)
    assert status == 1, printed[-2000:]
    # That cell's test fails in each framework notebook that holds it (both, if untagged).
    edited_id = notebook["cells"][edited[0]]["id"]
    expected = []
    for framework, split in splits(nbformat.reads(json.dumps(notebook), 4)).items():
        code = [cell.id for cell in split.cells if cell.cell_type == "code"]
        if edited_id in code:
            where = f"{os.path.relpath(changed, ROOT)}::{framework}::Cell {code.index(edited_id)}"
            expected.append(f"FAILED {where}")
    assert expected and [line.split(" - ")[0] for line in failed] == expected, failed
    assert "Cell outputs differ" in printed
    assert (tmp_path / "_build" / "nbval" / "mxnet" / "changed.ipynb").is_file()


def test_each_framework_notebook_runs_alone_and_a_changed_pytorch_output_fails(
    tmp_path: Path,
) -> None:
    unchanged = write_sample(tmp_path, "unchanged")
    changed = write_sample(tmp_path, "changed")
    chapter = nbformat.read(changed, as_version=4)
    index = stored_output(chapter, "pytorch", "d2l_sample.torch\n")
    chapter.cells[index].outputs[0].text = "d2l_sample.mxnet\n"
    nbformat.write(chapter, changed)

    status, printed, failed = nbval(tmp_path, unchanged, changed)
    assert status == 1, printed[-3000:]
    # The failing test is that cell's in the PyTorch notebook (after its setup cell).
    pytorch = nbformat.read(tmp_path / "_build/nbval/pytorch/changed.ipynb", as_version=4)
    code = [cell.id for cell in pytorch.cells if cell.cell_type == "code"]
    cell = code.index(chapter.cells[index].id)
    assert [line.split(" - ")[0] for line in failed] == [
        f"FAILED {os.path.relpath(changed, ROOT)}::pytorch::Cell {cell}"
    ], failed
    assert "Cell outputs differ" in printed
    # Every cell of both notebooks of both chapters ran: one test each.
    cells = sum(c.cell_type == "code" for c in sample_chapter().cells)
    tagged = sum("tags" in c.metadata for c in sample_chapter().cells)
    per_chapter = 2 * cells - tagged + 1  # untagged cells in both, the setup cell
    assert f"1 failed, {2 * per_chapter - 1} passed" in printed


def test_the_cells_of_a_framework_notebook_stay_on_one_xdist_worker(tmp_path: Path) -> None:
    """``--dist loadfile`` sends all tests whose ids agree up to the first ``::`` to one
    worker, in order: a chapter's, both of its notebooks, each in its own kernel."""
    chapters = [write_sample(tmp_path, name) for name in ("a", "b")]
    status, printed, _ = nbval(tmp_path, "--collect-only", *chapters)
    assert status == 0, printed[-2000:]
    ids = [line for line in printed.splitlines() if "::" in line]  # relative to the rootdir
    cells = {
        framework: sum(c.cell_type == "code" for c in split.cells)
        for framework, split in splits(sample_chapter()).items()
    }
    expected = [
        f"{chapter.name}::{framework}::Cell {index}"
        for chapter in chapters
        for framework, count in cells.items()
        for index in range(count)
    ]
    assert ids == expected
    scopes = {nodeid.split("::", 1)[0] for nodeid in ids}
    assert scopes == {"a.ipynb", "b.ipynb"}


def test_a_stale_run_cannot_hide_a_change_to_the_package(tmp_path: Path) -> None:
    """The notebook tests compare with the build's run, kept in the cache: after a change
    to a function a chapter calls, that run is stale, and the tests run the chapter again
    (its record says it called the function) and fail on the changed number."""
    package = tmp_path / "d2l_utils"  # first on the kernels' path: not the installed one
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module in ("leaky_average.py", "validation.py"):
        shutil.copy(ROOT / "d2l_utils" / module, package / module)
    chapter = nbformat.v4.new_notebook()
    chapter.metadata.kernelspec = {"name": "python3", "display_name": "Python 3"}
    cell = nbformat.v4.new_code_cell(
        "from d2l_utils.leaky_average import half_life\nprint(round(half_life(0.9), 2))"
    )
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{STORED}\n")]
    chapter.cells = [cell]
    path = tmp_path / "uses_half_life.ipynb"
    nbformat.write(chapter, path)
    status, printed, failed = nbval(tmp_path, path, first=tmp_path)
    assert status == 0, printed[-2000:]

    module = package / "leaky_average.py"
    source = module.read_text(encoding="utf-8")
    changed = source.replace(
        "math.log(2) / -math.log(gamma)", "math.log(2) / -math.log(gamma) + 0.01"
    )
    assert changed != source
    module.write_text(changed, encoding="utf-8")
    status, printed, failed = nbval(tmp_path, path, first=tmp_path)
    assert status == 1, printed[-2000:]
    assert [line.split(" - ")[0] for line in failed] == [
        f"FAILED {os.path.relpath(path, ROOT)}::mxnet::Cell 0"
    ], failed
    assert "Cell outputs differ" in printed and WRONG in printed
