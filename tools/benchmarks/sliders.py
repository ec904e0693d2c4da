"""Slider latency in a notebook kernel and on the website; the weight of the explorer pages.

* Notebook: a real IPython kernel builds each explorer and moves its slider
  ``MOVES`` times; one move is timed from the value change to the redrawn
  figure having been rendered (SVG) and sent to the front end.
* Browser: headless Chromium loads the built pages and moves each slider by
  keyboard; the page records, with ``performance.now()``, the time from the
  slider event to the frame that shows the recomputed plot.
* Page weight: the bytes each explorer page loads, cold cache.
"""

from __future__ import annotations

import json

from tests.browser import launch_browser, serve_site

from .kernel import Kernel

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

#: page -> the accessible names of the sliders moved on it.
PAGES = {
    "algorithm": ["decay γ"],
    "from_scratch": ["learning rate η (log scale)", "decay γ (RMSProp)", "steps"],
}


def notebook_latency(session: Kernel) -> dict[str, list[float]]:
    """Milliseconds per slider move for each explorer, in the given kernel."""
    run = session.run(f"MOVES = {MOVES}\n{KERNEL_CODE}", timeout=300)
    return json.loads(run.stdout.strip().splitlines()[-1])


def browser_latency_and_weight() -> tuple[dict[str, list[float]], dict[str, int]]:
    """Move every explorer slider by keyboard in Chromium; collect timings and bytes."""
    timings: dict[str, list[float]] = {}
    weights: dict[str, int] = {}
    with serve_site() as url, launch_browser() as browser:
        for page_name, sliders in PAGES.items():
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
