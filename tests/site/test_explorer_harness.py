"""The explorers' browser side (d2l_utils/explorers/js/), against the Python side.

``tools/explorer_harness.py`` writes one static page per explorer, holding what the website
holds (the state the package computed in Python); they are served on
127.0.0.1 (and one is opened from file://) and driven in Debian's Chromium at a phone's
width (390 px) and a desktop's (1280 px): every control by mouse, keyboard and touch, the
start point dragged (paths and readout change during the drag), readouts against
``D2LExplorers.compute`` and the contract's figures, the weights chart's geometry, bad
values from page JavaScript, axe-core, and the time from input event to DOM update.
Every page must log no console error and ask no other host for anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, CDPSession, Page

from tools.benchmarks.stats import p95
from tools.browser import along_track, serve_site
from tools.explorer_harness import build, explorers

WIDTHS = (390, 1280)
KINDS = tuple(explorers())
METHODS = ("sgd", "momentum", "adagrad", "rmsprop")
MODEL = "document.querySelector('.d2l-explorer').d2lExplorer.model"


class Harness(NamedTuple):
    folder: Path
    url: str


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    folder = tmp_path_factory.mktemp("explorers")
    build(folder)
    with serve_site(folder) as url:
        yield Harness(folder, url)


Opener = Callable[..., Page]


@pytest.fixture
def open_explorer(browser: Browser, harness: Harness) -> Iterator[Opener]:
    """Opens a harness page in a fresh context; afterwards, no page may have logged an error
    or a warning, thrown, or asked anything of another host."""
    opened = []

    def open_(kind: str, width: int = 1280, touch: bool = False, url: str | None = None) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch)
        page = context.new_page()
        problems: list[str] = []
        allowed = (harness.url, "file://", "data:")
        page.on(
            "console",
            lambda m: (
                problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on("request", lambda r: None if r.url.startswith(allowed) else problems.append(r.url))
        page.goto(url or f"{harness.url}/{kind}.html")
        page.locator(".d2l-x svg").first.wait_for()
        opened.append((context, problems))
        return page

    yield open_
    for context, _ in opened:
        context.close()
    assert [problems for _, problems in opened] == [[] for _ in opened]


def model_get(page: Page, name: str) -> Any:
    return page.evaluate(f"(name) => {MODEL}.get(name)", name)


def readout(page: Page, method: str) -> str:
    return page.locator(f'ul.readout li[data-method="{method}"]').text_content() or ""


def readouts(page: Page) -> dict[str, str]:
    return {m: page.locator(f'li[data-method="{m}"]').text_content() or "" for m in METHODS}


# The readout lines that compute() gives for the model's current controls, as the contract
# formats them.
EXPECTED_TRAJECTORY = f"""() => {{
  const m = {MODEL};
  const config = m.get("config");
  const controls = Object.fromEntries(
    ["eta", "gamma", "steps", "start"].map((n) => [n, m.get(n)]));
  const {{paths}} = D2LExplorers.compute.trajectory(controls, config);
  return Object.fromEntries(Object.entries(paths).map(([method, p]) => {{
    const n = p.x1.length - 1;
    const text = p.diverged ? `diverged at step ${{p.diverged}}`
      : `x1 ${{p.x1[n].toFixed(6)}}, x2 ${{p.x2[n].toFixed(6)}}, f ${{p.f[n].toFixed(6)}}`;
    return [method, `${{config.optimizers[method].label}}: ${{text}}`];
  }}));
}}"""

RMSPROP_PATH_D = (
    "document.querySelector('.d2l-x-path[data-method=rmsprop] path').getAttribute('d')"
)


def centre(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


NEXT_FRAME = "() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))"


def timings(page: Page) -> list[float]:
    return page.evaluate("() => globalThis.explorerTimings ?? []")


def touch(cdp: CDPSession, kind: str, x: float = 0, y: float = 0) -> None:
    """A real touch event (Chromium turns it into pointer events of type "touch")."""
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


# --- layout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_horizontal_overflow(open_explorer: Opener, kind: str, width: int) -> None:
    page = open_explorer(kind, width)
    sizes = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   right: Math.max(...[...document.querySelectorAll('.d2l-x *')]
                     .filter((e) => !(e instanceof SVGElement) || e instanceof SVGSVGElement)
                     .map((e) => e.getBoundingClientRect().right))})"""
    )
    assert sizes["scroll"] <= sizes["client"] == width
    assert sizes["right"] <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_panels_side_by_side_only_when_wide(open_explorer: Opener, width: int) -> None:
    page = open_explorer("trajectory", width)
    first, second = (page.locator(".d2l-x-panel").nth(i).bounding_box() for i in (0, 1))
    assert first and second
    if width >= 700:
        assert second["x"] > first["x"] + first["width"] - 1 and second["y"] == first["y"]
    else:
        assert second["y"] >= first["y"] + first["height"]
    # Tick labels are at least 11 px; the legend/readout is outside the plot areas.
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.d2l-x svg text')]
                 .map((t) => parseFloat(getComputedStyle(t).fontSize))"""
    )
    assert min(sizes) >= 11
    legend = page.locator("ul.readout").bounding_box()
    assert legend and legend["y"] >= max(
        first["y"] + first["height"], second["y"] + second["height"]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_touch_targets_are_large(open_explorer: Opener, kind: str) -> None:
    """Every control is at least 44 px each way (a radio button by its label, which a tap
    on any part of selects)."""
    page = open_explorer(kind, 390)
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.d2l-x input, .d2l-x button, .d2l-x-handle')]
                 .map((e) => (e.type === 'radio' ? e.closest('label') : e))
                 .map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height])"""
    )
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes


def test_layout_follows_the_width(open_explorer: Opener) -> None:
    page = open_explorer("trajectory", 1280)
    assert page.locator(".d2l-x--wide").count() == 1
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_function("() => !document.querySelector('.d2l-x--wide')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_trajectory_readout_is_the_contract_figure(open_explorer: Opener, width: int) -> None:
    page = open_explorer("trajectory", width)
    assert (model_get(page, "eta"), model_get(page, "gamma")) == (0.4, 0.9)
    assert (model_get(page, "steps"), model_get(page, "start")) == (20, [-5, -2])
    assert readout(page, "rmsprop").startswith("RMSProp: x1 -0.010599, x2 0.000000")
    assert readouts(page) == page.evaluate(EXPECTED_TRAJECTORY)


def test_js_port_agrees_with_the_python_rules(open_explorer: Opener) -> None:
    """The page's initial results come from the package (rules.py through train_2d); the
    browser's port recomputes them from the same controls: bit for bit."""
    page = open_explorer("trajectory")
    worst = page.evaluate(
        f"""() => {{
      const m = {MODEL};
      const controls = {{eta: m.get("eta"), gamma: m.get("gamma"), steps: m.get("steps"),
                         start: m.get("start")}};
      const js = D2LExplorers.compute.trajectory(controls, m.get("config")).paths;
      let worst = 0;
      for (const [method, p] of Object.entries(m.get("paths"))) {{
        for (const key of ["x1", "x2", "f"]) p[key].forEach((v, i) => {{
          worst = Math.max(worst, Math.abs(v - js[method][key][i]) / Math.max(1, Math.abs(v)));
        }});
        if (p.x1.length !== js[method].x1.length) worst = Infinity;
      }}
      return worst;
    }}"""
    )
    assert worst == 0.0


def test_rules_follow_the_contract(open_explorer: Opener) -> None:
    page = open_explorer("weights")
    got = page.evaluate(
        """() => { const r = D2LExplorers.rules;
          return [r.sgd(1, 2, 0.1), r.momentum(1, 2, 0.5, 0.1, 0.5), r.adagrad(1, 2, 3, 0.1, 1e-6),
                  r.rmsprop(1, 2, 3, 0.1, 0.9, 1e-6), D2LExplorers.version]; }"""
    )
    s_rms = 0.9 * 3 + (1 - 0.9) * 2 * 2
    assert got[:4] == [
        [1 - 0.1 * 2],
        [1 - 0.1 * (0.5 * 0.5 + 2), 0.5 * 0.5 + 2],
        [1 - 0.1 * 2 / math.sqrt(3 + 4 + 1e-6), 7],
        [1 - 0.1 * 2 / math.sqrt(s_rms + 1e-6), s_rms],
    ]
    assert isinstance(got[4], str)


@pytest.mark.parametrize("width", WIDTHS)
def test_training_final_loss(open_explorer: Opener, width: int) -> None:
    page = open_explorer("training", width)
    text = page.locator("p.readout").inner_text()
    assert text.startswith("η = 0.01, γ = 0.90: final loss ")
    loss = float(re.search(r"final loss (\d+\.\d+)", text).group(1))  # type: ignore[union-attr]
    assert 0.235 <= loss <= 0.255
    js = page.evaluate(
        f"""() => {{ const m = {MODEL};
          return D2LExplorers.compute.training({{eta: 0.01, gamma: 0.9}}, m.get("config")); }}"""
    )
    assert text.endswith(f"final loss {js['curve'][-1]:.4f}") and js["diverged"] is None
    # The book's curve in the page is the kernel's (the package's rule in NumPy, float64); the
    # browser retrains in float64 from the same data, start and minibatch order.
    book = model_get(page, "config")["book"]
    assert book["epochs_at"] == js["epochs_at"]
    assert book["curve"] == pytest.approx(js["curve"], rel=1e-12)
    assert len(js["curve"]) == 15 and js["epochs_at"][-1] == 2


def test_training_divergence_messages(open_explorer: Opener) -> None:
    page = open_explorer("training")
    results = page.evaluate(
        f"""() => {{
      const config = {MODEL}.get("config");
      // Features of size 1e300 overflow at once: the non-finite loss stops the run.
      const X = config.data.X.map((row) => row.map((v) => v * 1e300));
      const huge = {{...config, data: {{...config.data, X}}}};
      return [D2LExplorers.compute.training({{eta: 2.5, gamma: 0.9}}, config),
              D2LExplorers.compute.training({{eta: 0.01, gamma: 0.9}}, huge)];
    }}"""
    )
    # The same run in the kernel: the same message, number for number.
    python = explorers()["training"]
    python.eta = 2.5  # type: ignore[attr-defined]
    numbers = re.compile(r"[-+]?\d*\.?\d+(?:e[-+]?\d+)?")
    assert results[0]["diverged"] == python.diverged  # type: ignore[attr-defined]
    assert numbers.sub("N", results[0]["diverged"]) == (
        "diverged: the loss ended at N, N times the starting loss N; lower the learning rate"
    )
    assert results[1] == {
        "epochs_at": [],
        "curve": [],
        "diverged": "training diverged at epoch 0.01: the loss is inf; lower the learning rate",
    }
    page.evaluate(f"() => {{ const m = {MODEL}; m.set('eta', 2.5); m.save_changes(); }}")
    assert page.locator("p.readout").inner_text() == "η = 2.5, γ = 0.90: " + results[0]["diverged"]
    assert page.locator("[data-curve=previous]").is_visible()


# --- the weights chart -------------------------------------------------------------------------

GEOMETRY = """() => {
  const svg = document.querySelector('.d2l-x svg');
  const area = svg.querySelector('.d2l-x-plot-area').getBBox();
  const bars = svg.querySelector('.d2l-x-bars').getBBox();
  const markers = Object.fromEntries([...svg.querySelectorAll('.d2l-x-marker')].map((m) => [
    m.classList[1], {shown: m.getAttribute('display') !== 'none', x: +m.getAttribute('x1'),
                     y1: +m.getAttribute('y1'), y2: +m.getAttribute('y2')}]));
  return {area: [area.x, area.y, area.width, area.height],
          bars: [bars.x, bars.y, bars.width, bars.height], markers,
          readout: document.querySelector('p.readout').textContent};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("gamma", [0, 0.9, 0.99, 0.999])
def test_weights_stay_on_the_chart(open_explorer: Opener, width: int, gamma: float) -> None:
    page = open_explorer("weights", width)
    page.evaluate(f"(g) => {{ const m = {MODEL}; m.set('gamma', g); m.save_changes(); }}", gamma)
    g = page.evaluate(GEOMETRY)
    ax, ay, aw, ah = g["area"]
    bx, by, bw, bh = g["bars"]
    tol = 0.51
    assert (
        ax - tol <= bx and bx + bw <= ax + aw + tol and ay - tol <= by and by + bh <= ay + ah + tol
    )
    # The tallest bar, (1-γ) on a range of 1.1 (1-γ), fills 1/1.1 of the height: never clipped.
    assert bh == pytest.approx(ah / 1.1, abs=1)
    assert bw >= 0.9 * aw
    for key in ("d2l-x-marker--window", "d2l-x-marker--half_life"):
        marker = g["markers"][key]
        assert marker["shown"] and ax <= marker["x"] <= ax + aw
        assert {marker["y1"], marker["y2"]} == {ay, ay + ah}
    window = 1 / (1 - gamma)
    half = 0 if gamma == 0 else math.log(2) / -math.log(gamma)
    assert f"window 1/(1−γ) = {window:.2f} steps (dashed)" in g["readout"]
    assert f"half-life ln 2/(−ln γ) = {half:.2f} steps (dotted)" in g["readout"]
    assert g["readout"].startswith(
        "γ = " + {0: "0.00", 0.9: "0.90", 0.99: "0.990"}.get(gamma, "0.9990")
    )


def test_weights_slider_shows_gamma(open_explorer: Opener) -> None:
    page = open_explorer("weights")
    slider = page.get_by_role("slider", name="decay rate", exact=True)
    assert slider.get_attribute("aria-valuetext") == "γ = 0.90"
    page.evaluate(f"() => {{ const m = {MODEL}; m.set('gamma', 0.99); m.save_changes(); }}")
    assert slider.get_attribute("aria-valuetext") == "γ = 0.990"
    assert page.locator(".d2l-x-value").inner_text() == "γ = 0.990"


# --- controls by mouse, keyboard and touch ----------------------------------------------------

SLIDERS = {
    "weights": [("decay rate", "gamma")],
    "trajectory": [("learning rate", "eta"), ("RMSProp decay", "gamma"), ("steps", "steps")],
    "training": [("learning rate", "eta"), ("decay rate", "gamma")],
}
SLIDER_CASES = [(kind, label, name) for kind, pairs in SLIDERS.items() for label, name in pairs]


def shown_text(page: Page) -> str:
    """Everything the explorer shows that results change: readouts and the SVG's geometry."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.d2l-x .readout')]
                   .map((e) => e.textContent).join('|')
              + [...document.querySelectorAll('.d2l-x svg path')]
                   .map((p) => p.getAttribute('d')).join('')"""
    )


def track_point(page: Page, label: str, fraction: float) -> tuple[float, float]:
    box = page.get_by_role("slider", name=label, exact=True).bounding_box()
    assert box is not None
    return along_track(box, fraction)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("kind", "label", "name"), SLIDER_CASES)
def test_slider_by_keyboard(
    open_explorer: Opener, kind: str, label: str, name: str, width: int
) -> None:
    page = open_explorer(kind, width)
    slider = page.get_by_role("slider", name=label, exact=True)
    before, shown = model_get(page, name), shown_text(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    grid = page.evaluate(f"(n) => {MODEL}.get('config').controls[n].grid ?? null", name)
    after = model_get(page, name)
    assert after == (before + 1 if grid is None else grid[grid.index(before) + 1])
    assert shown_text(page) != shown
    page.keyboard.press("Home")
    assert model_get(page, name) == (1 if grid is None else grid[0])
    assert page.evaluate("() => document.activeElement.matches(':focus-visible')")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("kind", "label", "name"), SLIDER_CASES)
def test_slider_by_mouse(
    open_explorer: Opener, kind: str, label: str, name: str, width: int
) -> None:
    page = open_explorer(kind, width)
    before, shown = model_get(page, name), shown_text(page)
    page.mouse.move(*track_point(page, label, 0.05))
    page.mouse.down()
    values = set()
    for i in range(1, 9):
        page.mouse.move(*track_point(page, label, 0.05 + 0.1 * i))
        values.add(model_get(page, name))
    page.mouse.up()
    assert len(values) >= 6  # the model follows the drag, not only the release
    assert model_get(page, name) != before and shown_text(page) != shown
    slider = page.get_by_role("slider", name=label, exact=True)
    value = page.locator(".d2l-x-value").nth([n for _, n in SLIDERS[kind]].index(name))
    assert slider.get_attribute("aria-valuetext") == value.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("kind", "label", "name"), SLIDER_CASES)
def test_slider_by_touch(
    open_explorer: Opener, kind: str, label: str, name: str, width: int
) -> None:
    page = open_explorer(kind, width, touch=True)
    cdp = page.context.new_cdp_session(page)
    before, shown = model_get(page, name), shown_text(page)
    touch(cdp, "touchStart", *track_point(page, label, 0.1))
    for i in range(1, 8):
        touch(cdp, "touchMove", *track_point(page, label, 0.1 + 0.1 * i))
    touch(cdp, "touchEnd")
    assert model_get(page, name) != before and shown_text(page) != shown


@pytest.mark.parametrize("width", (390, 360))
def test_a_vertical_swipe_on_a_slider_scrolls_and_leaves_it(
    open_explorer: Opener, width: int
) -> None:
    """A thumb that starts on a slider and moves up scrolls the page; the value stays."""
    page = open_explorer("weights", width, touch=True)
    page.evaluate("() => document.body.style.paddingBottom = '2000px'")  # room to scroll
    cdp = page.context.new_cdp_session(page)
    before, shown = model_get(page, "gamma"), shown_text(page)
    x, y = track_point(page, "decay rate", 0.95)  # far from the thumb: a tap there would move it
    touch(cdp, "touchStart", x, y)
    for step in range(1, 11):
        touch(cdp, "touchMove", x + step, y - 20 * step)
    touch(cdp, "touchEnd")
    page.evaluate(NEXT_FRAME)
    assert page.evaluate("() => window.scrollY") > 50  # the page scrolled
    assert model_get(page, "gamma") == before and shown_text(page) == shown


# --- the start point ---------------------------------------------------------------------------

DRAG_STATE = f"""() => ({{
  start: {MODEL}.get('start'),
  rmsprop: document.querySelector('li[data-method=rmsprop]').textContent,
  path: {RMSPROP_PATH_D},
  ticks: [...document.querySelectorAll('.d2l-x-panel:first-child .d2l-x-axis text')]
    .map((t) => t.textContent).join(' '),
}})"""


def drag_start_point(page: Page, press: Callable, move: Callable, release: Callable) -> None:
    """Drags the start point 12 moves up-right. During the drag the model, the readout and the
    path change at every move, the point stays under the pointer and the view is kept."""
    x, y = centre(page, ".d2l-x-handle")
    first = page.evaluate(DRAG_STATE)
    press(x, y)
    seen = [first]
    for i in range(1, 13):
        move(x + 6 * i, y - 3 * i)
        state = page.evaluate(DRAG_STATE)
        assert state["start"] != seen[-1]["start"]
        assert state["rmsprop"] != seen[-1]["rmsprop"] and state["path"] != seen[-1]["path"]
        assert state["ticks"] == first["ticks"]  # no re-framing while the finger is down
        hx, hy = centre(page, ".d2l-x-handle")
        assert abs(hx - (x + 6 * i)) <= 1.5 and abs(hy - (y - 3 * i)) <= 1.5
        seen.append(state)
    release()
    after = page.evaluate(DRAG_STATE)
    assert after["start"] == seen[-1]["start"]
    assert readouts(page) == page.evaluate(EXPECTED_TRAJECTORY)
    assert after["start"][0] > first["start"][0] and after["start"][1] > first["start"][1]


@pytest.mark.parametrize("width", WIDTHS)
def test_start_point_by_mouse(open_explorer: Opener, width: int) -> None:
    page = open_explorer("trajectory", width)
    drag_start_point(
        page,
        lambda x, y: (page.mouse.move(x, y), page.mouse.down()),
        lambda x, y: page.mouse.move(x, y),
        page.mouse.up,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_start_point_by_touch(open_explorer: Opener, width: int) -> None:
    page = open_explorer("trajectory", width, touch=True)
    page.evaluate(
        """() => { globalThis.pointerTypes = new Set();
          document.querySelector('.d2l-x-handle').addEventListener('pointermove',
            (e) => pointerTypes.add(e.pointerType)); }"""
    )
    cdp = page.context.new_cdp_session(page)
    scroll = page.evaluate("window.scrollY")
    drag_start_point(
        page,
        lambda x, y: touch(cdp, "touchStart", x, y),
        # Touch moves reach the page aligned to frames: wait for the next one.
        lambda x, y: (touch(cdp, "touchMove", x, y), page.evaluate(NEXT_FRAME)),
        lambda: touch(cdp, "touchEnd"),
    )
    assert page.evaluate("[...pointerTypes]") == ["touch"]
    assert page.evaluate("window.scrollY") == scroll  # the drag did not scroll the page


@pytest.mark.parametrize("width", WIDTHS)
def test_start_point_by_keyboard(open_explorer: Opener, width: int) -> None:
    page = open_explorer("trajectory", width)
    page.locator(".d2l-x-handle").focus()
    page.keyboard.press("ArrowRight")
    assert model_get(page, "start") == [-4.9, -2]
    page.keyboard.press("Shift+ArrowUp")
    page.keyboard.press("ArrowDown")
    assert model_get(page, "start") == [-4.9, -1.1]
    assert readouts(page) == page.evaluate(EXPECTED_TRAJECTORY)
    assert page.evaluate("() => document.activeElement.matches('.d2l-x-handle:focus-visible')")
    outline = page.evaluate(
        "() => getComputedStyle(document.querySelector('.d2l-x-handle')).outlineStyle"
    )
    assert outline == "solid"


def test_keys_reach_the_controls_inside_a_notebook(open_explorer: Opener) -> None:
    """JupyterLab's command mode takes arrow keys at the document (preventDefault): the
    explorer keeps the keys pressed on its controls to itself."""
    page = open_explorer("trajectory")
    page.evaluate(
        """() => document.addEventListener('keydown', (e) => {
             if (e.key.startsWith('Arrow') || e.key === 'End') e.preventDefault(); })"""
    )
    page.get_by_role("slider", name="learning rate", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    assert model_get(page, "eta") == 2
    page.locator(".d2l-x-handle").focus()
    page.keyboard.press("ArrowUp")
    assert model_get(page, "start") == [-5, -1.9]


def test_tap_on_the_plot_moves_the_start_point(open_explorer: Opener) -> None:
    page = open_explorer("trajectory", 390, touch=True)
    box = page.locator(".d2l-x-plot-area").first.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)
    x1, x2 = model_get(page, "start")
    assert x1 > -2 and x2 > 0
    assert readouts(page) == page.evaluate(EXPECTED_TRAJECTORY)


def test_view_frames_the_paths(open_explorer: Opener) -> None:
    """After a change the paths fill the view: neither half empty nor cut off."""
    page = open_explorer("trajectory")
    page.evaluate(
        f"() => {{ const m = {MODEL}; m.set('start', [-8, 3]); m.set('eta', 0.1); "
        "m.save_changes(); }"
    )
    spread = page.evaluate(
        """() => {
      const area = document.querySelector('.d2l-x-plot-area').getBBox();
      const boxes = [...document.querySelectorAll('.d2l-x-path path:first-child')]
        .map((p) => p.getBBox()).filter((b) => b.width || b.height);
      const x0 = Math.min(...boxes.map((b) => b.x));
      const x1 = Math.max(...boxes.map((b) => b.x + b.width));
      const y0 = Math.min(...boxes.map((b) => b.y));
      const y1 = Math.max(...boxes.map((b) => b.y + b.height));
      return [(x1 - x0) / area.width, (y1 - y0) / area.height];
    }"""
    )
    assert all(0.6 <= s <= 1 for s in spread), spread


@pytest.mark.parametrize("width", WIDTHS)
def test_prompts_set_the_controls_and_explain(open_explorer: Opener, width: int) -> None:
    page = open_explorer("trajectory", width)
    page.get_by_role("button", name="A step too large for SGD").click()
    assert model_get(page, "eta") == 0.56 and model_get(page, "steps") == 30
    assert "SGD multiplies x2" in page.locator(".d2l-x-note").inner_text()
    page.get_by_role("button", name="The section's run").click()
    assert readout(page, "rmsprop").startswith("RMSProp: x1 -0.010599, x2 0.000000")
    assert page.locator(".d2l-x-note").inner_text().startswith("The section's run.")
    assert page.locator(".d2l-x-prompt.is-active").inner_text() == "The section's run"


# --- robustness ------------------------------------------------------------------------------

BAD_VALUES = [
    "NaN",
    "1e9",
    "-1e9",
    "Infinity",
    "'a string'",
    "null",
    "undefined",
    "[1, 2]",
    "'0.5'",
]
CONTROLS = {kind: explorer.control_names() for kind, explorer in explorers().items()}


@pytest.mark.parametrize("kind", KINDS)
def test_bad_values_from_page_javascript(open_explorer: Opener, kind: str) -> None:
    page = open_explorer(kind)
    cases = [(name, value) for name in CONTROLS[kind] for value in BAD_VALUES]
    if kind == "trajectory":
        cases += [("start", v) for v in ("[NaN, 1]", "[1e9, -1e9]", "['x', null]", "'a string'")]
    for name, value in cases:
        result = page.evaluate(
            f"""async () => {{
          const m = {MODEL};
          try {{ m.set({name!r}, {value}); m.save_changes(); }}
          catch (e) {{ return 'threw ' + e; }}
          await new Promise(requestAnimationFrame);
          const html = document.querySelector('.d2l-x').innerHTML;
          const config = m.get('config');
          const v = m.get({name!r});
          const spec = config.controls[{name!r}];
          const ok = spec.type === 'count' ? Number.isInteger(v) && v >= spec.low && v <= spec.high
            : spec.type === 'point' ? v.every(Number.isFinite)
            : spec.type === 'choice' ? spec.options.includes(v)
            : spec.grid.includes(v);
          return [/NaN|Infinity|undefined/.test(html), ok];
        }}"""
        )
        assert result == [False, True], (name, value, result)


def test_bad_results_from_a_kernel_are_drawn_without_nan(open_explorer: Opener) -> None:
    """In a notebook, results come from Python: the renderer must survive garbage there too."""
    page = open_explorer("trajectory")
    html = page.evaluate(
        f"""async () => {{
      const m = {MODEL};
      m.set('paths', {{rmsprop: {{x1: [1, NaN, 'a', 3], x2: [1, 2, null, 1e300],
                                  f: [1, 2, 3, Infinity], diverged: 0}},
                       sgd: null, momentum: 'x'}});
      await new Promise(requestAnimationFrame);
      return document.querySelector('.d2l-x').innerHTML;
    }}"""
    )
    assert not re.search("NaN|Infinity", html)


def test_cleanup_removes_everything(open_explorer: Opener) -> None:
    page = open_explorer("trajectory")
    counts = page.evaluate(
        f"""() => {{
      const state = {{}};
      const m0 = {MODEL};
      for (const k of ['kind', 'config', 'eta', 'gamma', 'steps', 'start', 'paths']) {{
        state[k] = m0.get(k);
      }}
      const model = new D2LExplorers.LocalModel(state);
      let listening = 0;
      const on = model.on.bind(model), off = model.off.bind(model);
      model.on = (e, cb) => {{ listening++; on(e, cb); }};
      model.off = (e, cb) => {{ listening--; off(e, cb); }};
      const el = document.createElement('div');
      document.body.append(el);
      const cleanup = D2LExplorers.render({{model, el}});
      const during = listening;
      cleanup();
      model.set('eta', 2); model.save_changes();
      return [during, listening, el.childElementCount];
    }}"""
    )
    assert counts[0] > 0 and counts[1:] == [0, 0]


def test_results_that_come_back_later(open_explorer: Opener) -> None:
    """A model whose results arrive 30 ms after save_changes, like a kernel's: the renderer
    draws them when they come, and the timing covers the round trip."""
    page = open_explorer("trajectory")
    got = page.evaluate(
        f"""async () => {{
      const m0 = {MODEL};
      const keys = ['kind', 'config', 'eta', 'gamma', 'steps', 'start', 'paths'];
      const state = Object.fromEntries(keys.map((k) => [k, m0.get(k)]));
      const inner = new D2LExplorers.LocalModel(state);
      const model = {{get: (n) => inner.get(n), set: (n, v) => inner.set(n, v),
        on: (e, cb) => inner.on(e, cb), off: (e, cb) => inner.off(e, cb), send() {{}},
        save_changes: () => setTimeout(() => inner.save_changes(), 30)}};
      const el = document.createElement('div');
      document.querySelector('main').append(el);
      D2LExplorers.render({{model, el}});
      globalThis.explorerTimings = [];
      el.querySelector('input').dispatchEvent(new Event('input'));  // the eta slider, moved
      el.querySelector('input').value = 20;
      el.querySelector('input').dispatchEvent(new Event('input'));
      const before = el.querySelector('li[data-method=rmsprop]').textContent;
      await new Promise((resolve) => setTimeout(resolve, 120));
      const text = el.querySelector('li[data-method=rmsprop]').textContent;
      const expected = D2LExplorers.compute.trajectory(
        {{eta: inner.get('eta'), gamma: 0.9, steps: 20, start: [-5, -2]}}, state.config
      ).paths.rmsprop;
      const n = expected.x1.length - 1;
      return [before, text, `RMSProp: x1 ${{expected.x1[n].toFixed(6)}}`, explorerTimings];
    }}"""
    )
    before, text, expected, waited = got
    assert before.startswith("RMSProp: x1 -0.010599") and text.startswith(expected)
    assert text != before
    assert len(waited) == 2 and min(waited) >= 29


def test_works_from_file_url(open_explorer: Opener, harness: Harness) -> None:
    page = open_explorer("trajectory", url=(harness.folder / "trajectory.html").as_uri())
    assert page.url.startswith("file://")
    assert readout(page, "rmsprop").startswith("RMSProp: x1 -0.010599, x2 0.000000")
    page.locator(".d2l-x-handle").focus()
    page.keyboard.press("ArrowLeft")
    assert readouts(page) == page.evaluate(EXPECTED_TRAJECTORY)


# --- accessibility and speed -----------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_accessibility_violation(open_explorer: Opener, kind: str, width: int) -> None:
    page = open_explorer(kind, width)
    if kind == "trajectory":
        page.get_by_role("button", name="The section's run").click()  # the note shows too
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_drag_event_is_timed(
    open_explorer: Opener, width: int, capsys: pytest.CaptureFixture
) -> None:
    """Every input event of a 40-move drag of the start point and of a slider is timed, from
    handling it to the end of the DOM update (globalThis.explorerTimings), as `make
    benchmark` reads them: that is where the one-frame budget is measured and judged (goal
    3); a test on a shared machine only prints the p95, and how long Chromium held each
    pointermove before dispatching it."""
    page = open_explorer("trajectory", width)
    # How long each pointermove waited before its dispatch (Chromium aligns them to frames):
    # part of the measured time, but not the explorer's work.
    page.evaluate(
        """() => { globalThis.waits = []; window.addEventListener('pointermove',
          (e) => waits.push(performance.now() - e.timeStamp), true); }"""
    )
    x, y = centre(page, ".d2l-x-handle")
    page.evaluate("globalThis.explorerTimings = []")
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 41):
        page.mouse.move(x + 2 * i, y - math.sin(i / 6) * 30)
    page.mouse.up()
    drag = timings(page)
    waits = page.evaluate("waits")
    page.evaluate("globalThis.explorerTimings = []")
    page.mouse.move(*track_point(page, "learning rate", 0))
    page.mouse.down()
    for i in range(1, 41):
        page.mouse.move(*track_point(page, "learning rate", i / 40))
    page.mouse.up()
    slider = timings(page)
    with capsys.disabled():
        print(
            f"\n[{width} px] p95 input-to-DOM: start-point drag {p95(drag):.2f} ms "
            f"({len(drag)} events; before that, Chromium held them p95 {p95(waits):.2f} ms), "
            f"slider {p95(slider):.2f} ms ({len(slider)} events)"
        )
    assert len(drag) == 40 and len(slider) >= 30
    assert all(time >= 0 for time in drag + slider)
