"""Every internal link of the built site resolves; external links are counted, never fetched.

Each page's ``href`` and ``src`` attributes (and the redirect of ``index.html``) are
read with BeautifulSoup. A link to a local file must name a file in ``_build/html``;
a ``#fragment`` must name an element id (or a named anchor) in the target page. Run
``make site`` first.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from tools.browser import PAGES, SITE

LINK_ATTRIBUTES = ("href", "src")
# Schemes that leave the site (counted) and pseudo-links that name no file at all.
EXTERNAL = re.compile(r"^(https?:|mailto:|//)", re.IGNORECASE)
NOT_A_FILE = re.compile(r"^(data:|javascript:|blob:)", re.IGNORECASE)
REFRESH_URL = re.compile(r"url=(.+)$", re.IGNORECASE)


@dataclass
class LinkReport:
    internal: int = 0
    external: int = 0
    broken: list[str] = field(default_factory=list)


@functools.cache
def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _anchors(path: Path) -> set[str]:
    """The fragment targets a page offers: element ids and ``<a name=...>``."""
    soup = _parse(path)
    names = {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
    return {tag["id"] for tag in soup.find_all(id=True)} | names


def _links(soup: BeautifulSoup) -> list[str]:
    links = [tag[name] for name in LINK_ATTRIBUTES for tag in soup.find_all(attrs={name: True})]
    for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.I)}):
        target = REFRESH_URL.search(meta.get("content", ""))
        if target:
            links.append(target.group(1).strip())
    return links


def check_links(site: Path, pages: list[str]) -> LinkReport:
    """Resolve every link of ``pages`` (paths relative to ``site``) inside ``site``."""
    report = LinkReport()
    root = site.resolve()
    for name in pages:
        page = (site / name).resolve()
        for link in _links(_parse(page)):
            if EXTERNAL.match(link):
                report.external += 1
                continue
            if NOT_A_FILE.match(link):
                continue
            report.internal += 1
            parts = urlsplit(link)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root) or not target.is_file():
                report.broken.append(f"{name}: {link} (no file {target})")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _anchors(target)
            ):
                report.broken.append(f"{name}: {link} (no id {parts.fragment!r})")
    return report


def test_every_internal_link_resolves() -> None:
    assert PAGES, f"no pages in {SITE}: run `make site`"
    report = check_links(SITE, PAGES)
    print(f"{len(PAGES)} pages: {report.internal} internal links, {report.external} external")
    assert report.broken == []
    # Each page links at least its stylesheets, scripts and the table of contents.
    assert report.internal > 20 * len(PAGES)
    assert report.external > 0  # the repository and launch buttons


def test_the_check_finds_broken_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "style.css").write_text("")
    (site / "sub" / "a.html").write_text(
        '<html><body><h1 id="top">A</h1>'
        '<a href="../style.css">ok</a> <a href="b.html#there">ok</a> <a href="#top">ok</a>'
        '<a href="missing.html">file</a> <a href="b.html#nowhere">id</a>'
        '<img src="../img/x.png"> <a href="https://example.org/">out</a>'
        '<a href="../../outside.html">outside</a></body></html>'
    )
    (site / "sub" / "b.html").write_text('<p id="there">B</p>')
    (tmp_path / "outside.html").write_text("<p>a file, but not part of the site</p>")
    report = check_links(site, ["sub/a.html"])
    assert report.internal == 7 and report.external == 1
    assert [entry.split(" ")[1] for entry in report.broken] == [
        "missing.html",
        "b.html#nowhere",
        "../../outside.html",
        "../img/x.png",
    ]
