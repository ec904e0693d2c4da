"""The search page, the search fields and the site's smaller pages, in Chromium.

Each result of a search quotes its page around the word searched for (not the page's header
buttons), from a server and from ``file://`` alike, without a console error; the field's
magnifier does not overlap what is typed; a desktop shows one search field; the site has no
empty general index; every page names an icon, the root page (a redirect to the first
chapter) too, so no browser asks for a missing ``favicon.ico``. Run ``make site`` first.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tools.browser import PAGES, SITE, open_page

WORD = "epsilon"


def results(page: Page) -> list[tuple[str, str]]:
    """(link, excerpt) of every result, once the search has finished."""
    page.wait_for_function(
        "() => /finished|did not match/.test("
        "document.querySelector('#search-results .search-summary')?.innerText)"
    )
    # The excerpts arrive one by one, after the result list.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results ul.search li')]"
        ".every((li) => li.querySelector('p.context'))"
    )
    found: list[tuple[str, str]] = page.evaluate(
        "() => [...document.querySelectorAll('#search-results ul.search li')]"
        ".map((li) => [li.querySelector('a').getAttribute('href'),"
        " li.querySelector('p.context').textContent])"
    )
    return found


def check_excerpts(found: list[tuple[str, str]]) -> None:
    assert len(found) >= 9, found  # the pages that use epsilon, in text, code or math
    for href, excerpt in found:
        assert WORD in excerpt.lower(), (href, excerpt)
        assert not re.match(r"\.*\s*(Binder|Repository|Colab|Download)", excerpt), excerpt


def test_every_page_has_its_searchable_text() -> None:
    """The excerpts' texts cover every page (a page that a build did not rewrite too)."""
    script = (SITE / "_static" / "search-texts.js").read_text(encoding="utf-8")
    texts = json.loads(script.removeprefix("window.BOOK_SEARCH_TEXTS = ").rstrip().rstrip(";"))
    pages = {name.removesuffix(".html") for name in PAGES if name.startswith("chapters/")}
    assert set(texts) == pages
    assert all(len(text.split()) > 50 for text in texts.values())


def test_search_excerpts_quote_the_page(browser: Browser, base_url: str) -> None:
    page, problems = open_page(browser, f"{base_url}/search.html?q={WORD}")
    check_excerpts(results(page))
    assert problems == []
    page.close()


def test_search_works_from_a_file(browser: Browser) -> None:
    """Opened as a file, the search finds the same pages, with excerpts and no CORS error."""
    page, problems = open_page(browser, (SITE / "search.html").as_uri() + f"?q={WORD}")
    check_excerpts(results(page))
    page.wait_for_timeout(200)
    assert problems == []
    page.close()


def test_the_excerpt_check_sees_the_header_buttons(browser: Browser, base_url: str) -> None:
    """Without the site's excerpts, Sphinx quotes the header buttons: the check fails."""
    page, _ = open_page(browser, f"{base_url}/search.html")
    page.route("**/_static/search_excerpts.js*", lambda route: route.fulfill(body=""))
    page.goto(f"{base_url}/search.html?q={WORD}", wait_until="networkidle")
    with pytest.raises(AssertionError):
        check_excerpts(results(page))
    page.close()


def magnifier_overlap(page: Page) -> float:
    """How far the visible search field's icon reaches past the start of the typed text."""
    form = page.locator("form.bd-search:visible").first
    form.locator("input").fill("epsilon")
    overlap: float = form.evaluate(
        "(f) => f.querySelector('.fa-magnifying-glass').getBoundingClientRect().right"
        " - (f.querySelector('input').getBoundingClientRect().left"
        " + parseFloat(getComputedStyle(f.querySelector('input')).paddingLeft))"
    )
    return overlap


def open_search_dialog(page: Page) -> None:
    """Ctrl+K, as a reader opens the search dialog; again if the theme's script had not yet
    bound the key (a busy machine runs it late)."""
    dialog = page.locator("form.bd-search:visible")
    for _ in range(10):
        page.keyboard.press("Control+k")
        try:
            dialog.first.wait_for(timeout=1000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("Ctrl+K never opened the search dialog")


@pytest.mark.parametrize("name", ["search.html", "chapters/algorithm.html"])
def test_the_magnifier_leaves_the_text_alone(browser: Browser, base_url: str, name: str) -> None:
    """The search field's icon ends before the first letter of what is typed (on the search
    page, and in the search dialog of every other page)."""
    page, _ = open_page(browser, f"{base_url}/{name}", viewport={"width": 1280, "height": 800})
    if name != "search.html":
        open_search_dialog(page)
    assert magnifier_overlap(page) <= 0
    if name == "search.html":  # the theme's own placement covers the first letters
        page.evaluate("() => document.querySelector('link[href*=\"site.css\"]').remove()")
        assert magnifier_overlap(page) > 0
    page.close()


def test_a_desktop_shows_one_search_field(browser: Browser, base_url: str) -> None:
    page, _ = open_page(
        browser, f"{base_url}/chapters/algorithm.html", viewport={"width": 1280, "height": 800}
    )
    fields = page.locator(".search-button-field:visible, form.bd-search:visible")
    assert fields.count() == 1
    page.close()


def test_there_is_no_empty_index() -> None:
    assert not (SITE / "genindex.html").exists()
    for name in PAGES:
        soup = BeautifulSoup((SITE / name).read_text(encoding="utf-8"), "html.parser")
        assert not soup.select('[href$="genindex.html"]'), name


@pytest.mark.parametrize("name", PAGES)
def test_every_page_names_its_icon(name: str) -> None:
    """Each page, the root's redirect too, names an icon, a file of the site or (the redirect)
    an empty ``data:`` URL: a page that names none makes browsers ask for ``/favicon.ico``,
    which the site does not have. (Headless Chromium never asks, so the check reads the HTML.)
    """
    path = SITE / name
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    icon = soup.select_one("head link[rel~=icon]")
    assert icon is not None, f"{name} names no icon"
    href = str(icon["href"])
    assert href.startswith("data:") or (path.parent / href).is_file(), href
