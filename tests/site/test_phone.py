"""Every page of the built site read on a phone (390 and 360 px wide, touch) and on a desktop.

No page scrolls sideways, and nothing in the article, its header or the previous/next
links is out of reach: an element that sticks out of its box must sit in a box that scrolls
(and shows that it does, ``_static/site.css``), never in one that clips it or past the edge
of the screen. Both framework tabs of every tab set are checked. Also: the figures' legends
are large enough to read on a phone, a folded solution opens with a tap on its title and
says so, and "Back to top" covers nothing. A vertical swipe that starts on an explorer's
slider scrolls the page and leaves the slider alone: that check has a test of its own,
``test_a_vertical_swipe_on_a_slider_leaves_it_alone``. Run ``make site`` first.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tools.browser import PAGES, SITE, choose_framework, open_page

PHONES = [390, 360]
REFRESH = re.compile(r'http-equiv="Refresh" content="0; url=([^"]+)"')
WIDTHS = [*PHONES, 1280]
#: The smallest text a legend may have on a 360 px screen, in CSS pixels.
LEGEND_PX = 8.0

# Whatever in the article, its header or the previous/next links sticks out of reach: past
# the screen's edge, or out of a box that clips it. A box that scrolls sideways is in reach
# (it is checked in turn, as an element of its own box) and must show a scroll cue (a
# gradient background) while it has more to show, and be a tab stop for the keyboard. The
# SVG drawing inside a figure or a formula is the SVG's own business, and MathJax's copy for
# screen readers is clipped on purpose. Inline boxes do not clip, whatever their overflow
# says.
OUT_OF_REACH = r"""() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "") +
    [...e.classList].slice(0, 3).map((c) => `.${c}`).join("");
  const clipper = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== "visible" && !/^(inline|contents)$/.test(style.display)) return a;
    }
    return null;
  };
  const roots = document.querySelectorAll(
    "article.bd-article, .bd-header-article, footer.prev-next-footer");
  for (const root of roots) for (const e of root.querySelectorAll("*")) {
    if (e.closest("svg") && e.tagName.toLowerCase() !== "svg") continue;
    if (e.closest("mjx-assistive-mml, .visually-hidden, .sr-only")) continue;
    // Not drawn: hidden, in a closed <details>, or in a tab that is not shown.
    if (!e.checkVisibility({ visibilityProperty: true })) continue;
    const box = e.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    const text = (e.textContent || "").trim().slice(0, 40);
    const style = getComputedStyle(e);
    if (/auto|scroll/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1) {
      if (!/gradient/.test(style.backgroundImage)) {
        problems.push(`${name(e)} scrolls with no cue: ${text}`);
      }
      if (e.tabIndex < 0 && !e.querySelector("a[href], button, input, [tabindex]")) {
        problems.push(`${name(e)} scrolls but the keyboard cannot reach it: ${text}`);
      }
    }
    const clip = clipper(e);
    if (clip && /auto|scroll/.test(getComputedStyle(clip).overflowX)) continue;
    const limit = clip ? clip.getBoundingClientRect() : { left: 0, right: width };
    if (box.left < limit.left - 1 || box.right > limit.right + 1) {
      problems.push(`${name(e)} [${Math.round(box.left)}, ${Math.round(box.right)}] out of ` +
        `${clip ? name(clip) : "the screen"} [${Math.round(limit.left)}, ` +
        `${Math.round(limit.right)}]: ${text}`);
    }
  }
  return problems;
}"""
# Inline code and inline math stay inside their paragraph's line boxes (they wrap or scroll).
OUTSIDE_THE_LINE = r"""() => {
  const problems = [];
  const inline = "article.bd-article :is(p, li, td) > :is(code, span.math)";
  for (const e of document.querySelectorAll(inline)) {
    if (!e.checkVisibility()) continue;
    const block = e.parentElement.getBoundingClientRect();
    for (const line of e.getClientRects()) {
      if (line.left < block.left - 1 || line.right > block.right + 1) {
        const text = e.textContent.trim().slice(0, 40);
        problems.push(`${e.tagName.toLowerCase()} past its line: ${text}`);
        break;
      }
    }
  }
  return problems;
}"""


def open_at(browser: Browser, url: str, width: int) -> tuple[Page, list[str]]:
    """Open ``url`` on a phone (touch) or, at 1280 px, a desktop."""
    phone = width in PHONES
    return open_page(
        browser, url, viewport={"width": width, "height": 800}, has_touch=phone, is_mobile=phone
    )


def reach_problems(page: Page) -> list[str]:
    """Sideways scrolling of the page, and every element out of reach (see above)."""
    # Let two frames pass: the page's scripts mark scrolling boxes as their sizes settle.
    page.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
    found: list[str] = []
    scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
    width = page.evaluate("() => document.documentElement.clientWidth")
    if scroll > width:
        found.append(f"the page scrolls sideways: {scroll} px wide on a {width} px screen")
    found += page.evaluate(OUT_OF_REACH)
    found += page.evaluate(OUTSIDE_THE_LINE)
    return found


def frameworks(page: Page) -> list[str]:
    """The tab sets' frameworks on ``page`` (none without tabs)."""
    ids: list[str] = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('label.sd-tab-label')]"
        ".map((l) => l.dataset.syncId))]"
    )
    return ids


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_out_of_reach(browser: Browser, base_url: str, name: str, width: int) -> None:
    page, problems = open_at(browser, f"{base_url}/{name}", width)
    redirect = REFRESH.search((SITE / name).read_text(encoding="utf-8"))
    if redirect:  # the root page: check the page it leads to, once it has
        page.wait_for_url(f"**/{redirect[1]}")
        page.wait_for_load_state("networkidle")
    for framework in frameworks(page) or [None]:
        if framework is not None:
            choose_framework(page, framework)
        assert reach_problems(page) == [], framework
    assert problems == []
    page.close()


@pytest.mark.parametrize("width", PHONES)
def test_previous_and_next_are_on_the_screen(browser: Browser, base_url: str, width: int) -> None:
    """The longest titles among the previous/next links fit, wrapped, on the screen."""
    page, _ = open_at(browser, f"{base_url}/chapters/from_scratch.html", width)
    for link in page.locator(".prev-next-area a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        title = link.locator(".prev-next-title")
        inner = title.evaluate("(e) => [e.scrollWidth, e.clientWidth]")
        assert inner[0] <= inner[1] + 1, title.inner_text()
    page.close()


def test_the_checks_see_what_the_issue_saw(browser: Browser, base_url: str) -> None:
    """Without the site's stylesheet the checks report what issue 19 saw at 390 px."""
    drop_site_css = (
        "() => document.querySelectorAll('link[href*=\"site.css\"]').forEach((l) => l.remove())"
    )
    page, _ = open_at(browser, f"{base_url}/chapters/frameworks.html", 390)
    assert reach_problems(page) == []
    page.evaluate(drop_site_css)
    found = reach_problems(page)
    assert any(p.startswith("the page scrolls sideways") for p in found), found
    assert any("keras/src/backend" in p for p in found), found  # the long inline code
    assert any("prev-next" in p for p in found), found  # "Reproducibilit..."
    page.close()
    # A formula wider than its line: the theme clips it; the site's stylesheet scrolls it,
    # with a cue, and without the cue the check says so.
    page, _ = open_at(browser, f"{base_url}/chapters/algorithm.html", 360)
    widen = "() => { document.querySelector('article p span.math svg').style.width = '600px'; }"
    page.evaluate(widen)
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")  # scroll-focus.js
    page.wait_for_function("() => document.querySelector('article p span.math').tabIndex === 0")
    assert reach_problems(page) == []
    page.evaluate(
        "() => document.querySelector('article p span.math').removeAttribute('tabindex')"
    )
    assert any("keyboard cannot reach" in p for p in reach_problems(page))
    page.evaluate("() => document.querySelector('article p span.math').style.background = 'none'")
    assert any("scrolls with no cue" in p for p in reach_problems(page))
    page.evaluate(drop_site_css)
    assert any("out of span.math" in p for p in reach_problems(page))
    page.close()


# --- figures --------------------------------------------------------------------------

SCALE = re.compile(r"translate\([^)]*\)\s*scale\(([\d.]+)")
WIDTH_PT = re.compile(r'<svg[^>]*\swidth="([\d.]+)pt"')


def legend_font_sizes(svg: str) -> list[float]:
    """The font size (pt) of every text in the legends of a matplotlib SVG.

    Matplotlib draws text as glyph outlines scaled by font size / 100.
    """
    sizes = []
    for legend in re.findall(r'<g id="legend_\d+">(.*?)\n  </g>', svg, re.S):
        sizes += [float(scale) * 100 for scale in SCALE.findall(legend)]
    return sizes


def test_the_legend_sizes_are_read_from_the_svg() -> None:
    svg = (
        '<svg width="200pt" height="100pt">\n  <g id="legend_1">\n   <g id="text_3">\n'
        '    <g transform="translate(60.1 16.5) scale(0.07 -0.07)">\n  </g>'
    )
    assert legend_font_sizes(svg) == pytest.approx([7.0])


@pytest.mark.parametrize("name", [n for n in PAGES if n.startswith("chapters/")])
def test_figures_have_legends_a_phone_can_read(browser: Browser, base_url: str, name: str) -> None:
    """At 360 px every figure is SVG, and its legends' text is at least 8 px high."""
    page, _ = open_at(browser, f"{base_url}/{name}", 360)
    for framework in frameworks(page) or [None]:
        if framework is not None:
            choose_framework(page, framework)
        figures: list[dict[str, Any]] = page.evaluate(
            "() => [...document.querySelectorAll('article div.cell_output img')]"
            ".filter((i) => i.checkVisibility())"
            ".map((i) => ({src: i.getAttribute('src'), width: i.clientWidth}))"
        )
        for figure in figures:
            path = (SITE / name).parent / figure["src"]
            assert path.suffix == ".svg", f"{figure['src']} is not vector"
            svg = path.read_text(encoding="utf-8")
            width_match = WIDTH_PT.search(svg)
            assert width_match is not None
            scale = figure["width"] / float(width_match[1])  # CSS px per pt of the figure
            for size in legend_font_sizes(svg):
                assert size * scale >= LEGEND_PX, f"{path.name}: legend at {size * scale:.1f} px"
    page.close()


# --- solutions, back to top, sliders ------------------------------------------------------


def test_a_tap_on_a_solution_title_opens_it(browser: Browser, base_url: str) -> None:
    """At 390 px with touch, tapping "Solution to Exercise N" opens the solution in place."""
    url = f"{base_url}/chapters/summary_exercises.html"
    page, problems = open_at(browser, url, 390)
    solutions = page.locator("div.solution.dropdown")
    assert solutions.count() == 4
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        title = solution.locator(".admonition-title")
        assert " ".join(title.inner_text().split()) == f"Solution to Exercise {i + 1}"
        assert title.locator("a").count() == 0  # no link to swallow the tap
        hint = title.locator("button.toggle-button").evaluate(
            "(b) => { const s = getComputedStyle(b, '::before');"
            " return s.display !== 'none' ? s.content : ''; }"
        )
        assert hint == '"Show"', hint
        body = solution.locator("section")
        assert not body.is_visible()
        title.scroll_into_view_if_needed()
        box = title.bounding_box()
        assert box is not None
        page.touchscreen.tap(box["x"] + box["width"] * 0.4, box["y"] + box["height"] / 2)
        body.wait_for(state="visible")
        assert page.url == url  # the tap did not jump to the exercise
    assert problems == []
    page.close()


BACK_TO_TOP = "#pst-back-to-top"


def show_back_to_top(page: Page) -> None:
    """Scroll down, then up a little: the theme shows "Back to top" while scrolling up."""
    page.evaluate("() => window.scrollTo(0, 3000)")
    page.wait_for_timeout(200)
    page.evaluate("() => window.scrollTo(0, 2800)")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("width", WIDTHS)
def test_back_to_top_covers_nothing(browser: Browser, base_url: str, width: int) -> None:
    """Scrolling up shows no "Back to top" over the article (the site hides it below 1200 px,
    the theme above)."""
    page, _ = open_at(browser, f"{base_url}/chapters/from_scratch.html", width)
    show_back_to_top(page)
    pill = page.locator(BACK_TO_TOP)
    if pill.is_visible():
        box, article = pill.bounding_box(), page.locator("article.bd-article").bounding_box()
        assert box is not None and article is not None
        assert (
            box["x"] >= article["x"] + article["width"] or box["x"] + box["width"] <= article["x"]
        )
    page.close()


def test_the_back_to_top_check_sees_the_theme_s_pill(browser: Browser, base_url: str) -> None:
    """Without the site's stylesheet the pill shows on a phone, over the article."""
    page, _ = open_at(browser, f"{base_url}/chapters/from_scratch.html", 390)
    page.evaluate("() => document.querySelector('link[href*=\"site.css\"]').remove()")
    show_back_to_top(page)
    pill = page.locator(BACK_TO_TOP)
    assert pill.is_visible()
    box, article = pill.bounding_box(), page.locator("article.bd-article").bounding_box()
    assert box is not None and article is not None
    assert article["x"] < box["x"] < article["x"] + article["width"]
    page.close()


def swipe(page: Page, x: float, y: float, dy: float) -> None:
    """A one-finger vertical swipe from (x, y) by ``dy`` pixels, as a touchscreen sends it."""
    session = page.context.new_cdp_session(page)
    steps = 10

    def touch(kind: str, at_y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": at_y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", y)
    for step in range(1, steps + 1):
        touch("touchMove", y + dy * step / steps)
        page.wait_for_timeout(16)
    touch("touchEnd", y + dy)
    session.detach()


def test_a_vertical_swipe_on_a_slider_leaves_it_alone(browser: Browser, base_url: str) -> None:
    """Issue 19 saw γ jump from 0.86 to 0.968 on a vertical swipe that began on its slider.

    The fix belongs to the explorers (``touch-action`` in ``d2l_utils/explorers``); until
    it is in, this test fails, and it is the only test here that waits for it.
    """
    page, _ = open_at(browser, f"{base_url}/chapters/algorithm.html", 390)
    slider = page.locator(".d2l-x input[type=range]").first
    slider.scroll_into_view_if_needed()
    before = slider.input_value()
    scrolled = page.evaluate("() => window.scrollY")
    box = slider.bounding_box()
    assert box is not None
    swipe(page, box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, -150)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.scrollY") != scrolled  # the page did scroll
    assert slider.input_value() == before
    page.close()
