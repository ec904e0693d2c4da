"""The build's faults, each one line naming its cause: a chapter that is not a notebook, a
build folder that cannot be written, and a second build started while one runs (it waits,
saying so, instead of crashing)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tools import build_folder, execute_chapters

ROOT = Path(__file__).resolve().parents[2]


def test_a_chapter_that_is_not_a_notebook_fails_with_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    progress = execute_chapters.execute([broken], tmp_path)
    assert progress.failed == [str(broken.resolve())]
    printed = capsys.readouterr().out
    lines = [line for line in printed.splitlines() if "broken.ipynb" in line]
    assert len(lines) == 1 and "is not a readable notebook" in lines[0], printed
    assert "Traceback" not in printed


def test_a_build_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # As root a read-only folder can still be written, so the refusal is simulated.
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(build_folder.BuildFolderError, match=r"cannot be written \(Permission"):
        execute_chapters.execute([], tmp_path)
    script = ROOT / "tools" / "execute_chapters.py"
    (tmp_path / "_build").mkdir(exist_ok=True)
    (tmp_path / "_build" / ".jupyter_cache").write_text("a file where a folder belongs")
    result = subprocess.run(
        [sys.executable, str(script), "--path-output", str(tmp_path), str(script)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "_build/.jupyter_cache is a file, not a folder: remove it, build again" in result.stderr


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom filelock import FileLock\n"
            f"lock = FileLock({str(build / build_folder.LOCK)!r}); lock.acquire()\n"
            "print('held', flush=True); time.sleep(2)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "render.py"), "build", str(tmp_path), "--help"],
        capture_output=True,
        text=True,
    )
    holder.wait()
    assert f"render: another build is using {build}; waiting for it to finish" in result.stdout
    assert time.perf_counter() - start > 1  # it waited for the holder
    assert result.returncode == 0, result.stderr
