"""Every page as the browser prints it (Chromium's print emulation; ``_static/print.css``).

On paper an explorer is its figure, without sliders, buttons, prompts or the drag handle,
and the figure with its readout is kept on one page; tables, code cells and their outputs
are not split across pages, and a printed table is one box (not a box per row); long code
wraps instead of running off the page; every framework tab set prints its first tab, under
a caption that names the framework; the site's header and sidebars are not printed. Run
``make site`` first.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tools.browser import PAGES, choose_framework, open_page

CONTROLS = (
    ".d2l-x .d2l-x-controls, .d2l-x .d2l-x-prompts, .d2l-x .d2l-x-hint, .d2l-x .d2l-x-handle,"
    " .d2l-x button, .d2l-x input"
)
CHROME = ".bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-footer"
KEPT_WHOLE = "table, div.cell_input, div.cell_output, div.highlight, div.math"

# What the print layout gets wrong on the open page (empty if nothing).
PRINT_PROBLEMS = r"""([controls, chrome, keptWhole]) => {
  const problems = [];
  const shown = (e) => e.checkVisibility();
  const name = (e) =>
    e.tagName.toLowerCase() + [...e.classList].slice(0, 2).map((c) => `.${c}`).join("");
  for (const e of document.querySelectorAll(controls)) {
    if (shown(e)) problems.push(`explorer control printed: ${name(e)}`);
  }
  for (const e of document.querySelectorAll(chrome)) {
    if (shown(e)) problems.push(`site chrome printed: ${name(e)}`);
  }
  for (const e of document.querySelectorAll(".d2l-x .d2l-x-panels, .d2l-x .d2l-x-readout")) {
    if (shown(e) && getComputedStyle(e).breakInside !== "avoid") {
      problems.push(`explorer figure may split: ${name(e)}`);
    }
  }
  for (const e of document.querySelectorAll(`article :is(${keptWhole})`)) {
    if (shown(e) && getComputedStyle(e).breakInside !== "avoid") {
      problems.push(`may split across pages: ${name(e)}`);
    }
  }
  for (const output of document.querySelectorAll("article div.cell_output")) {
    const streams = [...output.children].filter((c) => c.matches("div.output.stream"));
    for (let i = 1; i < streams.length; i++) {
      if (streams[i - 1].nextElementSibling === streams[i] && shown(streams[i])) {
        const text = streams[i].textContent.trim().slice(0, 40);
        problems.push(`printed output split into boxes: ${text}`);
      }
    }
  }
  for (const pre of document.querySelectorAll("article pre")) {
    const style = getComputedStyle(pre);
    if (shown(pre) && (style.whiteSpace !== "pre-wrap" || style.overflowX !== "visible")) {
      problems.push(`code may run off the page: ${pre.textContent.trim().slice(0, 40)}`);
    }
  }
  for (const set of document.querySelectorAll(".sd-tab-set.framework-tabs")) {
    const contents = [...set.children].filter((c) => c.matches(".sd-tab-content"));
    const labels = [...set.children].filter((c) => c.matches("label"));
    if (!shown(contents[0])) problems.push("a tab set's first tab is not printed");
    if (contents.slice(1).some(shown)) problems.push("a tab set prints more than one tab");
    if (!shown(labels[0]) || labels.slice(1).some(shown)) {
      problems.push("a tab set's caption is not its first tab's name alone");
    }
    const before = getComputedStyle(labels[0], "::before").content;
    if (!before.includes("Code for")) problems.push(`caption does not say what it is: ${before}`);
  }
  return problems;
}"""


def print_problems(page: Page) -> list[str]:
    found: list[str] = page.evaluate(PRINT_PROBLEMS, [CONTROLS, CHROME, KEPT_WHOLE])
    return found


def open_for_print(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page, problems = open_page(browser, url, viewport={"width": 1280, "height": 900})
    if page.locator(".d2l-explorer").count():
        page.locator(".d2l-x svg").first.wait_for()
    page.emulate_media(media="print")
    return page, problems


@pytest.mark.parametrize("name", PAGES)
def test_the_printed_page(browser: Browser, base_url: str, name: str) -> None:
    page, problems = open_for_print(browser, f"{base_url}/{name}")
    assert print_problems(page) == []
    assert problems == []
    page.close()


def test_an_explorer_prints_as_its_figure(browser: Browser, base_url: str) -> None:
    page, _ = open_for_print(browser, f"{base_url}/chapters/from_scratch.html")
    explorer = page.locator(".d2l-x").first
    assert explorer.locator(".d2l-x-panels svg").first.is_visible()
    assert explorer.locator(".d2l-x-readout").first.is_visible()
    assert not explorer.locator("input, button").first.is_visible()
    page.close()


def test_a_printed_table_is_one_box(browser: Browser, base_url: str) -> None:
    """The neighbours' table of final losses (one print per row) prints as one block."""
    page, _ = open_for_print(browser, f"{base_url}/chapters/neighbours.html")
    table = page.locator("div.cell_output pre", has_text="loss at 0.13 epoch").first
    text = table.inner_text()
    assert all(method in text for method in ("SGD", "momentum", "Adagrad", "RMSProp", "Adam"))
    page.close()


def test_the_tab_caption_names_the_printed_framework(browser: Browser, base_url: str) -> None:
    page, _ = open_for_print(browser, f"{base_url}/chapters/from_scratch.html")
    labels = page.locator(".sd-tab-set.framework-tabs > label:visible")
    first = page.locator(".sd-tab-set.framework-tabs > label").first.inner_text().strip()
    assert labels.count() == page.locator(".sd-tab-set.framework-tabs").count()
    assert {label.strip() for label in labels.all_inner_texts()} == {first}
    page.close()


def test_the_first_tab_prints_whatever_the_reader_chose(browser: Browser, base_url: str) -> None:
    """With PyTorch chosen on screen, the print is still the first (MXNet) tab; without the
    print stylesheet it would be PyTorch's, and the checks say what else would go wrong."""
    page, _ = open_page(
        browser, f"{base_url}/chapters/from_scratch.html", viewport={"width": 1280, "height": 900}
    )
    page.locator(".d2l-x svg").first.wait_for()
    choose_framework(page, "pytorch")
    page.emulate_media(media="print")
    assert print_problems(page) == []
    page.evaluate("() => document.querySelector('link[href*=\"print.css\"]').remove()")
    found = print_problems(page)
    for kind in (
        "explorer control printed",
        "may split across pages",
        "code may run off",
        "first tab is not printed",
        "caption does not say",
    ):
        assert any(kind in p for p in found), (kind, found)
    page.close()


def test_the_split_output_check(browser: Browser, base_url: str) -> None:
    """A cell whose prints are separate output blocks (as before ``nb_merge_streams``)."""
    page, _ = open_for_print(browser, f"{base_url}/chapters/concise.html")
    assert print_problems(page) == []
    page.evaluate(
        "() => { const o = document.querySelector('article div.cell_output div.output.stream');"
        " o.after(o.cloneNode(true)); }"
    )
    assert any(p.startswith("printed output split") for p in print_problems(page))
    page.close()
