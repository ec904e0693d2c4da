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

from tools.frameworks import FRAMEWORKS, KERNELS, MODULES

from . import stats
from .kernel import kernel
from .stats import Goal

#: Goal 6: a clean build and a rebuild after a markdown edit, in seconds; goal 7: make test.
CLEAN_S, MARKDOWN_S, TESTS_S = 60.0, 10.0, 300.0
ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", ".venv-colab", "_build", "build", "*.egg-info", "__pycache__", ".*_cache"
)
EXECUTED = re.compile(r"^execute_chapters: (\d+) executed in", re.MULTILINE)
#: A chapter's line, e.g. ``... executed in 14 s (MXNet 5 s, PyTorch 5 s)``: its notebooks.
NOTEBOOK_TIMES = re.compile(r"^execute_chapters: \S+ executed in \d+ s \((.*)\)$", re.MULTILINE)
MARKDOWN_EDIT = "chapters/algorithm.ipynb"
PACKAGE_EDIT = "d2l_utils/leaky_average.py"
#: A line of the body of ``half_life`` in that module (multiplied by 1.0: a real edit).
FUNCTION_EDIT = "math.log(2) / -math.log(gamma)"


@dataclass
class Builds:
    """One clean build and the two rebuilds in one copy, in seconds."""

    clean: float
    notebooks: dict[str, float]
    #: Per framework, the wall seconds of each of its notebooks in the clean build.
    framework_notebooks: dict[str, list[float]]
    #: Each rebuild's seconds and how many chapters it executed again.
    markdown_edit: tuple[float, int]
    package_edit: tuple[float, int]
    function_edit: tuple[float, int]
    chapters: int


def _make_site(copy: Path) -> tuple[float, int, str]:
    """``make site`` in ``copy``: its wall time, how many chapters it executed, its output."""
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
    return seconds, sum(int(n) for n in EXECUTED.findall(output)), output


def _per_framework(output: str) -> dict[str, list[float]]:
    """The seconds of each framework notebook that ``make site``'s ``output`` reports."""
    labels = {label: name for name, label in FRAMEWORKS.items()}
    found: dict[str, list[float]] = {name: [] for name in FRAMEWORKS}
    for each in NOTEBOOK_TIMES.findall(output):
        for part in each.split(", "):
            label, seconds = part.rsplit(" ", 2)[:2]
            found[labels[label]].append(float(seconds))
    return found


def start_up() -> dict[str, float]:
    """Per framework, the wall seconds from asking for its kernel to having imported its
    edition of d2l_utils and pyplot: what every notebook of that framework pays first."""
    found = {}
    for name in FRAMEWORKS:
        start = time.perf_counter()
        with kernel(KERNELS[name]) as session:
            # Each edition is named for its framework's module (d2l_utils.torch, ...).
            session.run(f"from d2l_utils import {MODULES[name]} as d2l")
            found[name] = time.perf_counter() - start
    return found


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
        clean, _, output = _make_site(copy)
        cache = get_cache(str(copy / "_build" / ".jupyter_cache"))
        notebooks = {}
        for record in cache.list_project_records():
            cached = cache.get_cached_project_nb(record.uri)
            if cached is not None:
                name = Path(record.uri).relative_to(copy).as_posix()
                notebooks[name] = cached.data["execution_seconds"]
        _edit_markdown(copy / MARKDOWN_EDIT)
        markdown_edit = _make_site(copy)[:2]
        with open(copy / PACKAGE_EDIT, "a", encoding="utf-8") as module:
            module.write("\n")
        package_edit = _make_site(copy)[:2]
        module = copy / PACKAGE_EDIT
        source = module.read_text(encoding="utf-8")
        module.write_text(source.replace(FUNCTION_EDIT, FUNCTION_EDIT + " * 1.0"), "utf-8")
        function_edit = _make_site(copy)[:2]
    return Builds(
        clean,
        notebooks,
        _per_framework(output),
        markdown_edit,
        package_edit,
        function_edit,
        chapters,
    )


def report(
    runs: list[Builds], start_up_seconds: dict[str, float]
) -> tuple[list[str], list[float], list[Goal]]:
    """The lines (with each chapter's execution time and, per framework, how much of its
    notebooks' time the start-up of ``start_up()`` is), spreads and goals of the runs."""
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
    lines.append(
        "  Notebooks per framework in the clean build (kernel seconds; two run at a time), and "
        "what each pays before its first cell (a kernel started, its edition imported):"
    )
    fixed = total = 0.0
    for name, times in last.framework_notebooks.items():
        each = start_up_seconds[name]
        cost = each * len(times)
        fixed, total = fixed + cost, total + sum(times)
        lines.append(
            f"    {FRAMEWORKS[name]:12s} {len(times):2d} notebooks, {sum(times):5.0f} s; "
            f"start-up {each:.1f} s each, {cost:4.0f} s in all"
        )
    share = fixed / total if total else 0.0
    lines.append(f"    start-up: {fixed:.0f} s of the {total:.0f} kernel seconds ({share:.0%})")
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


#: A line of pytest's ``--durations=0`` report: seconds, phase, test id.
DURATION = re.compile(r"^(\d+\.\d+)s (setup|call|teardown) +([^:\s]+)", re.MULTILINE)
#: pytest's closing line, e.g. ``== 988 passed, 2 skipped in 1020.52s (0:17:00) ==`` (no
#: rules around it with ``-q``).
PYTEST_TOTAL = re.compile(r"^=*\s*(\d+ \w+.*?) in (\d+\.\d+)s\b", re.MULTILINE)


@dataclass
class TestRun:
    """One ``make test``: its wall time, pytest's closing lines and where the time went."""

    seconds: float
    #: Each pytest command's closing words (e.g. ``988 passed``) and wall seconds: the main
    #: suite's, then the NumPy-2 environment's.
    pytest_runs: list[tuple[str, float]]
    #: Test seconds (setup, call and teardown, summed over workers) per test file.
    per_file: dict[str, float]

    def profile(self, top: int = 12) -> list[str]:
        """Where the time of the run goes: before pytest, each pytest, the costliest files."""
        busy = sum(self.per_file.values())
        lines = [
            f"    before pytest (lint, the site's cache check, the PDF): "
            f"{self.seconds - sum(s for _, s in self.pytest_runs):.0f} s",
            "    pytest, wall: " + ", ".join(f"{s:.0f} s ({r})" for r, s in self.pytest_runs),
            f"    test time summed over the workers: {busy:.0f} s; the costliest files:",
        ]
        ranked = sorted(self.per_file.items(), key=lambda item: -item[1])
        lines += [f"      {name:60s} {sec:6.0f} s" for name, sec in ranked[:top]]
        rest = sum(sec for _, sec in ranked[top:])
        lines.append(f"      {f'the other {len(ranked[top:])} files':60s} {rest:6.0f} s")
        return lines


def full_test_run(log: Path) -> TestRun:
    """Run the README's test command, ``make test``, in the checkout, on the site built there.

    Lint, the (cached) site build, the PDF, then pytest on every core and the NumPy-2
    environment's tests; pytest reports every test's duration (``--durations=0``), summed
    here per test file. The closing words (e.g. ``988 passed``) also tell a failed run.
    """
    env = {**os.environ, "PYTEST_ADDOPTS": "--durations=0 --durations-min=0"}
    start = time.perf_counter()
    with open(log, "w") as out:
        command = ["make", "--no-print-directory", "test"]
        subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    seconds = time.perf_counter() - start
    text = log.read_text()
    per_file: dict[str, float] = {}
    for duration, _, name in DURATION.findall(text):
        per_file[name] = per_file.get(name, 0.0) + float(duration)
    runs = [(result, float(s)) for result, s in PYTEST_TOTAL.findall(text)]
    if not runs:  # make stopped before pytest ended: its last line says why
        runs = [(text.strip().splitlines()[-1], 0.0)]
    return TestRun(seconds, runs, per_file)
