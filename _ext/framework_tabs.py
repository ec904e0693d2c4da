"""Sphinx extension: framework-specific notebook cells as MXNet | PyTorch | TensorFlow tabs.

A code cell tagged ``framework-<name>`` (a name of ``tools/frameworks.FRAMEWORKS``)
belongs to one framework. Each run of such cells that are consecutive in the notebook
(no other cell between them) becomes one sphinx-design tab set, a tab per framework in
that order, each tab holding its framework's cells of the run, inputs and outputs, in
order. A framework with no cell in a run gets a tab that says so, so that every tab set
of a page (and of the book) switches together. Untagged cells stay where they are.

The tabs are sphinx-design's own (``tab-set``/``tab-item`` components, turned into
radio inputs and labels by its ``TabSetHtmlTransform``), all in one sync group: its
``design-tabs.js`` switches every tab set of a page at once and keeps the choice in
``localStorage`` under the configured ``sd_tabs_storage_prefix``, so it holds from
page to page and across reloads.

A notebook page's download menu offers its framework notebooks (written by
``tools/framework_notebooks.py`` into ``notebooks/``, copied into the site), each
labelled by framework, in place of the chapter itself: a chapter holds every
framework's cells and is not meant to run top to bottom. A page has a notebook for
MXNet and for each framework it has tagged cells for (``notebook_frameworks``). Its
launch menu opens a framework notebook too, and says which: Binder one entry per
notebook, Colab one per notebook whose framework installs there (``COLAB_FRAMEWORKS``).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_design.shared import create_component

# The frameworks are defined once, in tools/frameworks.py (the tools use them too).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.frameworks import (
    EXTRAS,
    FRAMEWORKS,
    FrameworkTagError,
    framework_of,
    notebook_frameworks,
)

LOGGER = logging.getLogger(__name__)

SYNC_GROUP = "framework"
#: Where the framework notebooks live, in the book and in the built site.
NOTEBOOKS = "notebooks"
#: The launch buttons' texts in sphinx-book-theme's launch menu.
BINDER = "Binder"
COLAB = "Colab"
#: The frameworks whose notebooks Colab can run: those whose notebooks install the package
#: with an extra there (MXNet 1.9.1 has no wheel for Colab's Python).
COLAB_FRAMEWORKS = tuple(EXTRAS)
#: The download menu's entries for the chapter itself, which the framework notebooks replace.
CHAPTER_DOWNLOADS = ("download-source-button", "download-notebook-button")


def cell_framework(node: nodes.Node) -> str | None:
    """The framework a myst-nb code cell is tagged for, or None (untagged, or not a cell);
    a cell tagged for two frameworks stops the build with an error that names it."""
    if not isinstance(node, nodes.container) or node.get("nb_element") != "cell_code":
        return None
    tags = node["cell_metadata"].get("tags", [])
    try:
        return framework_of(tags, f"code cell {node['cell_index']} of {node.source}")
    except FrameworkTagError as error:
        raise ExtensionError(str(error)) from error


def framework_runs(document: nodes.document) -> Iterator[list[nodes.container]]:
    """Each run of framework cells: siblings in the page, consecutive in the notebook."""
    run: list[nodes.container] = []
    for cell in document.findall(lambda node: cell_framework(node) is not None):
        if run and not (
            cell.parent is run[-1].parent
            and cell.parent.index(cell) == cell.parent.index(run[-1]) + 1
            and cell["cell_index"] == run[-1]["cell_index"] + 1
        ):
            yield run
            run = []
        run.append(cell)
    if run:
        yield run


def tab_set(run: list[nodes.container]) -> nodes.container:
    """One sphinx-design tab set for ``run``: a tab per framework, MXNet selected."""
    items = []
    present = {cell_framework(cell) for cell in run}
    for name, label in FRAMEWORKS.items():
        cells: list[nodes.Node] = [cell for cell in run if cell_framework(cell) == name]
        if not cells:
            others = [FRAMEWORKS[f] for f in FRAMEWORKS if f in present]
            holders = " and ".join(others)
            tabs = "tab holds" if len(others) == 1 else "tabs hold"
            note = f"This step has no {label} code; the {holders} {tabs} it."
            cells = [nodes.paragraph(note, note, classes=["framework-tabs-missing"])]
        rubric = nodes.rubric(
            label, label, classes=["sd-tab-label"], sync_id=name, sync_group=SYNC_GROUP
        )
        content = create_component("tab-content", classes=["sd-tab-content"], children=cells)
        items.append(
            create_component(
                "tab-item",
                classes=["sd-tab-item"],
                selected=name == next(iter(FRAMEWORKS)),
                children=[rubric, content],
            )
        )
    tabs = create_component("tab-set", classes=["sd-tab-set", "framework-tabs"], children=items)
    tabs.source, tabs.line = run[0].source, run[0].line
    return tabs


class FrameworkTabs(SphinxTransform):
    """Wrap each run of framework cells into a tab set (before sphinx-design renders tabs)."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        """Replace every run of the document by its tab set."""
        for run in list(framework_runs(self.document)):
            parent = run[0].parent
            start = parent.index(run[0])
            for cell in run:
                parent.remove(cell)
            parent.insert(start, tab_set(run))


def framework_notebook(srcdir: Path, docname: str, framework: str) -> Path:
    """The notebook ``tools/framework_notebooks.py`` writes for one framework of a page."""
    return srcdir / NOTEBOOKS / framework / f"{Path(docname).name}.ipynb"


def page_frameworks(chapter: Path) -> tuple[str, ...]:
    """The frameworks the notebook ``chapter`` has framework notebooks for, by its cells'
    tags (as ``tools/framework_notebooks.py`` decides)."""
    cells = json.loads(chapter.read_text(encoding="utf-8"))["cells"]
    return notebook_frameworks(
        framework_of(cell.get("metadata", {}).get("tags", []), f"cell {i} of {chapter}")
        for i, cell in enumerate(cells)
    )


def _is_notebook_page(app: Sphinx, docname: str) -> bool:
    return docname in app.env.found_docs and Path(app.env.doc2path(docname)).suffix == ".ipynb"


def _group(buttons: list[dict[str, Any]], label: str) -> dict[str, Any] | None:
    return next((b for b in buttons if b.get("label") == label), None)


def _add_downloads(
    downloads: dict[str, Any], pagename: str, pathto: Callable[..., str], offered: tuple[str, ...]
) -> None:
    """Offer the framework notebooks ``offered`` in place of the chapter, before "print to
    PDF"."""
    entries: list[dict[str, Any]] = [
        b for b in downloads["buttons"] if b.get("label") not in CHAPTER_DOWNLOADS
    ]
    position = next(
        (i for i, b in enumerate(entries) if b.get("label") == "download-pdf-button"),
        len(entries),
    )
    entries[position:position] = [
        {
            "type": "link",
            "url": pathto(f"{NOTEBOOKS}/{name}/{Path(pagename).name}.ipynb", 1),
            "text": f"{label} notebook (.ipynb)",
            "tooltip": f"Download the {label} notebook",
            "icon": "fas fa-code",
            "label": f"download-{name}-notebook-button",
        }
        for name, label in FRAMEWORKS.items()
        if name in offered
    ]
    downloads["buttons"] = entries


def _framework_url(url: str, pagename: str, book: str, framework: str) -> str:
    """A launch URL of the chapter (ending in ``<book>/<page>.ipynb``) made to open
    ``notebooks/<framework>/<name>.ipynb`` instead."""
    book = f"{book.strip('/')}/" if book.strip("/") else ""
    return (
        url.removesuffix(f"{book}{pagename}.ipynb")
        + f"{book}{NOTEBOOKS}/{framework}/{Path(pagename).name}.ipynb"
    )


def _launch_framework_notebooks(
    launch: dict[str, Any], pagename: str, book: str, offered: tuple[str, ...]
) -> None:
    """Point Binder and Colab at the framework notebooks ``offered``, one entry per
    framework each can run.

    The theme links ``<service>/.../<book>/<page>.ipynb``, the chapter itself.
    """
    entries: list[dict[str, Any]] = []
    for button in launch["buttons"]:
        service = button.get("text")
        if service not in (BINDER, COLAB):
            entries.append(button)
            continue
        runs = FRAMEWORKS if service == BINDER else COLAB_FRAMEWORKS
        for name in (f for f in offered if f in runs):
            label = FRAMEWORKS[name]
            entries.append(
                {
                    **button,
                    "url": _framework_url(button["url"], pagename, book, name),
                    "text": f"{label} on {service}",
                    "tooltip": f"Open the {label} notebook of this page on {service}",
                }
            )
    launch["buttons"] = entries


def add_framework_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Offer a notebook page's framework notebooks for download and launch, not the chapter.

    Runs after sphinx-book-theme has filled ``header_buttons`` (its handlers have
    priority 501).
    """
    if not _is_notebook_page(app, pagename):
        return
    srcdir = Path(app.srcdir)
    offered = page_frameworks(Path(app.env.doc2path(pagename)))
    missing = [f for f in offered if not framework_notebook(srcdir, pagename, f).is_file()]
    if missing:
        LOGGER.warning(
            f"{pagename} has no {' or '.join(missing)} notebook in {NOTEBOOKS}/: run "
            "`make notebooks` [framework_tabs.notebooks]",
            type="framework_tabs",
            subtype="notebooks",
        )
        return
    buttons: list[dict[str, Any]] = context["header_buttons"]
    downloads = _group(buttons, "download-buttons")
    if downloads is not None:
        _add_downloads(downloads, pagename, context["pathto"], offered)
    launch = _group(buttons, "launch-buttons")
    if launch is not None:
        book = app.config.html_theme_options.get("path_to_docs", "")
        _launch_framework_notebooks(launch, pagename, book, offered)


def copy_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Copy every notebook page's framework notebooks into the built site."""
    if exception is not None or app.builder.format != "html":
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    for docname in sorted(app.env.found_docs):
        if not _is_notebook_page(app, docname):
            continue
        for name in FRAMEWORKS:
            source = framework_notebook(srcdir, docname, name)
            if source.is_file():
                target = framework_notebook(outdir, docname, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the transform and the page and build hooks."""
    app.setup_extension("sphinx_design")
    app.add_transform(FrameworkTabs)
    app.connect("html-page-context", add_framework_buttons, priority=502)
    app.connect("build-finished", copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
