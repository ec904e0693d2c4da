"""axe-core over every page of the built site, in light and dark mode.

No page may have a violation axe rates serious or critical (contrast, names of
controls, landmarks that break navigation, ...). The explorers are checked once
their sliders exist, and the exercise page once more with every solution unfolded,
so that content hidden at load time is checked too. Run ``make site`` first.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tools.browser import PAGES, SITE, open_page
from tools.page_weight import has_explorer

SERIOUS = ("serious", "critical")


def serious_violations(page: Page) -> list[tuple[str, str, list]]:
    """(rule, help, first targets) of each serious or critical violation on ``page``."""
    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"][:3]])
        for v in violations
        if v["impact"] in SERIOUS
    ]


def open_ready(browser: Browser, url: str, name: str) -> Page:
    page, _ = open_page(browser, url, color_scheme="light")
    if has_explorer(SITE / name):
        page.locator(".d2l-x svg").first.wait_for()
    return page


def violations_in_both_modes(page: Page) -> dict[str, list]:
    """Serious violations with the system in light mode, then in dark mode.

    The theme follows the system's mode ("auto"), so the page switches without a reload.
    """
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(f"() => document.documentElement.dataset.theme === '{scheme}'")
        # The theme's colours change by CSS transitions: measure once they have ended.
        page.wait_for_function(
            "() => document.getAnimations().every((a) => a.playState !== 'running')"
        )
        found[scheme] = serious_violations(page)
    return found


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(browser: Browser, base_url: str, name: str) -> None:
    page = open_ready(browser, f"{base_url}/{name}", name)
    assert violations_in_both_modes(page) == {"light": [], "dark": []}
    page.close()


def test_unfolded_solutions_are_accessible(browser: Browser, base_url: str) -> None:
    name = "chapters/summary_exercises.html"
    page = open_ready(browser, f"{base_url}/{name}", name)
    buttons = page.locator("div.solution button.toggle-button")
    assert buttons.count() == 4
    for button in buttons.all():
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
    assert violations_in_both_modes(page) == {"light": [], "dark": []}
    page.close()


def test_axe_reports_a_serious_violation(browser: Browser, base_url: str) -> None:
    """The check above would fail on a page with, e.g., an image without alt text."""
    page = open_ready(browser, f"{base_url}/chapters/index.html", "chapters/index.html")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '../_static/file.png';"
        " document.querySelector('main').appendChild(i); }"
    )
    assert "image-alt" in [rule for rule, _, _ in serious_violations(page)]
    page.close()
