"""The explorers on the built website: mounted where the chapters show them, and working.

The explorers' behaviour (every control by mouse, keyboard and touch, drags, bad values,
latency) is tested on the harness pages (``test_explorer_harness.py``); here the pages
``make site`` built must hold the same working explorers, at a phone's width and a
desktop's, from a server and from ``file://``: what the cell computed in Python at build
time is what the browser recomputes, and a move of a control recomputes it again.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tools.browser import PAGES, SITE, choose_framework, open_page
from tools.page_weight import explorer_kinds

#: The explorers of each page, in order, as the chapters' cells put them there (a tagged
#: explorer cell appears once per framework tab).
EXPLORERS = {page: kinds for page in PAGES if (kinds := explorer_kinds(SITE / page))}
STATE = """(i) => { const m = document.querySelectorAll('.d2l-explorer')[i].d2lExplorer.model;
  const keys = ['kind', 'eta', 'gamma', 'steps', 'start', 'paths', 'curve', 'weights', 'window',
    'half_life', 'diverged', 'epochs_at', 'config'];
  return Object.fromEntries(keys.map((k) => [k, m.get(k)])); }"""
RECOMPUTED = """(i) => { const m = document.querySelectorAll('.d2l-explorer')[i].d2lExplorer.model;
  const kind = m.get('kind'); const config = m.get('config');
  const controls = Object.fromEntries(Object.keys(config.controls).map((n) => [n, m.get(n)]));
  return D2LExplorers.compute[kind](controls, config); }"""


def mounted(page: Page) -> list[str]:
    page.wait_for_function("() => document.querySelectorAll('.d2l-x svg').length > 0")
    return page.evaluate(
        "() => [...document.querySelectorAll('.d2l-explorer')]"
        ".map((el) => el.d2lExplorer ? el.dataset.kind : 'not mounted')"
    )


def keyboard_move_recomputes(page: Page, index: int) -> None:
    """Move the first slider of the page's ``index``-th explorer from the keyboard; wait
    until the explorer shows something else (the test times out if it never does)."""
    explorer = page.locator(".d2l-explorer").nth(index)
    before = explorer.inner_text()
    slider = explorer.locator("input[type=range]").first
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
        built, again = page.evaluate(STATE, index), page.evaluate(RECOMPUTED, index)
        for key, value in again.items():
            if kind == "training" and key == "curve":  # float64 on both sides, summed otherwise
                assert built[key] == pytest.approx(value, rel=1e-12), key
            else:
                assert built[key] == value, key  # the same rules, bit for bit
        if kind == "trajectory":
            rmsprop = built["paths"]["rmsprop"]
            assert (round(rmsprop["x1"][-1], 6), round(rmsprop["x2"][-1], 6)) == (-0.010599, 0.0)
    keyboard_move_recomputes(page, 0)  # the first explorer on the page
    assert problems == []
    page.close()


def test_the_chapters_show_their_explorers():
    """The pages hold the explorers the text describes (the list above is read from them)."""
    assert EXPLORERS["chapters/algorithm.html"] == ["weights"]
    assert EXPLORERS["chapters/from_scratch.html"] == ["trajectory", "training", "training"]


def test_an_explorer_page_opened_from_a_file_works(browser: Browser) -> None:
    page, problems = open_page(browser, (SITE / "chapters" / "from_scratch.html").as_uri())
    assert mounted(page) == EXPLORERS["chapters/from_scratch.html"]
    assert [p for p in problems if not p.startswith("outside request: file://")] == []
    page.close()


def test_an_explorer_in_the_pytorch_tab_works_once_the_tab_is_shown(
    browser: Browser, base_url: str
) -> None:
    page, problems = open_page(browser, f"{base_url}/chapters/from_scratch.html")
    mounted(page)
    explorer = page.locator(".d2l-explorer").nth(2)
    assert not explorer.is_visible()  # MXNet is the default tab
    choose_framework(page, "pytorch")
    assert explorer.is_visible()
    box = explorer.locator("svg").first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    keyboard_move_recomputes(page, 2)
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
