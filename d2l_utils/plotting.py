"""Figures: the shared style, ``plot`` for static curves, ``Animator`` for live ones."""

from __future__ import annotations

import time
from collections.abc import Sequence
from numbers import Real
from typing import Any

import matplotlib as mpl
import numpy as onp
from cycler import cycler
from matplotlib import pyplot as plt
from matplotlib.axes import Axes

from .checks import (
    check_choice,
    check_count,
    check_flag,
    check_pair,
    check_real,
    check_real_array,
    check_text,
    describe,
)

__all__ = ["PALETTE", "Animator", "plot", "plt", "set_axes", "set_figsize", "use_svg_display"]

#: Okabe-Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Line styles paired with the colours, so curves differ without colour too.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)))

#: The axis scales of matplotlib that need no extra arguments.
SCALES = ("linear", "log", "symlog", "logit", "asinh")
#: The largest figure side, in inches (matplotlib draws at most 2**16 pixels a side).
MAX_INCHES = 100.0
#: The most rows or columns of panels an Animator makes.
MAX_PANELS = 10

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


def _check_figsize(figsize: Any) -> tuple[float, float]:
    width, height = check_pair("figsize", figsize)
    if not (0 < width <= MAX_INCHES and 0 < height <= MAX_INCHES):
        raise ValueError(
            f"figsize must be (width, height) in inches, each > 0 and at most {MAX_INCHES:g}; "
            f"got {describe(figsize)}"
        )
    return width, height


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Use SVG output and make ``figsize`` (inches) the default figure size."""
    figsize = _check_figsize(figsize)
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def _check_limits(name: str, limits: Any, scale: str) -> tuple[float, float] | None:
    if limits is None:
        return None
    low, high = check_pair(name, limits)
    if low == high:
        raise ValueError(f"{name} must be two different numbers, got {describe(limits)}")
    if scale == "log" and min(low, high) <= 0:
        raise ValueError(f"{name} must be positive on a log scale, got {describe(limits)}")
    if scale == "logit" and not (0 < low < 1 and 0 < high < 1):
        raise ValueError(f"{name} must lie strictly between 0 and 1 on a logit scale")
    return low, high


def _check_style(
    xlabel: Any, ylabel: Any, xlim: Any, ylim: Any, xscale: Any, yscale: Any, legend: Any
) -> tuple[Any, ...]:
    """Check the arguments :func:`set_axes` applies; returns them with limits as tuples."""
    for name, label in (("xlabel", xlabel), ("ylabel", ylabel)):
        if label is not None:
            check_text(name, label)
    check_choice("xscale", xscale, SCALES)
    check_choice("yscale", yscale, SCALES)
    if legend is not None and (
        not isinstance(legend, list | tuple) or not all(isinstance(t, str) for t in legend)
    ):
        raise TypeError(f"legend must be a list of strings, one per curve; got {describe(legend)}")
    return (
        xlabel,
        ylabel,
        _check_limits("xlim", xlim, xscale),
        _check_limits("ylim", ylim, yscale),
        xscale,
        yscale,
        legend,
    )


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
    _check_axes(axes)
    xlabel, ylabel, xlim, ylim, xscale, yscale, legend = _check_style(
        xlabel, ylabel, xlim, ylim, xscale, yscale, legend
    )
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


def _check_axes(axes: Any) -> None:
    if not isinstance(axes, Axes):
        raise TypeError(f"axes must be matplotlib axes, e.g. plt.gca(), got {type(axes).__name__}")


def _check_fmts(fmts: Any) -> None:
    if (
        isinstance(fmts, str)
        or not isinstance(fmts, list | tuple)
        or not fmts
        or not all(isinstance(f, str) for f in fmts)
    ):
        raise TypeError(f"fmts must be a list of matplotlib format strings, got {describe(fmts)}")


def _series(name: str, values: Any) -> list[list[float]]:
    """``values`` as a list of curves: one 1-D series, or a list (or 2-D array) of them."""
    if hasattr(values, "asnumpy") or isinstance(values, onp.ndarray):
        array = check_real_array(name, values)
        if array.ndim not in (1, 2) or array.size == 0:
            raise ValueError(f"{name} must be one series or a list of them, got {array.shape}")
        return [array.tolist()] if array.ndim == 1 else [row.tolist() for row in array]
    if isinstance(values, str) or not isinstance(values, list | tuple) or not values:
        raise TypeError(
            f"{name} must be a non-empty list or array of numbers, or a list of such series; "
            f"got {describe(values)}"
        )
    if not hasattr(values[0], "__len__"):
        return [check_real_array(name, values, ndim=1).tolist()]
    curves = [check_real_array(f"{name}[{i}]", v, ndim=1).tolist() for i, v in enumerate(values)]
    if not all(curves):
        raise ValueError(f"{name} holds an empty series; give every curve at least one point")
    return curves


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
    style = _check_style(
        xlabel, ylabel, xlim, ylim, xscale, yscale, [] if legend is None else legend
    )
    _check_fmts(fmts)
    figsize = _check_figsize(figsize)
    if axes is not None:
        _check_axes(axes)
    xs: list[list[float]]
    if Y is None:
        ys = _series("X", X)
        xs = [list(map(float, range(len(y)))) for y in ys]
    else:
        ys, xs = _series("Y", Y), _series("X", X)
        if len(xs) == 1:
            xs *= len(ys)
    if len(xs) != len(ys):
        raise ValueError(f"X holds {len(xs)} series but Y holds {len(ys)}; pass one X per Y")
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if len(x) != len(y):
            raise ValueError(f"series {i}: X has {len(x)} points but Y has {len(y)}")
    set_figsize(figsize)
    axes = axes if axes is not None else plt.gca()
    _draw_curves(axes, list(zip(xs, ys, strict=True)), fmts)
    set_axes(axes, *style)
    return axes


def _points(name: str, values: Any) -> list[float | None]:
    """One value per curve, from a number, None, or a sequence (or array) of those."""
    if isinstance(values, list | tuple):
        if not values:
            raise ValueError(f"{name} must hold at least one value, one per curve")
        return [None if v is None else check_real(f"{name}[{i}]", v) for i, v in enumerate(values)]
    if values is None:
        return [None]
    return [float(v) for v in check_real_array(name, values).ravel()]


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
        *,
        grow_ylim: bool = False,
    ) -> None:
        self._style = _check_style(xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.grow_ylim = check_flag("grow_ylim", grow_ylim)
        _check_fmts(fmts)
        figsize = _check_figsize(figsize)
        nrows = check_count("nrows", nrows, maximum=MAX_PANELS)
        ncols = check_count("ncols", ncols, maximum=MAX_PANELS)
        self.min_interval = check_real("min_interval", min_interval)
        if self.min_interval < 0:
            raise ValueError(f"min_interval must be >= 0 seconds, got {min_interval}")
        use_svg_display()
        self.fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
        self.axes = [axes] if nrows * ncols == 1 else list(axes.flat)
        self.fmts = fmts
        self.X: list[list[float]] | None = None
        self.Y: list[list[float]] | None = None
        self._handle: Any = None
        self._last_draw = time.perf_counter()  # no figure of a single point
        self._interactive = _in_ipython()

    def add(self, x: Any, y: Any) -> None:
        """Append the point(s) ``(x, y)``; ``y`` holds one value per curve (None: no point).

        ``x`` is one number shared by the curves, or one per curve.
        """
        ys = _points("y", y)
        xs = [x] * len(ys) if x is None or isinstance(x, Real) else _points("x", x)
        if self.X is None or self.Y is None:
            self.X = [[] for _ in ys]
            self.Y = [[] for _ in ys]
        if len(ys) != len(self.Y):
            raise ValueError(f"y must hold one value per curve ({len(self.Y)}), got {len(ys)}")
        if len(xs) != len(ys):
            raise ValueError(f"x must be one number or one per curve ({len(ys)}), got {len(xs)}")
        for i, (a, b) in enumerate(zip(xs, ys, strict=True)):
            if a is not None and b is not None:
                self.X[i].append(check_real("x", a))
                self.Y[i].append(b)
        if self._interactive and time.perf_counter() - self._last_draw >= self.min_interval:
            self._show()

    def draw(self) -> None:
        """Redraw every curve onto the figure (without displaying it)."""
        _draw_curves(self.axes[0], list(zip(self.X or [], self.Y or [], strict=True)), self.fmts)
        set_axes(self.axes[0], *self._grown_style())

    def _grown_style(self) -> tuple[Any, ...]:
        """The axes' style; with ``grow_ylim``, ``ylim`` widened to every point drawn.

        The given range stays the smallest one shown, so a good run looks as in
        the book, while a bad run's points stay in view instead of off the chart;
        points spanning more than two decades switch the y axis to a log scale.
        """
        xlabel, ylabel, xlim, ylim, xscale, yscale, legend = self._style
        points = [v for curve in self.Y or [] for v in curve]
        if not (self.grow_ylim and ylim is not None and points):
            return self._style
        low, high = min(min(points), ylim[0]), max(max(points), ylim[1])
        if (low, high) == tuple(ylim):
            return self._style
        if low > 0 and high / low > 100:
            return (xlabel, ylabel, xlim, (low / 1.2, high * 1.2), xscale, "log", legend)
        margin = 0.05 * (high - low)
        return (xlabel, ylabel, xlim, (low - margin, high + margin), xscale, yscale, legend)

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
