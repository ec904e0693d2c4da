"""Two independent executions of every chapter print the same numbers.

The notebooks in ``chapters/`` hold the text outputs of one execution (stored by
``tools/store_outputs.py``); ``make site``, which the test command runs first,
executes every chapter again in a fresh kernel and keeps the result in
``_build/jupyter_execute``. Once the patterns of ``tests/sanitize.cfg`` (timings)
are masked, every printed line and every text output must agree between the two,
so the seeds fix everything that is not a measured time. This is the test command's
check of every chapter's outputs; ``pytest chapters/<name>.ipynb`` (nbval) runs one
chapter a third time, cell by cell, against the same stored outputs.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "sanitize.cfg"
EXECUTED = ROOT / "_build" / "jupyter_execute"
CHAPTERS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("*.ipynb"))
NUMBER = re.compile(r"\d+\.\d+")
# Cells whose output is not meant to repeat: the explorers (fresh element ids), the
# machine description, and widget cells that only run in a live kernel.
UNCOMPARED_TAGS = {"nbval-ignore-output", "nbval-skip", "skip-execution"}


def sanitize_patterns(path: Path = SANITIZE) -> list[tuple[re.Pattern[str], str]]:
    """The (regex, replacement) pairs nbval applies, read from its config file."""
    config = configparser.ConfigParser()
    config.read(path, encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def printed_text(notebook: nbformat.NotebookNode) -> list[str]:
    """Per compared code cell: its streams (joined per stream) and its ``text/*`` outputs."""
    patterns = sanitize_patterns()
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or UNCOMPARED_TAGS & set(cell.metadata.get("tags", [])):
            continue
        streams: dict[str, str] = {}
        data = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                streams[output.name] = streams.get(output.name, "") + output.text
            data += [
                f"{m}: {v}" for m, v in output.get("data", {}).items() if m.startswith("text/")
            ]
        text = "\n".join([*(f"{n}: {t}" for n, t in sorted(streams.items())), *data])
        for regex, replacement in patterns:
            text = regex.sub(replacement, text)
        cells.append(text)
    return cells


def test_the_timing_pattern_is_read() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("train()")]
    notebook.cells[0].outputs = [
        nbformat.v4.new_output("stream", text="loss 0.2, 0.012 sec/epoch")
    ]
    assert printed_text(notebook) == ["stdout: loss 0.2, T sec/epoch"]


def test_every_chapter_was_executed_by_the_build() -> None:
    assert len(CHAPTERS) >= 7
    missing = [name for name in CHAPTERS if not (EXECUTED / name).is_file()]
    assert missing == [], f"not executed by the build: {missing}; run `make site`"


def test_enough_numbers_are_compared() -> None:
    stored = [printed_text(nbformat.read(ROOT / name, as_version=4)) for name in CHAPTERS]
    assert sum(len(NUMBER.findall(text)) for cells in stored for text in cells) >= 200


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_build_prints_what_the_stored_run_printed(name: str) -> None:
    stored = printed_text(nbformat.read(ROOT / name, as_version=4))
    built = printed_text(nbformat.read(EXECUTED / name, as_version=4))
    assert len(stored) == len(built)
    for index, (one, two) in enumerate(zip(stored, built, strict=True)):
        assert one == two, f"{name}, compared cell {index}"
