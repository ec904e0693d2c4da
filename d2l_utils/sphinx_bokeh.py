"""Sphinx extension: serve BokehJS from the site to the pages that hold an explorer.

The explorers' HTML (see :func:`d2l_utils.web_explorers.explorer_html`) carries
only their own plot; this extension copies BokehJS out of the installed
``bokeh`` package into ``_static/bokeh`` and adds it to exactly those pages, so
the website needs no CDN and other pages stay light.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import bokeh
from bokeh.util.paths import bokehjs_path
from sphinx.application import Sphinx

from .web_explorers import EXPLORER_CLASS

BUNDLES = ("bokeh", "bokeh-widgets")


def _static_names() -> list[str]:
    return [f"bokeh/{name}-{bokeh.__version__}.min.js" for name in BUNDLES]


def copy_bokehjs(app: Sphinx) -> None:
    """Copy the BokehJS bundles into the output's ``_static/bokeh``."""
    if app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "bokeh"
    target.mkdir(parents=True, exist_ok=True)
    for bundle, name in zip(BUNDLES, _static_names(), strict=True):
        shutil.copyfile(bokehjs_path() / "js" / f"{bundle}.min.js", target.parent / name)


def add_bokehjs(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load BokehJS on pages whose body contains an explorer."""
    if EXPLORER_CLASS in context.get("body", ""):
        for name in _static_names():
            app.add_js_file(name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", copy_bokehjs)
    app.connect("html-page-context", add_bokehjs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
