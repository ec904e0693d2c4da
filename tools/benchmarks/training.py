"""The training functions against the reference package ``d2l==1.0.3``, per framework.

For each framework of ``EDITIONS`` (MXNet in the book's kernel, TensorFlow in the NumPy-2
environment's, each with d2l 1.0.3 installed beside), both sides run in one Jupyter kernel
with inline SVG figures, as a reader runs the chapters: the same airfoil file, each
package's own ``get_data_ch11(batch_size=10)``, the same seed before every call, that
framework's from-scratch RMSProp of ``chapters/from_scratch.ipynb`` and the hyperparameters
of the chapters, two epochs. After one discarded warm-up
call of each function, the calls are interleaved (ours, reference, reference,
ours, ...) so that a change in the machine's load hits both sides alike.

Per call it records the sec/epoch the function prints, the wall time of the cell
(request to reply: training, loss evaluations, figures rendered and sent), the
processor time of the kernel in that cell and the final loss it prints. The ratios
against the reference are medians of each round's ratio (its two calls ran back to back).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.frameworks import FRAMEWORKS, KERNELS, TAG_PREFIX

from . import stats
from .kernel import CellRun, Kernel, kernel
from .stats import Goal

ROOT = Path(__file__).resolve().parents[2]
FROM_SCRATCH = ROOT / "chapters" / "from_scratch.ipynb"

#: Goal 5, per function: our wall time per call at most this fraction of the reference's,
WALL_RATIO = 0.1
#: and the same final loss: within this of the reference's.
LOSS_TOLERANCE = 0.005

# The reference caches data in ../data; hand it the folder of the file d2l_utils checked.
REFERENCE_DATA = """
d2l_ref.download = functools.partial(
    d2l_ref.download, folder=str(d2l.download("airfoil").parent))
d2l.set_seed(0)
data = {"ours": d2l.get_data_ch11(batch_size=10)[0],
        "reference": d2l_ref.get_data_ch11(batch_size=10)[0]}
package = {"ours": d2l, "reference": d2l_ref}
feature_dim = 5
"""


@dataclass(frozen=True)
class Edition:
    """One framework's side by side: what the kernel imports, one cell per call (``{side}``
    is "ours" or "reference") and, per call, our printed sec/epoch at most this fraction
    of the reference's."""

    setup: str
    calls: dict[str, str]
    sec_per_epoch_ratio: dict[str, float]


TRAIN_CH11 = (
    "d2l.set_seed(0)\n"
    "package['{side}'].train_ch11(rmsprop, init_rmsprop_states(feature_dim),\n"
    "    {{'lr': 0.01, 'gamma': 0.9}}, data['{side}'], feature_dim, num_epochs=2);"
)
EDITIONS = {
    "mxnet": Edition(
        "import functools\nimport d2l_utils as d2l\nfrom d2l import mxnet as d2l_ref\n"
        "from mxnet import np, npx\nnpx.set_np()\n" + REFERENCE_DATA,
        {
            "train_ch11": TRAIN_CH11,
            "train_concise_ch11": (
                "d2l.set_seed(0)\n"
                "package['{side}'].train_concise_ch11('rmsprop',\n"
                "    {{'learning_rate': 0.01, 'gamma1': 0.9}}, data['{side}'], num_epochs=2)"
            ),
        },
        {"train_ch11": 0.5, "train_concise_ch11": 0.4},
    ),
    "tensorflow": Edition(
        "import functools\nfrom d2l_utils import tensorflow as d2l\n"
        "from d2l import tensorflow as d2l_ref\nimport tensorflow as tf\n" + REFERENCE_DATA,
        {
            "train_ch11": TRAIN_CH11,
            "train_concise_ch11": (
                "d2l.set_seed(0)\n"
                "package['{side}'].train_concise_ch11(tf.keras.optimizers.RMSprop,\n"
                "    {{'learning_rate': 0.01, 'rho': 0.9}}, data['{side}'], num_epochs=2)"
            ),
        },
        {"train_ch11": 0.3, "train_concise_ch11": 0.3},
    ),
}
SIDES = ("ours", "reference")
PRINTED = re.compile(r"loss: (\d+\.\d+), (\d+\.\d+) sec/epoch")


def chapter_optimizer_code(framework: str) -> str:
    """The from-scratch ``rmsprop`` and ``init_rmsprop_states`` cell of the chapter for
    ``framework``."""
    notebook = json.loads(FROM_SCRATCH.read_text())
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        tagged = TAG_PREFIX + framework in cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and "def rmsprop(" in source and tagged:
            return source
    raise RuntimeError(f"{FROM_SCRATCH} has no {framework} cell defining rmsprop")


@dataclass
class Samples:
    """Every call of one function on one side."""

    sec_per_epoch: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)

    def add(self, run: CellRun) -> None:
        """Record one call from its cell run and the line it printed."""
        found = PRINTED.findall(run.stdout)
        if not found:
            raise RuntimeError(f"no 'loss: ..., ... sec/epoch' line in {run.stdout!r}")
        loss, sec_per_epoch = (float(v) for v in found[-1])
        self.sec_per_epoch.append(sec_per_epoch)
        self.wall.append(run.seconds)
        self.cpu.append(run.cpu_seconds)
        self.loss.append(loss)


def prepare(session: Kernel, framework: str) -> None:
    """Import both packages, load the data twice and define the chapter's optimizer."""
    session.run(EDITIONS[framework].setup)
    session.run(chapter_optimizer_code(framework))


Measured = dict[tuple[str, str, str], "Samples"]


def measure(repeat: int) -> Measured:
    """Per framework, in its own kernel: one warm-up call per function and side, then
    ``repeat`` interleaved rounds. Keys: (framework, function, side)."""
    samples: Measured = {}
    for framework, edition in EDITIONS.items():
        with kernel(KERNELS[framework]) as session:
            prepare(session, framework)
            found = {(f, side): Samples() for f in edition.calls for side in SIDES}
            for function, side in found:  # first-call costs are not measured
                session.run(edition.calls[function].format(side=side))
            for round_ in range(repeat):
                for function, call in edition.calls.items():
                    for side in SIDES if round_ % 2 == 0 else reversed(SIDES):
                        found[function, side].add(session.run(call.format(side=side)))
        samples |= {(framework, f, side): value for (f, side), value in found.items()}
    return samples


def _losses(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.3f}" if low == high else f"{low:.3f}-{high:.3f}"


def report(samples: Measured) -> tuple[list[str], list[float], list[Goal]]:
    """The table's lines, every spread (for the noise verdict) and the goals' verdicts."""
    lines = [
        f"{'function':30s} {'side':9s} {'sec/epoch (printed)':27s} "
        f"{'wall per call':27s} {'CPU per call':27s} final loss"
    ]
    spreads: list[float] = []
    goals = []
    for framework, function in dict.fromkeys((k[0], k[1]) for k in samples):
        name = f"{FRAMEWORKS[framework]} {function}"
        for side in SIDES:
            found = samples[framework, function, side]
            spreads += [stats.spread(found.sec_per_epoch), stats.spread(found.wall)]
            label = "d2l 1.0.3" if side == "reference" else side
            lines.append(
                f"{name:30s} {label:9s} {stats.describe(found.sec_per_epoch):27s} "
                f"{stats.describe(found.wall, digits=2):27s} "
                f"{stats.describe(found.cpu, digits=2):27s} {_losses(found.loss)}"
            )
        ours, ref = samples[framework, function, "ours"], samples[framework, function, "reference"]
        ratio = stats.paired_ratio(ours.sec_per_epoch, ref.sec_per_epoch)
        wall_ratio = stats.paired_ratio(ours.wall, ref.wall)
        # Losses are printed to 3 decimals: 0.244 against 0.249 is a gap of 0.005, no more.
        gap = round(abs(stats.median(ours.loss) - stats.median(ref.loss)), 9)
        goals += [
            stats.at_most(
                5,
                f"{name} sec/epoch, ours/reference",
                ratio,
                EDITIONS[framework].sec_per_epoch_ratio[function],
                "x",
                2,
            ),
            stats.at_most(
                5, f"{name} wall per call, ours/reference", wall_ratio, WALL_RATIO, "x", 2
            ),
            stats.at_most(5, f"{name} final loss, |ours - reference|", gap, LOSS_TOLERANCE, "", 3),
        ]
    return lines, spreads, goals


PROFILE_START = """
from pyinstrument import Profiler
_profiler = Profiler(interval=0.001, async_mode="disabled")
_profiler.start()
"""
# Library frames are folded away, except both packages' own (d2l is installed as one).
PROFILE_STOP = """
_profiler.stop()
print(_profiler.output_text(unicode=True, processor_options={
    "filter_threshold": 0.02, "show_regex": r".*(/d2l/|d2l_utils).*"}))
"""


def profile(session: Kernel, side: str = "ours", framework: str = "mxnet") -> dict[str, str]:
    """pyinstrument call trees of one call of each function, after a warm-up call.

    The profiler starts in the cell before the call and stops in the cell after
    it, so the tree also holds what IPython does at the end of the cell.
    """
    prepare(session, framework)
    trees = {}
    for function, code in EDITIONS[framework].calls.items():
        cell = code.format(side=side)
        session.run(cell)
        session.run(PROFILE_START)
        session.run(cell)
        trees[function] = session.run(PROFILE_STOP).stdout
    return trees
