"""The clean site build (every notebook executed), its per-notebook times, the test run.

Each build goes to a fresh temporary folder with an empty execution cache, so
every notebook runs; myst-nb records each notebook's execution time in that
cache (jupyter-cache), which is where the per-notebook times are read from.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Build:
    """One clean build: its wall time and each notebook's execution time."""

    seconds: float
    notebooks: dict[str, float]


def _run(command: list[str], log: Path) -> tuple[float, int]:
    """Run ``command`` in the checkout with its output in ``log``; its wall time and status."""
    start = time.perf_counter()
    with open(log, "w") as out:
        done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    return time.perf_counter() - start, done.returncode


def clean_build() -> Build:
    """Build the book from scratch in a temporary folder, as ``make site`` does."""
    with tempfile.TemporaryDirectory(prefix="book-build-") as folder:
        log = Path(folder) / "build.log"
        seconds, status = _run(
            [
                str(BIN / "jupyter-book"),
                "build",
                ".",
                "--path-output",
                folder,
                "--warningiserror",
                "--keep-going",
            ],
            log,
        )
        if status:
            tail = "".join(log.read_text().splitlines(keepends=True)[-20:])
            raise RuntimeError(f"the build failed (exit {status}):\n{tail}")
        cache = get_cache(Path(folder) / "_build" / ".jupyter_cache")
        notebooks = {}
        for record in cache.list_project_records():
            cached = cache.get_cached_project_nb(record.uri)
            if cached is not None:
                notebooks[Path(record.uri).relative_to(ROOT).as_posix()] = cached.data[
                    "execution_seconds"
                ]
    return Build(seconds, notebooks)


def full_test_run(log: Path) -> tuple[float, str]:
    """Run the whole suite (``pytest``: unit, notebook and browser tests).

    Returns its wall time and pytest's closing line (e.g. ``120 passed in 200.1s``),
    which also tells a failed run.
    """
    seconds, _ = _run([str(BIN / "pytest"), "-q"], log)
    return seconds, log.read_text().strip().splitlines()[-1].strip("= ")
