"""Jupyter Book's command (``jupyter-book build ...``) without the 6 s that importing
nbformat's schema checks costs (``tools/startup.py``). Usage as ``jupyter-book``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.startup import skip_iri_parsers

skip_iri_parsers()

from jupyter_book.cli.main import main  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "jupyter-book"
    sys.exit(main())
