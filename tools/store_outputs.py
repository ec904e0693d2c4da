"""Execute chapter notebooks and keep only the outputs the notebook tests compare.

Usage: python tools/store_outputs.py chapters/*.ipynb

Each chapter is run as its framework notebooks (``tools/framework_notebooks.py``): the
MXNet one and one for each other framework the chapter has tagged cells for, each top to
bottom in a fresh kernel of its own (the framework's, ``tools/frameworks.KERNELS``) that
cannot import the other frameworks, in the chapter's folder. Their outputs are merged back
into the chapter (a tagged cell's from its own framework's run, an untagged cell's from
the MXNet run). Text outputs (printed lines, the text form
of figures) are stored; images, widget state, execution counts and timing metadata are
dropped, so the repository holds small, reviewable notebooks whose outputs nbval checks
on every test run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import framework_notebooks, kernels  # noqa: E402
from tools.frameworks import KEPT_NOTEBOOK_METADATA, KERNELS  # noqa: E402

KEPT_MIME_TYPES = {"text/plain", "text/markdown", "text/html", "text/latex"}


def strip(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove everything but text outputs from an executed notebook, in place."""
    notebook.metadata = {
        k: notebook.metadata[k] for k in KEPT_NOTEBOOK_METADATA if k in notebook.metadata
    }
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        if {"nbval-ignore-output", "skip-execution"} & set(cell.metadata.get("tags", [])):
            cell.outputs = []  # not compared (explorers): nothing to keep
        for output in cell.outputs:
            if "execution_count" in output:
                output.execution_count = None
            if "data" in output:
                output.data = {k: v for k, v in output.data.items() if k in KEPT_MIME_TYPES}
            output.pop("metadata", None)
            if output.output_type in ("display_data", "execute_result"):
                output.metadata = {}
    return notebook


def store(path: Path) -> None:
    """Execute the framework notebooks of the chapter ``path`` in its folder and write the
    chapter back with their text outputs only."""
    chapter = nbformat.read(path, as_version=4)
    runs = framework_notebooks.executable_splits(chapter, path.stem)
    for framework, notebook in runs.items():
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name=KERNELS[framework],
            resources={"metadata": {"path": str(path.parent)}},
            **kernels.client_options(),
        )
        client.execute(env=framework_notebooks.kernel_environment(framework))
    merged = framework_notebooks.merge(chapter, runs)
    nbformat.write(strip(merged), path)
    print(f"stored outputs of {path} ({' and '.join(runs)} notebooks executed)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name in sys.argv[1:]:
        store(Path(name))
