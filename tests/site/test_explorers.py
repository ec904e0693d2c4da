"""The in-browser explorers on the built site: sliders by keyboard and mouse, numbers vs Python.

The readout is recomputed by ``d2l_utils/js/optimizers.js`` on every slider move;
here each state the page shows is recomputed in Python (``train_2d`` through
``path_2d``) and must agree to 1e-6. (axe-core checks these pages with every other
page, in ``tests/test_accessibility.py``, once their sliders exist.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from d2l_utils.optimizers import METHODS
from d2l_utils.web_explorers import ETA_GRID, path_2d
from playwright.sync_api import Browser, Page

from d2l_utils.leaky_average import effective_window, half_life
from tests.support import open_page

NUMBER = r"(-?\d+\.\d+)"
POINT = re.compile(rf"x1 {NUMBER}, x2 {NUMBER}, f {NUMBER}")


@pytest.fixture
def trajectory_page(browser: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:
    page, problems = open_page(browser, f"{base_url}/chapters/from_scratch.html")
    page.locator('[role="slider"][aria-label="steps"]').wait_for()
    yield page, problems
    page.close()


def handle(page: Page, name: str):
    return page.locator(f'[role="slider"][aria-label="{name}"]')


SLIDER_VALUES = """() => Object.fromEntries(Bokeh.documents.flatMap((doc) => [...doc.all_models])
    .filter((model) => model.type === "Slider").map((model) => [model.title, model.value]))"""


def state(page: Page) -> tuple[float, float, int]:
    """(η, γ, steps) as the trajectory explorer's slider models hold them."""
    values = page.evaluate(SLIDER_VALUES)
    index = values["learning rate η (log scale)"]
    return ETA_GRID[index], values["decay γ (RMSProp)"], values["steps"]


START_POINT = """() => Bokeh.documents.flatMap((doc) => [...doc.all_models])
    .filter((model) => model.type === "ColumnDataSource" && model.data.x?.length === 1)
    .map((model) => [model.data.x[0], model.data.y[0]])[0]"""
# Where the start point (data coordinates -5, -2) sits on the screen.
START_ON_SCREEN = """() => {
  const view = [...Bokeh.index.all_views()].find((v) => v.model.type === "Figure"
    && v.model.title && v.model.title.text === "paths on the contours of f");
  const box = view.canvas_view.el.getBoundingClientRect();
  const frame = view.frame;
  return {x: box.left + frame.x_scale.compute(-5), y: box.top + frame.y_scale.compute(-2)};
}"""


def readout(page: Page) -> dict[str, str]:
    items = page.locator("ul.readout li")
    return {
        items.nth(i).get_attribute("data-method"): items.nth(i).inner_text()
        for i in range(items.count())
    }


def assert_matches_python(page: Page) -> None:
    eta, gamma, steps = state(page)
    start = tuple(page.evaluate(START_POINT))
    shown = readout(page)
    assert set(shown) == set(METHODS)
    for method in METHODS:
        path = path_2d(method, eta, gamma, steps, start)
        if path["diverged"]:
            assert shown[method].endswith(f"diverged at step {path['diverged']}"), shown[method]
            continue
        x1, x2, f = (float(v) for v in POINT.search(shown[method]).groups())
        expected = (path["x1"][-1], path["x2"][-1], path["f"][-1])
        assert (x1, x2, f) == pytest.approx(expected, abs=1e-6), (method, eta, gamma, steps)


def test_initial_readout_is_the_sections_run(trajectory_page):
    page, problems = trajectory_page
    assert state(page) == (0.4, 0.9, 20)
    assert readout(page)["rmsprop"].startswith("RMSProp: x1 -0.010599, x2 0.000000")
    assert_matches_python(page)
    assert problems == []


@pytest.mark.parametrize(
    ("slider", "keys"),
    [
        ("learning rate η (log scale)", ["ArrowRight"]),
        ("learning rate η (log scale)", ["ArrowLeft"] * 12),
        ("decay γ (RMSProp)", ["ArrowLeft"] * 40),
        ("decay γ (RMSProp)", ["End"]),
        ("steps", ["ArrowRight"] * 15),
        ("learning rate η (log scale)", ["End"]),
    ],
)
def test_keyboard_moves_agree_with_python(trajectory_page, slider, keys):
    page, problems = trajectory_page
    before = readout(page)
    handle(page, slider).focus()
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_function("() => (window.explorerTimings || []).length > 0")
    assert readout(page) != before
    assert_matches_python(page)
    assert problems == []


def test_mouse_drag_moves_a_slider(trajectory_page):
    page, problems = trajectory_page
    knob = handle(page, "decay γ (RMSProp)")
    knob.scroll_into_view_if_needed()
    box = knob.bounding_box()
    start_x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(start_x, y)
    page.mouse.down()
    page.mouse.move(start_x - 120, y, steps=8)
    page.mouse.up()
    gamma = state(page)[1]
    assert gamma < 0.8
    assert knob.get_attribute("aria-valuetext") == f"{gamma:.2f}"  # spoken = shown
    assert_matches_python(page)
    assert problems == []


def test_the_start_point_can_be_dragged(trajectory_page):
    page, problems = trajectory_page
    page.locator(".bokeh-explorer").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    before = readout(page)
    point = page.evaluate(START_ON_SCREEN)
    page.mouse.move(point["x"], point["y"])
    page.mouse.down()
    page.mouse.move(point["x"] + 80, point["y"] - 60, steps=6)
    page.mouse.up()
    x1, x2 = page.evaluate(START_POINT)
    assert x1 > -4.5 and x2 > -1.5  # moved right and up
    assert readout(page) != before
    assert_matches_python(page)
    assert problems == []


def test_weights_explorer_by_keyboard(browser: Browser, base_url: str):
    page, problems = open_page(browser, f"{base_url}/chapters/algorithm.html")
    knob = handle(page, "decay γ")
    knob.wait_for()
    knob.focus()
    for _ in range(40):
        page.keyboard.press("ArrowLeft")  # 0.90 -> 0.50
    assert page.evaluate(SLIDER_VALUES)["decay γ"] == pytest.approx(0.5)
    assert knob.get_attribute("aria-valuetext") == "0.50"
    text = page.locator(".bokeh-explorer p", has_text="window").inner_text()
    assert f"window 1/(1−γ) = {effective_window(0.5):.2f} steps" in text
    assert f"half-life ln 2/(−ln γ) = {half_life(0.5):.2f} steps" in text
    assert problems == []
    page.close()
