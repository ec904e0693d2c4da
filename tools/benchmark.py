"""Measure what a reader feels: slider latency in a notebook and on the website, page weight.

Usage: python tools/benchmark.py   (after `make site`; `make benchmark` does both)

* Notebook: a real IPython kernel builds each explorer and moves its slider many
  times; one move is timed from the value change to the redrawn figure having
  been rendered (SVG) and sent to the front end.
* Browser: headless Chromium loads the built pages and moves each slider by
  keyboard; the page records, with ``performance.now()``, the time from the
  slider event to the frame that shows the recomputed plot.
* Page weight: the bytes each explorer page loads, cold cache.

Each figure is a median over many moves; the 95th percentile shows the noise.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import launch_browser, serve_site  # noqa: E402

MOVES = 40

KERNEL_CODE = """
import json, time
import d2l_utils as d2l
from IPython.display import display

def time_moves(explorer, slider, values):
    display(explorer)
    spent = []
    for value in values:
        start = time.perf_counter()
        slider.value = value
        spent.append(1000 * (time.perf_counter() - start))
    return spent

weights = d2l.WeightsExplorer()
paths = d2l.TrajectoryExplorer()
gammas = [round(0.5 + 0.01 * (i % 49), 2) for i in range(MOVES)]
etas = [d2l.web_explorers.ETA_GRID[10 + i % 30] for i in range(MOVES)]
print(json.dumps({
    "weights explorer (γ slider)": time_moves(weights, weights.gamma, gammas),
    "trajectory explorer (η slider)": time_moves(paths, paths.eta, etas),
}))
"""


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   (n={len(ordered)})"


def notebook_latency() -> dict[str, list[float]]:
    """Run the explorers in a fresh kernel and time slider moves there."""
    manager, client = start_new_kernel(kernel_name="python3")
    printed: list[str] = []
    try:
        client.execute_interactive(
            f"%matplotlib inline\nMOVES = {MOVES}\n{KERNEL_CODE}",
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            timeout=300,
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
    return json.loads("".join(printed).strip().splitlines()[-1])


def browser_latency_and_weight() -> tuple[dict[str, list[float]], dict[str, int]]:
    """Move every explorer slider by keyboard in Chromium; collect timings and bytes."""
    timings: dict[str, list[float]] = {}
    weights: dict[str, int] = {}
    with serve_site() as url, launch_browser() as browser:
        for page_name, sliders in (
            ("algorithm", ["decay γ"]),
            ("from_scratch", ["learning rate η (log scale)", "decay γ (RMSProp)", "steps"]),
        ):
            page = browser.new_page()
            loaded: list[int] = []
            page.on("response", lambda r, seen=loaded: seen.append(len(r.body())))
            page.goto(f"{url}/chapters/{page_name}.html", wait_until="networkidle")
            weights[page_name] = sum(loaded)
            for name in sliders:
                knob = page.locator(f'[role="slider"][aria-label="{name}"]')
                knob.wait_for()
                knob.focus()
                page.evaluate("() => { globalThis.explorerTimings = []; }")
                for i in range(MOVES):
                    page.keyboard.press("ArrowLeft" if (i // 10) % 2 else "ArrowRight")
                page.wait_for_timeout(200)
                timings[f"{page_name}: {name}"] = page.evaluate("() => globalThis.explorerTimings")
            page.close()
    return timings, weights


def main() -> None:
    print("Slider latency in a notebook kernel (move -> figure rendered and sent):")
    for name, samples in notebook_latency().items():
        print(f"  {name:40s} {summary(samples)}")
    timings, weights = browser_latency_and_weight()
    print("Slider latency on the website (event -> recomputed frame, performance.now()):")
    for name, samples in timings.items():
        print(f"  {name:40s} {summary(samples)}")
    print("Page weight, cold cache (everything the page loads):")
    for name, size in weights.items():
        print(f"  {name:40s} {size / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
