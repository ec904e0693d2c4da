"""Sphinx extension (build only): search results that quote the page, also from ``file://``.

Sphinx's search page shows, under each result, an excerpt of the page around the word
searched for. It fetches the page and takes the text of its ``[role="main"]`` element,
which in this theme starts with the header's buttons ("Binder", "Repository", ...); and
the word is often not in that text at all, as the index holds the TeX of the math
(``\\epsilon``) while the page draws it as SVG. So most excerpts read "...Binder". From
``file://`` the fetches are refused (CORS), and the results have no excerpt at all.

Here the build keeps, as it writes each page, the text of its article with its math as
TeX (before ``light_pages`` typesets it) and its sections; it writes them all, for the
search page only, into ``_static/search-texts.js``. The texts are also kept beside Sphinx's
saved environment (``book_search_texts.json`` in its doctree folder), so a page that a
later build does not rewrite keeps its text. A small script
(``search_excerpts.js``) answers the search's fetches of pages from it, so nothing is
fetched, from a server or from ``file://``, and the excerpt is cut around the word typed
(Sphinx looks for the word's stem, "leaki" for "leaky", which the text may not contain).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from sphinx.application import Sphinx

SCRIPT = Path(__file__).with_name("search_excerpts.js")
TEXTS = "search-texts.js"
#: Elements whose text is not part of the article's prose.
SKIP = ".headerlink, script, style, button, .d2l-explorer, .toggle-details__summary-text"
#: Elements that end a run of text: a space follows them, so words do not run together.
BLOCKS = {
    "p", "div", "li", "pre", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "dt", "dd", "figure", "figcaption", "blockquote", "br", "label", "ul", "ol", "dl",
}  # fmt: skip
MATH = re.compile(r"^\s*(?:\\\(|\\\[)(.*?)(?:\\\)|\\\])\s*$", re.S)


def _reduce(node: Tag) -> str:
    """``node``'s text, escaped, with its ``<section id>`` elements kept around it."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            parts.append(_escape(str(child)))
        elif isinstance(child, Tag):
            if child.name == "section" and child.get("id"):
                ident = _escape(str(child["id"]))
                parts.append(f'<section id="{ident}">{_reduce(child)}</section>')
            else:
                parts.append(_reduce(child))
                if child.name in BLOCKS:
                    parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def article_text(body: str) -> str:
    """A page body's searchable HTML: sections with ids, text, math as TeX."""
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup.select(SKIP):
        tag.decompose()
    for math in soup.select("span.math, div.math"):
        for number in math.select(".eqno"):
            number.decompose()
        tex = MATH.match(math.get_text())
        math.replace_with(f" {tex[1].strip() if tex else math.get_text().strip()} ")
    return _reduce(soup).strip()


KEPT = "book_search_texts.json"


def _texts(app: Sphinx) -> dict[str, str]:
    """The texts by document name: those of earlier builds, updated as pages are written."""
    texts: dict[str, str] | None = getattr(app, "_book_search_texts", None)
    if texts is None:
        kept = Path(app.doctreedir) / KEPT
        texts = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else {}
        app._book_search_texts = texts  # type: ignore[attr-defined]
    assert texts is not None
    return texts


def keep_text(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep the text of each document page as it is written; load the search page's scripts."""
    if pagename == "search":
        app.add_js_file(TEXTS)
        app.add_js_file(SCRIPT.name)
    elif pagename in app.env.found_docs and context.get("body"):
        _texts(app)[pagename] = article_text(context["body"])


def write_texts(app: Sphinx, exception: Exception | None) -> None:
    """Write every page's searchable text, and the script that serves it, into the site; keep
    the texts for the next build."""
    if exception is not None or app.builder.format != "html":
        return
    found = app.env.found_docs
    texts = {name: text for name, text in sorted(_texts(app).items()) if name in found}
    payload = json.dumps(texts, ensure_ascii=False, separators=(",", ":"))
    (Path(app.doctreedir) / KEPT).write_text(payload, encoding="utf-8")
    static = Path(app.outdir) / "_static"
    (static / TEXTS).write_text(f"window.BOOK_SEARCH_TEXTS = {payload};\n", encoding="utf-8")
    shutil.copyfile(SCRIPT, static / SCRIPT.name)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the keeping and writing of the texts, and the search page's scripts."""
    app.connect("html-page-context", keep_text)
    app.connect("build-finished", write_texts)
    # The texts are kept while pages are written, in the main process only.
    return {"parallel_read_safe": True, "parallel_write_safe": False}
