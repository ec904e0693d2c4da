"""Spare the build's and the tests' Python processes some 6 s of start-up each.

nbformat imports jsonschema, whose format checkers import ``rfc3987_syntax`` when it is
installed (JupyterLab's jupyter-events requires it), and ``rfc3987_syntax`` builds 39
Lark parsers while it is imported: 5.6 s of the 6.5 s that ``import nbformat`` took here
(0.9 s without it). Only jsonschema's "iri" format uses it, and no notebook schema names
a format. ``skip_iri_parsers`` makes that import fail, as if the package were absent,
which jsonschema expects (it then has no "iri" checker). Call it before anything imports
jsonschema: ``tools/execute_chapters.py``, ``tools/render.py`` (Jupyter Book) and the
tests' plugin do. JupyterLab's own server, started by a test, is left as it is.
"""

from __future__ import annotations

import sys


def skip_iri_parsers() -> None:
    """Make ``import rfc3987_syntax`` fail in this process, unless jsonschema is imported
    already (then it is too late to matter)."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
