"""Jupyter Book's command (``jupyter-book build ...``) without the 6 s that importing
nbformat's schema checks costs (``tools/startup.py``), holding the build folder's lock
(``tools/build_folder.py``) while it builds. Usage as ``jupyter-book``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.startup import skip_iri_parsers

skip_iri_parsers()

from jupyter_book.cli.main import main  # noqa: E402

from tools import build_folder  # noqa: E402


def book_folder(arguments: list[str]) -> Path:
    """The book a ``build`` command names (its first argument that is not an option)."""
    return Path(next((a for a in arguments[1:] if not a.startswith("-")), "."))


if __name__ == "__main__":
    sys.argv[0] = "jupyter-book"
    if sys.argv[1:2] != ["build"]:
        sys.exit(main())
    try:
        with build_folder.exclusive(book_folder(sys.argv[1:]) / "_build", "render"):
            main()  # click's command: exits with the build's status, releasing the lock
    except build_folder.BuildFolderError as error:
        sys.exit(f"render: {error}")
