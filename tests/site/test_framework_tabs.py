"""MXNet | PyTorch tabs on the website and the two notebooks per chapter.

A sample book of two notebook pages is written into a temporary folder, with the
book's own ``_config.yml`` (execution off: the outputs are stored in the notebooks)
and its framework notebooks written by ``tools/framework_notebooks.py``, and built
once with ``jupyter-book build --warningiserror``. Its HTML is checked with
BeautifulSoup, then in Chromium: one choice switches every tab set, it holds on the
next page and after a reload, the keyboard alone can make it, and the download and
launch menus offer the framework notebooks. The notebook tool is also tested on its
own (split, setup cell, staleness), and the committed ``notebooks/`` must be current.
"""

from __future__ import annotations

import base64
import fcntl
import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser, Page

from tests.support import serve_site
from tools import framework_notebooks as tool

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
REPOSITORY = CONFIG["repository"]["url"].removeprefix("https://github.com/")
BRANCH = CONFIG["repository"]["branch"]
# A 1x1 PNG: a figure output inside a tab.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e4d5b5a60000000049454e44ae426082"
    )
).decode()
# What each tab set of the sample chapter holds, in order: (MXNet outputs, PyTorch outputs).
RUNS = [
    (["mxnet run 1a", "mxnet run 1b"], ["pytorch run 1"]),
    (["mxnet run 2"], ["pytorch run 2"]),
    (["mxnet alone"], []),
]
UNTAGGED = ["untagged before", "untagged between"]


def code(text: str, framework: str | None = None, figure: bool = False) -> nbformat.NotebookNode:
    """A code cell that printed ``text`` (and showed a figure), tagged for ``framework``."""
    cell: nbformat.NotebookNode = nbformat.v4.new_code_cell(f"print({text!r})")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text + "\n")]
    if figure:
        data = {"image/png": PNG, "text/plain": "<Figure>"}
        cell.outputs.append(nbformat.v4.new_output("display_data", data=data))
    if framework:
        cell.metadata.tags = [f"framework-{framework}"]
    return cell


def notebook(name: str, cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A notebook whose cells have the ids ``<name>-<index>``, as the chapters do."""
    book: nbformat.NotebookNode = nbformat.v4.new_notebook(cells=cells)
    book.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for index, cell in enumerate(book.cells):
        cell.id = f"{name}-{index}"
    return book


def sample_chapter() -> nbformat.NotebookNode:
    """Markdown, an untagged cell, a run of three framework cells, a heading, a second run,
    an untagged cell and an MXNet cell with no PyTorch partner."""
    markdown: Callable[[str], nbformat.NotebookNode] = nbformat.v4.new_markdown_cell
    return notebook(
        "chapter",
        [
            markdown("# Tabs demo\n\n```{math}\n:label: demo-eq\nx = 1\n```"),
            code("untagged before"),
            code("mxnet run 1a", "mxnet"),
            code("pytorch run 1", "pytorch", figure=True),
            code("mxnet run 1b", "mxnet"),
            markdown("## Later section\n\nAs {eq}`demo-eq` says."),
            code("mxnet run 2", "mxnet"),
            code("pytorch run 2", "pytorch"),
            code("untagged between"),
            code("mxnet alone", "mxnet"),
        ],
    )


def write_book(book: Path) -> None:
    """The sample book: two notebook pages, the book's configuration, framework notebooks."""
    book.mkdir(parents=True)
    nbformat.write(sample_chapter(), book / "chapter.ipynb")
    second: list[nbformat.NotebookNode] = [nbformat.v4.new_markdown_cell("# Second page")]
    second += [code("mxnet second", "mxnet"), code("pytorch second", "pytorch")]
    nbformat.write(notebook("second", second), book / "second.ipynb")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    del config["html"]["favicon"]  # a file of the real book
    config["sphinx"]["local_extensions"] = {"framework_tabs": str(ROOT / "_ext")}
    (book / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    toc = "format: jb-book\nroot: chapter\nchapters:\n  - file: second\n"
    (book / "_toc.yml").write_text(toc, encoding="utf-8")
    shutil.copy(ROOT / config["bibtex_bibfiles"][0], book)
    tool.write(book)


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
        assert [label.get_text().strip() for label in labels] == ["MXNet", "PyTorch"]
        assert [label["data-sync-id"] for label in labels] == ["mxnet", "pytorch"]
        assert {label["data-sync-group"] for label in labels} == {"framework"}
        assert [i.has_attr("checked") for i in inputs] == [True, False]
        assert [label["for"] for label in labels] == [i["id"] for i in inputs]
        assert len({i["name"] for i in inputs}) == 1
        names.add(inputs[0]["name"])
    assert len(names) == len(RUNS)  # one radio group per tab set


def test_each_tab_holds_its_own_cells_and_outputs(site: Path) -> None:
    for tab_set, (mxnet, pytorch) in zip(soup(site).select("div.sd-tab-set"), RUNS, strict=True):
        mxnet_tab, pytorch_tab = tab_set.find_all("div", class_="sd-tab-content", recursive=False)
        assert outputs(mxnet_tab) == mxnet
        assert outputs(pytorch_tab) == pytorch
        assert len(mxnet_tab.select("div.cell")) == len(mxnet)
        assert len(pytorch_tab.select("div.cell")) == len(pytorch)
        if not pytorch:
            assert "has no PyTorch code" in pytorch_tab.get_text()
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
    """Binder opens each framework's notebook, Colab the PyTorch one; none opens the chapter."""
    for name in ("chapter", "second"):
        hrefs = [str(a["href"]) for a in soup(site, f"{name}.html").find_all("a", href=True)]
        colab = "https://colab.research.google.com/github"
        assert [h for h in hrefs if h.startswith(colab)] == [
            f"{colab}/{REPOSITORY}/blob/{BRANCH}/notebooks/pytorch/{name}.ipynb"
        ]
        binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/"
        assert [h for h in hrefs if h.startswith(binder)] == [
            f"{binder}notebooks/{framework}/{name}.ipynb" for framework in tool.FRAMEWORKS
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
    for framework in tool.FRAMEWORKS:
        link = menu.locator(f"a.btn-download-{framework}-notebook-button")
        assert link.is_visible()
        href = link.get_attribute("href")
        assert href == f"notebooks/{framework}/chapter.ipynb"
        response = page.request.get(f"{site_url}/{href}")
        assert response.ok
        assert response.text() == expected[sample_book / href]
    page.close()


# --- the notebook tool ------------------------------------------------------------


def ids(book: nbformat.NotebookNode) -> list[str]:
    return [cell.id for cell in book.cells]


def split(framework: str) -> nbformat.NotebookNode:
    """The sample chapter, its first MXNet cell also tagged hide-input, split."""
    chapter = sample_chapter()
    chapter.cells[2].metadata.tags.append("hide-input")
    return tool.split(chapter, "chapter", framework, "https://example.org/r", "main")


def test_each_notebook_keeps_the_untagged_cells_and_its_own() -> None:
    mxnet, pytorch = split("mxnet"), split("pytorch")
    assert ids(mxnet) == [f"chapter-{i}" for i in (0, 1, 2, 4, 5, 6, 8, 9)]
    assert ids(pytorch) == ["chapter-pytorch-setup"] + [f"chapter-{i}" for i in (0, 1, 3, 5, 7, 8)]
    for book in (mxnet, pytorch):
        code_cells = [cell for cell in book.cells if cell.cell_type == "code"]
        assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)
        tags = [tag for cell in book.cells for tag in cell.metadata.get("tags", [])]
        assert not [tag for tag in tags if tag.startswith("framework-")]
        nbformat.validate(book)
    assert mxnet.cells[2].metadata.tags == ["hide-input"]  # other tags stay
    assert nbformat.writes(split("mxnet")) == nbformat.writes(mxnet)  # stable


def test_the_chapter_itself_is_left_as_it_was() -> None:
    chapter = sample_chapter()
    tool.split(chapter, "chapter", "pytorch", "https://example.org/r", "main")
    assert nbformat.writes(chapter) == nbformat.writes(sample_chapter())


def test_a_cell_tagged_for_both_frameworks_is_refused() -> None:
    chapter = sample_chapter()
    chapter.cells[2].metadata.tags = ["framework-mxnet", "framework-pytorch"]
    with pytest.raises(ValueError, match="both frameworks"):
        tool.split(chapter, "chapter", "mxnet", "https://example.org/r", "main")


def test_the_pytorch_notebook_starts_with_one_setup_cell(sample_book: Path) -> None:
    pytorch = nbformat.read(sample_book / "notebooks" / "pytorch" / "chapter.ipynb", 4)
    mxnet = nbformat.read(sample_book / "notebooks" / "mxnet" / "chapter.ipynb", 4)
    installs = [cell for cell in pytorch.cells if "pip" in cell.source]
    assert installs == [pytorch.cells[0]]
    url, branch = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
    assert f'"d2l_utils[torch] @ git+{url}@{branch}"' in pytorch.cells[0].source
    assert not [cell for cell in mxnet.cells if "pip" in cell.source]


def run_setup(source: str, monkeypatch: pytest.MonkeyPatch, installed: bool) -> list[list[str]]:
    """Run the setup cell with pip replaced by a recorder; return the commands it ran."""
    commands: list[list[str]] = []
    monkeypatch.setattr(subprocess, "check_call", lambda command: commands.append(command))
    if not installed:
        find_spec = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *args: None if name == "d2l_utils" else find_spec(name, *args),
        )
    exec(compile(source, "setup-cell", "exec"), {})
    return commands


def test_the_setup_cell_installs_only_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    source = tool.setup_cell("chapter", "https://github.com/o/r", "dev").source
    assert run_setup(source, monkeypatch, installed=True) == []  # the book's own environment
    requirement = "d2l_utils[torch] @ git+https://github.com/o/r@dev"
    assert run_setup(source, monkeypatch, installed=False) == [
        [sys.executable, "-m", "pip", "install", "--quiet", requirement]
    ]


def test_the_staleness_check(tmp_path: Path) -> None:
    book = tmp_path / "book"
    write_book(book)
    written = sorted((book / "notebooks").glob("*/*.ipynb"))
    assert [p.relative_to(book).as_posix() for p in written] == [
        "notebooks/mxnet/chapter.ipynb",
        "notebooks/mxnet/second.ipynb",
        "notebooks/pytorch/chapter.ipynb",
        "notebooks/pytorch/second.ipynb",
    ]
    assert tool.stale(book) == []
    check = [sys.executable, str(ROOT / "tools" / "framework_notebooks.py"), "--check"]
    assert subprocess.run([*check, "--book", str(book)], capture_output=True).returncode == 0

    chapter = nbformat.read(book / "second.ipynb", 4)
    chapter.cells[2].source = "print('changed')"  # the PyTorch cell
    nbformat.write(chapter, book / "second.ipynb")
    assert tool.stale(book) == [book / "notebooks" / "pytorch" / "second.ipynb"]
    result = subprocess.run([*check, "--book", str(book)], capture_output=True, text=True)
    assert result.returncode == 1 and "notebooks/pytorch/second.ipynb" in result.stdout
    tool.write(book)
    assert tool.stale(book) == []

    (book / "notebooks" / "mxnet" / "chapter.ipynb").unlink()
    (book / "notebooks" / "mxnet" / "gone.ipynb").write_text("{}", encoding="utf-8")
    mxnet = book / "notebooks" / "mxnet"
    assert tool.stale(book) == [mxnet / "chapter.ipynb", mxnet / "gone.ipynb"]
    tool.write(book)
    assert tool.stale(book) == []
    assert json.loads((mxnet / "chapter.ipynb").read_text(encoding="utf-8"))["cells"]


def test_the_committed_notebooks_are_current() -> None:
    assert tool.stale(ROOT) == [], "run `make notebooks` and commit notebooks/"
