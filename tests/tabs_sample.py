"""A sample book for the framework tabs: two notebook pages whose outputs are stored, the
book's own configuration (execution off), and their framework notebooks."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import yaml

from tools import framework_notebooks as tool

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
# A 1x1 PNG: a figure output inside a tab.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e4d5b5a60000000049454e44ae426082"
    )
).decode()
# What each tab set of the sample chapter holds, in order: (MXNet outputs, PyTorch outputs).
RUNS = [
    (["mxnet run 1a", "mxnet run 1b"], ["pytorch run 1"]),
    (["mxnet run 2"], ["pytorch run 2"]),
    (["mxnet alone"], []),
]
UNTAGGED = ["untagged before", "untagged between"]


def code(text: str, framework: str | None = None, figure: bool = False) -> nbformat.NotebookNode:
    """A code cell that printed ``text`` (and showed a figure), tagged for ``framework``."""
    cell: nbformat.NotebookNode = nbformat.v4.new_code_cell(f"print({text!r})")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text + "\n")]
    if figure:
        data = {"image/png": PNG, "text/plain": "<Figure>"}
        cell.outputs.append(nbformat.v4.new_output("display_data", data=data))
    if framework:
        cell.metadata.tags = [f"framework-{framework}"]
    return cell


def notebook(name: str, cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A notebook whose cells have the ids ``<name>-<index>``, as the chapters do."""
    book: nbformat.NotebookNode = nbformat.v4.new_notebook(cells=cells)
    book.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for index, cell in enumerate(book.cells):
        cell.id = f"{name}-{index}"
    return book


def sample_chapter() -> nbformat.NotebookNode:
    """Markdown, an untagged cell, a run of three framework cells, a heading, a second run,
    an untagged cell and an MXNet cell with no PyTorch partner."""
    markdown: Callable[[str], nbformat.NotebookNode] = nbformat.v4.new_markdown_cell
    return notebook(
        "chapter",
        [
            markdown("# Tabs demo\n\n```{math}\n:label: demo-eq\nx = 1\n```"),
            code("untagged before"),
            code("mxnet run 1a", "mxnet"),
            code("pytorch run 1", "pytorch", figure=True),
            code("mxnet run 1b", "mxnet"),
            markdown("## Later section\n\nAs {eq}`demo-eq` says."),
            code("mxnet run 2", "mxnet"),
            code("pytorch run 2", "pytorch"),
            code("untagged between"),
            code("mxnet alone", "mxnet"),
        ],
    )


def write_book(book: Path) -> None:
    """The sample book: two notebook pages, the book's configuration, framework notebooks."""
    book.mkdir(parents=True)
    nbformat.write(sample_chapter(), book / "chapter.ipynb")
    second: list[nbformat.NotebookNode] = [nbformat.v4.new_markdown_cell("# Second page")]
    second += [code("mxnet second", "mxnet"), code("pytorch second", "pytorch")]
    nbformat.write(notebook("second", second), book / "second.ipynb")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    del config["html"]["favicon"]  # a file of the real book
    config["sphinx"]["local_extensions"] = {"framework_tabs": str(ROOT / "_ext")}
    (book / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    toc = "format: jb-book\nroot: chapter\nchapters:\n  - file: second\n"
    (book / "_toc.yml").write_text(toc, encoding="utf-8")
    shutil.copy(ROOT / config["bibtex_bibfiles"][0], book)
    tool.write(book)
