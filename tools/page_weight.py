"""What each page of the built site costs a reader: requests, bytes, first paint, typeset math.

Usage: python tools/page_weight.py [--site DIR] [--repeat N] [--before DIR | --compare FILE]
[--save FILE], after `make site`. The site is served on 127.0.0.1 and every page is opened cold
(a new browser context: empty cache) in Debian's Chromium. Per page:

* ``requests`` and ``bytes``: every response the page asked for, uncompressed;
* ``gzip_bytes``: the same responses as a gzip-serving static host sends them (text
  types compressed with Python's gzip at level 6, already compressed images and fonts
  as they are);
* ``fcp_ms``: first contentful paint, from the paint timing API;
* ``math_ms``: when the math is typeset: MathJax's startup promise if the page loads
  MathJax, DOMContentLoaded if its math arrives typeset in the HTML, None without math;
* ``files``: the paths requested, without query strings.

Timings are the median of ``--repeat`` loads. ``--before DIR`` measures another build
too, its loads alternating with this one's, and prints both; ``--compare FILE`` prints a
run that ``--save FILE`` wrote beside this one.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import statistics
import sys
from pathlib import Path
from typing import TypedDict

from playwright.sync_api import Browser, Request

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from d2l_utils.explorers.base import MARKER_CLASS  # noqa: E402
from tools.browser import SITE, launch_browser, serve_site  # noqa: E402

#: Content types a static host compresses; fonts (woff2) and images are sent as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
# Installed before any script of the page: notes when MathJax's startup promise resolves.
WATCH_MATHJAX = """
(() => {
  const poll = setInterval(() => {
    const promise = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    if (promise) {
      clearInterval(poll);
      promise.then(() => { window.__mathTypeset = performance.now(); });
    }
  }, 2);
  addEventListener("load", () => setTimeout(() => clearInterval(poll), 5000));
})();
"""
# The page's timings once it has settled: FCP, DOMContentLoaded, math (None without math).
TIMINGS = """async () => {
  const hasMath = document.querySelector("mjx-container, .math") !== null;
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    await window.MathJax.startup.promise;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const navigation = performance.getEntriesByType("navigation")[0];
  const dcl = navigation.domContentLoadedEventEnd;
  return {
    fcp: paint ? paint.startTime : null,
    math: !hasMath ? null : window.__mathTypeset !== undefined ? window.__mathTypeset : dcl,
  };
}"""


class PageWeight(TypedDict):
    """The figures of one page (see the module's docstring)."""

    requests: int
    bytes: int
    gzip_bytes: int
    fcp_ms: float | None
    math_ms: float | None
    files: list[str]


#: What a cold load of a page may weigh, in bytes: a text page and a page with an explorer,
#: uncompressed, and either as a gzip-serving static host sends it. Held by
#: tests/site/test_page_weight.py; reported against by make benchmark.
TEXT_PAGE_BYTES = 1_500_000
EXPLORER_PAGE_BYTES = 2_500_000
GZIP_BYTES = 1_000_000


def explorer_kinds(page: Path) -> list[str]:
    """The explorers the built ``page`` shows, in order (the chapters' cells decide)."""
    pattern = rf'<div class="{MARKER_CLASS}" data-kind="([\w-]+)"'
    return re.findall(pattern, page.read_text(encoding="utf-8"))


def has_explorer(page: Path) -> bool:
    """Whether the built ``page`` shows an explorer."""
    return bool(explorer_kinds(page))


def site_pages(site: Path = SITE) -> list[str]:
    """The pages of ``site`` (paths relative to it), without Sphinx's ``_`` folders.

    A page that only redirects (the top ``index.html``) is left out: it weighs its target.
    """
    return sorted(
        str(path.relative_to(site))
        for path in site.rglob("*.html")
        if not path.relative_to(site).parts[0].startswith("_")
        and 'http-equiv="Refresh"' not in path.read_text(encoding="utf-8")
    )


def sent_size(body: bytes, content_type: str) -> int:
    """Bytes a gzip-serving static host sends for a response of this type."""
    if content_type.startswith(COMPRESSED_TYPES):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


Timings = dict[str, float | None]


def _load(browser: Browser, url: str) -> tuple[list[tuple[str, bytes, str]], Timings]:
    """Open ``url`` cold; return (url, body, content type) of every response, and timings."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_MATHJAX)
    page = context.new_page()
    finished: list[Request] = []
    failed: list[str] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url, wait_until="networkidle")
    timings = page.evaluate(TIMINGS)
    page.wait_for_load_state("networkidle")  # anything the typesetting asked for (fonts)
    responses = []
    for request in finished:
        response = request.response()
        if response is not None and not request.url.startswith(("data:", "blob:")):
            kind = response.headers.get("content-type", "")
            responses.append((request.url, response.body(), kind))
    context.close()
    if failed:
        raise RuntimeError(f"{url}: failed requests {failed}")
    return responses, timings


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 1) if known else None


def _weight(base: str, loads: list[tuple[list[tuple[str, bytes, str]], Timings]]) -> PageWeight:
    """A page's figures from its loads: sizes from the first, timings as medians."""
    responses = loads[0][0]
    outside = [url for url, _, _ in responses if not url.startswith(base)]
    if outside:
        raise RuntimeError(f"another host was asked for {outside}")
    return PageWeight(
        requests=len(responses),
        bytes=sum(len(body) for _, body, _ in responses),
        gzip_bytes=sum(sent_size(body, kind) for _, body, kind in responses),
        fcp_ms=_median([timings["fcp"] for _, timings in loads]),
        math_ms=_median([timings["math"] for _, timings in loads]),
        files=sorted(url.removeprefix(base + "/").split("?")[0] for url, _, _ in responses),
    )


def measure_sites(
    sites: list[Path], repeat: int = 1, browser: Browser | None = None
) -> list[dict[str, PageWeight]]:
    """Measure the pages of several builds of the site, e.g. before and after a change.

    The loads alternate between the sites, page by page, so that a busy machine slows
    them alike. Each result is ``{page: PageWeight}``, for the pages of that site.
    Without ``browser``, Debian's Chromium is started for the measurement.
    """
    results: list[dict[str, PageWeight]] = [{} for _ in sites]
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(serve_site(site)) for site in sites]
        browser = browser or stack.enter_context(launch_browser())
        names = sorted({name for site in sites for name in site_pages(site)})
        for name in names:
            present = [i for i, site in enumerate(sites) if (site / name).is_file()]
            loads: dict[int, list[tuple[list[tuple[str, bytes, str]], Timings]]] = {
                i: [] for i in present
            }
            for _ in range(repeat):
                for i in present:
                    loads[i].append(_load(browser, f"{bases[i]}/{name}"))
            for i in present:
                results[i][name] = _weight(bases[i], loads[i])
    return results


def measure(
    site: Path = SITE, repeat: int = 1, browser: Browser | None = None
) -> dict[str, PageWeight]:
    """Load every page of ``site`` cold ``repeat`` times; return ``{page: PageWeight}``."""
    return measure_sites([site], repeat, browser)[0]


def _cells(weight: PageWeight | None) -> list[str]:
    if weight is None:
        return ["", "", "", "", ""]

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    kb = f"{weight['bytes'] / 1000:.0f}"
    gz = f"{weight['gzip_bytes'] / 1000:.0f}"
    return [str(weight["requests"]), kb, gz, ms(weight["fcp_ms"]), ms(weight["math_ms"])]


def table(after: dict[str, PageWeight], before: dict[str, PageWeight] | None = None) -> str:
    """The figures as a Markdown table; with ``before``, both runs side by side."""
    columns = ["requests", "KB", "gzip KB", "FCP ms", "math ms"]
    if before is None:
        header = ["page", *columns]
    else:
        header = ["page"] + [f"{c} before" for c in columns] + [f"{c} after" for c in columns]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for name in sorted(set(after) | set(before or {})):
        row = [name]
        if before is not None:
            row += _cells(before.get(name))
        row += _cells(after.get(name))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("KB and gzip KB: 1000 bytes.")
    return "\n".join(lines)


def main() -> None:
    """Measure the site and print the table (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (_build/html)")
    parser.add_argument("--repeat", type=int, default=3, help="cold loads per page (3)")
    parser.add_argument("--before", type=Path, help="another build to measure beside this one")
    parser.add_argument("--compare", type=Path, help="a saved run to print beside this one")
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args()
    before = None
    if args.before:
        before, results = measure_sites([args.before, args.site], args.repeat)
    else:
        results = measure(args.site, args.repeat)
        if args.compare:
            before = json.loads(args.compare.read_text(encoding="utf-8"))
    if args.save:
        args.save.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(table(results, before))


if __name__ == "__main__":
    main()
