"""Explorers for a running notebook: ipywidgets sliders driving the package's Python code.

Each explorer keeps one matplotlib figure and redraws it in place when a control
changes; its ``figure``, ``readout`` and controls are attributes, so the tests
can move a slider and inspect what was drawn.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as onp
from IPython import get_ipython
from IPython.display import Image, clear_output, display

from .checks import (
    MAX_ELEMENTS,
    DivergenceError,
    check_callable,
    check_count,
    check_decay,
    check_minibatches,
)
from .data import ArrayLoader
from .leaky_average import effective_window, half_life, leaky_weights
from .optimizers import METHODS
from .plotting import plt, use_svg_display
from .seeding import MAX_SEED, set_seed
from .training import EVAL_EVERY, train_ch11
from .web_explorers import (
    COLORS,
    CONTOUR_LEVELS,
    DASHES,
    ETA_GRID,
    LABELS,
    MAX_STEPS,
    WEIGHT_STEPS,
    Path2D,
    check_slider_values,
    contour_grid,
    path_2d,
)

__all__ = ["TrainingExplorer", "TrajectoryExplorer", "WeightsExplorer"]

#: Start points offered by the 2D explorer.
START_POINTS = {
    "(-5, -2), as in the section": (-5.0, -2.0),
    "(-2, 3)": (-2.0, 3.0),
    "(5, 1)": (5.0, 1.0),
    "(0.5, -3.5)": (0.5, -3.5),
}
EXPLORER_DPI = 90
MPL_DASHES = {"solid": "-", "dashed": "--", "dotdash": "-.", "dotted": ":"}


def eta_slider(value: float, description: str = "η (log scale)") -> widgets.SelectionSlider:
    """A learning-rate slider over ``ETA_GRID`` (log-spaced, two significant digits)."""
    return widgets.SelectionSlider(
        options=[(f"{eta:g}", eta) for eta in ETA_GRID],
        value=value,
        description=description,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )


def gamma_slider(value: float, description: str = "decay γ") -> widgets.FloatSlider:
    """A decay slider over [0, 1] in steps of 0.01."""
    return widgets.FloatSlider(
        value=value,
        min=0.0,
        max=1.0,
        step=0.01,
        description=description,
        readout_format=".2f",
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )


def _cell_key() -> str | None:
    """Which notebook cell is running: its id (JupyterLab sends one) or else its code."""
    shell = get_ipython()
    if shell is None:
        return None
    kernel = getattr(shell, "kernel", None)
    parent = kernel.get_parent() if kernel is not None else {}
    cell_id = (parent.get("metadata") or {}).get("cellId")
    history = shell.user_ns.get("_ih") or [None]
    return str(cell_id) if cell_id else history[-1]


#: The live explorer of each cell: running the cell again closes the previous one.
_LIVE: dict[str, _Explorer] = {}


class _Explorer:
    """Shared plumbing: controls, a readout, and an ``Output`` redrawn on every change.

    Re-running a cell that makes an explorer closes the explorer the cell made
    before (its widgets and figure), so memory stays flat however often a reader
    runs it; IPython's output history keeps only the closed shell.
    """

    controls: list[widgets.Widget]

    def __init__(self) -> None:
        key = _cell_key()
        if key is not None:
            previous = _LIVE.get(key)
            if previous is not None:
                previous.close()
            _LIVE[key] = self
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        self._shown: list[widgets.Widget] = []

    def close(self) -> None:
        """Close every widget of the explorer and release its figure."""
        for widget in [*self.controls, self.readout, self.output, *self._shown]:
            for part in (widget, getattr(widget, "layout", None), getattr(widget, "style", None)):
                if isinstance(part, widgets.Widget):
                    part.close()
        plt.close(self.figure)
        self.__dict__.clear()  # the history keeps only an empty shell

    def _new_figure(self, figsize: tuple[float, float], ncols: int = 1) -> None:
        """Create the explorer's figure; it is shown through ``self.output`` only."""
        use_svg_display()
        self.figure, axes = plt.subplots(1, ncols, figsize=figsize)
        plt.close(self.figure)
        self.axes = list(onp.atleast_1d(axes))

    def watch(self) -> None:
        """Call ``update`` whenever a control changes, and once now."""
        for control in self.controls:
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Redraw the figure from the controls' values and show it.

        The figure goes out as a PNG rendered without a tight bounding box, which
        takes half the time of the inline backend's tight SVG and keeps a slider
        move under 100 ms (see ``tools/benchmark.py``).
        """
        self.draw()
        image = io.BytesIO()
        self.figure.savefig(image, format="png", dpi=EXPLORER_DPI)
        with self.output:
            clear_output(wait=True)
            display(Image(data=image.getvalue(), format="png"))

    def draw(self) -> None:
        raise NotImplementedError

    def _ipython_display_(self) -> None:
        box = widgets.VBox([*self.controls, self.readout, self.output])
        self._shown.append(box)
        display(box)


class WeightsExplorer(_Explorer):
    """The weights (1-γ)γ^t of the last 40 observations, with window and half-life."""

    def __init__(self, gamma: float = 0.9) -> None:
        gamma = check_decay("gamma", gamma)
        super().__init__()
        self._new_figure((5.0, 2.8))
        self.gamma = gamma_slider(gamma)
        self.controls = [self.gamma]
        ax = self.axes[0]
        self.bars = ax.bar(
            onp.arange(WEIGHT_STEPS), onp.zeros(WEIGHT_STEPS), color=COLORS["adagrad"]
        )
        self.window_line = ax.axvline(0, linestyle="--", color="black")
        self.half_line = ax.axvline(0, linestyle=":", color="black")
        ax.set(
            xlabel="t (steps back)",
            ylabel="weight (1-γ)γ^t",
            xlim=(-1, WEIGHT_STEPS),
            ylim=(0, 1.02),
        )
        self.watch()

    def draw(self) -> None:
        gamma = self.gamma.value
        for bar, height in zip(self.bars, leaky_weights(gamma, WEIGHT_STEPS), strict=True):
            bar.set_height(height)
        shown = []
        for line, value, name in (
            (self.window_line, effective_window(gamma), "window 1/(1-γ)"),
            (self.half_line, half_life(gamma), "half-life"),
        ):
            line.set_visible(value < onp.inf)
            line.set_xdata([min(value, WEIGHT_STEPS)] * 2)
            shown.append(f"{value:.2f}" if value < onp.inf else "∞")
            line.set_label(f"{name} = {shown[-1]}")
        self.axes[0].legend(handles=[self.window_line, self.half_line], loc="upper right")
        self.readout.value = (
            f"γ = {gamma:.2f}: window 1/(1−γ) = {shown[0]} steps, "
            f"half-life ln 2/(−ln γ) = {shown[1]} steps"
        )


class TrajectoryExplorer(_Explorer):
    """SGD, momentum, Adagrad and RMSProp on f(x) = 0.1 x1² + 2 x2², by ``train_2d``."""

    def __init__(self, eta: float = 0.4, gamma: float = 0.9, steps: int = 20) -> None:
        eta, gamma, steps = check_slider_values(eta, gamma, steps)
        super().__init__()
        self._new_figure((9.0, 3.4), ncols=2)
        self.eta = eta_slider(eta)
        self.gamma = gamma_slider(gamma, "decay γ (RMSProp)")
        self.steps = widgets.IntSlider(
            value=steps,
            min=1,
            max=MAX_STEPS,
            description="steps",
            layout=widgets.Layout(width="420px"),
        )
        self.start = widgets.Dropdown(options=START_POINTS, description="start")
        self.controls = [self.eta, self.gamma, self.steps, self.start]
        contour_ax, loss_ax = self.axes
        contour_ax.contour(*contour_grid(), levels=CONTOUR_LEVELS, colors="0.6", linewidths=0.7)
        self.lines: dict[str, tuple[Any, Any]] = {}
        for method in METHODS:
            style = {
                "color": COLORS[method],
                "linestyle": MPL_DASHES[DASHES[method]],
                "label": LABELS[method],
            }
            (path_line,) = contour_ax.plot([], [], marker="o", markersize=3, **style)
            (loss_line,) = loss_ax.semilogy([], [], **style)
            self.lines[method] = (path_line, loss_line)
        contour_ax.set(xlim=(-6, 6), ylim=(-4, 4), xlabel="x1", ylabel="x2")
        loss_ax.set(xlabel="step", ylabel="f(x)")
        loss_ax.minorticks_off()  # a third of the drawing time, for little information
        loss_ax.legend(fontsize=8, loc="lower left")
        self.figure.tight_layout()
        self.paths: dict[str, Path2D] = {}
        self.watch()

    def draw(self) -> None:
        steps = self.steps.value
        self.paths = {
            m: path_2d(m, self.eta.value, self.gamma.value, steps, self.start.value)
            for m in METHODS
        }
        for method, path in self.paths.items():
            path_line, loss_line = self.lines[method]
            path_line.set_data(path["x1"], path["x2"])
            loss_line.set_data(path["step"], path["f"])
        loss_ax = self.axes[1]
        loss_ax.relim()
        loss_ax.autoscale_view()
        items = "".join(_final_text(m, p) for m, p in self.paths.items())
        self.readout.value = f"After {steps} steps:<ul>{items}</ul>"


def _final_text(method: str, path: Path2D) -> str:
    if path["diverged"]:
        return f"<li>{LABELS[method]}: diverged at step {path['diverged']}</li>"
    x1, x2, f = path["x1"][-1], path["x2"][-1], path["f"][-1]
    return f"<li>{LABELS[method]}: x1 {x1:.6f}, x2 {x2:.6f}, f {f:.6f}</li>"


class TrainingExplorer(_Explorer):
    """Re-run ``train_ch11`` with the reader's η and γ and redraw the loss curve.

    ``data_iter`` comes from ``get_data_ch11`` (or ``load_array``); each run is two
    epochs from the same seed, so only η and γ differ between curves.
    """

    def __init__(
        self,
        trainer_fn: Callable[[list[Any], Any, Mapping[str, Any]], None],
        init_states: Callable[[int], Any],
        data_iter: Any,
        feature_dim: int,
        eta: float = 0.01,
        gamma: float = 0.9,
        seed: int = 0,
    ) -> None:
        check_callable("trainer_fn", trainer_fn, "(params, states, hyperparams) -> None")
        check_callable("init_states", init_states, "feature_dim -> states")
        if not isinstance(data_iter, ArrayLoader):
            raise TypeError(
                "data_iter must be the iterator of d2l.get_data_ch11 or d2l.load_array, "
                f"got {type(data_iter).__name__}"
            )
        feature_dim = check_count("feature_dim", feature_dim, maximum=MAX_ELEMENTS)
        check_minibatches(data_iter, feature_dim)
        eta, gamma = check_slider_values(eta, gamma)[:2]
        seed = check_count("seed", seed, minimum=0, maximum=MAX_SEED)
        super().__init__()
        self._new_figure((4.5, 2.8))
        self._run = (trainer_fn, init_states, data_iter, feature_dim, seed)
        self.eta = eta_slider(eta)
        self.gamma = gamma_slider(gamma)
        for control in (self.eta, self.gamma):
            control.continuous_update = False  # one training run per release
        self.controls = [self.eta, self.gamma]
        (self.line,) = self.axes[0].plot([], [], color=COLORS["rmsprop"])
        self.axes[0].set(xlabel="epoch", ylabel="loss", xlim=(0, 2))
        self.curve: list[float] = []
        try:  # the first run tells whether trainer_fn and init_states work together
            self.watch()
        except (ValueError, TypeError) as error:
            raise type(error)(
                f"trainer_fn could not train from init_states(feature_dim): {error}"
            ) from None

    def draw(self) -> None:
        trainer_fn, init_states, data_iter, feature_dim, seed = self._run
        set_seed(seed)
        hyperparams = {"lr": self.eta.value, "gamma": self.gamma.value}
        label = f"η = {self.eta.value:g}, γ = {self.gamma.value:.2f}"
        try:
            _, self.curve = train_ch11(
                trainer_fn,
                init_states(feature_dim),
                hyperparams,
                data_iter,
                feature_dim,
                show=False,
            )
            self.readout.value = f"{label}: final loss {self.curve[-1]:.3f}"
        except DivergenceError as error:
            self.curve = list(error.trajectory)
            self.readout.value = f"{label}: {error}"
        # one point per EVAL_EVERY examples (the last one at the end of training)
        seen = onp.minimum(
            onp.arange(1, len(self.curve) + 1) * EVAL_EVERY, 2 * data_iter.num_examples
        )
        self.line.set_data(seen / data_iter.num_examples, self.curve)
        ax = self.axes[0]
        ax.relim()
        ax.autoscale_view(scalex=False)
