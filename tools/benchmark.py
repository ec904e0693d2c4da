"""Measure what a reader feels, in one run on one machine, and print it as tables.

Usage: python tools/benchmark.py [--repeat N] [--build-repeat N] [--skip ...] [--profile]
(after `make site`; `make benchmark` installs the reference package and does both).

1. Training: ``train_ch11`` (from-scratch RMSProp) and ``train_concise_ch11`` (Gluon)
   against the reference package ``d2l==1.0.3``, interleaved in one Jupyter kernel:
   sec/epoch as the functions print it, wall and CPU time per call, final loss,
   and the ratios against the targets (PASS/FAIL). See ``benchmarks/training.py``.
2. Sliders: redraw latency in a notebook kernel and recompute-and-redraw time per
   slider event in Chromium (median and 95th percentile), page weight.
3. Build and tests: a clean build of the site (every notebook executed) with each
   notebook's execution time, and the full test run. These take minutes, so they
   run once unless ``--build-repeat`` asks for more.

Every figure is the median of several runs, shown with its spread; the last line
says how noisy the run was (spreads and the machine's load).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from benchmarks import build, sliders, stats, training  # noqa: E402
from benchmarks.kernel import kernel  # noqa: E402

SECTIONS = ("training", "sliders", "build")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="interleaved calls per training function (5)"
    )
    parser.add_argument(
        "--build-repeat", type=int, default=1, help="clean builds and test runs to time (1)"
    )
    parser.add_argument(
        "--skip", nargs="+", choices=SECTIONS, default=[], help="sections to leave out"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a training target fails"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print pyinstrument call trees of one call of each training function, ours "
        "and the reference's, instead of the tables",
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.build_repeat < 1:
        parser.error("--repeat and --build-repeat must be at least 1")
    return args


def heading(text: str) -> None:
    print(f"\n{text}\n{'-' * len(text)}")


def training_section(repeat: int) -> tuple[list[float], bool]:
    heading(
        f"1. Training, 2 epochs, batch 10: median of {repeat} interleaved calls per function "
        "in one Jupyter kernel"
    )
    with kernel() as session:
        samples = training.measure(session, repeat)
    lines, spreads, all_pass = training.report(samples)
    print("\n".join(lines))
    return spreads, all_pass


def sliders_section() -> list[float]:
    heading(f"2. Sliders: milliseconds per move, {sliders.MOVES} moves each")
    with kernel() as session:
        in_kernel = sliders.notebook_latency(session)
    in_browser, weights = sliders.browser_latency_and_weight()
    print("In a notebook kernel (value set -> figure rendered and sent):")
    for name, samples in in_kernel.items():
        print(f"  {name:45s} {stats.latency(samples)}")
    print("On the website (slider event -> frame with the recomputed plot):")
    for name, samples in in_browser.items():
        print(f"  {name:45s} {stats.latency(samples)}")
    print("Page weight, cold cache (everything the page loads):")
    for name, size in weights.items():
        print(f"  {name:45s} {size / 1024:8.0f} KiB")
    return []


def build_section(repeat: int) -> list[float]:
    heading(f"3. Clean site build and full test run ({repeat} run(s) each; minutes per run)")
    builds = [build.clean_build() for _ in range(repeat)]
    build_times = [b.seconds for b in builds]
    print(
        f"  {'clean build, every notebook executed':45s} {stats.describe(build_times, digits=0)}"
    )
    print("  Execution time per notebook (myst-nb, in the clean build):")
    for name in sorted(builds[0].notebooks):
        times = [b.notebooks[name] for b in builds if name in b.notebooks]
        print(f"    {name:43s} {stats.describe(times, digits=1)}")
    with tempfile.TemporaryDirectory(prefix="test-run-") as folder:
        tests = [build.full_test_run(Path(folder) / f"pytest-{i}.log") for i in range(repeat)]
    test_times = [seconds for seconds, _ in tests]
    print(f"  {'full test run (make test)':45s} {stats.describe(test_times, digits=0)}")
    print(f"  {'':45s} last run: {tests[-1][1]}")
    if repeat == 1:
        return []
    return [stats.spread(build_times), stats.spread(test_times)]


def profile_section() -> None:
    for side in training.SIDES:
        with kernel() as session:
            trees = training.profile(session, side)
        for function, tree in trees.items():
            heading(f"pyinstrument: {side} {function} (one call after a warm-up)")
            print(tree)


def main() -> None:
    args = parse_args()
    load_before = os.getloadavg()[0]
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {stats.machine_load()} at the start"
    )
    if args.profile:
        profile_section()
        return
    spreads: list[float] = []
    all_pass = True
    if "training" not in args.skip:
        found, all_pass = training_section(args.repeat)
        spreads += found
    if "sliders" not in args.skip:
        spreads += sliders_section()
    if "build" not in args.skip:
        spreads += build_section(args.build_repeat)
    heading("Noise")
    print(f"{stats.machine_load()} at the end")
    print(stats.noise_verdict(spreads, load_before))
    if "training" not in args.skip:
        print("Training targets: " + ("all met" if all_pass else "NOT all met (see FAIL above)"))
    if args.strict and not all_pass:
        sys.exit(1)


if __name__ == "__main__":
    main()
