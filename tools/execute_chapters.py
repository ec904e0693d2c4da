"""Execute the chapters on every core, into the cache Jupyter Book builds from.

Jupyter Book 1 executes a book's notebooks one after another while it reads them.
``make site`` first runs this script, which hands every chapter whose code is not
yet in the execution cache (``_build/.jupyter_cache``) to jupyter-cache's parallel
executor, one notebook per core, each in its own folder as the build would run it.
The build then finds them all cached and only renders. A notebook that fails here
is left uncached, so the build executes it again and reports the error in full.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

ROOT = Path(__file__).resolve().parent.parent


def execution_timeout(config: Path = ROOT / "_config.yml") -> int:
    """The per-cell timeout the book's configuration gives (``execute.timeout``)."""
    return int(yaml.safe_load(config.read_text(encoding="utf-8"))["execute"]["timeout"])


def execute(notebooks: list[Path], build_folder: Path = ROOT) -> None:
    """Execute the ``notebooks`` not yet cached under ``build_folder/_build``, in parallel."""
    cache = get_cache(str(build_folder / "_build" / ".jupyter_cache"))
    uris = [str(path.resolve()) for path in notebooks]
    for uri in uris:
        cache.add_nb_to_project(uri)
    pending = [Path(record.uri).name for record in cache.list_unexecuted(filter_uris=uris)]
    if not pending:
        print("execute_chapters: every chapter is cached")
        return
    print(f"execute_chapters: executing in parallel: {', '.join(pending)}")
    start = time.perf_counter()
    result = load_executor("local-parallel", cache).run_and_cache(
        filter_uris=uris, timeout=execution_timeout()
    )
    seconds = time.perf_counter() - start
    print(f"execute_chapters: {len(result.succeeded)} executed in {seconds:.0f} s")
    failed = [Path(uri).name for uri in result.excepted + result.errored]
    if failed:
        print(f"execute_chapters: failed, left for the build to report: {', '.join(failed)}")


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
    execute(arguments.notebooks, arguments.path_output)
