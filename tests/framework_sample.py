"""A sample chapter whose MXNet and PyTorch cells would clash if run in one kernel.

Its import pair binds ``d2l`` to one of two editions of a stand-in package,
``d2l_sample`` (written beside the chapter: the kernel runs in the chapter's folder),
as ``from d2l_utils import mxnet as d2l`` and ``from d2l_utils import torch as d2l`` do;
each edition imports its framework. Later cells of each framework print ``d2l.__name__``
and whether the other framework can be imported. Run top to bottom in one kernel, the
MXNet cells would print ``d2l_sample.torch`` and find both frameworks; run as the two
framework notebooks, each cell prints what its stored output says.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

#: The code cells (source, framework or None, stored output) after a markdown title.
CELLS = [
    ("print('untagged')", None, "untagged\n"),
    ("from d2l_sample import mxnet as d2l", "mxnet", None),
    ("from d2l_sample import torch as d2l", "pytorch", None),
    ("print(d2l.__name__)", "mxnet", "d2l_sample.mxnet\n"),
    ("print(d2l.__name__)", "pytorch", "d2l_sample.torch\n"),
    ("print('untagged, later')", None, "untagged, later\n"),
    (
        "try:\n    import torch\nexcept ModuleNotFoundError:\n    print('torch is hidden')",
        "mxnet",
        "torch is hidden\n",
    ),
    (
        "try:\n    import mxnet\nexcept ModuleNotFoundError:\n    print('mxnet is hidden')",
        "pytorch",
        "mxnet is hidden\n",
    ),
]
#: The stand-in editions: each imports its framework, as d2l_utils' do.
EDITIONS = {"mxnet.py": "import mxnet as framework\n", "torch.py": "import torch as framework\n"}


def sample_chapter(name: str = "sample", stored: bool = True) -> nbformat.NotebookNode:
    """The chapter with its stored outputs (text only, no execution counts, as
    ``tools/store_outputs.py`` leaves them), or none; cell ids ``<name>-<index>``."""
    chapter: nbformat.NotebookNode = nbformat.v4.new_notebook()
    chapter.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    chapter.cells.append(nbformat.v4.new_markdown_cell("# A sample chapter"))
    for source, framework, printed in CELLS:
        cell = nbformat.v4.new_code_cell(source)
        if framework:
            cell.metadata.tags = [f"framework-{framework}"]
        if printed and stored:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
        chapter.cells.append(cell)
    for index, cell in enumerate(chapter.cells):
        cell.id = f"{name}-{index}"
    return chapter


def write_sample(folder: Path, name: str = "sample", stored: bool = True) -> Path:
    """Write the chapter ``<name>.ipynb`` (with its stored outputs, or none) and the
    stand-in package into ``folder``."""
    package = folder / "d2l_sample"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for file, text in EDITIONS.items():
        (package / file).write_text(text, encoding="utf-8")
    path = folder / f"{name}.ipynb"
    nbformat.write(sample_chapter(name, stored), path)
    return path


def stored_output(chapter: nbformat.NotebookNode, framework: str, printed: str) -> int:
    """The index in ``chapter.cells`` of the ``framework`` cell that stores ``printed``."""
    for index, cell in enumerate(chapter.cells):
        tags = cell.metadata.get("tags", [])
        texts = [output.get("text") for output in cell.get("outputs", [])]
        if f"framework-{framework}" in tags and printed in texts:
            return index
    raise LookupError(f"no {framework} cell prints {printed!r}")
