"""The explorers on the built website: mounted where the chapters show them, and working.

The explorers' behaviour (every control by mouse, keyboard and touch, drags, bad values,
latency) is tested on the harness pages (``test_explorer_harness.py``); here the pages
``make site`` built must hold the same working explorers, at a phone's width and a
desktop's, from a server and from ``file://``: what the cell computed in Python at build
time is what the browser recomputes, and a move of a control recomputes it again.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tools.browser import PAGES, SITE, choose_framework, open_page
from tools.frameworks import FRAMEWORKS
from tools.page_weight import explorer_kinds

#: The explorers of each page, in order, as the chapters' cells put them there (a tagged
#: explorer cell appears once per framework tab).
EXPLORERS = {page: kinds for page in PAGES if (kinds := explorer_kinds(SITE / page))}
#: The ``i``-th explorer's results as the build computed them in Python, and as the browser
#: recomputes them from its controls: each result the browser computes, from both.
BUILT_AND_RECOMPUTED = """(i) => {
  const m = document.querySelectorAll('.d2l-explorer')[i].d2lExplorer.model;
  const kind = m.get('kind'); const config = m.get('config');
  const controls = Object.fromEntries(Object.keys(config.controls).map((n) => [n, m.get(n)]));
  const again = D2LExplorers.compute[kind](controls, config);
  return [Object.fromEntries(Object.keys(again).map((k) => [k, m.get(k)])), again]; }"""


#: The explorers that train the section's model: their losses and gaps are sums that
#: NumPy and JavaScript take in different orders.
RETRAINED = ("training", "conventions")


def assert_close(built: Any, again: Any, where: str) -> None:
    """``built`` and ``again`` are the same structure with numbers equal to 1e-9."""
    if isinstance(built, dict):
        assert isinstance(again, dict) and built.keys() == again.keys(), where
        for key in built:
            assert_close(built[key], again[key], f"{where}.{key}")
    elif isinstance(built, list):
        assert isinstance(again, list) and len(built) == len(again), where
        for i, (one, other) in enumerate(zip(built, again, strict=True)):
            assert_close(one, other, f"{where}[{i}]")
    elif isinstance(built, float):
        assert again == pytest.approx(built, rel=1e-9, abs=1e-15), where
    else:
        assert built == again, where


def mounted(page: Page) -> list[str]:
    page.wait_for_function("() => document.querySelectorAll('.d2l-x svg').length > 0")
    return page.evaluate(
        "() => [...document.querySelectorAll('.d2l-explorer')]"
        ".map((el) => el.d2lExplorer ? el.dataset.kind : 'not mounted')"
    )


def keyboard_move_recomputes(page: Page, index: int) -> None:
    """Move the first control of the page's ``index``-th explorer from the keyboard (a
    slider, or a chart that takes the arrow keys, as the map does); wait until the explorer
    shows something else (the test times out if it never does)."""
    explorer = page.locator(".d2l-explorer").nth(index)
    before = explorer.inner_text()
    slider = explorer.locator("input[type=range], svg[tabindex='0']").first
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_function(
        "([i, t]) => document.querySelectorAll('.d2l-explorer')[i].innerText !== t",
        arg=[index, before],
    )


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_the_pages_explorers_work_and_agree_with_the_build(
    browser: Browser, base_url: str, name: str, width: int
) -> None:
    page, problems = open_page(
        browser, f"{base_url}/{name}", viewport={"width": width, "height": 900}
    )
    assert mounted(page) == EXPLORERS[name]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for index, kind in enumerate(EXPLORERS[name]):
        built, again = page.evaluate(BUILT_AND_RECOMPUTED, index)
        assert again, kind
        for key, value in again.items():
            if kind in RETRAINED:  # float64 on both sides, but sums taken in another order
                assert_close(built[key], value, key)
            else:
                assert built[key] == value, key  # the same rules, bit for bit
        if kind == "trajectory":
            rmsprop = built["paths"]["rmsprop"]
            assert (round(rmsprop["x1"][-1], 6), round(rmsprop["x2"][-1], 6)) == (-0.010599, 0.0)
    keyboard_move_recomputes(page, 0)  # the first explorer on the page
    assert problems == []
    page.close()


def test_the_chapters_show_their_explorers():
    """The pages hold the explorers the text describes (the list above is read from them);
    the training explorer is in each framework's tab."""
    assert {
        "chapters/algorithm.html": ["weights"],
        "chapters/from_scratch.html": ["state", "trajectory", *["training"] * len(FRAMEWORKS)],
        "chapters/exercise_rotated.html": ["rotation"],
        "chapters/exercise_gamma_sensitivity.html": ["map"],
        "chapters/frameworks.html": ["conventions"],
    } == EXPLORERS


def test_an_explorer_page_opened_from_a_file_works(browser: Browser) -> None:
    page, problems = open_page(browser, (SITE / "chapters" / "from_scratch.html").as_uri())
    assert mounted(page) == EXPLORERS["chapters/from_scratch.html"]
    assert [p for p in problems if not p.startswith("outside request: file://")] == []
    page.close()


@pytest.mark.parametrize("framework", list(FRAMEWORKS)[1:])
def test_an_explorer_in_another_frameworks_tab_works_once_the_tab_is_shown(
    browser: Browser, base_url: str, framework: str
) -> None:
    page, problems = open_page(browser, f"{base_url}/chapters/from_scratch.html")
    mounted(page)
    kinds = EXPLORERS["chapters/from_scratch.html"]
    index = kinds.index("training") + list(FRAMEWORKS).index(framework)  # one per tab, in order
    explorer = page.locator(".d2l-explorer").nth(index)
    assert not explorer.is_visible()  # MXNet is the default tab
    choose_framework(page, framework)
    assert explorer.is_visible()
    box = explorer.locator("svg").first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    keyboard_move_recomputes(page, index)
    assert problems == []
    page.close()


START_AND_HANDLE = """() => {
  const svg = document.querySelector('.d2l-x--trajectory svg');
  const d = svg.querySelector('.d2l-x-path[data-method=rmsprop] path').getAttribute('d');
  const [, u, v] = d.match(/M\\s*([-\\d.e]+)[ ,]([-\\d.e]+)/);
  const point = svg.createSVGPoint();
  point.x = Number(u);
  point.y = Number(v);
  const start = point.matrixTransform(svg.getScreenCTM());
  const handle = document.querySelector('.d2l-x-handle').getBoundingClientRect();
  return [start.x, start.y, handle.x + handle.width / 2, handle.y + handle.height / 2];
}"""


@pytest.mark.parametrize("width", [1280, 390, 360])
def test_the_start_point_is_drawn_where_the_paths_begin(
    browser: Browser, base_url: str, width: int
) -> None:
    """On the book's page, with its theme and scroll bar: the dot sits on the paths' start."""
    page, problems = open_page(
        browser, f"{base_url}/chapters/from_scratch.html", viewport={"width": width, "height": 900}
    )
    mounted(page)
    page.locator(".d2l-x--trajectory").scroll_into_view_if_needed()
    for _ in range(2):  # as drawn first, and after the start point moved by the keyboard
        x, y, hx, hy = page.evaluate(START_AND_HANDLE)
        assert abs(x - hx) < 1 and abs(y - hy) < 1, (x, y, hx, hy)
        page.locator(".d2l-x-handle").focus()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowRight")
    assert problems == []
    page.close()


LIT = """(name) => [...document.querySelectorAll(`svg .d2l-q-${name}`)]
  .map((el) => el.classList.contains('d2l-q-on'))"""


def test_a_quantity_lights_up_in_the_equation_from_its_slider_and_its_symbol(
    browser: Browser, base_url: str
) -> None:
    """On the algorithm page, (11.8.1)'s γ lights up while the weights explorer's γ slider
    has the keyboard's focus, and while the pointer is on the symbol; nothing in the
    equation takes the focus (its SVG is hidden from screen readers), and a row of buttons
    after it, out of sight until focused, lights each quantity from the keyboard; a tap on
    the symbol keeps it lit."""
    page, problems = open_page(browser, f"{base_url}/chapters/algorithm.html")
    mounted(page)
    assert page.evaluate(LIT, "gamma") and not any(page.evaluate(LIT, "gamma"))
    page.locator(".d2l-x-control[data-quantity='gamma'] input").first.focus()
    assert all(page.evaluate(LIT, "gamma"))
    page.locator("body").focus()
    page.evaluate("() => document.activeElement.blur()")
    assert not any(page.evaluate(LIT, "gamma"))
    symbol = page.locator("svg .d2l-q-gamma").first  # a glyph, too thin to aim a mouse at
    symbol.dispatch_event("pointerenter")
    assert all(page.evaluate(LIT, "gamma"))
    symbol.dispatch_event("pointerleave")
    assert not any(page.evaluate(LIT, "gamma"))
    symbol.dispatch_event("click")  # a tap keeps it lit
    symbol.dispatch_event("pointerleave")
    assert all(page.evaluate(LIT, "gamma"))
    assert page.locator("svg [tabindex]").count() == 0
    symbol.dispatch_event("click")
    assert not any(page.evaluate(LIT, "gamma"))
    # The keyboard: the first Tab stop after (11.8.1) is its row of quantities, shown then.
    keys = page.locator(".d2l-q-keys").first
    assert keys.bounding_box()["width"] <= 1  # type: ignore[index]  # out of sight
    buttons = keys.locator("button")
    assert buttons.all_inner_texts()[:3] == [
        "s_t, the leaky average of squared gradients",
        "γ, the decay of the average",
        "g_t, the gradient",
    ]
    buttons.nth(1).focus()
    assert keys.bounding_box()["width"] > 200  # type: ignore[index]  # shown while focused
    assert all(page.evaluate(LIT, "gamma")) and not any(page.evaluate(LIT, "s"))
    page.keyboard.press("Tab")
    assert not any(page.evaluate(LIT, "gamma")) and all(page.evaluate(LIT, "g"))
    assert problems == []
    page.close()
