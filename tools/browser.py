"""The site in a browser, for the tools and the tests alike: the checkout's paths, a local
server, Debian's Chromium driven by Playwright, a page opener that reports every problem,
the framework tabs and the explorers' slider geometry. (``tools/page_weight.py``, the
benchmark and the browser tests import it; tools never import tests.)"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

#: The checkout, and the site ``make site`` builds.
ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
#: The site's pages (not its assets), as paths relative to SITE.
PAGES = sorted(
    str(path.relative_to(SITE))
    for path in SITE.rglob("*.html")
    if not path.relative_to(SITE).parts[0].startswith("_")
)
CHROMIUM = "/usr/bin/chromium"
# Headless, and none of Chromium's own background traffic (the machine has no network).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_site(root: Path = SITE) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launch_browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, url: str, **options: Any) -> tuple[Page, list[str]]:
    """Open ``url``; return the page and a live list of every problem seen.

    ``options`` go to ``Browser.new_page`` (e.g. ``color_scheme="dark"``).
    """
    page = browser.new_page(**options)
    problems: list[str] = []
    origin = url[: url.index("/", url.index("//") + 2)] if url.count("/") > 2 else url

    def on_request(request: Request) -> None:
        if not request.url.startswith((origin, "data:", "blob:")):
            problems.append(f"outside request: {request.url}")

    page.route(re.compile(r"^(?!" + re.escape(origin) + r")https?://.*"), lambda r: r.abort())
    page.on("request", on_request)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status}: {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", on_response)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", on_console)
    page.goto(url, wait_until="networkidle")  # also lets a redirect page move on
    return page, problems


def choose_framework(page: Page, framework: str) -> None:
    """Pick ``framework``'s tab (``"mxnet"`` or ``"pytorch"``), which switches every tab set."""
    page.locator(f"label.sd-tab-label[data-sync-id={framework}]").first.click()
    page.wait_for_function(
        "(f) => [...document.querySelectorAll('input.sd-tab-input')].filter((i) => i.checked)"
        ".every((i) => i.nextElementSibling.dataset.syncId === f)",
        arg=framework,
    )


#: The explorers' range thumbs are 28 px wide (explorers.css), so the thumb's centre travels
#: from 14 px inside one end of the track to 14 px inside the other.
THUMB_HALF_WIDTH = 14


def along_track(box: Mapping[str, Any], fraction: float) -> tuple[float, float]:
    """The point ``fraction`` of the way along the track of a range input with bounding
    ``box``: where a pointer puts the thumb's centre at that value."""
    travel = box["width"] - 2 * THUMB_HALF_WIDTH
    return box["x"] + THUMB_HALF_WIDTH + fraction * travel, box["y"] + box["height"] / 2
