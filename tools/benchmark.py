"""Measure the issue's goals in one run on one machine; print each against its target.

Usage: python tools/benchmark.py [--repeat N] [--build-repeat N] [--skip SECTION ...]
[--tests] [--strict] [--profile], after `make site` (`make benchmark` builds the site,
installs the reference package d2l==1.0.3 and runs this). Sections, in order:

* ``pages`` (goals 1-2, ``benchmarks/pages.py``): every page of ``_build/html`` loaded
  cold in Chromium from a local server: bytes and gzip bytes (explorer pages <= 2.5 MB,
  text pages <= 1.5 MB, all <= 1 MB gzip), first contentful paint, math typeset and the
  first explorer response (each <= 1000 ms after navigation start).
* ``explorers`` (goals 3-4, ``benchmarks/explorers.py``): input-event-to-DOM time of
  every input of every explorer on the built pages in Chromium (p95 <= 16 ms), the map's
  full recompute (median <= 100 ms, in the browser and in Python), and the kernel's
  compute per control move of every explorer in a notebook kernel (median <= 50 ms).
* ``training`` (goal 5, ``benchmarks/training.py``): ``train_ch11`` and
  ``train_concise_ch11`` against d2l 1.0.3, per framework in one Jupyter kernel (MXNet's:
  sec/epoch <= 0.5x and 0.4x the reference's; TensorFlow's, in the NumPy-2 kernel: <= 0.3x
  each), wall per call <= 0.1x, the same final loss.
* ``build`` (goal 6, ``benchmarks/build.py``): ``make site`` in a temporary copy of the
  checkout: a clean build (<= 60 s), a rebuild after a markdown edit (<= 10 s), and how
  many chapters run again after a whitespace edit of d2l_utils (only its dependants).
* tests (goal 7, only with ``--tests``): ``make test`` in the checkout (<= 300 s).

OMP_NUM_THREADS is 1 unless set, as the Makefile has it. The last lines list every goal
with PASS or FAIL and say how noisy the run was (the spreads of repeated figures and the
load average at the start), i.e. whether the figures count.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.benchmarks import build, explorers, pages, stats, training  # noqa: E402
from tools.benchmarks.kernel import kernel  # noqa: E402
from tools.benchmarks.stats import Goal  # noqa: E402

GOALS = {
    1: "Page weight, every page of _build/html (1 MB = 1,000,000 bytes)",
    2: "First render, cold load from a local server in Chromium (ms after navigation start)",
    3: "Explorer latency in Chromium: input event to DOM update, p95 per event",
    4: "Explorer latency in a notebook kernel, kernel-side compute per move (trait set to "
    "results recomputed; the round trip through JupyterLab is measured elsewhere)",
    5: "Training against d2l 1.0.3, one Jupyter kernel per framework, medians of the rounds' "
    "ratios",
    6: "Build: make site in a temporary copy of the checkout",
    7: "Tests: make test on the built site",
}
Section = Callable[[argparse.Namespace], tuple[list[float], list[Goal]]]


def heading(text: str) -> None:
    print(f"\n{text}\n{'-' * len(text)}", flush=True)


def pages_section(args: argparse.Namespace) -> tuple[list[float], list[Goal]]:
    heading("Goals 1-2: page weight and first render, every page of _build/html")
    lines, goals = pages.measure()
    print("\n".join(lines))
    return [], goals


def explorers_section(args: argparse.Namespace) -> tuple[list[float], list[Goal]]:
    heading(f"Goals 3-4: explorer latency, {explorers.MOVES} moves per control")
    print("In Chromium, on the built pages (explorers.js: input event handled -> DOM updated):")
    lines, goals = explorers.browser_latency()
    print("\n".join(lines))
    print("In a notebook kernel, kernel-side compute (trait set -> results recomputed):")
    with kernel() as session:
        lines, more = explorers.kernel_latency(session)
    print("\n".join(lines))
    return [], goals + more


def training_section(args: argparse.Namespace) -> tuple[list[float], list[Goal]]:
    heading(
        f"Goal 5: training, 2 epochs, batch 10: median of {args.repeat} interleaved calls "
        "per function in one Jupyter kernel"
    )
    samples = training.measure(args.repeat)
    lines, spreads, goals = training.report(samples)
    print("\n".join(lines))
    return spreads, goals


def build_section(args: argparse.Namespace) -> tuple[list[float], list[Goal]]:
    heading(f"Goal 6: site builds in a temporary copy ({args.build_repeat} run(s); minutes each)")
    runs = [build.builds() for _ in range(args.build_repeat)]
    lines, spreads, goals = build.report(runs, build.start_up())
    print("\n".join(lines))
    return spreads, goals


def tests_section(args: argparse.Namespace) -> tuple[list[float], list[Goal]]:
    heading(f"Goal 7: the full test run, make test ({args.build_repeat} run(s))")
    with tempfile.TemporaryDirectory(prefix="test-run-") as folder:
        runs = [
            build.full_test_run(Path(folder) / f"pytest-{i}.log") for i in range(args.build_repeat)
        ]
    seconds = [run.seconds for run in runs]
    print(f"  {'make test':52s} {stats.describe(seconds, digits=0)}; the last run's time:")
    print("\n".join(runs[-1].profile()))
    spreads = [stats.spread(seconds)] if len(runs) > 1 else []
    return spreads, [stats.at_most(7, "make test", stats.median(seconds), build.TESTS_S, " s")]


SECTIONS: dict[str, tuple[Section, tuple[int, ...]]] = {
    "pages": (pages_section, (1, 2)),
    "explorers": (explorers_section, (3, 4)),
    "training": (training_section, (5,)),
    "build": (build_section, (6,)),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="interleaved calls per training function (5)"
    )
    parser.add_argument(
        "--build-repeat", type=int, default=1, help="build sequences and test runs to time (1)"
    )
    parser.add_argument(
        "--skip", nargs="+", choices=SECTIONS, default=[], help="sections to leave out"
    )
    parser.add_argument(
        "--tests", action="store_true", help="also time make test (minutes; off by default)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a goal fails"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print pyinstrument call trees of one call of each training function, ours "
        "and the reference's, instead of the goals",
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.build_repeat < 1:
        parser.error("--repeat and --build-repeat must be at least 1")
    return args


def profile_section() -> None:
    for side in training.SIDES:
        with kernel() as session:
            trees = training.profile(session, side)
        for function, tree in trees.items():
            heading(f"pyinstrument: {side} {function} (one call after a warm-up)")
            print(tree)


def main() -> None:
    args = parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the Makefile exports it
    load_before = os.getloadavg()[0]
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}; "
        f"{stats.machine_load()} at the start"
    )
    if args.profile:
        profile_section()
        return
    spreads: list[float] = []
    goals: list[Goal] = []
    not_run = {7: "pass --tests"}
    for name, (section, numbers) in SECTIONS.items():
        if name in args.skip:
            not_run.update(dict.fromkeys(numbers, f"--skip {name}"))
        else:
            found, measured = section(args)
            spreads, goals = spreads + found, goals + measured
    if args.tests:
        del not_run[7]
        found, measured = tests_section(args)
        spreads, goals = spreads + found, goals + measured
    heading("Goals")
    for number, title in GOALS.items():
        print(f"{number}. {title}")
        lines = [goal.line() for goal in goals if goal.number == number]
        print("\n".join(lines) if lines else f"  not run ({not_run[number]})")
    failed = [goal for goal in goals if goal.ok is False]
    measured = [goal for goal in goals if goal.ok is not None]
    print(f"\n{len(measured) - len(failed)} of {len(measured)} measured goals PASS")
    print(f"{stats.machine_load()} at the end (this run's own work included)")
    print(stats.noise_verdict(spreads, load_before))
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
