"""The build folder (``_build``) as the build's two steps share it: writable, one build at
a time.

``make site`` runs ``tools/execute_chapters.py`` and then ``tools/render.py`` (Jupyter
Book); both hold ``_build/.build.lock`` while they work, so that a second build started
meanwhile waits for the first one's step (saying so) instead of writing the same files at
the same time, and both check first that the folder can be written, failing with one line
that says so (sqlite, Sphinx and jupyter-cache would otherwise fail deep inside, with
advice that does not apply).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK = ".build.lock"


class BuildFolderError(RuntimeError):
    """The build folder cannot be used; the message says why, in one line."""


def check_writable(build: Path) -> None:
    """Create ``build`` if need be and make sure files can be written in it (and in its
    execution cache, if there is one); raise ``BuildFolderError`` otherwise."""
    for folder in (build, build / ".jupyter_cache"):
        if folder.exists() and not folder.is_dir():
            raise BuildFolderError(f"{folder} is a file, not a folder: remove it, build again")
    try:
        build.mkdir(parents=True, exist_ok=True)
        for folder in (build, build / ".jupyter_cache"):
            if folder.is_dir():
                with tempfile.TemporaryFile(dir=folder):
                    pass
    except OSError as error:
        raise BuildFolderError(
            f"the build folder {build} cannot be written ({error.strerror or error}): "
            "make it writable (or remove it), then build again"
        ) from error


@contextmanager
def exclusive(build: Path, who: str) -> Iterator[None]:
    """Hold ``build``'s lock while the block runs; if another build holds it, say so (as
    ``who``) and wait for it."""
    check_writable(build)
    lock = FileLock(build / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"{who}: another build is using {build}; waiting for it to finish", flush=True)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
