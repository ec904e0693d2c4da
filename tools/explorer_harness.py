"""One static page per explorer, made from the package's own explorers, for the browser tests.

    .venv/bin/python tools/explorer_harness.py OUTDIR

writes one page per explorer, ``<kind>.html`` (``weights.html``, ``trajectory.html``, ...),
into OUTDIR with the explorers' scripts beside them (``d2l_utils.explorers.script_files``),
so the pages work over http and from file://. Each page holds exactly what the book's
website holds for that explorer: the ``text/html`` form of a notebook cell's output, whose
state the package computed in Python. The tests drive the browser's copy on these pages and
compare it with that state.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path
from typing import Any

import d2l_utils as d2l
from d2l_utils.explorers.base import mount_script, script_files

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="explorers.css">
<style>
  body {{ margin: 0; background: #16181d; color: #e6e6e6;
         font: 16px/1.5 system-ui, sans-serif; }}
  main {{ max-width: 860px; margin: 0 auto; padding: 12px 16px 40px; }}
  h1 {{ font-size: 1.4rem; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>The explorer as the book's website shows it, on a dark page theme.</p>
{explorer}
</main>
<script src="d3.v7.min.js"></script>
<script src="explorers.js"></script>
<script>{mount}</script>
</body>
</html>
"""


def explorers() -> dict[str, Any]:
    """The chapters' explorers, made as the chapters make them, by kind."""
    d2l.set_seed(2)
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    made = [
        d2l.WeightsExplorer(gamma=0.9),
        d2l.TrajectoryExplorer(eta=0.4, gamma=0.9, steps=20),
        d2l.TrainingExplorer(data_iter, feature_dim),
        d2l.StateExplorer(),
        d2l.RotationExplorer(),
        d2l.MapExplorer(),
        d2l.ConventionsExplorer(data_iter, feature_dim, seed=0),
    ]
    return {explorer.kind: explorer for explorer in made}


def build(out: Path) -> dict[str, Path]:
    """Write the three pages and their scripts into ``out``; return the pages by kind."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in script_files().items():
        (out / name).write_text(text, encoding="utf-8")
    pages = {}
    for kind, explorer in explorers().items():
        bundle, _ = explorer._repr_mimebundle_()  # type: ignore[attr-defined]
        page = out / f"{kind}.html"
        title = html.escape(f"The {kind} explorer")
        page.write_text(
            PAGE.format(title=title, explorer=bundle["text/html"], mount=mount_script()),
            encoding="utf-8",
        )
        pages[kind] = page
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the pages into")
    for kind, page in build(parser.parse_args().out).items():
        print(f"{kind}: {page} ({page.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
