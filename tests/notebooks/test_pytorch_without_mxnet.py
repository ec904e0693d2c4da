"""Every PyTorch notebook runs where MXNet cannot: a fresh environment with a current NumPy.

As on Colab: a second virtual environment, ``.venv-colab`` (``make colab-env``, which
``make test`` runs first, from ``tools/colab-requirements.txt``), holds no MXNet and NumPy 2,
and the package from this checkout with its ``torch`` extra (editable, so the checkout's
code is what runs; the notebooks' setup cell would install it from the repository, and
finds it present). Then
each ``notebooks/pytorch/*.ipynb``, as the download menu and the Colab button hand it out,
executes top to bottom in a kernel of that environment, and the two trainings print the
section's final loss.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks" / "pytorch").glob("*.ipynb"))
ENVIRONMENT = ROOT / ".venv-colab"
LOSS = re.compile(r"loss: (\d\.\d{3}), ")
# The kernel over IPC, as the build's (tools/kernels.py, from this checkout: sys.argv[3]).
EXECUTE = """
import json, sys, nbformat
from nbclient import NotebookClient
sys.path.insert(0, sys.argv[3])
from tools import kernels
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}, **kernels.client_options()).execute()
printed = [o.get("text", "") for c in notebook.cells for o in c.get("outputs", [])]
print(json.dumps(printed))
"""


@pytest.fixture(scope="module")
def python() -> Path:
    """The Python of the environment ``make colab-env`` installed."""
    python = ENVIRONMENT / "bin" / "python"
    assert (ENVIRONMENT / ".installed").is_file(), "run `make colab-env` (make test does)"
    return python


def test_the_environment_is_colabs_kind(python: Path) -> None:
    probe = (
        "import importlib.util, json, numpy, torch, d2l_utils;"
        "print(json.dumps([numpy.__version__, importlib.util.find_spec('mxnet') is None]))"
    )
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    numpy_version, no_mxnet = json.loads(out.stdout)
    assert int(numpy_version.split(".")[0]) >= 2 and no_mxnet


def test_the_tensorflow_extra_installs_beside_numpy_2_without_mxnet(python: Path) -> None:
    """The package's TensorFlow extras, as installed there (``-e .[torch,tensorflow-cpu]``
    beside tensorflow-cpu 2.21): the edition imports, NumPy is 2, MXNet is absent, and no
    extra but MXNet's asks for MXNet."""
    probe = (
        "import importlib.metadata as m, importlib.util, json, numpy;"
        "from d2l_utils import tensorflow;"
        "print(json.dumps([numpy.__version__, importlib.util.find_spec('mxnet') is None,"
        " m.version('tensorflow-cpu'), m.requires('d2l_utils')]))"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "1"}
    out = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    numpy_version, no_mxnet, tensorflow_cpu, requires = json.loads(out.stdout.splitlines()[-1])
    assert int(numpy_version.split(".")[0]) >= 2 and no_mxnet
    assert tuple(int(part) for part in tensorflow_cpu.split(".")[:2]) >= (2, 16)
    extras = {r.split(";")[0].replace(" ", ""): r.split("extra ==")[-1] for r in requires}
    assert extras["tensorflow>=2.16"].strip(" '\"") == "tensorflow"
    assert extras["tensorflow-cpu>=2.16"].strip(" '\"") == "tensorflow-cpu"
    assert all("mxnet" not in r or 'extra == "mxnet"' in r for r in requires), requires


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_the_pytorch_notebook_runs_without_mxnet(python: Path, notebook: Path) -> None:
    result = subprocess.run(
        [str(python), "-c", EXECUTE, str(notebook), str(notebook.parent), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
        env={
            "PATH": f"{python.parent}:/usr/bin:/bin",
            "MPLBACKEND": "Agg",
            # The Makefile's one thread per kernel, as the other tests' kernels run.
            **{k: v for k, v in os.environ.items() if k == "OMP_NUM_THREADS"},
            "HOME": str(Path.home()),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    printed = "".join(json.loads(result.stdout.splitlines()[-1]))
    if notebook.stem in ("from_scratch", "concise"):
        losses = [float(v) for v in LOSS.findall(printed)]
        assert losses and all(0.235 <= loss <= 0.255 for loss in losses), losses
