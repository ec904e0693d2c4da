"""Goals 3 and 4: how long every explorer takes to answer a move, in Chromium and in a kernel.

* Browser (goal 3): the built pages that show explorers, and the explorers each shows, are
  read from ``_build/html`` (``explorer_pages``, as ``tools/page_weight.explorer_kinds``
  reads them). Each page is served on 127.0.0.1 and opened in Debian's Chromium at
  1280 px; on the first visible explorer of each kind every input a reader has is worked
  ``MOVES`` times (``inputs``): each slider dragged along its track (as the harness's
  ``test_every_drag_event_is_timed`` does), each choice's options
  clicked in turn, each draggable point dragged and moved with the arrow keys, each panel
  that answers a click clicked across its plot area (and, if it takes the focus, moved
  with the arrow keys: the map), the buttons clicked in turn (not a play toggle, whose
  steps come from a timer), and each number of the prose that sets the explorer dragged
  sideways. Per event, ``explorers.js`` records in ``globalThis.explorerTimings`` the
  time from handling the input event to the end of the DOM update; the figure is its
  95th percentile (the maximum is printed too: the map's first choice of each metric
  computes that map). The map's full recompute, ``D2LExplorers.compute.map`` given a
  configuration it has not cached, is timed on its own: median of ``REPEATS`` per metric.
* Kernel (goal 4): a real IPython kernel makes the chapters' explorers as the chapters
  make them (``tools/explorer_harness.explorers``) and sets each control trait ``MOVES``
  times, to the values a reader's moves pass (``control_walk``: ten grid steps up, ten
  down, ...; a choice's options in turn; a point along a diagonal); the trait's observer
  recomputes the results synchronously, so the time of the assignment is the kernel's
  share of a move (the round trip through JupyterLab is not in it). Every explorer has
  the issue's target, the two that retrain included (a move of the training explorer
  retrains two epochs, one of the conventions explorer one epoch of the reader's run).
  The map is computed when the explorer is made (a move of the metric is a look-up);
  its full recompute, ``rmsprop_map`` uncached, is timed on its own.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from d2l_utils.explorers.base import MARKER_CLASS
from tools.browser import ROOT, SITE, along_track, launch_browser, open_page, serve_site
from tools.page_weight import explorer_kinds, site_pages

from . import stats
from .kernel import Kernel
from .stats import Goal

MOVES = 40
#: Full map recomputes timed per metric, in the browser and in the kernel.
REPEATS = 5
#: Goal 3: p95 per event in the browser, one frame at 60 Hz.
FRAME_MS = 16.0
#: Goal 4: median per move in the kernel, for every explorer (the issue's goal).
KERNEL_MEDIAN_MS = 50.0
#: Goals 3 and 4: a full recompute of the map explorer's map, median.
MAP_RECOMPUTE_MS = 100.0
#: The pixels a prose number is dragged per grid step (views/page.js's dragNumber).
PROSE_STEP_PX = 6

# The kernel's cell: the measurement below, run there (ROOT on its path for the imports).
KERNEL_CELL = """import json, sys
sys.path.insert(0, {root!r})
from tools.benchmarks.explorers import kernel_samples
print(json.dumps(kernel_samples({moves}, {repeats})))
"""
# The map's full recompute in the browser: the page's map explorer computes, for a copy of
# its configuration (compute/map.js caches a map per configuration object), each metric.
MAP_RECOMPUTE_JS = """([index, repeats]) => {
  const el = document.querySelectorAll('.d2l-explorer[data-kind="map"]')[index];
  const model = el.d2lExplorer.model;
  const config = model.get('config');
  const controls = Object.fromEntries(Object.keys(config.controls).map((n) => [n, model.get(n)]));
  const found = {};
  for (const metric of config.controls.metric.options) {
    found[metric] = [];
    for (let r = 0; r < repeats; r++) {
      const fresh = { ...config };
      const start = performance.now();
      D2LExplorers.compute.map({ ...controls, metric }, fresh);
      found[metric].push(performance.now() - start);
    }
  }
  return found;
}"""


# ----- kernel side (run inside the kernel by KERNEL_CELL) -------------------------------------


def _offsets(moves: int) -> list[int]:
    """A reader's moves as offsets from the start: 1 ... 10, 9 ... 0, 1 ... 10, ..."""
    return [10 - abs(10 - (move + 1) % 20) for move in range(moves)]


def _walk(count: int, start: int, moves: int) -> list[int]:
    """Indices into ``count`` values, ``_offsets`` from ``start``, reflected at the top end."""
    top = count - 1
    return [max(0, i if i <= top else 2 * top - i) for i in (start + o for o in _offsets(moves))]


def control_walk(spec: dict[str, Any], current: Any, moves: int) -> list[Any]:
    """The values ``moves`` moves of the control described by ``spec`` (its trait's
    ``spec()``) pass from ``current``: grid or count steps, a choice's options in turn, a
    point along the diagonal in steps of 1/200 of its bounds."""
    if spec["type"] == "choice":
        options = spec["options"]
        first = options.index(current)
        return [options[(first + move + 1) % len(options)] for move in range(moves)]
    if spec["type"] == "point":
        sizes = [(high - low) / 200 for low, high in spec["bounds"].values()]
        return [[c + o * s for c, s in zip(current, sizes, strict=True)] for o in _offsets(moves)]
    values = spec.get("grid") or list(range(spec["low"], spec["high"] + 1))
    return [values[i] for i in _walk(len(values), values.index(current), moves)]


def _time_moves(explorer: Any, name: str, values: list[Any]) -> list[float]:
    """Milliseconds of each assignment ``explorer.<name> = value`` (its recompute)."""
    spent = []
    for value in values:
        start = time.perf_counter()
        setattr(explorer, name, value)
        spent.append(1000 * (time.perf_counter() - start))
    return spent


def map_recomputes(repeats: int) -> dict[str, list[float]]:
    """Milliseconds of ``repeats`` full recomputes of the map explorer's map per metric."""
    from d2l_utils.explorers.map import METRICS, rmsprop_map

    found = {}
    for metric in METRICS:
        spent = []
        for _ in range(repeats):
            start = time.perf_counter()
            rmsprop_map.__wrapped__(metric)
            spent.append(1000 * (time.perf_counter() - start))
        found[f"map: full recompute ({metric})"] = spent
    return found


def kernel_samples(moves: int, repeats: int) -> dict[str, dict[str, list[float]]]:
    """In a kernel: every explorer's milliseconds per move of each control (``"moves"``),
    and the map's full recomputes (``"recomputes"``)."""
    from tools.explorer_harness import explorers

    found = {}
    for kind, explorer in explorers().items():
        for name in explorer.control_names():
            spec = explorer.traits()[name].spec()
            values = control_walk(spec, getattr(explorer, name), moves)
            found[f"{kind}: {name}"] = _time_moves(explorer, name, values)
    return {"moves": found, "recomputes": map_recomputes(repeats)}


def kernel_latency(session: Kernel) -> tuple[list[str], list[Goal]]:
    """Goal 4: milliseconds per control move of every explorer in ``session``, median and
    p95, and of the map's full recompute."""
    cell = KERNEL_CELL.format(root=str(ROOT), moves=MOVES, repeats=REPEATS)
    run = session.run(cell, timeout=900)
    samples = json.loads(run.stdout.strip().splitlines()[-1])
    lines, goals = [], []
    for group, limit in (("moves", KERNEL_MEDIAN_MS), ("recomputes", MAP_RECOMPUTE_MS)):
        for name, found in samples[group].items():
            median = stats.median(found)
            lines.append(
                f"  {name:36s} median {median:7.1f} ms   p95 {stats.p95(found):7.1f} ms   "
                f"(n={len(found)})"
            )
            goals.append(stats.at_most(4, f"{name}, median", median, limit, " ms", 1))
    return lines, goals


# ----- browser side -----------------------------------------------------------------------------


def explorer_pages(site: Path = SITE) -> dict[str, list[str]]:
    """The built pages that show explorers, each with its explorers' kinds once, in order."""
    return {
        page: list(dict.fromkeys(kinds))
        for page in site_pages(site)
        if (kinds := explorer_kinds(site / page))
    }


Action = Callable[[], None]


def _timed(page: Page, action: Action) -> list[float]:
    """Run ``action`` (input events); the explorer's timings of it."""
    page.evaluate("globalThis.explorerTimings = []")
    action()
    timings: list[float] = page.evaluate("globalThis.explorerTimings ?? []")
    return timings


def _box(locator: Locator) -> dict[str, Any]:
    """``locator``'s bounding box, scrolled into view."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    if box is None:
        raise RuntimeError(f"{locator} is not shown")
    return dict(box)


def _centre(box: dict[str, Any]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


#: Where a gesture's pointer goes, from its target's bounding box (taken when it runs: the
#: page may have scrolled since the inputs were found).
Gesture = Callable[[dict[str, Any]], list[tuple[float, float]]]


def _drag(page: Page, target: Locator, gesture: Gesture) -> Action:
    """Press the mouse at the first point of ``gesture`` on ``target``, move it through the
    others, release it."""

    def act() -> None:
        press, *moves = gesture(_box(target))
        page.mouse.move(*press)
        page.mouse.down()
        for point in moves:
            page.mouse.move(*point)
        page.mouse.up()

    return act


def _keys(target: Locator, forward: str, back: str) -> Action:
    """Focus ``target`` and press ``forward`` and ``back`` as a reader's moves go."""

    def act() -> None:
        target.focus()
        offsets = _offsets(MOVES)
        for before, after in zip([0, *offsets], offsets, strict=False):
            target.press(forward if after > before else back)

    return act


def _clicks(page: Page, target: Locator, gesture: Gesture) -> Action:
    """Click at each point of ``gesture`` on ``target``."""

    def act() -> None:
        for point in gesture(_box(target)):
            page.mouse.click(*point)

    return act


def _in_turn(targets: list[Locator]) -> Action:
    """Click ``targets`` in turn, ``MOVES`` clicks in all."""

    def act() -> None:
        for move in range(MOVES):
            targets[move % len(targets)].click()

    return act


def _track(box: dict[str, Any]) -> list[tuple[float, float]]:
    """Along a slider's track from one end to the other, as the tests drag."""
    return [along_track(box, i / MOVES) for i in range(MOVES + 1)]


def _wave(box: dict[str, Any]) -> list[tuple[float, float]]:
    """From the centre, rightwards along a wave."""
    x, y = _centre(box)
    return [(x + 2 * i, y - math.sin(i / 6) * 30) for i in range(MOVES + 1)]


def _across(box: dict[str, Any]) -> list[tuple[float, float]]:
    """Points across a plot area, left to right and back, up and down."""
    return [
        (
            box["x"] + box["width"] * (0.1 + 0.8 * (move % 20) / 19),
            box["y"] + box["height"] * (0.5 + 0.35 * math.sin(move / 3)),
        )
        for move in range(MOVES)
    ]


def _sideways(box: dict[str, Any]) -> list[tuple[float, float]]:
    """From the centre, sideways one prose-number grid step at a time, as a reader's moves."""
    x, y = _centre(box)
    return [(x + PROSE_STEP_PX * o, y) for o in [0, *_offsets(MOVES)]]


def _sliders(page: Page, root: Locator) -> dict[str, Action]:
    """Each slider, dragged along its track."""
    found = {}
    for control in root.locator(".d2l-x-control:has(input[type=range])").all():
        name = control.locator(".d2l-x-name").inner_text()
        found[f"{name} slider"] = _drag(page, control.locator("input[type=range]"), _track)
    return found


def _choices(root: Locator) -> dict[str, Action]:
    """Each choice, its options clicked in turn."""
    found = {}
    for control in root.locator(".d2l-x-choice").all():
        name = control.locator(".d2l-x-name").inner_text()
        options = control.locator("label").all()
        found[f"{name} choice"] = _in_turn(options[1:] + options[:1])  # the current one last
    return found


def _handles(page: Page, root: Locator) -> dict[str, Action]:
    """Each draggable point, dragged along a wave and moved with the arrow keys."""
    found = {}
    for handle in root.locator(".d2l-x-handle").all():
        name = handle.get_attribute("aria-roledescription") or "handle"
        found[f"{name} drag"] = _drag(page, handle, _wave)
        found[f"{name} keys"] = _keys(handle, "ArrowRight", "ArrowLeft")
    return found


def _answers_clicks(page: Page, target: Locator) -> bool:
    """Whether a click at the centre of ``target`` makes the explorer answer (record a
    timing)."""
    return bool(_timed(page, _clicks(page, target, lambda box: [_centre(box)])))


def _panels(page: Page, root: Locator) -> dict[str, Action]:
    """Each panel that answers a click, clicked across its plot area; moved with the arrow
    keys too if it takes the focus."""
    found = {}
    for svg in root.locator("svg.d2l-x-svg").all():
        area = svg.locator(".d2l-x-plot-area")
        if not _answers_clicks(page, area):
            continue
        name = svg.get_attribute("aria-roledescription") or "plot"
        found[f"{name} clicks"] = _clicks(page, area, _across)
        if svg.get_attribute("tabindex") == "0":
            found[f"{name} keys"] = _keys(svg, "ArrowRight", "ArrowLeft")
    return found


def _buttons(root: Locator) -> dict[str, Action]:
    """The buttons (reset, prompts, steps) clicked in turn; not a toggle such as play."""
    buttons = [b for b in root.locator("button:not([aria-pressed])").all() if b.is_visible()]
    return {f"buttons ({len(buttons)}), clicked in turn": _in_turn(buttons)} if buttons else {}


def _prose(page: Page, kind: str, index: int) -> dict[str, Action]:
    """Each number of the prose that sets a control of the ``index``-th ``kind`` explorer,
    dragged sideways one grid step at a time."""
    found = {}
    for span in page.locator(f'.d2l-live--control[data-explorer="{kind}"]').all():
        if int(span.get_attribute("data-index") or 0) != index or not span.is_visible():
            continue
        label = span.get_attribute("data-label") or span.get_attribute("data-control")
        found[f"prose number ({label}) drag"] = _drag(page, span, _sideways)
    return found


def inputs(page: Page, root: Locator, kind: str, index: int) -> dict[str, Action]:
    """Every input of the explorer ``root`` (the ``index``-th ``kind`` explorer of the
    page), each an action of ``MOVES`` input events."""
    found: dict[str, Action] = {}
    for more in (
        _sliders(page, root),
        _choices(root),
        _handles(page, root),
        _panels(page, root),
        _buttons(root),
        _prose(page, kind, index),
    ):
        found |= more
    return found


def visible_explorer(page: Page, kind: str) -> tuple[Locator, int]:
    """The view of the page's first visible ``kind`` explorer (others may sit in hidden
    framework tabs) and its index among the page's ``kind`` explorers."""
    explorers = page.locator(f'.{MARKER_CLASS}[data-kind="{kind}"]')
    for index in range(explorers.count()):
        if explorers.nth(index).is_visible():
            return explorers.nth(index).locator(f".d2l-x--{kind}"), index
    raise RuntimeError(f"no {kind} explorer is shown")


def moves(page: Page, kind: str) -> dict[str, list[float]]:
    """The timings of every input of the page's first visible ``kind`` explorer."""
    root, index = visible_explorer(page, kind)
    root.locator("svg").first.wait_for()
    return {what: _timed(page, act) for what, act in inputs(page, root, kind, index).items()}


def map_recompute(page: Page, kind: str) -> dict[str, list[float]]:
    """For a map explorer, milliseconds of ``REPEATS`` full map recomputes per metric in
    the browser (its first visible one); nothing for another kind."""
    if kind != "map":
        return {}
    _, index = visible_explorer(page, kind)
    found: dict[str, list[float]] = page.evaluate(MAP_RECOMPUTE_JS, [index, REPEATS])
    return {f"full map recompute ({metric})": spent for metric, spent in found.items()}


def _page_figures(page: Page, name: str, kind: str) -> tuple[list[str], list[Goal]]:
    """The lines and goals of the ``kind`` explorer on the open page ``name``."""
    lines, goals = [], []
    where = f"{kind} ({name.removeprefix('chapters/')})"
    for what, samples in moves(page, kind).items():
        label = f"{where}: {what}"
        if not samples:
            raise RuntimeError(f"{label}: explorers.js recorded no timing")
        lines.append(
            f"  {label:66s} p95 {stats.p95(samples):6.1f} ms   "
            f"max {max(samples):6.1f} ms   (n={len(samples)})"
        )
        goals.append(stats.at_most(3, f"{label}, p95", stats.p95(samples), FRAME_MS, " ms", 1))
    for what, samples in map_recompute(page, kind).items():
        label, median = f"{where}: {what}", stats.median(samples)
        lines.append(
            f"  {label:66s} median {median:5.1f} ms   max {max(samples):6.1f} ms   "
            f"(n={len(samples)})"
        )
        goals.append(stats.at_most(3, f"{label}, median", median, MAP_RECOMPUTE_MS, " ms", 1))
    return lines, goals


def browser_latency() -> tuple[list[str], list[Goal]]:
    """Goal 3: p95 per event of every input of every explorer on the built pages, and the
    map's full recompute."""
    lines: list[str] = []
    goals: list[Goal] = []
    with serve_site(SITE) as base, launch_browser() as browser:
        for name, kinds in explorer_pages().items():
            page, problems = open_page(
                browser, f"{base}/{name}", viewport={"width": 1280, "height": 900}
            )
            for kind in kinds:
                more_lines, more_goals = _page_figures(page, name, kind)
                lines, goals = lines + more_lines, goals + more_goals
            page.close()
            if problems:
                raise RuntimeError(f"{name}: {problems}")
    if not goals:
        raise RuntimeError(f"no page of {SITE} shows an explorer: run make site")
    return lines, goals
