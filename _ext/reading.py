"""Sphinx extension (build only): small fixes for the reader, each found reading the built book.

* **Solution titles.** sphinx-exercise titles a solution "Solution to Exercise N" and makes
  "Exercise N" a link to the exercise. In a folded (dropdown) solution that link covers most
  of the title, so a tap on the title jumped to the exercise, just above, instead of opening
  the solution. The title of a folded solution is written as plain text.
* **The execution table's status.** myst-nb's ``nb-exec-table`` marks each notebook with the
  emoji ✅ or ❌, which draw as empty boxes where no emoji font is installed (many Linux
  systems, and the PDF). They are written as words.
* **The book as a PDF.** Every page's download menu offers the whole book as one PDF, which
  ``make pdf`` (``tools/pdf.py``) prints from the built site into the site's root as
  :func:`pdf_name` of the book's title. "Print to PDF" (the browser's print dialog, for the
  page alone) is relabelled to say so.
* **The root page.** The build's ``index.html`` only redirects to the first chapter; it is
  written as a small HTML page whose icon is an empty ``data:`` URL, so browsers ask for no
  ``favicon.ico`` (the site has none) and nothing that the redirect would cut short.
* **No empty index.** The book defines no index entries and turns the general index off
  (``html_use_index``); a ``genindex.html`` left by an earlier build is removed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_exercise.nodes import solution_node

#: What the execution table's status column says instead of its emoji.
STATUS_WORDS = {"✅": "succeeded", "❌": "failed"}
#: The download menu's entries this extension adds or relabels (sphinx-book-theme labels).
BOOK_PDF_LABEL = "download-book-pdf-button"
PRINT_LABEL = "download-pdf-button"


def pdf_name(title: str) -> str:
    """The file name of the book's PDF: its title in lower case, words joined by hyphens.

    ``tools/pdf.py`` names the file it writes the same way.
    """
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + ".pdf"


def unlink_solution_titles(doctree: nodes.document) -> None:
    """Write the title of every folded solution as text (see the module's docstring)."""
    for solution in doctree.findall(solution_node):
        if "dropdown" not in solution["classes"]:
            continue
        title = solution.next_node(nodes.title)
        if title is None:
            continue
        for reference in list(title.findall(nodes.reference)):
            reference.replace_self(nodes.Text(reference.astext()))


def _header_texts(table: nodes.table) -> list[str]:
    head = table.next_node(nodes.thead)
    return [entry.astext() for entry in head.findall(nodes.entry)] if head else []


def word_statuses(doctree: nodes.document) -> None:
    """Replace the emoji of each execution table's Status column by a word."""
    for table in doctree.findall(nodes.table):
        if "Status" not in _header_texts(table):
            continue
        for text in list(table.findall(nodes.Text)):
            word = STATUS_WORDS.get(text.astext().strip())
            if word is not None:
                text.parent.replace(text, nodes.Text(word))


def fix_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Apply the doctree fixes to a page once its references are resolved."""
    unlink_solution_titles(doctree)
    word_statuses(doctree)


def offer_book_pdf(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add the whole book's PDF to the page's download menu; relabel "print this page"."""
    group = next(
        (b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"),
        None,
    )
    if group is None:
        return
    entries: list[dict[str, Any]] = group["buttons"]
    for entry in entries:
        if entry.get("label") == PRINT_LABEL:
            entry["text"] = "Print this page"
            entry["tooltip"] = "Print this page, or save it as a PDF"
    position = next(
        (i for i, b in enumerate(entries) if b.get("label") == PRINT_LABEL), len(entries)
    )
    entries.insert(
        position,
        {
            "type": "link",
            "url": context["pathto"](pdf_name(app.config.html_title), 1),
            "text": "The whole book (PDF)",
            "tooltip": "Download the whole book as one PDF",
            "icon": "fas fa-file-pdf",
            "label": BOOK_PDF_LABEL,
        },
    )


REDIRECT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="{icon}">
<meta http-equiv="Refresh" content="0; url={target}">
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""


def write_root_page(app: Sphinx, exception: Exception | None) -> None:
    """Write the root ``index.html`` as a redirect to the first page with an icon of its own;
    remove a stale ``genindex.html``.

    Runs before sphinx-external-toc's own (bare) redirect, which is then left alone.
    """
    if exception is not None or app.builder.format != "html":
        return
    root = app.config.root_doc
    if root == "index":
        return
    page = REDIRECT.format(
        title=html.escape(app.config.html_title), icon="data:,", target=f"{root}.html"
    )
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")
    if not app.config.html_use_index:
        (Path(app.outdir) / "genindex.html").unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the doctree fixes, the download entry and the root page."""
    app.connect("doctree-resolved", fix_doctree)
    app.connect("html-page-context", offer_book_pdf, priority=503)  # after framework_tabs
    app.connect("build-finished", write_root_page, priority=400)  # before the toc's own
    return {"parallel_read_safe": True, "parallel_write_safe": True}
