"""Figures: the shared style, ``plot`` for static curves, ``Animator`` for live ones."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import pyplot as plt

__all__ = ["PALETTE", "Animator", "plot", "plt", "set_axes", "set_figsize", "use_svg_display"]

#: Okabe-Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Line styles paired with the colours, so curves differ without colour too.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)))

mpl.rcParams["axes.prop_cycle"] = cycler(color=PALETTE) + cycler(linestyle=LINESTYLES)
mpl.rcParams["svg.hashsalt"] = "d2l-utils"  # stable element ids in SVG output
mpl.rcParams["savefig.transparent"] = False


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the book's stack
        return False
    return get_ipython() is not None


def use_svg_display() -> None:
    """Show figures in a notebook as SVG (sharp at any zoom, text stays text).

    Figures get an opaque white background: the inline backend's default is
    transparent, which leaves black axes unreadable on a dark page theme.
    """
    plt.rcParams["figure.facecolor"] = "white"
    if _in_ipython():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Use SVG output and make ``figsize`` (inches) the default figure size."""
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def set_axes(
    axes: Any,
    xlabel: str | None,
    ylabel: str | None,
    xlim: Sequence[float] | None,
    ylim: Sequence[float] | None,
    xscale: str,
    yscale: str,
    legend: Sequence[str] | None,
) -> None:
    """Apply labels, limits, scales, a legend and a grid to matplotlib ``axes``."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim is not None:
        axes.set_xlim(xlim)
    if ylim is not None:
        axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid(True, alpha=0.4)


def _as_list(values: Any) -> list[float]:
    if hasattr(values, "asnumpy"):
        values = values.asnumpy()
    return [float(v) for v in values]


def _is_one_series(values: Any) -> bool:
    """True when ``values`` is a single 1-D series rather than a list of series."""
    if hasattr(values, "ndim"):
        return values.ndim == 1
    return isinstance(values, list | tuple) and (not values or not hasattr(values[0], "__len__"))


DEFAULT_FMTS = ("-", "m--", "g-.", "r:")


def _draw_curves(axes: Any, series: Sequence[tuple[Any, Any]], fmts: Sequence[str]) -> None:
    """Clear ``axes`` and draw each ``(x, y)`` pair.

    With the default ``fmts`` the curves take the book's palette and line styles;
    explicit matplotlib format strings are honoured as given.
    """
    axes.cla()
    default_style = tuple(fmts) == DEFAULT_FMTS
    for i, (x, y) in enumerate(series):
        if default_style:
            color, linestyle = PALETTE[i % len(PALETTE)], LINESTYLES[i % len(LINESTYLES)]
            axes.plot(x, y, color=color, linestyle=linestyle)
        else:
            axes.plot(x, y, fmts[i % len(fmts)])


def plot(
    X: Any,
    Y: Any = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    legend: Sequence[str] | None = None,
    xlim: Sequence[float] | None = None,
    ylim: Sequence[float] | None = None,
    xscale: str = "linear",
    yscale: str = "linear",
    fmts: Sequence[str] = DEFAULT_FMTS,
    figsize: tuple[float, float] = (3.5, 2.5),
    axes: Any = None,
) -> Any:
    """Plot one or several curves; ``X`` alone is plotted against its index.

    ``X`` and ``Y`` may each be one series or a list of series. When ``fmts`` is
    left at its default, curves take the book's colour-blind-safe palette and line
    styles; pass explicit format strings to choose your own. Returns the axes.
    """
    if legend is None:
        legend = []
    set_figsize(figsize)
    axes = axes if axes is not None else plt.gca()
    if Y is None:
        X, Y = [[]] * (1 if _is_one_series(X) else len(X)), X
    elif _is_one_series(X):
        X = [X] * (1 if _is_one_series(Y) else len(Y))
    if _is_one_series(Y):
        Y = [Y]
    if len(X) != len(Y):
        raise ValueError(f"X holds {len(X)} series but Y holds {len(Y)}; pass one X per Y")
    series = []
    for i, (x, y) in enumerate(zip(X, Y, strict=True)):
        y = _as_list(y)
        x = _as_list(x) if len(x) else list(range(len(y)))
        if len(x) != len(y):
            raise ValueError(f"series {i}: x has {len(x)} points but y has {len(y)}")
        series.append((x, y))
    _draw_curves(axes, series, fmts)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return axes


class Animator:
    """A line plot that grows while a model trains.

    ``add(x, ys)`` appends one point to each curve. In a notebook the figure
    appears once ``min_interval`` seconds have passed since the animator was
    made, and is then updated in place at most every ``min_interval`` seconds;
    ``finish`` draws the final state. Rendering the figure for the notebook
    takes 0.1 to 0.3 seconds, a quarter of one of the chapters' training runs:
    a run shorter than ``min_interval`` (all of the chapters' runs) is drawn
    once, at the end, and a longer one spends at most about a tenth of its time
    drawing. Outside IPython nothing is displayed: the figure and the data are
    only kept.
    """

    def __init__(
        self,
        xlabel: str | None = None,
        ylabel: str | None = None,
        legend: Sequence[str] | None = None,
        xlim: Sequence[float] | None = None,
        ylim: Sequence[float] | None = None,
        xscale: str = "linear",
        yscale: str = "linear",
        fmts: Sequence[str] = DEFAULT_FMTS,
        nrows: int = 1,
        ncols: int = 1,
        figsize: tuple[float, float] = (3.5, 2.5),
        min_interval: float = 2.0,
    ) -> None:
        use_svg_display()
        self.fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
        self.axes = [axes] if nrows * ncols == 1 else list(axes.flat)
        self._style = (xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.fmts = fmts
        self.min_interval = min_interval
        self.X: list[list[float]] | None = None
        self.Y: list[list[float]] | None = None
        self._handle: Any = None
        self._last_draw = time.perf_counter()  # no figure of a single point
        self._interactive = _in_ipython()

    def add(self, x: Any, y: Any) -> None:
        """Append the point(s) ``(x, y)``; ``y`` holds one value per curve."""
        ys = list(y) if hasattr(y, "__len__") else [y]
        xs = list(x) if hasattr(x, "__len__") else [x] * len(ys)
        if self.X is None or self.Y is None:
            self.X = [[] for _ in ys]
            self.Y = [[] for _ in ys]
        if len(ys) != len(self.Y) or len(xs) != len(ys):
            raise ValueError(f"add() expects {len(self.Y)} value(s) per call, got {len(ys)}")
        for i, (a, b) in enumerate(zip(xs, ys, strict=True)):
            if a is not None and b is not None:
                self.X[i].append(float(a))
                self.Y[i].append(float(b))
        if self._interactive and time.perf_counter() - self._last_draw >= self.min_interval:
            self._show()

    def draw(self) -> None:
        """Redraw every curve onto the figure (without displaying it)."""
        _draw_curves(self.axes[0], list(zip(self.X or [], self.Y or [], strict=True)), self.fmts)
        set_axes(self.axes[0], *self._style)

    def _show(self) -> None:
        from IPython import display

        self.draw()
        if self._handle is None:
            self._handle = display.display(self.fig, display_id=True)
        else:
            self._handle.update(self.fig)
        self._last_draw = time.perf_counter()

    def finish(self) -> None:
        """Draw the final curves and release the figure (no duplicate at cell end)."""
        if self._interactive:
            self._show()
        else:
            self.draw()
        plt.close(self.fig)
