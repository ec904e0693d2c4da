"""Sphinx extension (build only): a page is read again when its chapter was executed again.

``tools/execute_chapters.py`` executes a chapter again when a part of the package that the
chapter used has changed, although the chapter's own file has not; Sphinx, which re-reads
only pages whose source changed, would keep the page with its old outputs. So the script
leaves a stamp per executed chapter (``_build/.executed/<path of the chapter>.stamp``),
and this extension makes each notebook page depend on its stamp: the pages of the
chapters executed again are read again, and no other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: The stamps' folder, beside the HTML output (``_build/html``); as execute_chapters' STAMPS.
STAMPS = ".executed"


def stamp(app: Sphinx, docname: str) -> Path:
    """The stamp of the page ``docname``."""
    source = Path(app.env.doc2path(docname)).relative_to(Path(app.srcdir))
    return Path(app.outdir).parent / STAMPS / f"{source.as_posix()}.stamp"


def depend_on_stamp(app: Sphinx, docname: str, source: list[str]) -> None:
    """Note the page's stamp, when it has one, as a file the page depends on."""
    path = stamp(app, docname)
    if path.is_file():
        app.env.note_dependency(str(path))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handler."""
    app.connect("source-read", depend_on_stamp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
