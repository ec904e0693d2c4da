"""The test command's notebook check fails when a stored number is wrong.

``make test`` runs nbval over every chapter (``testpaths`` in pyproject.toml): each
notebook is executed in a fresh kernel and every output is compared with the stored
one, timings masked by ``tests/sanitize.cfg``. Here a copy of a chapter with one
stored number changed goes through the same check, with the same options, beside an
unchanged copy: the first must fail at that cell, the second must pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "chapters" / "algorithm.ipynb"
#: A number the chapter prints (the half-life at gamma = 0.9), and a wrong one.
STORED, WRONG = "6.58", "6.59"


def test_a_changed_stored_number_fails_and_the_unchanged_copy_passes(tmp_path: Path) -> None:
    unchanged = tmp_path / "unchanged.ipynb"
    changed = tmp_path / "changed.ipynb"
    shutil.copy(CHAPTER, unchanged)
    notebook = json.loads(CHAPTER.read_text(encoding="utf-8"))
    edited = [
        index
        for index, cell in enumerate(notebook["cells"])
        for output in cell.get("outputs", [])
        if STORED in "".join(output.get("text", ""))
    ]
    assert edited, f"{CHAPTER.name} no longer prints {STORED}; pick another stored number"
    for output in notebook["cells"][edited[0]]["outputs"]:
        output["text"] = [line.replace(STORED, WRONG) for line in output.get("text", [])]
    changed.write_text(json.dumps(notebook), encoding="utf-8")

    # The same options as the test command (pyproject.toml), run from the checkout.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            "pyproject.toml",
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:xdist",
            "-q",
            "-rf",
            str(unchanged),
            str(changed),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert result.returncode == 1, result.stdout[-2000:]
    assert len(failed) == 1 and "changed.ipynb" in failed[0], failed
    code_cell = [c for c in notebook["cells"] if c["cell_type"] == "code"].index(
        notebook["cells"][edited[0]]
    )
    assert failed[0].split("::")[-1].split()[:2] == ["Cell", str(code_cell)], failed
    assert "Cell outputs differ" in result.stdout
