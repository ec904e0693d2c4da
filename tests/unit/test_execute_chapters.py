"""``tools/execute_chapters.py``: what it executes lands in the cache the build reads.

Small notebooks in a temporary book folder. One that runs must be found in the cache
by its code, as myst-nb looks it up; one that raises must stay out of it, its error
reported and the run's status a failure, so that no build executes it in one kernel. A
chapter with MXNet and PyTorch cells that would clash in one kernel is cached with each
cell's output from its own framework's notebook. A stop signal while notebooks execute
ends the run within seconds, with no worker or kernel left, and keeps what had
finished (a chapter only once both its notebooks have). A cache whose executed
notebooks are gone, damaged or whose database is unreadable is repaired before
anything runs.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_cache import get_cache
from jupyter_cache.cache.db import NbCacheRecord, session_context
from jupyter_cache.cache.main import JupyterCacheBase

from tests.framework_sample import sample_chapter, write_sample

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import execute_chapters  # type: ignore[import-not-found]  # tools/, on the path above

SCRIPT = Path(execute_chapters.__file__)
ROOT = SCRIPT.parents[1]
# A cell that sleeps only when the variable says so: the same code (the same cache
# key) runs slowly while it is to be interrupted, and at once the second time. It also
# starts a helper process of its own (in a session of its own, as kernels run), which
# must go with its kernel; unlike the kernel it does not exit when its parent does.
SLEEPER = """import os, subprocess, time
seconds = os.environ.get('CHAPTER_SLEEP', '0')
helper = subprocess.Popen(['sleep', seconds], start_new_session=True)
time.sleep(float(seconds))"""


def notebook(path: Path, code: str, *tagged: tuple[str, str]) -> nbformat.NotebookNode:
    """A chapter of one untagged cell of ``code``, then a cell per (framework, code)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    for framework, source in tagged:
        nb.cells.append(nbformat.v4.new_code_cell(source))
        nb.cells[-1].metadata.tags = [f"framework-{framework}"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    read: nbformat.NotebookNode = nbformat.read(path, as_version=4)  # as myst-nb reads it
    return read


def open_cache(book: Path) -> JupyterCacheBase:
    return get_cache(str(book / "_build" / ".jupyter_cache"))


def cached(cache: JupyterCacheBase, nb: nbformat.NotebookNode) -> bool:
    """Whether myst-nb's lookup finds ``nb`` in the cache and can merge its outputs."""
    try:
        cache.merge_match_into_notebook(nb)
    except KeyError:
        return False
    return True


def test_executed_chapters_are_cached_and_failures_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = notebook(tmp_path / "good.ipynb", "print(6 * 7)")
    notebook(tmp_path / "bad.ipynb", "raise ValueError('broken chapter')")
    progress = execute_chapters.execute(
        [tmp_path / "good.ipynb", tmp_path / "bad.ipynb"], tmp_path
    )
    printed = capsys.readouterr().out
    assert "1 executed" in printed
    assert "execute_chapters: bad.ipynb failed in its MXNet notebook:\n" in printed
    assert (
        "executing the following cell:\n------------------\nraise ValueError('broken chapter')"
        in printed
    )
    assert "failed, not cached: bad.ipynb (tracebacks above); not building" in printed
    assert progress.failed == [str(tmp_path / "bad.ipynb")]

    cache = open_cache(tmp_path)
    record = cache.match_cache_notebook(good)
    outputs = cache.get_cache_bundle(record.pk).nb.cells[0].outputs
    assert outputs[0].text == "42\n"
    assert [r.uri for r in cache.list_unexecuted()] == [str(tmp_path / "bad.ipynb")]

    execute_chapters.execute([tmp_path / "good.ipynb"], tmp_path)
    assert "every chapter is cached" in capsys.readouterr().out


def test_each_framework_runs_in_its_own_kernel_and_the_chapter_is_cached_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_sample(tmp_path, stored=False)  # what the cache holds comes from running
    progress = execute_chapters.execute([path], tmp_path)
    assert progress.succeeded == [str(path)]
    printed = capsys.readouterr().out
    assert re.search(r"sample.ipynb executed in \d+ s \(MXNet \d+ s, PyTorch \d+ s\)", printed)

    # myst-nb's lookup finds the chapter as the build reads it, each cell with the output
    # of its own framework's notebook: the outputs the sample chapter stores.
    _, merged = open_cache(tmp_path).merge_match_into_notebook(nbformat.read(path, 4))
    assert printed_by_cell(merged) == printed_by_cell(sample_chapter())
    names = [texts for source, texts in printed_by_cell(merged) if "__name__" in source]
    assert names == [["d2l_sample.mxnet\n"], ["d2l_sample.torch\n"]]


def printed_by_cell(chapter: nbformat.NotebookNode) -> list[tuple[str, list[str]]]:
    """Each code cell's tags and source, and the text it printed."""
    return [
        (f"{cell.metadata.get('tags')} {cell.source}", [o.text for o in cell.outputs])
        for cell in chapter.cells
        if cell.cell_type == "code"
    ]


def test_the_timeout_comes_from_the_book_configuration(tmp_path: Path) -> None:
    config = tmp_path / "_config.yml"
    config.write_text("title: t\nexecute:\n  execute_notebooks: cache\n  timeout: 123\n")
    assert execute_chapters.execution_timeout(config) == 123


def recorded(cache: JupyterCacheBase, nb: nbformat.NotebookNode) -> bool:
    """Whether ``nb`` has a cache record (read only: ``cached`` writes to the database)."""
    try:
        cache.match_cache_notebook(nb)
    except KeyError:
        return False
    return True


def helpers(process: psutil.Process) -> list[psutil.Process]:
    """The slow chapters' helper processes among the descendants of ``process``."""
    found = []
    for child in process.children(recursive=True):
        with suppress(psutil.Error):
            if child.cmdline() == ["sleep", "30"]:
                found.append(child)
    return found


def default_stop_signals() -> None:
    for stop_signal in execute_chapters.STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_DFL)


def running(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize(
    ("signum", "to_group", "status"),
    [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143)],
    ids=["ctrl-c-to-the-group", "sigterm-to-the-script"],
)
def test_a_stop_signal_ends_the_run_at_once_and_keeps_what_finished(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], signum: int, to_group: bool, status: int
) -> None:
    quick = notebook(tmp_path / "quick.ipynb", "print(6 * 7)")
    # slow_b's MXNet notebook ends at once and its PyTorch notebook sleeps: the chapter has
    # not finished until both have.
    slow = [
        notebook(tmp_path / "slow_a.ipynb", f"# a\n{SLEEPER}"),
        notebook(tmp_path / "slow_b.ipynb", "# b", ("mxnet", "print(1)"), ("pytorch", SLEEPER)),
    ]
    paths = [tmp_path / name for name in ("quick.ipynb", "slow_a.ipynb", "slow_b.ipynb")]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, str(SCRIPT), "--path-output", str(tmp_path), *map(str, paths)]
    env = {**os.environ, "CHAPTER_SLEEP": "30", "TMPDIR": str(scratch)}
    output, errors = tmp_path / "output.txt", tmp_path / "errors.txt"
    # A session of its own, as a terminal gives a command: its group gets the signal.
    with output.open("w") as out, errors.open("w") as err:
        script = subprocess.Popen(
            command,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
            # With the default handling of the stop signals, as a terminal starts a command.
            # This process may have inherited SIGINT ignored (a test worker), and a program
            # started ignoring it rightly keeps ignoring it, as a background job does.
            preexec_fn=default_stop_signals,
        )
    descendants: list[psutil.Process] = []
    try:
        cache = open_cache(tmp_path)
        # Interrupt once the quick chapter is cached and each slow one runs its cell
        # (both at once on two cores or more).
        deadline = time.monotonic() + 120
        want = min(os.cpu_count() or 1, 2)
        while not (recorded(cache, quick) and len(helpers(psutil.Process(script.pid))) == want):
            assert time.monotonic() < deadline, "the chapters did not start"
            assert script.poll() is None, "the script ended before it was interrupted"
            time.sleep(0.1)
        descendants = psutil.Process(script.pid).children(recursive=True)
        if want == 2:  # slow_a and slow_b's PyTorch notebook run, its MXNet one has ended
            assert len(list(scratch.glob("execute_chapters-*/slow_b-mxnet-*.json"))) == 1
        assert len(descendants) >= 3 * want  # each slow chapter: worker, kernel, helper

        start = time.monotonic()
        if to_group:
            os.killpg(script.pid, signum)
            time.sleep(0.1)
            with suppress(ProcessLookupError):  # a second Ctrl-C must not cut the stop short
                os.killpg(script.pid, signum)
        else:
            script.send_signal(signum)
        try:
            script.wait(timeout=30)
        except subprocess.TimeoutExpired:  # say where it hangs (the script's faulthandler)
            script.send_signal(signal.SIGUSR1)
            time.sleep(1)
            raise AssertionError(f"no exit 30 s after the signal:\n{errors.read_text()}") from None
        seconds = time.monotonic() - start
        with capsys.disabled():
            print(f"exited {seconds:.2f} s after {signal.Signals(signum).name}")
        survivors = [p.pid for p in descendants if running(p)]
    finally:  # a failing run leaves nothing behind either
        if script.poll() is None:
            script.kill()
        for process in descendants:
            with suppress(psutil.Error):
                process.kill()
        script.wait()

    assert seconds < 5
    assert script.returncode == status
    assert survivors == []
    assert "Traceback" not in errors.read_text()
    assert list(scratch.iterdir()) == []  # the kernels' connection files went too
    assert output.read_text().splitlines()[-1] == (
        f"execute_chapters: stopped by {signal.Signals(signum).name}; finished and cached: "
        "quick.ipynb; will run next time: slow_a.ipynb, slow_b.ipynb"
    )
    assert cached(cache, quick)
    assert not any(cached(cache, nb) for nb in slow)

    capsys.readouterr()
    execute_chapters.execute(paths, tmp_path)
    again = capsys.readouterr().out
    assert "executing in parallel: slow_a.ipynb, slow_b.ipynb\n" in again
    assert "2 executed" in again
    assert all(cached(cache, nb) for nb in [quick, *slow])


def executed_notebook(cache: JupyterCacheBase, nb: nbformat.NotebookNode) -> Path:
    """The file in which the cache keeps the executed ``nb``."""
    hashkey: str = cache.match_cache_notebook(nb).hashkey
    return Path(cache.path) / "executed" / hashkey / "base.ipynb"


def cut_short(path: Path) -> None:
    """Truncate the file, as a full disk would."""
    path.write_text(path.read_text()[:100])


def other_code(path: Path) -> None:
    """Put a valid notebook of other code in its place."""
    executed = nbformat.read(path, as_version=4)
    executed.cells[0].source = "print('something else')"
    nbformat.write(executed, path)


def broken_output(path: Path) -> None:
    """Leave the code as it was but make an output invalid (no ``output_type``)."""
    executed = nbformat.read(path, as_version=4)
    executed.cells[0].outputs = [{"text": "0\n"}]
    path.write_text(json.dumps(executed))


def folder_deleted(path: Path) -> None:
    """Delete the record's whole folder, as ``rm -rf _build/.jupyter_cache/executed/*`` does."""
    shutil.rmtree(path.parent)


# Which executed notebooks (of a, b, c, d) are damaged, and how.
DAMAGES: dict[str, dict[str, Callable[[Path], None]]] = {
    "deleted": {"a": folder_deleted, "b": Path.unlink},
    "corrupted": {"a": cut_short, "b": other_code, "c": broken_output},
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_damaged_cache_records_are_repaired_and_executed_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    nbs = {
        name: notebook(tmp_path / f"{name}.ipynb", f"print({n})") for n, name in enumerate("abcd")
    }
    paths = [tmp_path / f"{name}.ipynb" for name in nbs]
    execute_chapters.execute(paths, tmp_path)
    cache = open_cache(tmp_path)
    for name, spoil in DAMAGES[damage].items():
        spoil(executed_notebook(cache, nbs[name]))
    (Path(cache.path) / "executed" / "leftover").mkdir()
    doctrees = tmp_path / "_build" / ".doctrees"
    doctrees.mkdir()
    capsys.readouterr()

    execute_chapters.execute(paths, tmp_path)
    printed = capsys.readouterr().out
    names = ", ".join(f"{name}.ipynb" for name in DAMAGES[damage])
    assert (
        f"execute_chapters: repaired the cache: removed the records of {names} "
        "(executed notebook missing or unreadable) and Sphinx's saved environment, so those "
        "chapters run again and every page is rendered again; deleted 1 folder(s) of "
        "executed/ that no record names\n"
    ) in printed
    assert f"executing in parallel: {names}\n" in printed
    assert f"{len(DAMAGES[damage])} executed" in printed
    assert not doctrees.exists()
    # myst-nb's lookup, even after a markdown-only edit of a repaired chapter.
    nbs["a"].cells.insert(0, nbformat.v4.new_markdown_cell("An edited introduction."))
    for n, nb in enumerate(nbs.values()):
        _, merged = cache.merge_match_into_notebook(nb)
        nbformat.validate(merged)
        assert merged.cells[-1].outputs[0].text == f"{n}\n"

    execute_chapters.execute(paths, tmp_path)
    assert capsys.readouterr().out == "execute_chapters: every chapter is cached\n"


def test_an_unreadable_cache_database_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = notebook(tmp_path / "a.ipynb", "print(6 * 7)")
    execute_chapters.execute([tmp_path / "a.ipynb"], tmp_path)
    database = tmp_path / "_build" / ".jupyter_cache" / "global.db"
    database.write_bytes(b"not a database" * 100)
    capsys.readouterr()

    execute_chapters.execute([tmp_path / "a.ipynb"], tmp_path)
    printed = capsys.readouterr().out
    assert printed.startswith(
        f"execute_chapters: repaired the cache: the cache database {database} was "
        "unreadable (file is not a database): started a new cache"
    )
    assert "1 executed" in printed
    assert cached(open_cache(tmp_path), nb)


def test_a_signal_handled_inside_a_held_block_acts_at_its_end() -> None:
    # A signal that arrived just before the mask runs its Python handler at the next
    # bytecode: inside the block, it must not interrupt (a worker forked but not yet
    # listed would be left running, and the exit would wait for it).
    reached_the_end = False
    with (
        pytest.raises(execute_chapters.Interrupted) as stop,
        execute_chapters.stop_signals_handled(),
        execute_chapters.stop_signals_held(),
    ):
        execute_chapters._interrupt(signal.SIGINT, None)
        reached_the_end = True
    assert reached_the_end and stop.value.signum == signal.SIGINT
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # a second Ctrl-C is ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for other in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(other, signal.SIG_DFL)


# --- what a chapter used: only the chapters using a changed part run again -----------

#: Three chapters: one calls half_life, one calls effective_window, one uses no package.
USERS = {
    "calls_half_life": "from d2l_utils.leaky_average import half_life\nprint(half_life(0.9))",
    "calls_window": "from d2l_utils import leaky_average as la\nprint(la.effective_window(0.9))",
    "no_package": "print(6 * 7)",
}
HALF_LIFE = "return math.inf if gamma == 1 else math.log(2) / -math.log(gamma)"


def copy_of_the_package(book: Path) -> Path:
    """A copy of two of d2l_utils' modules as ``d2l_utils`` in the book's folder, which the
    kernels (run in that folder) import instead of the installed package."""
    package = book / "d2l_utils"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module in ("leaky_average.py", "validation.py"):
        shutil.copy(ROOT / "d2l_utils" / module, package / module)
    return package / "leaky_average.py"


def executed(printed: str) -> list[str]:
    """The chapters a run executed, from its "executing in parallel" line."""
    found = re.search(r"executing in parallel: (.*)\n", printed)
    return (
        []
        if found is None
        else sorted(name.removesuffix(".ipynb") for name in found[1].split(", "))
    )


def test_only_the_chapters_that_used_a_changed_part_of_the_package_run_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = copy_of_the_package(tmp_path)
    nbs = {name: notebook(tmp_path / f"{name}.ipynb", code) for name, code in USERS.items()}
    paths = [tmp_path / f"{name}.ipynb" for name in USERS]
    execute_chapters.execute(paths, tmp_path)
    assert executed(capsys.readouterr().out) == sorted(USERS)
    record = open_cache(tmp_path).get_cached_project_nb(str(paths[0])).data["dependencies"]
    used = record["files"][str(module)]["parts"]
    assert set(used) == {"", "half_life"}  # its module level (imported) and the one call

    # Formatting and comments only: nothing runs again.
    source = module.read_text()
    module.write_text("# A comment.\n\n" + source.replace("\n\n\n", "\n\n\n\n") + "\n   \n")
    execute_chapters.execute(paths, tmp_path)
    assert capsys.readouterr().out == "execute_chapters: every chapter is cached\n"

    # A real change to a function one chapter calls: that chapter alone, with its new output.
    assert HALF_LIFE in source
    module.write_text(module.read_text().replace(HALF_LIFE, HALF_LIFE + " * 2"))
    execute_chapters.execute(paths, tmp_path)
    printed = capsys.readouterr().out
    assert executed(printed) == ["calls_half_life"]
    assert (
        "execute_chapters: calls_half_life.ipynb runs again: changed since it ran: "
        f"{module} (half_life)\n" in printed
    )
    _, merged = open_cache(tmp_path).merge_match_into_notebook(nbs["calls_half_life"])
    assert merged.cells[0].outputs[0].text == f"{2 * math.log(2) / -math.log(0.9)}\n"

    # What importing the module runs (a module-level line): every chapter that imported it.
    module.write_text(module.read_text() + "\nLATER = 1\n")
    execute_chapters.execute(paths, tmp_path)
    assert executed(capsys.readouterr().out) == ["calls_half_life", "calls_window"]


def set_record_data(cache: JupyterCacheBase, pk: int, data: object) -> None:
    """Replace the data of a cache record (where the record of what it used is kept)."""
    with session_context(cache.db) as session:
        session.query(NbCacheRecord).filter_by(pk=pk).one().data = data
        session.commit()


def test_a_missing_or_unreadable_record_of_what_a_chapter_used_is_repaired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = notebook(tmp_path / "a.ipynb", "print(6 * 7)")
    execute_chapters.execute([tmp_path / "a.ipynb"], tmp_path)
    cache = open_cache(tmp_path)
    for spoiled in ({"version": 1, "files": "not a mapping"}, None):
        record = cache.match_cache_notebook(nb)
        set_record_data(cache, record.pk, {**record.data, "dependencies": spoiled})
        capsys.readouterr()
        execute_chapters.execute([tmp_path / "a.ipynb"], tmp_path)
        printed = capsys.readouterr().out
        assert printed.startswith(
            "execute_chapters: repaired the cache: a.ipynb had no readable record of what "
            "its run used, so it runs again\n"
        )
        assert "1 executed" in printed
    # A framework notebook's run, kept with the chapter for the notebook tests, is gone.
    hashkey = cache.match_cache_notebook(nb).hashkey
    (Path(cache.path) / "executed" / hashkey / "artifacts" / "mxnet.ipynb").unlink()
    execute_chapters.execute([tmp_path / "a.ipynb"], tmp_path)
    printed = capsys.readouterr().out
    assert "a framework notebook's run of a.ipynb was missing or unreadable" in printed
    assert "1 executed" in printed
