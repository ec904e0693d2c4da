"""The section's own code cells, read from the seed text, run unchanged on d2l_utils.

Only ``import d2l`` becomes ``import d2l_utils as d2l`` and the ``%matplotlib``
magic is dropped (there is no IPython here). Each cell's printed output must
match the output printed in the book: exactly for the 2D run, and in format and
within ±0.01 for the training losses (their timings vary by machine).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

import d2l_utils as d2l

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "rmsprop-section-11.8.txt"
OUTPUT_LINE = re.compile(r"^(epoch \d+, x1 |loss: \d)")
CODE_START = re.compile(r"^(%matplotlib|import |from |def |[a-z_][\w, ]*=|[a-z_][\w.]*\()")


def source_cells(text: str) -> list[tuple[str, str]]:
    """Split the section into (code, printed output) pairs, in order.

    Code paragraphs that follow each other form one cell; a cell ends at a prose
    paragraph or at its figure (``../_images/...``). Printed lines stand between
    a cell's code and its figure.
    """
    cells: list[tuple[list[str], list[str]]] = []
    code_open = False
    for paragraph in text.split("\n\n"):
        lines = paragraph.strip("\n").splitlines()
        if not (lines and CODE_START.match(lines[0])):
            code_open = False
            continue
        if not code_open:
            cells.append(([], []))
        code, printed = cells[-1]
        code.extend([""] if code else [])
        code_open = True
        for line in lines:
            if line.startswith("../_images/"):
                code_open = False
            elif OUTPUT_LINE.match(line):
                printed.append(line)
            else:
                code.append(line)
    return [("\n".join(code), "\n".join(out)) for code, out in cells]


def adapt(code: str) -> str:
    code = re.sub(r"^%matplotlib.*$", "", code, flags=re.M)
    return re.sub(r"^import d2l$", "import d2l_utils as d2l", code, flags=re.M)


@pytest.fixture(scope="module")
def cells() -> list[tuple[str, str]]:
    if not SEED.is_file():  # the reference text sits beside the checkout, not in it
        pytest.skip(f"the section's text is not beside this checkout ({SEED})")
    return source_cells(SEED.read_text(encoding="utf-8"))


def test_the_seed_has_the_sections_cells(cells):
    assert len(cells) == 5
    assert [out for _, out in cells if out] == [
        "epoch 20, x1 -0.010599, x2 0.000000",
        "loss: 0.245, 0.084 sec/epoch",
        "loss: 0.244, 0.046 sec/epoch",
    ]


def test_cells_run_unchanged_and_print_the_books_numbers(cells):
    namespace: dict[str, object] = {}
    d2l.set_seed(0)
    figures = []
    for code, expected in cells:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(adapt(code), str(SEED), "exec"), namespace)
        got = printed.getvalue().strip()
        if expected.startswith("loss:"):
            pattern = r"loss: (\d\.\d{3}), \d+\.\d{3} sec/epoch"
            book, ours = (float(re.fullmatch(pattern, s).group(1)) for s in (expected, got))
            assert ours == pytest.approx(book, abs=0.01), got
        else:
            assert got == expected
        figures.append([line.get_label() for line in d2l.plt.gca().get_lines()])
        d2l.plt.close("all")  # as the inline backend does after each cell
    assert figures[0] == [f"gamma = {g:.2f}" for g in (0.95, 0.9, 0.8, 0.7)]
    assert len(figures[1]) == 1  # the 2D path over the contour lines
