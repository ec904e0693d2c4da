"""The built website, loaded page by page in headless Chromium from a local server.

Every page must load without asking any other host for anything, without a
console error or a failed request, and with its equations typeset: the build draws
them as SVG with MathJax (``_ext/light_pages.py``), so each formula must arrive as an
SVG whose glyphs the page holds, and no raw LaTeX may be left in the visible text.
The readers' conveniences work offline: the search box, the copy buttons, the folded
exercise solutions, the download and launch links, and figures that stay legible in
dark mode. Run ``make site`` first.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from PIL import Image
from playwright.sync_api import Browser, Page

from tools import framework_notebooks
from tools.browser import PAGES, ROOT, SITE, choose_framework, open_page
from tools.frameworks import EXTRAS, FRAMEWORKS

REPOSITORY = "https://github.com/d2l-rmsprop/rmsprop-interactive"
#: The pages with a TensorFlow tab of their own (the section's, and the frameworks page).
TENSORFLOW_PAGES = ("algorithm", "from_scratch", "concise", "frameworks")

# What is wrong with the page's math: a formula that is not an SVG, that is drawn with
# no size, that refers to a glyph the page lacks, or that MathJax marked as an error.
MATH_PROBLEMS = """() => {
  const problems = [];
  for (const math of document.querySelectorAll("span.math, div.math")) {
    const tex = math.textContent.trim().slice(0, 60);
    const svg = math.querySelector(":scope > mjx-container > svg");
    if (!svg) { problems.push(`not typeset: ${tex}`); continue; }
    const box = svg.getBoundingClientRect();
    if (math.getClientRects().length > 0 && !(box.width > 0 && box.height > 0)) {
      problems.push(`drawn with no size: ${tex}`);
    }
    for (const use of svg.querySelectorAll("use")) {
      const glyph = (use.getAttribute("xlink:href") || use.getAttribute("href")).slice(1);
      if (!document.getElementById(glyph)) { problems.push(`glyph ${glyph} missing: ${tex}`); }
    }
    if (svg.querySelector('[data-mml-node="merror"]')) { problems.push(`TeX error: ${tex}`); }
  }
  return problems;
}"""
RAW_LATEX = re.compile(r"\\\[|\\\(|\\begin\{|\$\$|\\frac|\\mathbf")


def test_the_site_is_built() -> None:
    assert (SITE / "chapters" / "index.html").is_file(), f"no site in {SITE}: run `make site`"
    assert len(PAGES) >= 6, PAGES


def math_problems(page: Page) -> list[str]:
    """What is wrong with the math of the open page (see ``MATH_PROBLEMS``), raw LaTeX too."""
    found: list[str] = page.evaluate(MATH_PROBLEMS)
    visible = page.evaluate("() => document.body.innerText")
    raw = RAW_LATEX.search(visible)
    if raw is not None:
        found.append(f"raw LaTeX visible: ...{visible[max(raw.start() - 40, 0) : raw.end() + 40]}")
    return found


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_with_math_rendered(browser: Browser, base_url: str, name: str) -> None:
    page, problems = open_page(browser, f"{base_url}/{name}")
    has_math = (SITE / name).read_text(encoding="utf-8").count('class="math') > 0
    if has_math:
        assert page.locator("mjx-container > svg").count() > 0, "no typeset math"
    assert math_problems(page) == []
    page.wait_for_timeout(200)  # let late scripts report
    assert problems == []
    page.close()


def test_untypeset_math_is_caught(browser: Browser, base_url: str) -> None:
    """The check above fails on a formula left as TeX and on glyphs the page does not hold."""
    page, _ = open_page(browser, f"{base_url}/chapters/algorithm.html")
    assert math_problems(page) == []
    page.evaluate(
        "(tex) => { document.querySelector('article span.math').textContent = tex; }",
        r"\(\gamma\)",
    )
    found = math_problems(page)
    assert any(p.startswith(r"not typeset: \(\gamma\)") for p in found), found
    assert any(p.startswith("raw LaTeX visible") for p in found), found
    page.evaluate("() => document.getElementById('MJX-SVG-global-cache').remove()")
    assert any(p.startswith("glyph MJX-") for p in math_problems(page))
    page.close()


def test_outside_requests_are_caught(browser: Browser, base_url: str, tmp_path: Path) -> None:
    """The checks above would notice a page that loads a script from a CDN."""
    page, problems = open_page(browser, f"{base_url}/chapters/index.html")
    with page.expect_event("requestfailed", lambda r: "cdn.example.org" in r.url):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.src = 'https://cdn.example.org/x.js'; document.head.appendChild(s); }"
        )
    assert any(p.startswith("outside request: https://cdn.example.org") for p in problems)
    page.close()


def test_search_works_offline(browser: Browser, base_url: str) -> None:
    """Typing a word into the search page lists the pages that use it, from the local index."""
    page, problems = open_page(browser, f"{base_url}/search.html")

    def search(word: str) -> list[str]:
        box = page.locator(".bd-search-container input[type=search]")
        box.fill(word)
        with page.expect_navigation():
            box.press("Enter")  # the page reloads as search.html?q=word
        page.wait_for_function(
            "() => /finished|did not match/.test("
            "document.querySelector('#search-results .search-summary')?.innerText)"
        )
        links = page.locator("#search-results ul.search li a")
        return [links.nth(i).get_attribute("href") for i in range(links.count())]

    found = search("leaky")
    assert len(found) >= 2, found
    assert any("chapters/algorithm.html" in href for href in found), found
    assert search("zyxwvutsrq") == []  # the index answers, not a list of every page
    assert problems == []
    page.close()


def test_code_cells_have_working_copy_buttons(browser: Browser, base_url: str) -> None:
    page, problems = open_page(
        browser,
        f"{base_url}/chapters/from_scratch.html",
        permissions=["clipboard-read", "clipboard-write"],
    )
    cells = page.locator("div.cell_input")
    assert cells.count() >= 3
    assert page.locator("div.cell_input button.copybtn").count() == cells.count()
    cell = page.locator("div.cell_input:visible").nth(1)  # the PyTorch tabs' cells are hidden
    cell.hover()
    cell.locator("button.copybtn").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == cell.locator("pre").inner_text().strip()
    assert "rmsprop" in copied
    assert problems == []
    page.close()


def test_exercise_solutions_are_folded(browser: Browser, base_url: str) -> None:
    page, problems = open_page(browser, f"{base_url}/chapters/summary_exercises.html")
    exercises = page.locator("div.exercise")
    solutions = page.locator("div.solution.dropdown")
    assert exercises.count() == solutions.count() == 4
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        body = solution.locator("section")
        assert not body.is_visible(), f"solution {i + 1} is not folded"
        solution.locator("button.toggle-button").click()
        body.wait_for(state="visible")
        worked = body.locator("a[href^='exercise_']")
        assert worked.count() == 1, f"solution {i + 1} does not link its worked chapter"
        assert (SITE / "chapters" / worked.get_attribute("href")).is_file()
        assert len(body.inner_text().split()) >= 30
    assert problems == []
    page.close()


def _notebook_pages() -> list[str]:
    return [name for name in PAGES if (ROOT / name).with_suffix(".ipynb").is_file()]


@pytest.mark.parametrize("name", PAGES)
def test_download_launch_and_repository_buttons(name: str) -> None:
    """Links only: a notebook page offers its framework notebooks, not the chapter itself (which
    holds every framework's cells): MXNet's and one per framework it has cells for (the
    section's TensorFlow pages have TensorFlow's); Binder opens each, Colab those whose
    framework installs there, each entry naming its framework. A markdown page offers its
    source."""
    soup = BeautifulSoup((SITE / name).read_text(encoding="utf-8"), "html.parser")
    if soup.find("meta", attrs={"http-equiv": "Refresh"}):
        return  # index.html only redirects to chapters/index.html
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert REPOSITORY in hrefs
    assert any(h.startswith(f"{REPOSITORY}/issues/new") for h in hrefs)
    assert not soup.select("script[src*=thebe], .thebe-launch-button")
    source = ROOT / name
    assert not [h for h in hrefs if h.startswith("../_sources/") and h.endswith(".ipynb")]
    if name not in _notebook_pages():
        if source.with_suffix(".md").is_file():
            download = "_sources/" + str(Path(name).with_suffix(".md"))
            assert any(h.endswith(download) for h in hrefs), f"no download of {download}"
        return  # the search page has no source of its own
    stem = Path(name).stem
    repository = REPOSITORY.removeprefix("https://github.com/")
    colab = "https://colab.research.google.com/github/"
    binder = f"https://mybinder.org/v2/gh/{repository}/main?urlpath=lab/tree/"
    launches = {
        " ".join(a.get_text().split()): a["href"]
        for a in soup.select(".dropdown-launch-buttons a")
    }
    chapter = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    offered = framework_notebooks.frameworks_of(chapter)
    if stem in TENSORFLOW_PAGES:
        assert "tensorflow" in offered
    assert set(offered[1:]) <= set(EXTRAS)  # Colab runs every notebook but MXNet's
    labels = [FRAMEWORKS[framework] for framework in offered]
    github = f"{colab}{repository}/blob/main/notebooks"
    assert launches == {
        **{f"{FRAMEWORKS[f]} on Binder": f"{binder}notebooks/{f}/{stem}.ipynb" for f in offered},
        **{f"{FRAMEWORKS[f]} on Colab": f"{github}/{f}/{stem}.ipynb" for f in offered[1:]},
    }
    downloads = [
        " ".join(a.get_text().split()) for a in soup.select(".dropdown-download-buttons a")
    ]
    notebooks = [f"{label} notebook (.ipynb)" for label in labels]
    assert downloads == [*notebooks, "The whole book (PDF)"]
    for framework in offered:  # the framework notebooks, copied into the site
        download = f"notebooks/{framework}/{stem}.ipynb"
        assert any(h.endswith(download) for h in hrefs), f"no download of {download}"
        assert (SITE / download).is_file()


def light_card_with_dark_ink(png: bytes) -> bool:
    """True if the screenshot is mostly light with some dark marks, and light at its edges.

    The edges are sampled a few pixels in, past any rounded corner.
    """
    grey = Image.open(io.BytesIO(png)).convert("L")
    histogram = grey.histogram()
    total = grey.width * grey.height
    light = sum(histogram[191:]) / total
    dark = sum(histogram[:110]) / total
    w, h = grey.width, grey.height
    edges = [(4, h // 2), (w - 5, h // 2), (w // 2, 4), (w // 2, h - 5), (6, 6), (w - 7, h - 7)]
    return light > 0.6 and dark > 0.005 and min(grey.getpixel(xy) for xy in edges) > 190


def test_the_legibility_check_rejects_a_dark_figure() -> None:
    def png(background: int, ink: int) -> bytes:
        image = Image.new("L", (100, 60), background)
        image.paste(ink, (20, 20, 80, 30))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()

    assert light_card_with_dark_ink(png(255, 0))
    assert not light_card_with_dark_ink(png(20, 200))  # light ink on a dark page
    assert not light_card_with_dark_ink(png(255, 230))  # ink too faint to read
    assert not light_card_with_dark_ink(png(40, 40))


@pytest.mark.parametrize("name", ["chapters/from_scratch.html", "chapters/algorithm.html"])
def test_figures_and_explorers_are_legible_in_dark_mode(
    browser: Browser, base_url: str, name: str
) -> None:
    page, problems = open_page(
        browser, f"{base_url}/{name}", color_scheme="dark", viewport={"width": 1280, "height": 900}
    )
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != (
        "rgb(255, 255, 255)"
    )
    figures = page.locator("div.cell_output img")
    cards = page.locator(".d2l-x")
    page.locator(".d2l-x svg").first.wait_for()
    assert figures.count() >= 1 and cards.count() >= 1
    items = "div.cell_output img, .d2l-x"
    page.evaluate(f"() => document.querySelectorAll('{items}').forEach((e, i) => e.dataset.n = i)")
    seen: set[str] = set()
    for framework in FRAMEWORKS:  # each tab's figures and explorers, once shown
        if page.locator("label.sd-tab-label").count():
            choose_framework(page, framework)
        for item in page.locator(", ".join(f"{s}:visible" for s in items.split(", "))).all():
            item.scroll_into_view_if_needed()
            html = item.evaluate("e => e.outerHTML")[:200]
            # A card taller than the window is captured beyond it, where the page's fixed and
            # sticky chrome (skip link, article header) would be drawn over the card.
            shot = item.screenshot(style=".skip-link, .bd-header-article { visibility: hidden; }")
            assert light_card_with_dark_ink(shot), html
            seen.add(item.get_attribute("data-n") or "")
    assert len(seen) == figures.count() + cards.count()  # every one of them was checked
    assert figures.first.evaluate("e => getComputedStyle(e).backgroundColor") == (
        "rgb(255, 255, 255)"
    )
    assert problems == []
    page.close()


# Characters that browsers draw from an emoji font (Unicode's Emoji_Presentation, which a
# system without such a font shows as empty boxes): the ranges of the supplementary planes
# and the single characters of the first plane.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615"
    "\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea"
    "\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757"
    "\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55]"
)


@pytest.mark.parametrize("name", PAGES)
def test_no_text_needs_an_emoji_font(name: str) -> None:
    """The execution table's status, for one, is a word (``_ext/reading.py``), not ✅."""
    soup = BeautifulSoup((SITE / name).read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    found = EMOJI.findall(soup.get_text())
    assert found == [], found


def test_the_emoji_check_sees_a_check_mark() -> None:
    assert EMOJI.findall("Status ✅ and ❌, not ✓ or →") == ["✅", "❌"]
