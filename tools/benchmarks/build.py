"""Goals 6 and 7: building the site, from scratch and after small edits; the full test run.

The builds run in a temporary copy of the checkout (without .git, the virtual
environments and _build; the copy's .venv is a link to the checkout's), so nothing the
checkout holds changes. Each is ``make site`` there, with ``-o .venv/.installed`` so make
installs nothing: the execution cache's rules (a chapter runs again only when a part of
d2l_utils that it used changed) and the two commands, the chapters executed in parallel
into the cache and Jupyter Book rendering, exactly as a reader's ``make site`` runs them.
PYTHONPATH points at the copy, so its kernels import the copy's d2l_utils. In order:

1. a clean build (every chapter executed; jupyter-cache records each one's time);
2. after an edit of one markdown cell of ``chapters/algorithm.ipynb``, a rebuild;
3. after a whitespace-only edit of ``d2l_utils/leaky_average.py``, a rebuild, counting
   the chapters that ``tools/execute_chapters.py`` executed again;
4. after a real edit of one function of that module (``half_life``'s body), the same.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_cache import get_cache

from . import stats
from .stats import Goal

#: Goal 6: a clean build and a rebuild after a markdown edit, in seconds; goal 7: make test.
CLEAN_S, MARKDOWN_S, TESTS_S = 60.0, 10.0, 300.0
ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", ".venv-colab", "_build", "build", "*.egg-info", "__pycache__", ".*_cache"
)
EXECUTED = re.compile(r"^execute_chapters: (\d+) executed in", re.MULTILINE)
MARKDOWN_EDIT = "chapters/algorithm.ipynb"
PACKAGE_EDIT = "d2l_utils/leaky_average.py"
#: A line of the body of ``half_life`` in that module (multiplied by 1.0: a real edit).
FUNCTION_EDIT = "math.log(2) / -math.log(gamma)"


@dataclass
class Builds:
    """One clean build and the two rebuilds in one copy, in seconds."""

    clean: float
    notebooks: dict[str, float]
    #: Each rebuild's seconds and how many chapters it executed again.
    markdown_edit: tuple[float, int]
    package_edit: tuple[float, int]
    function_edit: tuple[float, int]
    chapters: int


def _make_site(copy: Path) -> tuple[float, int]:
    """``make site`` in ``copy``: its wall time and how many chapters it executed."""
    # The copy uses the checkout's environments (and the NumPy-2 kernel installed there).
    keep = (".venv/.installed", ".venv-colab/.installed", ".venv/.kernels-installed")
    command = ["make", "--no-print-directory", *(f"-o{stamp}" for stamp in keep), "site"]
    env = {**os.environ, "PYTHONPATH": str(copy)}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    if done.returncode:
        tail = "".join(output.splitlines(keepends=True)[-20:])
        raise RuntimeError(f"make site failed in the copy (exit {done.returncode}):\n{tail}")
    return seconds, sum(int(n) for n in EXECUTED.findall(output))


def _edit_markdown(notebook: Path) -> None:
    """Add a sentence to the notebook's first markdown cell."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in content["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\nEdited by the benchmark."
    notebook.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", "utf-8")


def builds() -> Builds:
    """The clean build and the two rebuilds, in a fresh copy of the checkout."""
    with tempfile.TemporaryDirectory(prefix="book-build-") as folder:
        copy = Path(folder) / "book"
        shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
        for environment in (".venv", ".venv-colab"):
            (copy / environment).symlink_to(ROOT / environment)
        chapters = len(list((copy / "chapters").glob("*.ipynb")))
        clean, _ = _make_site(copy)
        cache = get_cache(str(copy / "_build" / ".jupyter_cache"))
        notebooks = {}
        for record in cache.list_project_records():
            cached = cache.get_cached_project_nb(record.uri)
            if cached is not None:
                name = Path(record.uri).relative_to(copy).as_posix()
                notebooks[name] = cached.data["execution_seconds"]
        _edit_markdown(copy / MARKDOWN_EDIT)
        markdown_edit = _make_site(copy)
        with open(copy / PACKAGE_EDIT, "a", encoding="utf-8") as module:
            module.write("\n")
        package_edit = _make_site(copy)
        module = copy / PACKAGE_EDIT
        source = module.read_text(encoding="utf-8")
        module.write_text(source.replace(FUNCTION_EDIT, FUNCTION_EDIT + " * 1.0"), "utf-8")
        function_edit = _make_site(copy)
    return Builds(clean, notebooks, markdown_edit, package_edit, function_edit, chapters)


def report(runs: list[Builds]) -> tuple[list[str], list[float], list[Goal]]:
    """The lines (with each chapter's execution time), spreads and goals of the runs."""
    clean = [run.clean for run in runs]
    markdown = [run.markdown_edit[0] for run in runs]
    package = [run.package_edit[0] for run in runs]
    last = runs[-1]
    lines = [
        f"  {'clean build':56s} {stats.describe(clean, digits=0)}",
        f"  {'rebuild, markdown edit of ' + MARKDOWN_EDIT:56s} "
        f"{stats.describe(markdown, digits=1)}; {last.markdown_edit[1]} of {last.chapters} "
        "chapters executed again",
        f"  {'rebuild, whitespace edit of ' + PACKAGE_EDIT:56s} "
        f"{stats.describe(package, digits=0)}; {last.package_edit[1]} of {last.chapters} "
        "chapters executed again",
        f"  {'rebuild, edit of half_life in ' + PACKAGE_EDIT:56s} "
        f"{stats.describe([run.function_edit[0] for run in runs], digits=0)}; "
        f"{last.function_edit[1]} of {last.chapters} chapters executed again",
        "  Execution time per chapter in the clean build (all its framework notebooks):",
    ]
    for name in sorted(last.notebooks):
        times = [run.notebooks[name] for run in runs if name in run.notebooks]
        lines.append(f"    {name:54s} {stats.describe(times, digits=1)}")
    executed = last.package_edit[1]
    goals = [
        stats.at_most(6, "clean build", stats.median(clean), CLEAN_S, " s"),
        stats.at_most(
            6, "rebuild, markdown-only edit", stats.median(markdown), MARKDOWN_S, " s", 1
        ),
        Goal(
            6,
            f"chapters executed again after a whitespace-only edit of {PACKAGE_EDIT}",
            f"{executed} of {last.chapters}",
            "none (formatting only)",
            executed == 0,
        ),
    ]
    spreads = [stats.spread(clean), stats.spread(markdown)] if len(runs) > 1 else []
    return lines, spreads, goals


def full_test_run(log: Path) -> tuple[float, str]:
    """Run the README's test command, ``make test``, in the checkout, on the site built there.

    Lint, the (cached) site build, then pytest on every core. Returns the wall time
    and pytest's closing line (e.g. ``295 passed in 200.1s``), which also tells a failed run.
    """
    start = time.perf_counter()
    with open(log, "w") as out:
        command = ["make", "--no-print-directory", "test"]
        subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    return seconds, log.read_text().strip().splitlines()[-1].strip("= ")
