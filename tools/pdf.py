"""Print the built website as one PDF: the whole book, in the order of ``_toc.yml``.

Usage: python tools/pdf.py [--site DIR] [--out FILE] (``make pdf`` runs it after ``make site``).

The pages of ``_build/html`` are joined into one HTML document (their articles, one chapter
after the other, under a title page and a table of contents), which Debian's Chromium
prints through Playwright with the site's own stylesheets, ``_static/print.css`` included.
Joining them first makes every link between chapters a link inside the PDF; links to other
sites stay links. The math is the SVG the build typeset, so it stays vector; so are the
figures, which the chapters draw as SVG. Chromium tags the PDF for screen readers.

The table of contents lists every chapter, under its part, and its sections, each with the
page it starts on, which only the printed PDF knows: the book is printed twice, the first
time with placeholders of the same width, and each entry's page is read from the PDF's
named destinations, which Chromium writes for every element a link leads to. The bookmarks
(parts, chapters, sections) are written from the same pages with pypdf (Chromium's own,
made from the headings, lose the math of a heading and the spaces at its line breaks).

The PDF is written to ``_build/pdf/<name>.pdf`` and copied to the site's root, where every
page's download menu links it (``_ext/reading.py``; both name it after the book's title).
Both are written under a temporary name and renamed when complete, so an interrupted run
leaves the previous PDF, or none, never a partial one.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Page, PdfMargins
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from d2l_utils.explorers.base import mount_script
from tools.browser import ROOT, SITE, launch_browser

OUT_DIR = ROOT / "_build" / "pdf"
#: Attributes whose value is an element id (``name`` groups a tab set's radio inputs).
ID_REFERENCES = ("for", "aria-controls", "aria-labelledby", "aria-describedby", "name")
#: What the article holds that has no use on paper (an explorer's state is a JSON script: kept).
DROP = ".headerlink, script:not([type='application/json']), .copybtn, button.toggle-button"
#: The placeholder page number of the first printing (as wide as any real one).
PLACEHOLDER = "000"
PAGE_MARGIN: PdfMargins = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
FOOTER = (
    '<div style="width: 100%; font-size: 8px; color: #555; text-align: center;">'
    '<span class="pageNumber"></span></div>'
)

#: The book's own layout: title page, contents, a new page for each chapter.
BOOK_CSS = """
@page { size: A4; }
html, body { background: #fff; }
body { margin: 0; display: block; min-height: 0; }
.bd-article { padding: 0; max-width: none; }
.book-title-page { break-after: page; padding-top: 30%; text-align: center; }
.book-title-page .book-title { font-size: 2.6em; font-weight: 600; margin: 0 0 0.4em; }
.book-title-page .book-subtitle { font-size: 1.2em; margin: 0 0 2.5em; }
.book-title-page .book-note { font-size: 0.9em; color: #444; max-width: 30em; margin: 3em auto 0; }
.book-contents { break-after: page; }
.book-contents ol { list-style: none; padding: 0; margin: 0 0 1em; }
.book-contents .book-part { font-weight: 600; margin: 1.2em 0 0.3em; break-after: avoid; }
.book-contents li a { display: flex; gap: 0.4em; color: inherit; text-decoration: none;
  padding: 0.15em 0; }
.book-contents li a .book-leader { flex: 1; border-bottom: 1px dotted #999;
  margin-bottom: 0.35em; }
.book-contents .book-chapter-entry > a { font-weight: 600; }
.book-contents ol.book-sections { margin: 0 0 0.4em 1.5em; font-size: 0.9em; }
.book-chapter { break-before: page; }
/* The theme hides an article's first heading in print (it prints the page title above it):
   here each chapter's heading is its title. */
.bd-article h1:first-of-type { display: block !important; }
"""


@dataclass
class Section:
    """A section of a chapter (its ``h2``): title and anchor in the joined document."""

    title: str
    anchor: str


@dataclass
class Chapter:
    """One page of the book: its document name, part caption, title, anchor, sections and
    article."""

    docname: str
    part: str
    title: str
    anchor: str
    sections: list[Section]
    article: Tag


def book_config(root: Path = ROOT) -> dict[str, Any]:
    """The Jupyter Book configuration (``_config.yml``)."""
    config: dict[str, Any] = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return config


def pdf_name(title: str) -> str:
    """The PDF's file name: the title in lower case, words joined by hyphens (as the
    download menu names it, ``_ext/reading.py``)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + ".pdf"


def toc_order(root: Path = ROOT) -> list[tuple[str, str]]:
    """(document name, part caption) of every page, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [(str(toc["root"]), "")]
    for part in toc.get("parts", []):
        pages += [(str(entry["file"]), str(part.get("caption", ""))) for entry in part["chapters"]]
    pages += [(str(entry["file"]), "") for entry in toc.get("chapters", [])]
    return [(Path(name).with_suffix("").as_posix(), caption) for name, caption in pages]


def anchor_of(docname: str) -> str:
    """The id of a chapter in the joined document."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", docname)


def _page_target(href: str, page: Path, site: Path, anchors: dict[Path, str]) -> str | None:
    """The in-document target of a relative link from ``page``, if it names a book page."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if target not in anchors:
        return None
    return f"#{anchors[target]}--{parts.fragment}" if parts.fragment else f"#{anchors[target]}"


def rewrite(article: Tag, page: Path, site: Path, anchors: dict[Path, str]) -> None:
    """Make ``article`` (of ``page``) fit the joined document: its ids prefixed with the
    chapter's anchor, its links to book pages made internal, other relative URLs absolute."""
    prefix = anchors[page.resolve()]
    for tag in article.select(DROP):
        tag.decompose()
    for tag in article.find_all(True):
        if tag.get("id") and not str(tag["id"]).startswith("MJX-"):
            tag["id"] = f"{prefix}--{tag['id']}"
        for name in ID_REFERENCES:
            if tag.get(name):
                tag[name] = " ".join(f"{prefix}--{ref}" for ref in str(tag[name]).split())
        for name in ("href", "src", "xlink:href"):
            value = tag.get(name)
            if not isinstance(value, str) or not value:
                continue
            if value.startswith("#"):
                if not value.startswith("#MJX-"):
                    tag[name] = f"#{prefix}--{value[1:]}"
                continue
            internal = _page_target(value, page, site, anchors)
            if internal is not None:
                tag[name] = internal
            elif not urlsplit(value).scheme:
                tag[name] = (page.parent / unquote(urlsplit(value).path)).resolve().as_uri()


def heading_text(heading: Tag) -> str:
    """A heading's text, as read: its math as the characters MathJax's MathML gives."""
    return " ".join(heading.get_text().split()).removesuffix("#").strip()


def _absolute(url: str, page: Path) -> str:
    return (page.parent / unquote(urlsplit(url).path)).resolve().as_uri()


def read_chapters(site: Path, order: list[tuple[str, str]]) -> tuple[list[Chapter], Tag]:
    """Every page's article, rewritten, and the pages' glyph caches merged into one."""
    anchors = {(site / f"{name}.html").resolve(): anchor_of(name) for name, _ in order}
    glyphs: dict[str, Tag] = {}
    chapters: list[Chapter] = []
    for name, part in order:
        path = site / f"{name}.html"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: run `make site` first")
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache = soup.find(id="MJX-SVG-global-cache")
        if isinstance(cache, Tag):
            for glyph in cache.find_all(id=True):
                glyphs.setdefault(str(glyph["id"]), glyph)
        article = soup.select_one("article.bd-article")
        if article is None:
            raise SystemExit(f"{path} has no article")
        rewrite(article, path, site, anchors)
        heading = article.find("h1")
        title = heading_text(heading) if isinstance(heading, Tag) else name
        sections = [
            Section(heading_text(h2), str(h2.parent["id"]))
            for h2 in article.select("section > h2")
            if isinstance(h2.parent, Tag) and h2.parent.get("id")
        ]
        chapters.append(Chapter(name, part, title, anchor_of(name), sections, article))
    cache_soup = BeautifulSoup(
        '<svg id="MJX-SVG-global-cache" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" '
        'style="display: none"><defs></defs></svg>',
        "html.parser",
    )
    defs = cache_soup.find("defs")
    assert isinstance(defs, Tag)
    for glyph in glyphs.values():
        defs.append(glyph)
    svg = cache_soup.find("svg")
    assert isinstance(svg, Tag)
    return chapters, svg


def stylesheets(site: Path, order: list[tuple[str, str]]) -> list[str]:
    """Every stylesheet any page links, as absolute URLs, in the order first seen."""
    seen: list[str] = []
    for name, _ in order:
        path = site / f"{name}.html"
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("link", rel="stylesheet"):
            url = _absolute(str(link["href"]).split("?")[0], path)
            if url not in seen:
                seen.append(url)
    return seen


def printed_framework(chapters: list[Chapter]) -> str | None:
    """The label of the tab every framework tab set prints (its first), if the book has one."""
    for chapter in chapters:
        label = chapter.article.select_one(".sd-tab-set.framework-tabs > label")
        if label is not None:
            return label.get_text(strip=True)
    return None


def contents(chapters: list[Chapter], pages: dict[str, int]) -> str:
    """The table of contents: the parts' captions, each chapter and its sections with their
    page numbers (placeholders where ``pages`` has none yet)."""

    def entry(title: str, anchor: str, css: str) -> str:
        page = pages.get(anchor, PLACEHOLDER)
        return (
            f'<li class="{css}"><a href="#{anchor}"><span>{_escape(title)}</span>'
            f'<span class="book-leader"></span><span class="book-page">{page}</span></a>'
        )

    out = ['<nav class="book-contents"><h1 id="book-contents">Contents</h1>']
    part: str | None = None
    for chapter in chapters:
        if chapter.part != part:
            if part is not None:
                out.append("</ol>")
            part = chapter.part
            if part:
                out.append(f'<p class="book-part">{_escape(part)}</p>')
            out.append("<ol>")
        out.append(entry(chapter.title, chapter.anchor, "book-chapter-entry"))
        if chapter.sections:
            out.append('<ol class="book-sections">')
            out += [
                entry(s.title, s.anchor, "book-section-entry") + "</li>" for s in chapter.sections
            ]
            out.append("</ol>")
        out.append("</li>")
    out.append("</ol></nav>")
    return "\n".join(out)


def contents_anchors(chapters: list[Chapter]) -> list[str]:
    """The anchors the contents link, in their order."""
    return [a for c in chapters for a in [c.anchor, *(s.anchor for s in c.sections)]]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def book_html(
    site: Path, chapters: list[Chapter], glyphs: Tag, pages: dict[str, int], config: dict[str, Any]
) -> str:
    """The joined document: title page, contents, the chapters."""
    order = [(c.docname, c.part) for c in chapters]
    links = "\n".join(f'<link rel="stylesheet" href="{url}">' for url in stylesheets(site, order))
    static = (site / "_static").resolve()
    explorers = any(c.article.select_one(".d2l-explorer") for c in chapters)
    scripts = ""
    if explorers:
        scripts = (
            "\n".join(
                f'<script src="{(static / "explorers" / name).as_uri()}"></script>'
                for name in ("d3.v7.min.js", "explorers.js")
            )
            + f"\n<script>{mount_script()}</script>"
        )
    framework = printed_framework(chapters)
    note = (
        f"Where the code differs between frameworks, this printed edition shows its {framework}"
        " version; the website and the notebooks have every framework's. The explorers are"
        " printed as figures at the book's settings."
        if framework
        else "The explorers are printed as figures at the book's settings."
    )
    title = _escape(str(config.get("title", "")))
    author = _escape(str(config.get("author", "")))
    body = [
        str(glyphs),
        '<article class="bd-article" role="main">',
        '<section class="book-title-page">',
        f'<p class="book-title">{title}</p>',
        '<p class="book-subtitle">An interactive reproduction of section 11.8, "RMSProp",'
        " of <em>Dive into Deep Learning</em></p>",
        f"<p>{author}</p>",
        f"<p>Printed from the website on {date.today().isoformat()}</p>",
        f'<p class="book-note">{_escape(note)}</p>',
        "</section>",
        contents(chapters, pages),
    ]
    for chapter in chapters:
        body.append(f'<div class="book-chapter" id="{chapter.anchor}">')
        body.append(chapter.article.decode_contents())
        body.append("</div>")
    body.append("</article>")
    return (
        '<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{title}</title>\n{links}\n'
        f"<style>{BOOK_CSS}</style>\n{scripts}\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def destination_pages(pdf: Path, anchors: list[str]) -> dict[str, int]:
    """The page (from 1) of each of ``anchors`` in a printed PDF.

    Chromium keeps every element id that a link of the document targets as a named
    destination of the PDF (the contents link every chapter and section).
    """
    reader = PdfReader(pdf)
    numbers = {
        page.indirect_reference.idnum: index + 1
        for index, page in enumerate(reader.pages)
        if page.indirect_reference is not None
    }
    named = reader.root_object.get("/Dests")
    destinations = named.get_object() if named is not None else DictionaryObject()
    if not isinstance(destinations, DictionaryObject):
        raise RuntimeError("the PDF's named destinations are not a dictionary")
    pages = {}
    for anchor in anchors:
        destination = destinations.get(f"/{anchor}")
        if destination is None:
            raise RuntimeError(f"the PDF has no destination {anchor!r}")
        pages[anchor] = numbers[destination.get_object()[0].idnum]
    return pages


def add_bookmarks(pdf: Path, chapters: list[Chapter], pages: dict[str, int]) -> None:
    """Write the bookmarks: the contents, then each part with its chapters, each chapter
    with its sections (a chapter outside any part at the top level)."""
    writer = PdfWriter(clone_from=pdf)
    writer.add_outline_item(title="Contents", page_number=1)
    parts: dict[str, Any] = {}
    for chapter in chapters:
        parent = None
        if chapter.part:
            if chapter.part not in parts:
                parts[chapter.part] = writer.add_outline_item(
                    title=chapter.part, page_number=pages[chapter.anchor] - 1
                )
            parent = parts[chapter.part]
        item = writer.add_outline_item(
            title=chapter.title, page_number=pages[chapter.anchor] - 1, parent=parent
        )
        for section in chapter.sections:
            writer.add_outline_item(
                title=section.title, page_number=pages[section.anchor] - 1, parent=item
            )
    writer.page_mode = "/UseOutlines"
    with pdf.open("wb") as out:
        writer.write(out)


def print_pdf(page: Page, html_path: Path, pdf_path: Path) -> None:
    """Load the joined document and print it (explorers mounted, print media)."""
    page.emulate_media(media="print")
    page.goto(html_path.as_uri(), wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.d2l-explorer')]"
        ".filter((e) => e.checkVisibility()).every((e) => e.querySelector('svg'))"
    )
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.pdf(
        path=str(pdf_path),
        format="A4",
        margin=PAGE_MARGIN,
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        tagged=True,
    )


def build(site: Path, out: Path, copy_to_site: bool = True) -> Path:
    """Print the book from ``site`` into ``out`` (and the site's root); return ``out``."""
    config = book_config()
    chapters, glyphs = read_chapters(site, toc_order())
    anchors = contents_anchors(chapters)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="book-pdf-") as work, launch_browser() as browser:
        folder = Path(work)
        html_path, first = folder / "book.html", folder / "first.pdf"
        page = browser.new_page()
        html_path.write_text(book_html(site, chapters, glyphs, {}, config), encoding="utf-8")
        print_pdf(page, html_path, first)
        pages = destination_pages(first, anchors)
        html_path.write_text(book_html(site, chapters, glyphs, pages, config), encoding="utf-8")
        final = folder / "book.pdf"
        print_pdf(page, html_path, final)
        if destination_pages(final, anchors) != pages:
            raise RuntimeError("the chapters moved between the two printings")
        page.close()
        add_bookmarks(final, chapters, pages)
        _replace(final, out)
        if copy_to_site:
            _replace(out, site / out.name)
    return out


def _replace(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` under a temporary name, then rename it into place."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(source.read_bytes())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Print the book; say where the PDF is, how large it is and how long it took."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built website")
    parser.add_argument("--out", type=Path, help="the PDF (default: _build/pdf/<title>.pdf)")
    parser.add_argument(
        "--no-copy", action="store_true", help="do not copy the PDF into the website"
    )
    args = parser.parse_args(argv)
    out = args.out or OUT_DIR / pdf_name(str(book_config()["title"]))
    started = time.perf_counter()
    try:
        build(args.site, out, copy_to_site=not args.no_copy)
    except KeyboardInterrupt:
        print("make pdf: interrupted; no PDF was written or replaced", file=sys.stderr)
        return 130
    pages = len(PdfReader(out).pages)
    seconds = time.perf_counter() - started
    size = out.stat().st_size / 1e6
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    copy = "" if args.no_copy else f", copied to {args.site / out.name}"
    print(f"{where}: {pages} pages, {size:.1f} MB, printed in {seconds:.0f} s{copy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
