"""The weight of each page of the built site: everything a cold load requests.

A text page may load at most 1.5 MB (uncompressed) and a page with an explorer 2.5 MB;
both at most 1 MB as a gzip-serving static host sends them. Only pages with math load
the math stylesheet, only the search page the search index, and no page the theme's
Font Awesome script or MathJax. Timings (first paint, math) are not tested here: see
``tools/page_weight.py``. Run ``make site`` first.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tools.browser import SITE
from tools.page_weight import (
    EXPLORER_PAGE_BYTES,
    GZIP_BYTES,
    TEXT_PAGE_BYTES,
    PageWeight,
    has_explorer,
    measure,
    site_pages,
)

PAGES = site_pages() if SITE.is_dir() else []


@pytest.fixture(scope="module")
def weights(browser: Browser) -> dict[str, PageWeight]:
    return measure(SITE, browser=browser)


def _source(name: str) -> str:
    return (SITE / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PAGES)
def test_page_within_its_weight(weights: dict[str, PageWeight], name: str) -> None:
    weight = weights[name]
    budget = EXPLORER_PAGE_BYTES if has_explorer(SITE / name) else TEXT_PAGE_BYTES
    assert weight["bytes"] <= budget, weight
    assert weight["gzip_bytes"] <= GZIP_BYTES, weight


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_only_what_it_uses(weights: dict[str, PageWeight], name: str) -> None:
    files = weights[name]["files"]
    assert not [f for f in files if "fontawesome.js" in f or "mathjax" in f], files
    has_math = 'class="math' in _source(name)
    assert ("_static/math.css" in files) == has_math, files
    assert ("searchindex.js" in files) == (name == "search.html"), files
    assert ("_static/explorers/explorers.js" in files) == has_explorer(SITE / name), files
