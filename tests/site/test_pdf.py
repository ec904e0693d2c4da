"""The book as one PDF, as ``make pdf`` (``tools/pdf.py``) prints it from the built site.

Its bookmarks list every chapter in the order of ``_toc.yml``, at the page the table of
contents gives; its text holds every chapter's title and the numbers the section prints
(the seed's run); no character lies outside the page's text column; links between chapters
go to pages of the PDF, links to other sites stay links; every page of the website offers
the PDF for download. An interrupted run leaves no partial PDF. Run ``make pdf`` first.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTPage, LTTextContainer
from pypdf import PdfReader
from pypdf.generic import Destination

from tools.browser import PAGES, ROOT, SITE
from tools.pdf import OUT_DIR, anchor_of, book_config, pdf_name, toc_order

PDF = OUT_DIR / pdf_name(str(book_config()["title"]))
#: What the section prints, in the seed's run: the 2D trajectory and the two final losses.
SEED_NUMBERS = ["epoch 20, x1 -0.010599, x2 0.000000", "loss: 0.245", "loss: 0.244"]
#: The PDF's side margins (tools/pdf.py: 16 mm), in points, less a little for rounding.
SIDE_MARGIN = 16 / 25.4 * 72 - 2


@functools.cache
def reader() -> PdfReader:
    assert PDF.is_file(), f"{PDF} is missing: run `make pdf`"
    return PdfReader(PDF)


def chapter_titles() -> list[str]:
    """Each chapter's title (its page's first heading), in the order of ``_toc.yml``."""
    titles = []
    for name, _ in toc_order():
        soup = BeautifulSoup((SITE / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        heading = soup.select_one("article.bd-article h1")
        assert heading is not None, name
        for link in heading.select(".headerlink"):
            link.decompose()
        titles.append(" ".join(heading.get_text().split()))
    return titles


def bookmarks() -> list[tuple[int, str, int]]:
    """(depth, title, page from 1) of every bookmark, depth first, in order."""
    pdf = reader()
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                page = pdf.get_destination_page_number(item)
                assert page is not None
                found.append((depth, " ".join(str(item.title).split()), page + 1))

    walk(pdf.outline, 0)
    return found


def squeezed(text: str) -> str:
    """``text`` without whitespace (the PDF's text has none where a line wraps) and with its
    ligatures as letters ("fi" for "ﬁ")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class PrintedPage:
    """A page's box and its characters, each with its box (pdfminer's layout)."""

    box: tuple[float, float, float, float]
    chars: list[tuple[str, float, float, float, float]]

    @property
    def text(self) -> str:
        return squeezed("".join(char for char, *_ in self.chars))


@functools.cache
def printed_pages() -> list[PrintedPage]:
    """Every page of the PDF, read once (the slowest part of these tests)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = []
    for page in extract_pages(PDF):
        assert isinstance(page, LTPage)
        chars = [
            (char.get_text(), char.x0, char.x1, char.y0, char.y1)
            for box in page
            if isinstance(box, LTTextContainer)
            for line in box
            if isinstance(line, LTTextContainer)
            for char in line
            if isinstance(char, LTChar)
        ]
        pages.append(PrintedPage(page.bbox, chars))
    return pages


@functools.cache
def text() -> str:
    """The PDF's text, without whitespace (see ``squeezed``)."""
    return "".join(page.text for page in printed_pages())


def test_the_site_offers_this_pdf() -> None:
    assert (SITE / PDF.name).read_bytes() == PDF.read_bytes()
    for name in PAGES:
        soup = BeautifulSoup((SITE / name).read_text(encoding="utf-8"), "html.parser")
        if not name.startswith("chapters/"):
            continue  # the root page only redirects; the search page has no download menu
        link = soup.select_one("a.btn-download-book-pdf-button")
        assert link is not None, name
        assert (SITE / name).parent.joinpath(str(link["href"])).resolve() == (SITE / PDF.name)


def test_the_bookmarks_are_the_chapters_in_order() -> None:
    """Every chapter has a bookmark (at the top or under its part), in the toc's order, each
    on a page of its own; the parts' captions are bookmarks too."""
    marks = bookmarks()
    titles = [title for _, title, _ in marks]
    positions = [titles.index(chapter) for chapter in chapter_titles()]
    assert positions == sorted(positions), titles
    assert all(marks[i][0] <= 1 for i in positions)
    pages = [marks[i][2] for i in positions]
    assert pages == sorted(pages) and len(set(pages)) == len(pages), pages
    captions = {str(part) for _, part in toc_order() if part}
    assert captions <= {title for depth, title, _ in marks if depth == 0}


def named_pages() -> dict[str, int]:
    """The page (from 1) of each named destination of the PDF (the contents' targets)."""
    pdf = reader()
    numbers = {
        page.indirect_reference.idnum: index + 1
        for index, page in enumerate(pdf.pages)
        if page.indirect_reference is not None
    }
    named = pdf.trailer["/Root"]["/Dests"].get_object()
    return {str(name)[1:]: numbers[dest.get_object()[0].idnum] for name, dest in named.items()}


def test_the_contents_give_each_chapter_s_page() -> None:
    """Each entry of the table of contents (a link, from page 2 on) shows its title and the
    page its link leads to; every chapter has one."""
    targets = named_pages()
    marks = {title: page for _, title, page in bookmarks()}
    entries: dict[str, tuple[str, int]] = {}  # anchor: (text shown, page it leads to)
    for index in range(1, marks[chapter_titles()[0]] - 1):
        page = printed_pages()[index]
        for annotation in reader().pages[index].get("/Annots") or []:
            link = annotation.get_object()
            if "/Dest" not in link:
                continue
            left, bottom, right, top = (float(v) for v in link["/Rect"])
            shown = squeezed(
                "".join(
                    char
                    for char, x0, x1, y0, y1 in page.chars
                    if left <= (x0 + x1) / 2 <= right and bottom <= (y0 + y1) / 2 <= top
                )
            )
            entries[str(link["/Dest"])[1:]] = (shown, targets[str(link["/Dest"])[1:]])
    for (name, _), title in zip(toc_order(), chapter_titles(), strict=True):
        shown, page = entries[anchor_of(name)]
        assert shown.startswith(squeezed(title)), (shown, title)
        assert re.search(r"(\d+)$", shown) is not None, shown
        assert int(shown[len(squeezed(title)) :]) == page == marks[title], (shown, page)
    for shown, page in entries.values():  # the sections' entries too
        assert shown.endswith(str(page)), (shown, page)


def test_the_text_has_every_title_and_the_seed_s_numbers() -> None:
    for title in chapter_titles():
        assert squeezed(title) in text(), title
    for number in SEED_NUMBERS:
        assert squeezed(number) in text(), number
    assert squeezed("printed edition shows its MXNet version") in text()


def test_no_text_runs_off_a_page() -> None:
    """Every character lies within its page, between the side margins."""
    outside = []
    for number, page in enumerate(printed_pages(), start=1):
        left, bottom, right, top = page.box
        for char, x0, x1, y0, y1 in page.chars:
            if char.strip() and (
                x0 < left + SIDE_MARGIN or x1 > right - SIDE_MARGIN or y0 < bottom or y1 > top
            ):
                outside.append(f"page {number}: {char!r} at x {x0:.0f}-{x1:.0f}, y {y0:.0f}")
    assert outside == []


def test_links_between_chapters_stay_in_the_pdf() -> None:
    internal, external = 0, set()
    for page in reader().pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            action = link.get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                external.add(str(action.get_object()["/URI"]))
            elif "/Dest" in link or (
                action is not None and action.get_object().get("/S") == "/GoTo"
            ):
                internal += 1
    assert internal >= len(chapter_titles())  # the contents' links, at least
    assert not [url for url in external if url.startswith("file:")], external
    assert any("d2l.ai" in url for url in external), external


def raster_images(resources: Any) -> int:
    """How many raster images a page's resources hold, forms included (nothing decoded)."""
    count = 0
    for xobject in (resources or {}).get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            count += 1
        elif xobject.get("/Subtype") == "/Form":
            count += raster_images(xobject.get("/Resources"))
    return count


def test_the_math_and_figures_are_vector() -> None:
    """Formulas and figures are drawn, not pictures: the only raster images are the heat
    map's colours and its colour bar (matplotlib's imshow), once, in the printed tab."""
    images = sum(raster_images(page.get("/Resources")) for page in reader().pages)
    assert images <= 2, images


def test_an_interrupted_run_leaves_no_pdf(tmp_path: Path) -> None:
    """Ctrl-C halfway: the PDF it would have replaced is still there, no partial file."""
    out = tmp_path / "book.pdf"
    out.write_bytes(b"the previous PDF")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "pdf.py"), "--out", str(out), "--no-copy"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(4)
    assert process.poll() is None, "the printing ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert out.read_bytes() == b"the previous PDF"
    assert sorted(os.listdir(tmp_path)) == ["book.pdf"]


@pytest.mark.parametrize("missing", ["chapters/algorithm.html"])
def test_a_missing_page_stops_the_printing(tmp_path: Path, missing: str) -> None:
    site = tmp_path / "html"
    (site / "chapters").mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "tools/pdf.py", "--site", str(site), "--out", str(tmp_path / "b.pdf")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "make site" in run.stderr
    assert not (tmp_path / "b.pdf").exists()
