"""Goals 1 and 2: what every page of the built site weighs, and how soon it renders and answers.

Each page is loaded cold (a new browser context) from a local server in Debian's
Chromium, ``LOADS`` times; timings are medians, in milliseconds after navigation start.
Bytes, gzip bytes, first contentful paint and math typesetting come from
``tools/page_weight.py``. On a page with an explorer, a separate set of loads times the
first explorer response: the explorer's SVG is present, its first visible slider is
focused and moved by one ArrowRight, and the moment the explorer's text has changed
(seen by a MutationObserver) is the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser

from tools import page_weight
from tools.browser import SITE, launch_browser, serve_site

from . import stats
from .stats import Goal

LOADS = 3
MB = 1_000_000
#: Goal 1: MB per page, uncompressed (explorer or text page), and as a gzip host sends it:
#: the budgets tests/site/test_page_weight.py holds every page to.
EXPLORER_MB = page_weight.EXPLORER_PAGE_BYTES / MB
TEXT_MB = page_weight.TEXT_PAGE_BYTES / MB
GZIP_MB = page_weight.GZIP_BYTES / MB
#: Goal 2: math typeset and first explorer response, ms after navigation start.
RENDER_MS = 1000.0

#: The goals, each judged on the page that does worst: (goal, name, pages, figure, limit, unit).
GOALS = (
    (1, "explorer pages, uncompressed", "explorer", "mb", EXPLORER_MB, " MB"),
    (1, "text pages, uncompressed", "text", "mb", TEXT_MB, " MB"),
    (1, "every page, gzip", "all", "gzip_mb", GZIP_MB, " MB"),
    (2, "math typeset", "all", "math", RENDER_MS, " ms"),
    (2, "first explorer response", "explorer", "answer", RENDER_MS, " ms"),
)

# Installed once the SVG is there: focuses the first visible keyboard control (a slider, or
# a chart that takes the arrow keys, as the map does) and notes, at its keydown, the
# explorer's text, then when that text has changed.
KEYS = "input[type=range], svg[tabindex='0']"
WATCH = f"""() => {{
  const root = [...document.querySelectorAll('.d2l-x')]
    .find((r) => r.checkVisibility() && r.querySelector("{KEYS}"));
  let before = null;
  root.addEventListener('keydown', () => {{ before = root.innerText; }}, true);
  new MutationObserver((_, observer) => {{
    if (before !== null && root.innerText !== before) {{
      window.__explorerAnswered = performance.now();
      observer.disconnect();
    }}
  }}).observe(root, {{subtree: true, childList: true, characterData: true, attributes: true}});
  root.querySelector("{KEYS}").focus();
}}"""


def first_explorer_response(browser: Browser, url: str) -> float:
    """Milliseconds from navigation start until a keyboard slider move changed the explorer."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.locator(".d2l-x svg").first.wait_for(state="attached")
        page.evaluate(WATCH)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.__explorerAnswered !== undefined")
        return float(page.evaluate("window.__explorerAnswered"))
    finally:
        context.close()


@dataclass
class Row:
    """One page's figures: sizes in MB, timings in ms (None: no math, no explorer)."""

    page: str
    mb: float
    gzip_mb: float
    fcp: float | None
    math: float | None
    answer: float | None

    def ok(self) -> bool:
        limit = EXPLORER_MB if self.answer is not None else TEXT_MB
        times = [t for t in (self.math, self.answer) if t is not None]
        return self.mb <= limit and self.gzip_mb <= GZIP_MB and all(t <= RENDER_MS for t in times)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def measure(site: Path = SITE) -> tuple[list[str], list[Goal]]:
    """The per-page table and the goals' verdicts."""
    with launch_browser() as browser:
        weights = page_weight.measure(site, LOADS, browser)
        rows = []
        with serve_site(site) as base:
            for page, weight in weights.items():
                answer = None
                if page_weight.has_explorer(site / page):
                    loads = [
                        first_explorer_response(browser, f"{base}/{page}") for _ in range(LOADS)
                    ]
                    answer = stats.median(loads)
                mb, gzip_mb = weight["bytes"] / MB, weight["gzip_bytes"] / MB
                rows.append(Row(page, mb, gzip_mb, weight["fcp_ms"], weight["math_ms"], answer))
    lines = [f"{'page':42s}      MB gzip MB  FCP ms math ms explorer ms  goals 1-2"]
    for row in rows:
        lines.append(
            f"{row.page:42s} {row.mb:7.2f} {row.gzip_mb:7.2f} {_ms(row.fcp):>7s} "
            f"{_ms(row.math):>7s} {_ms(row.answer):>11s}  {'PASS' if row.ok() else 'FAIL'}"
        )
    lines.append(
        f"Medians of {LOADS} cold loads, ms after navigation start; MB = 1,000,000 bytes; "
        "explorer ms: the first explorer response, on the pages with an explorer."
    )
    kinds = {
        "all": rows,
        "explorer": [row for row in rows if row.answer is not None],
        "text": [row for row in rows if row.answer is None],
    }
    goals = []
    for number, name, kind, figure, limit, unit in GOALS:
        found = [
            (getattr(r, figure), r.page) for r in kinds[kind] if getattr(r, figure) is not None
        ]
        if not found:
            goals.append(Goal(number, name, "no such page", f"<= {limit:g}{unit}", None))
            continue
        value, page = max(found)
        digits = 2 if unit == " MB" else 0
        goals.append(stats.at_most(number, f"{name}, worst {page}", value, limit, unit, digits))
    return lines, goals
