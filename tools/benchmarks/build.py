"""The clean site build (every notebook executed), its per-notebook times, the test run.

Each build goes to a fresh temporary folder with an empty execution cache, so
every notebook runs; jupyter-cache records each notebook's execution time in that
cache, which is where the per-notebook times are read from.
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
    """Run ``command`` in the checkout, output appended to ``log``; its wall time and status."""
    start = time.perf_counter()
    with open(log, "a") as out:
        done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    return time.perf_counter() - start, done.returncode


def clean_build() -> Build:
    """Build the book from scratch in a temporary folder, as ``make site`` does.

    That is two commands: the chapters executed in parallel into the cache, then
    Jupyter Book rendering the site from it.
    """
    chapters = sorted(str(path) for path in (ROOT / "chapters").glob("*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="book-build-") as folder:
        log = Path(folder) / "build.log"
        execute = [str(BIN / "python"), "tools/execute_chapters.py", "--path-output", folder]
        render = [str(BIN / "jupyter-book"), "build", ".", "--path-output", folder]
        render += ["--warningiserror", "--keep-going"]
        seconds, status = _run(execute + chapters, log)
        if not status:
            render_seconds, status = _run(render, log)
            seconds += render_seconds
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
    """Run the README's test command, ``make test``, on the site just built.

    Lint, the (cached) site build, then pytest on every core. Returns the wall time
    and pytest's closing line (e.g. ``295 passed in 200.1s``), which also tells a failed run.
    """
    seconds, _ = _run(["make", "--no-print-directory", "test"], log)
    return seconds, log.read_text().strip().splitlines()[-1].strip("= ")
