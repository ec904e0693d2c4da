"""Sphinx extension: the explorers' scripts on the pages that show an explorer, and only there.

A notebook cell that shows an explorer leaves, in its ``text/html`` output, the
explorer's state as JSON (see ``d2l_utils.explorers``). This extension copies the
browser side (d3, ``explorers.js``, ``explorers.css``) from the installed package
into ``_static/explorers``, loads it on the pages whose body holds an explorer, and
mounts the explorers once the page has loaded. The pages need no kernel and nothing
from any other host, and work from ``file://``.

It also drops the ipywidgets state myst-nb would embed in every page that executed
a widget: the website's explorers do not use it, and it would carry each widget's
copy of the scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from d2l_utils.explorers.base import MARKER_CLASS, mount_script, script_files

MARKER = f'class="{MARKER_CLASS}"'
STATIC = "explorers"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def copy_scripts(app: Sphinx) -> None:
    """Write the browser side into the output's ``_static/explorers``."""
    if app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STATIC
    target.mkdir(parents=True, exist_ok=True)
    for name, text in script_files().items():
        (target / name).write_text(text, encoding="utf-8")


def add_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load and mount the explorers on pages that hold one; drop embedded widget state."""
    scripts = context.get("script_files", [])  # filtered in place: add_js_file appends to it
    scripts[:] = [
        js for js in scripts if getattr(js, "attributes", {}).get("type") != WIDGET_STATE
    ]
    if MARKER not in context.get("body", ""):
        return
    app.add_css_file(f"{STATIC}/explorers.css")
    app.add_js_file(f"{STATIC}/d3.v7.min.js")
    app.add_js_file(f"{STATIC}/explorers.js")
    app.add_js_file(None, body=mount_script())


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", copy_scripts)
    app.connect("html-page-context", add_scripts, priority=900)  # after myst-nb adds its own
    return {"parallel_read_safe": True, "parallel_write_safe": True}
