"""MXNet | PyTorch | TensorFlow tabs on the website and the notebooks per chapter.

A sample book of two notebook pages (MXNet and PyTorch cells; TensorFlow's tab says it
has no code, and no TensorFlow notebook is offered) is written into a temporary folder, with the
book's own ``_config.yml`` (execution off: the outputs are stored in the notebooks)
and its framework notebooks written by ``tools/framework_notebooks.py``, and built
once with ``jupyter-book build --warningiserror``. Its HTML is checked with
BeautifulSoup, then in Chromium: one choice switches every tab set, it holds on the
next page and after a reload, the keyboard alone can make it, and the download and
launch menus offer the framework notebooks. (The notebook tool's own tests are in
``tests/unit/test_framework_notebooks.py``.)
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser, Page

from tests.tabs_sample import CONFIG, RUNS, UNTAGGED, write_book
from tools import framework_notebooks as tool
from tools.browser import serve_site

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
REPOSITORY = CONFIG["repository"]["url"].removeprefix("https://github.com/")
BRANCH = CONFIG["repository"]["branch"]


@pytest.fixture(scope="session")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book, built once per test run (the pytest-xdist workers share it)."""
    shared = tmp_path_factory.getbasetemp()
    if shared.name.startswith("popen-gw"):  # an xdist worker's folder: use the run's
        shared = shared.parent
    book, log = shared / "framework-tabs-book", shared / "framework-tabs-build.log"
    with (shared / "framework-tabs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.is_file():
            write_book(book)
            build = subprocess.run(
                [JUPYTER_BOOK, "build", str(book), "--warningiserror", "--keep-going"],
                capture_output=True,
                text=True,
            )
            assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
            log.write_text(build.stdout + build.stderr, encoding="utf-8")
    return book


@pytest.fixture(scope="session")
def site(sample_book: Path) -> Path:
    return sample_book / "_build" / "html"


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


def soup(site: Path, page: str = "chapter.html") -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def outputs(element: Tag) -> list[str]:
    """The printed text of every cell output inside ``element``, in order."""
    return [pre.get_text().strip() for pre in element.select("div.cell_output pre")]


# --- the HTML ---------------------------------------------------------------------


def test_the_build_has_no_warnings(sample_book: Path) -> None:
    log = (sample_book.parent / "framework-tabs-build.log").read_text(encoding="utf-8")
    assert "WARNING" not in log and "build succeeded" in log


def test_runs_become_tab_sets_with_mxnet_first_and_checked(site: Path) -> None:
    tab_sets = soup(site).select("div.sd-tab-set")
    assert len(tab_sets) == len(RUNS)
    names = set()
    for tab_set in tab_sets:
        labels = tab_set.find_all("label", recursive=False)
        inputs = tab_set.find_all("input", recursive=False)
        assert [label.get_text().strip() for label in labels] == list(tool.FRAMEWORKS.values())
        assert [label["data-sync-id"] for label in labels] == list(tool.FRAMEWORKS)
        assert {label["data-sync-group"] for label in labels} == {"framework"}
        assert [i.has_attr("checked") for i in inputs] == [True, False, False]
        assert [label["for"] for label in labels] == [i["id"] for i in inputs]
        assert len({i["name"] for i in inputs}) == 1
        names.add(inputs[0]["name"])
    assert len(names) == len(RUNS)  # one radio group per tab set


def test_each_tab_holds_its_own_cells_and_outputs(site: Path) -> None:
    for tab_set, (mxnet, pytorch) in zip(soup(site).select("div.sd-tab-set"), RUNS, strict=True):
        mxnet_tab, pytorch_tab, tensorflow_tab = tab_set.find_all(
            "div", class_="sd-tab-content", recursive=False
        )
        assert outputs(mxnet_tab) == mxnet
        assert outputs(pytorch_tab) == pytorch
        assert len(mxnet_tab.select("div.cell")) == len(mxnet)
        assert len(pytorch_tab.select("div.cell")) == len(pytorch)
        if not pytorch:
            assert "has no PyTorch code; the MXNet tab holds it" in pytorch_tab.get_text()
        assert outputs(tensorflow_tab) == [] and not tensorflow_tab.select("div.cell")
        holders = "MXNet and PyTorch tabs hold" if pytorch else "MXNet tab holds"
        assert f"has no TensorFlow code; the {holders} it" in tensorflow_tab.get_text()
    figure = soup(site).select("div.sd-tab-content img")
    assert len(figure) == 1 and figure[0].find_parent("div", class_="cell_output")
    tab = figure[0].find_parent("div", class_="sd-tab-content")
    assert tab is not None and "pytorch run 1" in outputs(tab)


def test_untagged_cells_stay_outside_the_tabs(site: Path) -> None:
    page = soup(site)
    untagged = [
        cell for cell in page.select("div.cell") if not cell.find_parent(class_="sd-tab-set")
    ]
    assert [text for cell in untagged for text in outputs(cell)] == UNTAGGED
    every = [text for cell in page.select("div.cell") for text in outputs(cell)]
    expected = UNTAGGED + [text for run in RUNS for tab in run for text in tab]
    assert sorted(every) == sorted(expected)  # every cell once, none lost or doubled


def test_headings_and_equation_references_still_work(site: Path) -> None:
    page = soup(site)
    heading = page.select_one("section#later-section > h2")
    assert heading is not None and "Later section" in heading.get_text()
    assert not heading.find_parent(class_="sd-tab-set")
    assert page.select_one("section#later-section > div.sd-tab-set") is not None
    reference = page.select_one("section#later-section p a.reference.internal")
    assert reference is not None and reference["href"] == "#equation-demo-eq"
    assert page.find(id="equation-demo-eq") is not None


def test_the_tab_script_keeps_the_choice_under_the_book_prefix(site: Path) -> None:
    script = soup(site).select_one("script[src*='design-tabs.js']")
    prefix = CONFIG["sphinx"]["config"]["sd_tabs_storage_prefix"]
    assert prefix and script is not None
    assert script["data-sd-tabs-storage-prefix"] == prefix


def test_launch_links(site: Path) -> None:
    """Binder opens each of the page's framework notebooks, Colab the PyTorch one (the page
    has no TensorFlow notebook; MXNet does not install on Colab); none opens the chapter."""
    for name in ("chapter", "second"):
        hrefs = [str(a["href"]) for a in soup(site, f"{name}.html").find_all("a", href=True)]
        colab = "https://colab.research.google.com/github"
        assert [h for h in hrefs if h.startswith(colab)] == [
            f"{colab}/{REPOSITORY}/blob/{BRANCH}/notebooks/pytorch/{name}.ipynb"
        ]
        binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/"
        assert [h for h in hrefs if h.startswith(binder)] == [
            f"{binder}notebooks/{framework}/{name}.ipynb" for framework in ("mxnet", "pytorch")
        ]


# --- in Chromium ------------------------------------------------------------------


def checked(page: Page) -> list[str]:
    """The sync id of the selected tab of each tab set on ``page``."""
    chosen: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('.sd-tab-set > input:checked')]"
        ".map(i => i.nextElementSibling.dataset.syncId)"
    )
    return chosen


def visible_outputs(page: Page) -> list[str]:
    """The printed text of every output the reader can see."""
    texts: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('div.cell_output pre')]"
        ".filter(e => e.checkVisibility()).map(e => e.textContent.trim())"
    )
    return texts


def test_one_choice_switches_every_tab_set_and_persists(browser: Browser, site_url: str) -> None:
    page = browser.new_page()  # a new context: empty localStorage
    page.goto(f"{site_url}/chapter.html")
    assert checked(page) == ["mxnet"] * len(RUNS)
    mxnet = [text for run in RUNS for text in run[0]]
    pytorch = [text for run in RUNS for text in run[1]]
    assert set(visible_outputs(page)) == set(UNTAGGED + mxnet)
    page.locator(".sd-tab-set").nth(1).locator("label", has_text="PyTorch").click()
    assert checked(page) == ["pytorch"] * len(RUNS)
    assert set(visible_outputs(page)) == set(UNTAGGED + pytorch)
    assert page.locator("div.sd-tab-content img").is_visible()  # the figure of its tab
    page.locator("nav a", has_text="Second page").first.click()
    page.wait_for_url("**/second.html")
    assert checked(page) == ["pytorch"]
    assert visible_outputs(page) == ["pytorch second"]
    page.reload()
    assert checked(page) == ["pytorch"]
    page.goto(f"{site_url}/chapter.html")
    assert checked(page) == ["pytorch"] * len(RUNS)
    page.locator(".sd-tab-set").first.locator("label", has_text="MXNet").click()
    page.reload()
    assert checked(page) == ["mxnet"] * len(RUNS)
    page.close()


def test_the_keyboard_alone_selects_a_tab(browser: Browser, site_url: str) -> None:
    """Tab reaches the selected tab of a set (one stop per set); arrows select the other."""
    page = browser.new_page()
    page.goto(f"{site_url}/chapter.html")

    def tab_to_next_tab_set() -> str:
        for _ in range(60):
            page.keyboard.press("Tab")
            focused: str | None = page.evaluate(
                "() => document.activeElement.matches('.sd-tab-set > input')"
                " ? document.activeElement.nextElementSibling.dataset.syncId : null"
            )
            if focused:
                return focused
        raise AssertionError("Tab never reached a tab label")

    assert tab_to_next_tab_set() == "mxnet"
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
    )
    assert outline != "none"  # the focused label shows it
    page.keyboard.press("ArrowRight")
    assert checked(page) == ["pytorch"] * len(RUNS)
    assert tab_to_next_tab_set() == "pytorch"  # the next set's stop is its selected tab
    page.keyboard.press("ArrowLeft")
    assert checked(page) == ["mxnet"] * len(RUNS)
    page.close()


def test_the_download_menu_offers_both_notebooks(
    browser: Browser, site_url: str, sample_book: Path
) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/chapter.html")
    menu = page.locator(".dropdown-download-buttons")
    menu.locator("button.dropdown-toggle").click()
    items = menu.locator(".dropdown-menu a, .dropdown-menu button")
    texts = [text.strip() for text in items.all_inner_texts()]
    assert texts == [
        "MXNet notebook (.ipynb)",
        "PyTorch notebook (.ipynb)",
        "The whole book (PDF)",
        "Print this page",
    ]
    expected = tool.expected(sample_book)
    assert menu.locator("a.btn-download-tensorflow-notebook-button").count() == 0
    for framework in ("mxnet", "pytorch"):
        link = menu.locator(f"a.btn-download-{framework}-notebook-button")
        assert link.is_visible()
        href = link.get_attribute("href")
        assert href == f"notebooks/{framework}/chapter.ipynb"
        response = page.request.get(f"{site_url}/{href}")
        assert response.ok
        assert response.text() == expected[sample_book / href]
    page.close()
