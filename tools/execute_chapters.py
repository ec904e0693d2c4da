"""Execute the chapters on every core, into the cache Jupyter Book builds from.

Jupyter Book 1 executes a book's notebooks one after another while it reads them, each
in one kernel. A chapter holds the cells of up to three frameworks, though, and run top
to bottom in one kernel its MXNet cells would see what its PyTorch cells defined (and
MXNet cannot even be imported where TensorFlow was). ``make site`` therefore first runs
this script, which executes every chapter whose code is not yet in the execution cache
(``_build/.jupyter_cache``) as its framework notebooks (``tools/framework_notebooks.py``):
the MXNet one and one for each other framework the chapter has tagged cells for, each a
job of its own, each in its framework's kernel (``tools/frameworks.KERNELS``: the
TensorFlow one runs in the NumPy-2 environment) and unable to import the other
frameworks. The jobs run in worker processes, one per core (forked, each in a session of
its own), each with nbclient in the chapter's folder and with the book's timeout, as the
build would run the chapter. Once all of a chapter's notebooks have run, this process
alone merges their outputs into the chapter (``framework_notebooks.merge``) and writes it
into the cache with jupyter-cache's API, as the record myst-nb's lookup finds for the
chapter; the build then finds every chapter cached and only renders.
A chapter that fails here (any of its notebooks), or whose kernel is not installed, is
left uncached, its traceback printed, and the script exits with status 1: ``make site``
stops before the build, which would otherwise execute that chapter again in one kernel.

Before executing, every cache record is checked against its executed notebook: a
record whose notebook is missing or unreadable is dropped (its chapter runs again),
and so is Sphinx's saved environment, so that the pages are rendered again. An
unreadable cache database is replaced by a new, empty cache.

Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the workers and their kernels within a few
seconds; the chapters that had finished (all their notebooks) stay cached and the next run
executes only the others.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.startup import skip_iri_parsers

skip_iri_parsers()  # before nbformat: 6 s less start-up (see tools/startup.py)

import nbformat
import psutil
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.cache.db import DB_NAME, NbCacheRecord, NbProjectRecord, Setting
from jupyter_cache.cache.main import JupyterCacheBase, NbArtifacts
from jupyter_cache.executors.utils import single_nb_execution
from sqlalchemy.exc import SQLAlchemyError

from tools import build_folder, dependencies, framework_notebooks, kernels
from tools.frameworks import FRAMEWORKS, KERNELS

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# How often the workers are polled, and how long a killed process may take to be gone.
POLL_SECONDS = 0.2
GRACE_SECONDS = 2.0
FORK = multiprocessing.get_context("fork")
#: Where, under the build folder's ``_build``, each executed chapter leaves a stamp (the
#: build's extension ``_ext/executed_pages.py`` has Sphinx read a page again when it changes).
STAMPS = ".executed"


def execution_timeout(config: Path = ROOT / "_config.yml") -> int:
    """The per-cell timeout the book's configuration gives (``execute.timeout``)."""
    return int(yaml.safe_load(config.read_text(encoding="utf-8"))["execute"]["timeout"])


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


#: While a block of ``stop_signals_held`` runs: how deep, and the stop signal it deferred.
_held = {"depth": 0, "signum": 0}


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Signal handler: ignore further stop signals (a second Ctrl-C must not cut short
    the stopping of the workers), then raise ``Interrupted``, or leave that to the end
    of the ``stop_signals_held`` block that is running."""
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
    if _held["depth"]:
        _held["signum"] = signum
        return
    raise Interrupted(signum)


@contextmanager
def stop_signals_handled() -> Iterator[None]:
    """Turn the stop signals into ``Interrupted`` within the block, as they were after it.

    A signal this process was started ignoring (as a shell does for background jobs)
    stays ignored. After ``Interrupted`` they all stay ignored, so that a second Ctrl-C
    cannot cut short the exit that follows.
    """
    previous = {
        stop_signal: signal.signal(stop_signal, _interrupt)
        for stop_signal in STOP_SIGNALS
        if signal.getsignal(stop_signal) is not signal.SIG_IGN
    }
    interrupted = False
    try:
        yield
    except Interrupted:
        interrupted = True
        raise
    finally:
        if not interrupted:
            for stop_signal, handler in previous.items():
                signal.signal(stop_signal, handler)


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold the stop signals back while the block runs (they act after it): no cache
    write is cut in half, no worker is started without being listed, and no signal
    finds a worker between its fork and its session."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    # A signal that came just before the mask still runs its Python handler at the next
    # bytecode, which may be inside the block (say, between a worker's fork and its
    # listing in ``running``, leaving it unstopped): the handler then defers to the end.
    _held["depth"] += 1
    try:
        yield
    finally:
        _held["depth"] -= 1
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        if not _held["depth"] and _held["signum"]:
            signum, _held["signum"] = _held["signum"], 0
            raise Interrupted(signum)


def _running(process: psutil.Process) -> bool:
    """Whether ``process`` still runs (a zombie has exited)."""
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def _wait(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """Wait up to ``seconds`` for ``processes`` to exit; return those still running."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [process for process in processes if _running(process)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def stop_workers(workers: list[int]) -> None:
    """Stop the worker processes ``workers`` and everything they started, kernels
    included (those run in sessions of their own, out of reach of a group's signal).

    Each process is frozen first, so that none starts another, then killed outright:
    none holds anything this process needs (the kernels' connection files are in its
    scratch folder), and a kernel or nbclient answering SIGTERM with a shutdown can print
    a traceback over the one line that says what was stopped.
    """
    found: dict[int, psutil.Process] = {}
    while True:
        new = []
        for pid in workers:
            with suppress(psutil.Error):
                worker = psutil.Process(pid)
                tree = [worker, *worker.children(recursive=True)]
                new += [process for process in tree if process.pid not in found]
        if not new:
            break
        for process in new:
            found[process.pid] = process
            with suppress(psutil.Error):
                process.suspend()
    for process in found.values():
        with suppress(psutil.Error):
            process.kill()
    _wait(list(found.values()), GRACE_SECONDS)


def _database_problem(cache: JupyterCacheBase) -> str | None:
    """Why the cache database cannot be used, or None when it can (or does not exist yet)."""
    if not (Path(cache.path) / DB_NAME).exists():
        return None
    try:
        with cache.db.connect() as connection:
            verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
        if verdict != "ok":
            return f"integrity check: {verdict}"
        cache.list_cache_records()
        cache.list_project_records()
        Setting.get_dict(cache.db)
    except (SQLAlchemyError, RuntimeError) as error:
        # jupyter-cache wraps SQLAlchemy's error in a RuntimeError; SQLAlchemy wraps sqlite's.
        cause = error.__cause__ if isinstance(error, RuntimeError) else error
        return str(getattr(cause, "orig", cause)).splitlines()[0]
    return None


def _readable(cache: JupyterCacheBase, hashkey: str) -> bool:
    """Whether the executed notebook stored under ``hashkey`` reads as a valid notebook
    whose code still hashes to ``hashkey``, so that the build can merge it."""
    path = Path(cache.path) / "executed" / hashkey / "base.ipynb"
    try:
        executed = nbformat.reads(path.read_text(encoding="utf8"), nbformat.NO_CONVERT)
        nbformat.validate(executed)
        return bool(cache.create_hashed_notebook(executed)[1] == hashkey)
    except Exception:  # whatever stops it from being read makes the record useless
        return False


def repair_cache(cache: JupyterCacheBase, doctrees: Path) -> str | None:
    """Make every cache record match its files; say what was repaired, or None.

    An unreadable database is replaced by a new cache. A record whose executed
    notebook is missing or unreadable is removed, and a folder of ``executed`` that no
    record names is deleted. When a record went, Sphinx's saved environment
    (``doctrees``) is deleted too, so that the build renders every page again.
    """
    cache_folder = Path(cache.path)
    problem = _database_problem(cache)
    if problem is not None:
        database = cache_folder / DB_NAME
        cache.db.dispose()
        try:
            cache.clear_cache()
        except OSError as error:
            raise SystemExit(
                f"execute_chapters: the cache database {database} is unreadable ({problem}) "
                f"and could not be replaced ({error}); delete the folder {cache_folder} "
                "and build again"
            ) from error
        shutil.rmtree(doctrees, ignore_errors=True)
        return (
            f"the cache database {database} was unreadable ({problem}): started a new "
            "cache and dropped Sphinx's saved environment, so every chapter runs again"
        )
    broken = [r for r in cache.list_cache_records() if not _readable(cache, r.hashkey)]
    for record in broken:
        shutil.rmtree(cache_folder / "executed" / record.hashkey, ignore_errors=True)
    if broken:
        NbCacheRecord.remove_records([record.pk for record in broken], cache.db)
        shutil.rmtree(doctrees, ignore_errors=True)
    named = {record.hashkey for record in cache.list_cache_records()}
    executed = cache_folder / "executed"
    strays = [p for p in executed.iterdir() if p.name not in named] if executed.exists() else []
    for stray in strays:
        if stray.is_dir():
            shutil.rmtree(stray)
        else:
            stray.unlink()
    repairs = []
    if broken:
        names = ", ".join(sorted(Path(record.uri).name for record in broken))
        repairs.append(
            f"removed the records of {names} (executed notebook missing or unreadable) "
            "and Sphinx's saved environment, so those chapters run again and every page "
            "is rendered again"
        )
    if strays:
        repairs.append(f"deleted {len(strays)} folder(s) of executed/ that no record names")
    return "; ".join(repairs) or None


def execute_one(
    notebook: nbformat.NotebookNode, folder: Path, result: Path, kernel: str = "python3"
) -> int:
    """Execute ``notebook`` as myst-nb would (nbclient, in ``folder``, the book's timeout)
    in the kernel named ``kernel``, and write the executed notebook, its run time and any
    traceback to ``result`` as JSON. Return 0 when every cell ran, 1 when one failed."""
    outcome = single_nb_execution(
        notebook,
        cwd=str(folder),
        timeout=execution_timeout(),
        allow_errors=False,
        kernel_name=kernel,
        **kernels.client_options(),
    )
    partial = result.with_suffix(".partial")
    partial.write_text(
        json.dumps(
            {"seconds": outcome.time, "traceback": outcome.exc_string, "notebook": notebook}
        ),
        encoding="utf-8",
    )
    partial.replace(result)
    return 0 if outcome.err is None else 1


def usage_log(result: Path) -> Path:
    """Where the kernel of the job whose result goes to ``result`` logs its uses."""
    return result.with_suffix(".usage")


@dataclass
class Job:
    """One framework notebook of a chapter, to execute in a worker."""

    uri: str
    framework: str
    notebook: nbformat.NotebookNode


def _worker(job: Job, result: Path) -> None:
    """Body of a worker process: in a session of its own (a Ctrl-C reaches only the
    parent, which stops the workers itself), with the default signal handling, execute
    the job's notebook in its chapter's folder, in a kernel that cannot import the other
    framework, which logs what it uses of the package beside ``result``
    (``dependencies.recording_environment``); the exit status is ``execute_one``'s. The
    kernel's connection file goes there too, into the parent's scratch folder, which goes
    with it."""
    os.setsid()
    tempfile.tempdir = str(result.parent)  # where jupyter_client writes connection files
    kernel = framework_notebooks.kernel_environment(job.framework)
    os.environ.update(dependencies.recording_environment(usage_log(result), kernel))
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    sys.exit(execute_one(job.notebook, Path(job.uri).parent, result, KERNELS[job.framework]))


@dataclass
class Chapter:
    """A chapter being executed: the chapter as read, and each framework notebook's run."""

    notebook: nbformat.NotebookNode
    frameworks: tuple[str, ...]
    executed: dict[str, nbformat.NotebookNode] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    #: What each framework's kernel used of the package (None: its hook did not run).
    uses: dict[str, set[dependencies.Use] | None] = field(default_factory=dict)
    failed: bool = False
    start: float | None = None


@dataclass
class Progress:
    """The chapters of one run: those to execute and what became of them."""

    pending: list[str] = field(default_factory=list)
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass
class Run:
    """What the jobs of one run write to: the cache, the progress, the build folder, the
    files as read before the kernels started, a scratch folder."""

    cache: JupyterCacheBase
    progress: Progress
    build: Path
    files: dependencies.Files
    scratch: Path = Path()


def stamp(build: Path, uri: str) -> Path:
    """The stamp of the chapter ``uri`` under ``build/_build`` (see ``STAMPS``)."""
    path = Path(uri)
    relative = path.relative_to(build) if path.is_relative_to(build) else Path(path.name)
    return build / "_build" / STAMPS / f"{relative.as_posix()}.stamp"


def _cache(run: Run, job: Job, chapter: Chapter) -> None:
    """Cache the chapter of ``job`` once all its notebooks have run: the merged chapter as
    myst-nb looks it up, each framework's run as an artifact (``<framework>.ipynb``, what
    the notebook tests compare), and the record of what it used; then stamp it."""
    merged = framework_notebooks.merge(chapter.notebook, chapter.executed)
    folder = run.scratch / f"{Path(job.uri).stem}-runs"
    folder.mkdir(exist_ok=True)
    runs = []
    for framework, executed in chapter.executed.items():
        runs.append(folder / f"{framework}.ipynb")
        nbformat.write(executed, runs[-1])
    data: dict[str, object] = {"execution_seconds": sum(chapter.seconds.values())}
    uses = list(chapter.uses.values())
    if all(used is not None for used in uses):
        data["dependencies"] = dependencies.record(
            {use for used in uses if used is not None for use in used}, run.files
        )
    else:
        print(
            f"execute_chapters: {Path(job.uri).name}: a kernel did not record what it used "
            f"({dependencies.HOOK.relative_to(ROOT)} did not run), so it runs again next time",
            flush=True,
        )
    bundle = CacheBundleIn(merged, job.uri, data=data, artifacts=NbArtifacts(runs, folder))
    record = run.cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    path = stamp(run.build, job.uri)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record.hashkey, encoding="utf-8")


def _job_ended(
    run: Run,
    job: Job,
    chapter: Chapter,
    ran: bool,
    result: Path,
) -> None:
    """Note what a worker's job gave: on failure, the chapter failed (its traceback printed
    and noted on its project record, as jupyter-cache does); once every notebook of the
    chapter has run, the merged chapter cached (``_cache``). ``ran``: whether the
    worker exited with status 0 (every cell ran)."""
    cache, progress = run.cache, run.progress
    name = Path(job.uri).name
    # No result file: the worker itself failed, and its traceback is on stderr.
    outcome = json.loads(result.read_text(encoding="utf-8")) if result.exists() else None
    if not ran or outcome is None:
        traceback = outcome["traceback"] if outcome else "(the worker failed: see stderr)"
        where = f"its {FRAMEWORKS[job.framework]} notebook"
        print(f"execute_chapters: {name} failed in {where}:\n{traceback}", flush=True)
        NbProjectRecord.set_traceback(job.uri, f"{where}:\n{traceback}", cache.db)
        if not chapter.failed:
            chapter.failed = True
            progress.failed.append(job.uri)
        return
    chapter.executed[job.framework] = nbformat.from_dict(outcome["notebook"])
    chapter.seconds[job.framework] = outcome["seconds"]
    chapter.uses[job.framework] = dependencies.read_log(usage_log(result))
    if chapter.failed or len(chapter.executed) < len(chapter.frameworks):
        return
    _cache(run, job, chapter)
    progress.succeeded.append(job.uri)
    assert chapter.start is not None
    each = ", ".join(f"{FRAMEWORKS[f]} {chapter.seconds[f]:.0f} s" for f in chapter.frameworks)
    seconds = time.perf_counter() - chapter.start
    print(f"execute_chapters: {name} executed in {seconds:.0f} s ({each})", flush=True)


def _jobs(progress: Progress) -> tuple[dict[str, Chapter], list[Job]]:
    """The chapters of ``progress.pending`` and their framework notebooks, as jobs in
    chapter order; a chapter that cannot be split is failed at once."""
    chapters: dict[str, Chapter] = {}
    jobs = []
    installed = kernels.installed()
    for uri in progress.pending:
        notebook = nbformat.read(uri, as_version=4)
        try:
            splits = framework_notebooks.executable_splits(notebook, Path(uri).stem)
        except ValueError as error:
            print(f"execute_chapters: {Path(uri).name} cannot be split: {error}")
            progress.failed.append(uri)
            continue
        missing = [f for f in splits if KERNELS[f] not in installed]
        if missing:
            print(
                f"execute_chapters: {Path(uri).name}: its {FRAMEWORKS[missing[0]]} notebook "
                f"runs in the kernel {KERNELS[missing[0]]!r}, which is not installed "
                "(`make colab-env` installs it)"
            )
            progress.failed.append(uri)
            continue
        chapters[uri] = Chapter(notebook, tuple(splits))
        jobs += [Job(uri, framework, split) for framework, split in splits.items()]
    return chapters, jobs


def run_workers(run: Run) -> None:
    """Execute the notebooks of ``run.progress.pending``, one worker per core, caching each
    chapter as soon as all of its notebooks have run.

    On any exception (``Interrupted`` included) every worker and kernel is stopped
    before it propagates.
    """
    chapters, waiting = _jobs(run.progress)
    running: dict[multiprocessing.context.ForkProcess, tuple[Job, Path]] = {}
    with tempfile.TemporaryDirectory(prefix="execute_chapters-") as scratch:
        run.scratch = Path(scratch)
        try:
            while waiting or running:
                while waiting and len(running) < (os.cpu_count() or 1):
                    job = waiting.pop(0)
                    stem = f"{Path(job.uri).stem}-{job.framework}-{len(waiting)}"
                    result = Path(scratch) / f"{stem}.json"
                    # Forked: the imports are warm (nbformat alone takes 1-2 s to import).
                    worker = FORK.Process(target=_worker, args=(job, result))
                    with stop_signals_held():  # started means listed, to be stopped
                        worker.start()
                        running[worker] = (job, result)
                        if chapters[job.uri].start is None:
                            chapters[job.uri].start = time.perf_counter()
                time.sleep(POLL_SECONDS)
                with stop_signals_held():
                    for ended in [w for w in running if w.exitcode is not None]:
                        job, result = running.pop(ended)
                        ran = ended.exitcode == 0
                        _job_ended(run, job, chapters[job.uri], ran, result)
        except BaseException:
            # Whatever went wrong, no stop signal may cut short the stopping of the workers.
            for stop_signal in STOP_SIGNALS:
                signal.signal(stop_signal, signal.SIG_IGN)
            stop_workers([w.pid for w in running if w.pid is not None])
            for stopped in running:
                stopped.join()
            raise


def _names(uris: list[str]) -> str:
    """The file names of ``uris``, comma-separated ("none" for none)."""
    return ", ".join(Path(uri).name for uri in uris) or "none"


def executed_runs(
    cache: JupyterCacheBase, record: NbCacheRecord
) -> dict[str, nbformat.NotebookNode]:
    """The framework notebooks' runs kept with a cache ``record``, by framework; a run
    that is missing or unreadable is left out."""
    with cache.cache_artefacts_temppath(record.pk) as folder:
        runs = {}
        for framework in FRAMEWORKS:
            path = Path(folder) / f"{framework}.ipynb"
            try:
                runs[framework] = nbformat.read(path, as_version=4)
            except Exception:  # missing or unreadable: whatever stops it from being read
                continue
        return runs


def _outdated(cache: JupyterCacheBase, uris: list[str], files: dependencies.Files) -> list[str]:
    """Those of the cached chapters ``uris`` to execute again, each with one line saying
    why: a part of the package it used changed since it ran, or its record of what it
    used, or one of its framework notebooks' runs, is missing or unreadable (repaired).
    Their cache records are removed, so that a failed run leaves them uncached."""
    outdated: dict[int, NbCacheRecord] = {}
    again = []
    for uri in uris:
        record = cache.get_cached_project_nb(uri)
        if record is None:
            continue
        name = Path(uri).name
        chapter = nbformat.read(uri, as_version=4)
        needed = framework_notebooks.frameworks_of(chapter)
        changed = dependencies.changes((record.data or {}).get("dependencies"), files)
        if changed is None:
            print(
                f"execute_chapters: repaired the cache: {name} had no readable record of what "
                "its run used, so it runs again"
            )
        elif not set(needed) <= set(executed_runs(cache, record)):
            print(
                f"execute_chapters: repaired the cache: a framework notebook's run of {name} "
                "was missing or unreadable, so it runs again"
            )
        elif changed:
            print(
                f"execute_chapters: {name} runs again: changed since it ran: {'; '.join(changed)}"
            )
        else:
            continue
        outdated[record.pk] = record
        again.append(uri)
    for record in outdated.values():
        shutil.rmtree(Path(cache.path) / "executed" / record.hashkey, ignore_errors=True)
    NbCacheRecord.remove_records(list(outdated), cache.db)
    return again


def _one_per_code(cache: JupyterCacheBase, uris: list[str]) -> list[str]:
    """``uris`` less the chapters whose code is that of an earlier one (copies): one run
    caches them all, as the cache keys on the code."""
    kept: dict[str, str] = {}
    for uri in uris:
        hashkey = cache.create_hashed_notebook(nbformat.read(uri, as_version=4))[1]
        kept.setdefault(hashkey, uri)
    return list(kept.values())


def _readable_chapters(notebooks: list[Path], progress: Progress) -> list[Path]:
    """The ``notebooks`` that can be read as notebooks; each other one is failed in
    ``progress`` with one line saying why."""
    readable = []
    for path in notebooks:
        try:
            nbformat.read(path, as_version=4)
        except (OSError, ValueError, nbformat.ValidationError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            print(f"execute_chapters: {path} is not a readable notebook: {reason}")
            progress.failed.append(str(path.resolve()))
        else:
            readable.append(path)
    return readable


def execute(notebooks: list[Path], book: Path = ROOT) -> Progress:
    """Execute the ``notebooks`` not yet cached under ``book/_build``, or whose
    record says that something they used changed since, in parallel; return what became
    of them. One build at a time uses a build folder (``tools/build_folder.py``); a
    notebook that cannot be read fails at once, with one line naming it.

    Raises ``Interrupted`` (after saying what finished) when a stop signal arrives, and
    ``build_folder.BuildFolderError`` when the build folder cannot be written.
    """
    progress = Progress()
    build = book / "_build"
    notebooks = _readable_chapters(notebooks, progress)
    start = time.perf_counter()
    with stop_signals_handled(), build_folder.exclusive(build, "execute_chapters"):
        try:
            cache = get_cache(str(build / ".jupyter_cache"))
            repaired = repair_cache(cache, build / ".doctrees")
            if repaired:
                print(f"execute_chapters: repaired the cache: {repaired}")
            files = dependencies.Files()
            package = dependencies.package_folder()
            if package is not None:
                files.snapshot(package)  # as the kernels will find it
            uris = [str(path.resolve()) for path in notebooks]
            for uri in uris:
                cache.add_nb_to_project(uri)
            unexecuted = {record.uri for record in cache.list_unexecuted(filter_uris=uris)}
            cached = [uri for uri in uris if uri not in unexecuted]
            again = set(_outdated(cache, cached, files)) | unexecuted
            progress.pending = _one_per_code(cache, [uri for uri in uris if uri in again])
            if not progress.pending:
                print("execute_chapters: every chapter is cached")
                return progress
            records = [cache.get_project_record(uri) for uri in progress.pending]
            NbProjectRecord.remove_tracebacks([record.pk for record in records], cache.db)
            print(f"execute_chapters: executing in parallel: {_names(progress.pending)}")
            run_workers(Run(cache, progress, book.resolve(), files))
        except Interrupted as stop:
            unfinished = [uri for uri in progress.pending if uri not in progress.succeeded]
            print(
                f"execute_chapters: stopped by {signal.Signals(stop.signum).name}; "
                f"finished and cached: {_names(progress.succeeded)}; "
                "will run next time: "
                + (_names(unfinished) if progress.pending else "every chapter not yet cached"),
                flush=True,
            )
            raise
    seconds = time.perf_counter() - start
    print(f"execute_chapters: {len(progress.succeeded)} executed in {seconds:.0f} s")
    if progress.failed:
        print(
            f"execute_chapters: failed, not cached: {_names(progress.failed)} (tracebacks "
            "above); not building, as the build would execute them in one kernel"
        )
    return progress


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--path-output",
        type=Path,
        default=ROOT,
        help="the folder the build writes _build into, as jupyter-book's --path-output",
    )
    arguments = parser.parse_args()
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` prints where a hung run is
    try:
        done = execute(arguments.notebooks, arguments.path_output)
    except Interrupted as stop:
        sys.exit(128 + stop.signum)
    except build_folder.BuildFolderError as error:
        sys.exit(f"execute_chapters: {error}")
    sys.exit(1 if done.failed else 0)
