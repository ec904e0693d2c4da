"""The built website, loaded page by page in headless Chromium from a local server.

Every page must load without asking any other host for anything, without a
console error or a failed request, and with its equations typeset by MathJax
(no raw LaTeX left in the visible text). Run ``make site`` first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import SITE

PAGES = sorted(
    str(path.relative_to(SITE))
    for path in SITE.rglob("*.html")
    if not path.relative_to(SITE).parts[0].startswith("_")
)
# Resolves once MathJax has typeset the page, or after a moment if it never loaded
# (then the assertions below say what is missing).
MATHJAX_DONE = """() => new Promise((resolve) => {
  const startup = window.MathJax && window.MathJax.startup;
  if (startup && startup.promise) { startup.promise.then(() => resolve(true)); }
  else { setTimeout(() => resolve(false), 2000); }
})"""
RAW_LATEX = re.compile(r"\\\[|\\\(|\\begin\{|\$\$|\\frac|\\mathbf")


def test_the_site_is_built() -> None:
    assert (SITE / "chapters" / "index.html").is_file(), f"no site in {SITE}: run `make site`"
    assert len(PAGES) >= 6, PAGES


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """Open ``url``; return the page and a live list of every problem seen."""
    page = browser.new_page()
    problems: list[str] = []
    origin = re.match(r"https?://[^/]+", url).group(0)

    def on_request(request) -> None:
        if not request.url.startswith((origin, "data:", "blob:")):
            problems.append(f"outside request: {request.url}")

    page.route(re.compile(r"^(?!" + re.escape(origin) + r")https?://.*"), lambda r: r.abort())
    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.goto(url, wait_until="networkidle")  # also lets a redirect page move on
    return page, problems


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_with_math_rendered(browser: Browser, base_url: str, name: str) -> None:
    page, problems = open_page(browser, f"{base_url}/{name}")
    page.evaluate(MATHJAX_DONE)
    has_math = (SITE / name).read_text(encoding="utf-8").count('class="math') > 0
    if has_math:
        assert page.locator("mjx-container").count() > 0, "MathJax typeset nothing"
    visible = page.evaluate("() => document.body.innerText")
    raw = RAW_LATEX.search(visible)
    assert raw is None, (
        f"raw LaTeX visible: ...{visible[max(raw.start() - 40, 0) : raw.end() + 40]}..."
    )
    page.wait_for_timeout(200)  # let late scripts report
    assert problems == []
    page.close()


def test_outside_requests_are_caught(browser: Browser, base_url: str, tmp_path: Path) -> None:
    """The checks above would notice a page that loads a script from a CDN."""
    page, problems = open_page(browser, f"{base_url}/chapters/index.html")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.src = 'https://cdn.example.org/x.js'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert any(p.startswith("outside request: https://cdn.example.org") for p in problems)
    page.close()
