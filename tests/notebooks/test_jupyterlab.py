"""The explorers in a real JupyterLab, in Chromium: run all cells, move every slider.

The test starts ``jupyter lab`` on 127.0.0.1 with a one-off token in a temporary folder
holding the MXNet notebooks of the chapters that show explorers, opens each, runs all its
cells, and then moves every slider of every explorer from the keyboard: each move must
reach the kernel, come back recomputed and change the figure. No cell may show a Python
error, and the browser's console no error.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
#: A readout's text after its first colon: the results, without the controls' values that
#: the weights and training readouts start with ("γ = 0.90: window ...").
RESULTS = "(el) => el.innerText.replace(/^[^:]*:/, '')"
#: The notebooks that show explorers, and how many each shows.
EXPLORERS = {"algorithm.ipynb": 1, "from_scratch.ipynb": 2}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server on 127.0.0.1 over a copy of the notebooks; yields its base URL."""
    folder = tmp_path_factory.mktemp("lab")
    for name in EXPLORERS:
        shutil.copy(ROOT / "notebooks" / "mxnet" / name, folder / name)
    # Render every cell, not only those in view (JupyterLab's windowing), so that all the
    # explorers of a notebook are in the page.
    settings = folder / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    token, port = secrets.token_hex(16), free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",  # CI runs as root
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Settings and workspaces of their own: nothing from an earlier session is reopened.
        env={
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(folder / ".config"),
            "JUPYTERLAB_SETTINGS_DIR": str(folder / ".settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(folder / ".workspaces"),
        },
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if server.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {server.returncode}")
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        # a workspace of its own for each notebook (reset): only that notebook is open
        yield f"{url}/lab/workspaces/{{stem}}/tree/{{name}}?reset&token={token}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def run_all(page: Page) -> None:
    """Once the kernel is up, run every cell from JupyterLab's Run menu."""
    page.locator(".jp-Notebook").wait_for(timeout=120_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_slider_of_every_explorer_reaches_the_kernel(
    browser: Browser, lab: str, name: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))
    page.goto(lab.format(name=name, stem=Path(name).stem))
    run_all(page)
    cards = page.locator(".jp-OutputArea .d2l-x")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('.jp-OutputArea .d2l-x')]"
        ".filter((card) => card.querySelector('svg')).length >= n",
        arg=EXPLORERS[name],
        timeout=300_000,
    )
    assert cards.count() == EXPLORERS[name]
    for index in range(cards.count()):
        card = cards.nth(index)
        card.scroll_into_view_if_needed()
        sliders = card.locator("input[type=range]").all()
        assert sliders, f"explorer {index} has no slider"
        for slider in sliders:
            slider.scroll_into_view_if_needed()
            # The readout's results change only once the move has reached the kernel (which
            # recomputes them) and come back.
            readout = card.locator(".readout").first
            before = readout.evaluate(RESULTS)
            slider.focus()
            slider.press("ArrowRight")
            page.wait_for_function(
                f"([el, old]) => ({RESULTS})(el) !== old",
                arg=[readout.element_handle(), before],
                timeout=30_000,
            )
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [e for e in errors.all_inner_texts() if "Traceback" in e or "Error" in e]
    assert tracebacks == [] and console == [], (tracebacks, console)
    context.close()
