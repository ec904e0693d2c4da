"""The bibliography as an accessible list.

Docutils writes each entry of a citation list as ``role="doc-biblioentry"`` inside a
``role="list"`` wrapper. DPUB-ARIA 1.1 deprecates that role, and a list whose children are
not list items fails axe's ``aria-required-children`` rule, so screen readers may not
announce the references as a list. Each entry is written as a ``listitem`` here.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    """Open a citation as a list item (and the list itself before the first one)."""
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", CLASS="citation", role="listitem"))


def setup(app: Sphinx) -> dict[str, Any]:
    """Replace the HTML writer's citation visitor (its departure is kept)."""
    app.add_node(
        nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
