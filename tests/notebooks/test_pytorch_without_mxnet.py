"""Every PyTorch notebook runs where MXNet cannot: a fresh environment with a current NumPy.

As on Colab: a new virtual environment holds no MXNet and NumPy 2, and the package is
installed from this checkout with its ``torch`` extra (``pip install ".[torch]"``; the
notebooks' setup cell would install it from the repository, and finds it present). Then
each ``notebooks/pytorch/*.ipynb``, as the download menu and the Colab button hand it out,
executes top to bottom in a kernel of that environment, and the two trainings print the
section's final loss.
"""

from __future__ import annotations

import json
import re
import subprocess
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks" / "pytorch").glob("*.ipynb"))
#: What the environment needs beyond the package: a kernel to run the notebooks in, and
#: the libraries the exercises import (Colab has them all).
RUNNER = ["torch==2.13.0", "numpy>=2", "nbclient", "ipykernel", "scikit-learn"]
LOSS = re.compile(r"loss: (\d\.\d{3}), ")
EXECUTE = """
import json, sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}).execute()
printed = [o.get("text", "") for c in notebook.cells for o in c.get("outputs", [])]
print(json.dumps(printed))
"""


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new environment with the package's torch extra, without MXNet, with NumPy >= 2."""
    folder = tmp_path_factory.mktemp("pytorch-env")
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*install, *RUNNER, f"{ROOT}[torch]"], check=True, timeout=1200)
    subprocess.run(
        [str(python), "-m", "ipykernel", "install", "--prefix", str(folder), "--name", "python3"],
        check=True,
        capture_output=True,
    )
    yield python


def test_the_environment_is_colabs_kind(python: Path) -> None:
    probe = (
        "import importlib.util, json, numpy, torch, d2l_utils;"
        "print(json.dumps([numpy.__version__, importlib.util.find_spec('mxnet') is None]))"
    )
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    numpy_version, no_mxnet = json.loads(out.stdout)
    assert int(numpy_version.split(".")[0]) >= 2 and no_mxnet


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_the_pytorch_notebook_runs_without_mxnet(python: Path, notebook: Path) -> None:
    result = subprocess.run(
        [str(python), "-c", EXECUTE, str(notebook), str(notebook.parent)],
        capture_output=True,
        text=True,
        timeout=900,
        env={
            "PATH": f"{python.parent}:/usr/bin:/bin",
            "MPLBACKEND": "Agg",
            "HOME": str(Path.home()),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    printed = "".join(json.loads(result.stdout.splitlines()[-1]))
    if notebook.stem in ("from_scratch", "concise"):
        losses = [float(v) for v in LOSS.findall(printed)]
        assert losses and all(0.235 <= loss <= 0.255 for loss in losses), losses
