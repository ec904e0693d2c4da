"""Running an explorer cell again and again keeps the kernel's memory flat.

A reader re-runs the cell that shows an explorer many times. In a real kernel
(IPython's output history keeps every cell's value), the cell is run 30 times for
each explorer; the live widgets after the 30th run must be those after the 5th, and
the number of Python objects alive must have stayed within a small margin (resident
memory is no measure here: it also moves with the allocator's arenas).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tools import kernels
from tools.explorer_harness import explorers

#: Each explorer's cell, as the chapters write it.
CELLS = {
    "weights": "d2l.WeightsExplorer(gamma=0.9)",
    "trajectory": "d2l.TrajectoryExplorer(eta=0.4, gamma=0.9, steps=20)",
    "training": "d2l.TrainingExplorer(data_iter, feature_dim)",
    "state": "d2l.StateExplorer(eta=0.4, gamma=0.9, t=20)",
    "rotation": "d2l.RotationExplorer(angle=0, eta=0.4, gamma=0.9)",
    "map": "d2l.MapExplorer(eta=0.4, gamma=0.9)",
    "conventions": "d2l.ConventionsExplorer(data_iter, feature_dim, seed=0)",
}
SETUP = """
import gc, json, ipywidgets
import d2l_utils as d2l
data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
def _measure():
    gc.collect()
    return json.dumps({"widgets": len(ipywidgets.Widget._active_widgets),
                       "objects": len(gc.get_objects())})
"""
#: Python objects that may be added between the 5th and the 30th run, once IPython's output
#: history has let go of the closed explorers (``%reset -f out``): what the 25 runs left
#: behind besides. Before re-running closed the previous explorer, each run kept its
#: figure and widgets alive (about 13,000 objects a run).
OBJECT_SLACK = 1000


@pytest.fixture(scope="module")
def kernel() -> Iterator[object]:
    manager, client = kernels.start("python3")
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client: object, code: str) -> None:
    """Execute ``code`` as a cell whose value goes into IPython's output history."""
    reply = client.execute_interactive(code, store_history=True, timeout=120)  # type: ignore[attr-defined]
    assert reply["content"]["status"] == "ok", reply["content"]


def measure(client: object) -> dict[str, int]:
    printed: list[str] = []

    def keep(message: dict) -> None:
        if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
            printed.append(message["content"]["text"])

    client.execute_interactive(  # type: ignore[attr-defined]
        "%reset -f out\nprint(_measure())", store_history=False, output_hook=keep, timeout=60
    )
    return json.loads("".join(printed).strip().splitlines()[-1])


def test_every_explorer_has_a_cell() -> None:
    assert set(CELLS) == set(explorers())


@pytest.mark.parametrize("name", list(CELLS))
def test_rerunning_an_explorer_cell_keeps_memory_flat(kernel: object, name: str) -> None:
    run(kernel, SETUP)
    for _ in range(5):
        run(kernel, CELLS[name])
    after_five = measure(kernel)
    for _ in range(25):
        run(kernel, CELLS[name])
    after_thirty = measure(kernel)
    assert after_thirty["widgets"] == after_five["widgets"]
    assert after_thirty["objects"] - after_five["objects"] < OBJECT_SLACK, (
        after_five,
        after_thirty,
    )
