"""The book as one PDF, as ``make pdf`` (``tools/pdf.py``) prints it from the built site.

Its bookmarks list every chapter in the order of ``_toc.yml``, at the page the table of
contents gives; its text holds every chapter's title and the numbers the section prints
(the seed's run); no character lies outside the page's text column; links between chapters
go to pages of the PDF, links to other sites stay links; every page of the website offers
the PDF for download. An interrupted run leaves no partial PDF. Run ``make pdf`` first.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTPage, LTTextContainer
from pypdf import PdfReader
from pypdf.generic import Destination

from tests.support import PAGES, ROOT, SITE
from tools.pdf import OUT_DIR, book_config, pdf_name, toc_order

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


def top_bookmarks() -> list[tuple[str, int]]:
    """(title, page from 1) of every top-level bookmark, in order."""
    pdf = reader()
    found = []
    for item in pdf.outline:
        if isinstance(item, Destination):
            page = pdf.get_destination_page_number(item)
            assert page is not None
            found.append((" ".join(str(item.title).split()), page + 1))
    return found


@functools.cache
def text() -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader().pages)


def test_the_site_offers_this_pdf() -> None:
    assert (SITE / PDF.name).read_bytes() == PDF.read_bytes()
    for name in PAGES:
        soup = BeautifulSoup((SITE / name).read_text(encoding="utf-8"), "html.parser")
        if soup.find("meta", attrs={"http-equiv": "Refresh"}):
            continue  # the root page only redirects
        link = soup.select_one("a.btn-download-book-pdf-button")
        assert link is not None, name
        assert (SITE / name).parent.joinpath(str(link["href"])).resolve() == (SITE / PDF.name)


def test_the_bookmarks_are_the_chapters_in_order() -> None:
    bookmarks = top_bookmarks()
    titles = [title for title, _ in bookmarks]
    positions = [titles.index(chapter) for chapter in chapter_titles()]
    assert positions == sorted(positions), titles
    pages = [bookmarks[i][1] for i in positions]
    assert pages == sorted(pages) and len(set(pages)) == len(pages), pages


def test_the_contents_give_each_chapter_s_page() -> None:
    """The table of contents (after the title page) names each chapter with its first page."""
    bookmarks = dict(top_bookmarks())
    contents_page = bookmarks["Contents"]
    contents = " ".join(
        " ".join((reader().pages[i].extract_text() or "").split())
        for i in range(contents_page - 1, min(bookmarks.values(), key=lambda p: p) + 1)
        if i < len(reader().pages)
    )
    for title in chapter_titles():
        printed = re.search(re.escape(title) + r"\s*(\d+)", contents)
        assert printed is not None, title
        assert int(printed[1]) == bookmarks[title], title


def test_the_text_has_every_title_and_the_seed_s_numbers() -> None:
    for title in chapter_titles():
        assert title in text(), title
    for number in SEED_NUMBERS:
        assert number in text(), number
    assert "printed edition shows its MXNet version" in text()


def test_no_text_runs_off_a_page() -> None:
    """Every character lies within its page, between the side margins."""
    outside = []
    for number, page in enumerate(extract_pages(PDF), start=1):
        assert isinstance(page, LTPage)
        left, bottom, right, top = page.bbox
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                for char in line if hasattr(line, "__iter__") else []:
                    if not isinstance(char, LTChar) or not char.get_text().strip():
                        continue
                    if (
                        char.x0 < left + SIDE_MARGIN
                        or char.x1 > right - SIDE_MARGIN
                        or char.y0 < bottom
                        or char.y1 > top
                    ):
                        outside.append(f"page {number}: {box.get_text().strip()[:60]!r}")
                        break
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


def test_the_math_is_vector() -> None:
    """Formulas are drawn, not pictures: the only raster image is the heat map's."""
    images = [image.name for page in reader().pages for image in page.images]
    assert len(images) <= 2, images


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
