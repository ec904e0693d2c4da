"""Executing a chapter twice prints the same numbers.

Each notebook runs twice, each time in a fresh kernel, in its own folder, with the
data folder the test plugin sets. Every printed line and every text output must
agree once the patterns of ``tests/sanitize.cfg`` (timings) are masked, so the
seeds fix everything that is not a measured time.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "sanitize.cfg"
# Two chapters of a few seconds each: the from-scratch training and exercise 2.
CHAPTERS = ["chapters/from_scratch.ipynb", "chapters/exercise_rotated.ipynb"]
NUMBER = re.compile(r"\d+\.\d+")
# The explorers' HTML names its page element by a fresh UUID on every run.
UUID = (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID")


def sanitize_patterns(path: Path = SANITIZE) -> list[tuple[re.Pattern[str], str]]:
    """The (regex, replacement) pairs nbval applies, read from its config file."""
    config = configparser.ConfigParser()
    config.read(path, encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def text_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Every printed stream and ``text/*`` output, one entry per cell and output."""
    texts = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(f"cell {index} {output.name}: {output.text}")
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    texts.append(f"cell {index} {mime}: {value}")
    return texts


def sanitized(texts: list[str], patterns: list[tuple[re.Pattern[str], str]]) -> list[str]:
    for regex, replacement in patterns:
        texts = [regex.sub(replacement, text) for text in texts]
    return texts


def execute(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=120, resources={"metadata": {"path": str(path.parent)}}
    )
    return client.execute()


def test_the_timing_pattern_is_read() -> None:
    patterns = sanitize_patterns()
    assert patterns, SANITIZE
    assert sanitized(["epoch 2, 0.012 sec/epoch"], patterns) != ["epoch 2, 0.012 sec/epoch"]


@pytest.mark.parametrize("name", CHAPTERS)
def test_two_runs_print_the_same_numbers(name: str) -> None:
    patterns = [*sanitize_patterns(), UUID]
    first, second = (sanitized(text_outputs(execute(ROOT / name)), patterns) for _ in "12")
    assert sum(len(NUMBER.findall(text)) for text in first) >= 5, "too little printed to compare"
    assert len(first) == len(second)
    for one, two in zip(first, second, strict=True):
        assert one == two
