"""Explorers that run in the reader's browser, with no kernel: Bokeh plus ``CustomJS``.

The initial state is computed in Python; every slider move is recomputed in the
browser by ``js/optimizers.js``, a line-by-line mirror of the Python code, and
the tests check that both give the same numbers. BokehJS is embedded inline, so
a page needs nothing from any other host.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import numpy as onp
from bokeh.document import Document
from bokeh.embed import components
from bokeh.layouts import column, row
from bokeh.models import (
    ColumnDataSource,
    CustomJS,
    CustomJSTickFormatter,
    LayoutDOM,
    PointDrawTool,
    Range1d,
)

# Imported from where they are defined: mypy cannot follow bokeh.models' re-export of these.
from bokeh.models.annotations.geometry import Span
from bokeh.models.widgets.markups import Div
from bokeh.models.widgets.sliders import Slider
from bokeh.plotting import figure
from IPython.display import HTML, display
from numpy.typing import NDArray

from .checks import (
    DivergenceError,
    FloatArray,
    check_choice,
    check_count,
    check_decay,
    check_pair,
    check_positive,
    check_text,
)
from .leaky_average import effective_window, half_life, leaky_weights
from .optim2d import train_2d
from .optimizers import METHODS, f_2d, make_trainer_2d
from .plotting import PALETTE

__all__ = [
    "ETA_GRID",
    "explorer_html",
    "show_web",
    "trajectory_explorer_web",
    "weights_explorer_web",
]

#: Learning rates offered by the sliders: 20 per decade from 0.01 to 2, two significant
#: digits, so the section's 0.4 is one of them.
ETA_GRID = tuple(sorted({float(f"{10 ** (k / 20):.2g}") for k in range(-40, 7)}))
LABELS = {"sgd": "SGD", "momentum": "momentum", "adagrad": "Adagrad", "rmsprop": "RMSProp"}
DASHES = {"sgd": "dotted", "momentum": "dotdash", "adagrad": "dashed", "rmsprop": "solid"}
COLORS = {"sgd": PALETTE[2], "momentum": PALETTE[3], "adagrad": PALETTE[0], "rmsprop": PALETTE[5]}
WEIGHT_STEPS = 40
#: The most steps the trajectory explorers' slider offers.
MAX_STEPS = 100
#: CSS class of the figure that wraps an explorer; marks the pages that need BokehJS.
EXPLORER_CLASS = "bokeh-explorer"
#: A light card in both of the theme's modes: Bokeh draws dark text on its canvases.
EXPLORER_STYLE = "background: #fff; color: #1a1a1a; padding: 0.5em; border-radius: 6px"


#: Contour levels of f drawn behind the paths, in both kinds of explorer.
CONTOUR_LEVELS = [0.5, 2, 5, 10, 20]


@cache
def contour_grid() -> tuple[FloatArray, FloatArray, FloatArray]:
    """f on the explorers' window, x1 in [-6, 6] and x2 in [-4, 4], for contour lines."""
    grid1, grid2 = onp.meshgrid(onp.linspace(-6, 6, 121), onp.linspace(-4, 4, 81))
    return grid1, grid2, f_2d(grid1, grid2)


@cache
def read_js(name: str) -> str:
    """A script from ``d2l_utils/js``."""
    return (Path(__file__).parent / "js" / name).read_text(encoding="utf-8")


def optimizers_js() -> str:
    """The browser-side implementation of the update rules."""
    return read_js("optimizers.js")


def explorer_html(layout: Any, caption: str) -> str:
    """HTML for a Bokeh layout: the plot's div and script inside a captioned figure.

    BokehJS itself is not included: the book's Sphinx extension
    (:mod:`d2l_utils.sphinx_bokeh`) serves it from the site to pages that need it.
    """
    sliders = len(list(layout.select({"type": Slider})))
    document = Document()
    document.add_root(layout)
    document.js_on_event(
        "document_ready",
        CustomJS(code=read_js("label_sliders.js") + f"labelWhenRendered({sliders}, 120);"),
    )
    script, div = components(layout)
    return (
        f'<figure class="{EXPLORER_CLASS}" style="{EXPLORER_STYLE}">{div}'
        f'<figcaption style="color: #333">{html.escape(caption)}</figcaption></figure>{script}'
    )


def show_web(layout: Any, caption: str) -> None:
    """Display an in-browser explorer: it comes alive on the built website."""
    if not isinstance(layout, LayoutDOM):
        raise TypeError(
            "layout must be a Bokeh layout such as d2l.trajectory_explorer_web()'s, "
            f"got {type(layout).__name__}"
        )
    if layout.document is not None:
        raise ValueError(
            "layout is already shown on a page (a Bokeh layout belongs to one document); "
            "build a new one for each show_web call"
        )
    display(HTML(explorer_html(layout, check_text("caption", caption))))


class Path2D(TypedDict):
    """A 2D run as the explorers draw it: coordinates, f and step per point."""

    x1: FloatArray
    x2: FloatArray
    f: FloatArray
    step: NDArray[onp.int_]
    diverged: int  # the step at which the run diverged, 0 if it did not


def path_2d(
    method: str, eta: float, gamma: float, steps: int, start: tuple[float, float]
) -> Path2D:
    """The path of ``method`` from ``start`` by ``train_2d``, cut where it diverged."""
    try:
        points = train_2d(make_trainer_2d(method, eta, gamma), steps, start=start, verbose=False)
        diverged = 0
    except DivergenceError as error:
        points = error.trajectory
        diverged = len(points)
    x1, x2 = (onp.array(v) for v in zip(*points, strict=True))
    return {
        "x1": x1,
        "x2": x2,
        "f": f_2d(x1, x2),
        "step": onp.arange(len(points)),
        "diverged": diverged,
    }


def readout_html(paths: dict[str, Path2D], steps: int) -> str:
    """The explorer's readout: final x1, x2 and f per method (same text as the JS)."""
    rows = []
    for method in METHODS:
        p = paths[method]
        if p["diverged"]:
            text = f"diverged at step {p['diverged']}"
        else:
            text = f"x1 {p['x1'][-1]:.6f}, x2 {p['x2'][-1]:.6f}, f {p['f'][-1]:.6f}"
        rows.append(f'<li data-method="{method}">{LABELS[method]}: {text}</li>')
    return f"<p>After {steps} steps:</p><ul class='readout'>{''.join(rows)}</ul>"


def check_slider_values(eta: Any, gamma: Any, steps: Any = 1) -> tuple[float, float, int]:
    """Check the explorers' starting η (one of ``ETA_GRID``), γ and number of steps."""
    eta = check_choice("eta", check_positive("eta", eta), ETA_GRID)
    gamma = check_decay("gamma", gamma)
    steps = check_count("steps", steps, maximum=MAX_STEPS)
    return eta, gamma, steps


def _eta_slider(eta: float) -> Slider:
    index = ETA_GRID.index(eta)
    return Slider(
        start=0,
        end=len(ETA_GRID) - 1,
        step=1,
        value=index,
        title="learning rate η (log scale)",
        format=CustomJSTickFormatter(args={"etas": list(ETA_GRID)}, code="return etas[tick];"),
        sizing_mode="stretch_width",
    )


def trajectory_explorer_web(
    eta: float = 0.4, gamma: float = 0.9, steps: int = 20, start: tuple[float, float] = (-5, -2)
) -> Any:
    """SGD, momentum, Adagrad and RMSProp on f(x) = 0.1 x1² + 2 x2², recomputed in the browser.

    Sliders set η (shared by all four), γ (RMSProp's decay) and the number of steps;
    the start point can be dragged. A second panel shows f against the step.
    """
    eta, gamma, steps = check_slider_values(eta, gamma, steps)
    start = check_pair("start", start)
    paths = {m: path_2d(m, eta, gamma, steps, start) for m in METHODS}
    contour_plot = figure(
        width=320,
        height=300,
        x_range=Range1d(start=-6, end=6),
        y_range=Range1d(start=-4, end=4),
        title="paths on the contours of f",
        x_axis_label="x1",
        y_axis_label="x2",
        tools="pan,wheel_zoom,reset",
    )
    contour_plot.contour(
        *contour_grid(), levels=CONTOUR_LEVELS, line_color=PALETTE[4], line_alpha=0.6
    )
    loss_plot = figure(
        width=320,
        height=300,
        y_axis_type="log",
        title="f(x) against the step",
        x_axis_label="step",
        y_axis_label="f(x)",
        tools="pan,wheel_zoom,reset",
    )
    sources = {}
    for method in METHODS:
        source = ColumnDataSource({k: paths[method][k] for k in ("x1", "x2", "f", "step")})
        color, dash, label = COLORS[method], DASHES[method], LABELS[method]
        contour_plot.line(
            "x1",
            "x2",
            source=source,
            line_width=2,
            color=color,
            line_dash=dash,
            legend_label=label,
        )
        contour_plot.scatter("x1", "x2", source=source, size=4, color=color, legend_label=label)
        loss_plot.line(
            "step",
            "f",
            source=source,
            line_width=2,
            color=color,
            line_dash=dash,
            legend_label=label,
        )
        sources[method] = source
    for plot in (contour_plot, loss_plot):
        plot.legend.click_policy = "hide"
        plot.legend.location = "bottom_right" if plot is contour_plot else "bottom_left"
        plot.legend.label_text_font_size = "9pt"
    start_source = ColumnDataSource({"x": [start[0]], "y": [start[1]]})
    handle = contour_plot.scatter(
        "x", "y", source=start_source, size=14, marker="square", color="black", fill_alpha=0.3
    )
    # Bokeh types renderers as list[GlyphRenderer[XYGlyph]], an invariant list that no
    # renderer of a Scatter (an XYGlyph) can join; at run time any glyph renderer is accepted.
    drag = PointDrawTool(renderers=[handle], add=False, drag=True)  # type: ignore[list-item]
    contour_plot.add_tools(drag)
    contour_plot.toolbar.active_tap = drag

    eta_slider = _eta_slider(eta)
    gamma_slider = Slider(
        start=0,
        end=1,
        step=0.01,
        value=gamma,
        title="decay γ (RMSProp)",
        sizing_mode="stretch_width",
    )
    steps_slider = Slider(
        start=1, end=MAX_STEPS, step=1, value=steps, title="steps", sizing_mode="stretch_width"
    )
    readout = Div(text=readout_html(paths, steps), css_classes=["explorer-readout"])
    recompute = CustomJS(
        args={
            "etas": list(ETA_GRID),
            "eta": eta_slider,
            "gamma": gamma_slider,
            "steps": steps_slider,
            "start": start_source,
            "sources": sources,
            "readout": readout,
            "labels": LABELS,
            "methods": list(METHODS),
        },
        code=optimizers_js() + read_js("label_sliders.js") + _TRAJECTORY_CALLBACK,
    )
    for slider in (eta_slider, gamma_slider, steps_slider):
        slider.js_on_change("value", recompute)
    start_source.js_on_change("data", recompute)
    controls = column(eta_slider, gamma_slider, steps_slider, readout, width=680)
    return column(row(contour_plot, loss_plot), controls, name="trajectory-explorer")


_TRAJECTORY_CALLBACK = """
const t0 = performance.now();
const n = steps.value;
const x0 = start.data.x[0], y0 = start.data.y[0];
const items = [];
for (const method of methods) {
  const p = trajectory2d(method, etas[eta.value], gamma.value, n, x0, y0);
  sources[method].data = {x1: p.x1, x2: p.x2, f: p.f, step: p.step};
  const text = p.diverged ? `diverged at step ${p.diverged}` :
    `x1 ${p.x1.at(-1).toFixed(6)}, x2 ${p.x2.at(-1).toFixed(6)}, f ${p.f.at(-1).toFixed(6)}`;
  items.push(`<li data-method="${method}">${labels[method]}: ${text}</li>`);
}
readout.text = `<p>After ${n} steps:</p><ul class='readout'>${items.join("")}</ul>`;
globalThis.explorerTimings = globalThis.explorerTimings || [];
requestAnimationFrame(() => {
  globalThis.explorerTimings.push(performance.now() - t0);
  labelSliders(document);
});
"""


def weights_explorer_web(gamma: float = 0.9) -> Any:
    """The weights (1-γ)γ^t of the last 40 observations, with window and half-life marked."""
    gamma = check_decay("gamma", gamma)
    t = onp.arange(WEIGHT_STEPS)
    source = ColumnDataSource({"t": t, "w": leaky_weights(gamma, WEIGHT_STEPS)})
    plot = figure(
        width=520,
        height=300,
        y_range=Range1d(start=0, end=0.55),
        title="weight of the observation t steps back",
        x_axis_label="t (steps back)",
        y_axis_label="weight (1-γ)γ^t",
        tools="",
    )
    plot.vbar(x="t", top="w", source=source, width=0.8, color=PALETTE[0])
    window, half = (
        Span(location=where, dimension="height", line_color=color, line_dash=dash, line_width=2)
        for where, color, dash in (
            (effective_window(gamma), PALETTE[5], "dashed"),
            (half_life(gamma), PALETTE[2], "dotted"),
        )
    )
    plot.add_layout(window)
    plot.add_layout(half)
    slider = Slider(
        start=0, end=1, step=0.01, value=gamma, title="decay γ", sizing_mode="stretch_width"
    )
    readout = Div(text=_weights_text(gamma), css_classes=["explorer-readout"])
    slider.js_on_change(
        "value",
        CustomJS(
            args={
                "gamma": slider,
                "source": source,
                "window_span": window,
                "half": half,
                "readout": readout,
                "steps": WEIGHT_STEPS,
            },
            code=optimizers_js() + read_js("label_sliders.js") + _WEIGHTS_CALLBACK,
        ),
    )
    return column(plot, slider, readout, width=520, name="weights-explorer")


def _weights_text(gamma: float) -> str:
    window, half = (
        f"{v:.2f}" if v < onp.inf else "∞" for v in (effective_window(gamma), half_life(gamma))
    )
    return (
        f"<p>γ = {gamma:.2f}: window 1/(1−γ) = {window} steps (dashed), "
        f"half-life ln 2/(−ln γ) = {half} steps (dotted)</p>"
    )


_WEIGHTS_CALLBACK = """
const t0 = performance.now();
const g = gamma.value;
source.data = {t: source.data.t, w: leakyWeights(g, steps)};
const w = effectiveWindow(g), h = halfLife(g);
const show = (v) => (isFinite(v) ? v.toFixed(2) : "∞");
window_span.location = Math.min(w, 1e9);
half.location = Math.min(h, 1e9);
readout.text = `<p>γ = ${g.toFixed(2)}: window 1/(1−γ) = ${show(w)} steps (dashed), ` +
  `half-life ln 2/(−ln γ) = ${show(h)} steps (dotted)</p>`;
globalThis.explorerTimings = globalThis.explorerTimings || [];
requestAnimationFrame(() => {
  globalThis.explorerTimings.push(performance.now() - t0);
  labelSliders(document);
});
"""
