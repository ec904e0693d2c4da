"""``tools/execute_chapters.py``: what it executes lands in the cache the build reads.

Two small notebooks in a temporary book folder: one that runs and one that raises.
The first must be found in the cache by its code, as myst-nb looks it up; the
second must stay out of it, so that the build executes it again and reports it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from jupyter_cache import get_cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import execute_chapters


def notebook(path: Path, code: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return nb


def test_executed_chapters_are_cached_and_failures_are_not(tmp_path: Path, capsys) -> None:
    good = notebook(tmp_path / "good.ipynb", "print(6 * 7)")
    notebook(tmp_path / "bad.ipynb", "raise ValueError('broken chapter')")
    execute_chapters.execute([tmp_path / "good.ipynb", tmp_path / "bad.ipynb"], tmp_path)
    printed = capsys.readouterr().out
    assert "1 executed" in printed
    assert "failed, left for the build to report: bad.ipynb" in printed

    cache = get_cache(str(tmp_path / "_build" / ".jupyter_cache"))
    record = cache.match_cache_notebook(good)
    outputs = cache.get_cache_bundle(record.pk).nb.cells[0].outputs
    assert outputs[0].text == "42\n"
    assert [r.uri for r in cache.list_unexecuted()] == [str(tmp_path / "bad.ipynb")]

    execute_chapters.execute([tmp_path / "good.ipynb"], tmp_path)
    assert "every chapter is cached" in capsys.readouterr().out


def test_the_timeout_comes_from_the_book_configuration(tmp_path: Path) -> None:
    config = tmp_path / "_config.yml"
    config.write_text("title: t\nexecute:\n  execute_notebooks: cache\n  timeout: 123\n")
    assert execute_chapters.execution_timeout(config) == 123
