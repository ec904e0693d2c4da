"""Figures: the book's one palette, ``plot`` for static curves, ``Animator`` for live ones.

``STYLES`` gives every method one colour and one line style, used by every figure
and, through the explorers' configuration, by the browser too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real as RealNumber
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import pyplot as plt
from matplotlib.axes import Axes

from .validation import (
    Array,
    Boolean,
    Constraint,
    InstanceOf,
    Integer,
    OneOf,
    Optional,
    Pair,
    Real,
    Text,
    validated,
)

__all__ = [
    "PALETTE",
    "STYLES",
    "Animator",
    "Style",
    "plot",
    "plt",
    "set_axes",
    "set_figsize",
    "use_svg_display",
]

#: Okabe-Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")


@dataclass(frozen=True)
class Style:
    """A line's colour and dash pattern (on/off lengths in line widths; empty: solid)."""

    color: str
    dash: tuple[float, ...] = ()

    @property
    def linestyle(self) -> Any:
        """The dash pattern as matplotlib takes it."""
        return "-" if not self.dash else (0, self.dash)

    @property
    def dasharray(self) -> str:
        """The dash pattern as SVG's ``stroke-dasharray`` takes it (for a 2 px line)."""
        return " ".join(f"{2 * d:g}" for d in self.dash)


#: Each method's look in every figure and explorer, plus the explorers' other marks.
STYLES = {
    "sgd": Style(PALETTE[2], (1, 2)),
    "momentum": Style(PALETTE[3], (5, 2, 1, 2)),
    "adagrad": Style(PALETTE[0], (4, 2)),
    "rmsprop": Style(PALETTE[5]),
    "adam": Style(PALETTE[1], (7, 2)),
    "rmsprop_centered": Style(PALETTE[4], (2, 1)),
    "window": Style(PALETTE[5], (4, 2)),
    "half_life": Style(PALETTE[2], (1, 2)),
    "contours": Style("#9a9a9a"),
    "path": Style(PALETTE[5]),
}
#: Labels of the methods, as the text and legends name them.
LABELS = {
    "sgd": "SGD",
    "momentum": "momentum",
    "adagrad": "Adagrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "rmsprop_centered": "centered RMSProp",
}
#: The curves of ``plot`` and ``Animator`` by default: the palette with its dashes.
DEFAULT_FMTS = ("-", "m--", "g-.", "r:")
_CYCLE = [STYLES[m] for m in ("adagrad", "adam", "sgd", "momentum", "rmsprop_centered")]
_CYCLE += [STYLES["rmsprop"], Style(PALETTE[6], (1, 1))]

mpl.rcParams["axes.prop_cycle"] = cycler(color=[s.color for s in _CYCLE]) + cycler(
    linestyle=[s.linestyle for s in _CYCLE]
)
mpl.rcParams["svg.hashsalt"] = "d2l-utils"  # stable element ids in SVG output
mpl.rcParams["savefig.transparent"] = False

SCALE = OneOf("linear", "log", "symlog", "logit", "asinh")
LABEL = Optional(Text())
LIMITS = Optional(Pair("(0, 1)"))
FIGSIZE = Pair("(3.5, 2.5)", positive=True)
LEGEND = Optional(InstanceOf((list, tuple), "a list of strings, one per curve"))


class _Fmts(Constraint):
    text = "a non-empty list of matplotlib format strings such as ['-', 'm--']"

    def check(self, name: str, value: Any) -> Any:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise self.refuse(name, value)
        if not value or not all(isinstance(f, str) for f in value):
            raise self.refuse(name, value, ValueError)
        return value


class _Points(Constraint):
    """``Animator.add``'s x or y: a number (or None), or one per curve."""

    text = "a finite number or None, or a list of them, one per curve"

    def check(self, name: str, value: Any) -> list[float | None]:
        values = value.tolist() if hasattr(value, "tolist") else value
        values = list(values) if isinstance(values, list | tuple) else [values]
        if not values or any(
            v is not None and (isinstance(v, bool) or not isinstance(v, RealNumber))
            for v in values
        ):
            raise self.refuse(name, value)
        if any(v is not None and not math.isfinite(v) for v in values):
            raise self.refuse(name, value, ValueError)
        return [None if v is None else float(v) for v in values]


FMTS = _Fmts()
AXES = InstanceOf(Axes, "matplotlib axes, e.g. plt.gca()")
#: What ``plot`` and ``Animator`` accept alike: the axes' labels, limits, scales, styles.
AXES_OPTIONS = {
    "xlabel": LABEL,
    "ylabel": LABEL,
    "legend": LEGEND,
    "xlim": LIMITS,
    "ylim": LIMITS,
    "xscale": SCALE,
    "yscale": SCALE,
    "fmts": FMTS,
}


def _in_ipython() -> bool:
    from IPython import get_ipython

    return get_ipython() is not None


def use_svg_display() -> None:
    """Show figures in a notebook as SVG, on an opaque white background (dark themes)."""
    plt.rcParams["figure.facecolor"] = "white"
    if _in_ipython():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")


@validated(figsize=FIGSIZE)
def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Use SVG output and make ``figsize`` (inches) the default figure size."""
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


@validated(
    axes=AXES,
    xlabel=LABEL,
    ylabel=LABEL,
    xlim=LIMITS,
    ylim=LIMITS,
    xscale=SCALE,
    yscale=SCALE,
    legend=LEGEND,
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


def _draw_curves(axes: Any, series: Sequence[tuple[Any, Any]], fmts: Sequence[str]) -> None:
    """Clear ``axes`` and draw each ``(x, y)``: the palette by default, else ``fmts``."""
    axes.cla()
    for i, (x, y) in enumerate(series):
        if tuple(fmts) == DEFAULT_FMTS:
            axes.plot(x, y)
        else:
            axes.plot(x, y, fmts[i % len(fmts)])


class _Series(Constraint):
    """One series of numbers, or several (a list, or a 2-D array)."""

    text = "one series of finite numbers or a list of such series"

    def check(self, name: str, value: Any) -> list[list[float]]:
        array = Array(text=self.text)
        if isinstance(value, list | tuple) and value and hasattr(value[0], "__len__"):
            curves = [array.check(name, v) for v in value]
        else:
            curves = [array.check(name, value)]
        if any(c.ndim not in (1, 2) or c.size == 0 for c in curves):
            raise self.refuse(name, value, ValueError)
        return [row.tolist() for c in curves for row in (c if c.ndim == 2 else [c])]


@validated(
    X=_Series(),
    Y=Optional(_Series()),
    **AXES_OPTIONS,
    figsize=FIGSIZE,
    axes=Optional(AXES),
)
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
    """Plot one or several curves, ``Y`` against ``X`` (``X`` alone: against its index).

    With the default ``fmts`` the curves take the book's palette and line styles;
    explicit matplotlib format strings are honoured as given. Returns the axes.
    """
    if Y is None:
        X, Y = [list(map(float, range(len(y)))) for y in X], X
    elif len(X) == 1:
        X = X * len(Y)
    if len(X) != len(Y) or any(len(x) != len(y) for x, y in zip(X, Y, strict=True)):
        shapes = [len(x) for x in X], [len(y) for y in Y]
        raise ValueError(f"X and Y must pair up point by point, got lengths {shapes}")
    set_figsize(figsize)
    axes = axes if axes is not None else plt.gca()
    _draw_curves(axes, list(zip(X, Y, strict=True)), fmts)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return axes


class Animator:
    """A line plot that grows while a model trains (the book's ``Animator``).

    ``add(x, ys)`` appends one point to each curve. In a notebook the figure appears
    once ``min_interval`` seconds have passed and is then redrawn in place at most
    every ``min_interval`` seconds; ``finish`` draws the final state. The chapters'
    runs are shorter than ``min_interval``, so they are drawn once, at the end.
    With ``grow_ylim`` the y range widens to every point drawn (the given ``ylim``
    is the smallest range shown), and points spanning more than two decades switch
    the axis to a log scale: a bad run stays in view instead of off the chart.
    """

    @validated(
        **AXES_OPTIONS,
        nrows=Integer(low=1),
        ncols=Integer(low=1),
        figsize=FIGSIZE,
        min_interval=Real(low=0),
        grow_ylim=Boolean(),
    )
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
        self._style = (xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.grow_ylim = grow_ylim
        self.min_interval = min_interval
        use_svg_display()
        self.fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
        self.axes = [axes] if nrows * ncols == 1 else list(axes.flat)
        self.fmts = fmts
        self.X: list[list[float]] | None = None
        self.Y: list[list[float]] | None = None
        self._handle: Any = None
        self._last_draw = time.perf_counter()  # no figure of a single point
        self._interactive = _in_ipython()

    @validated(x=_Points(), y=_Points())
    def add(self, x: Any, y: Any) -> None:
        """Append the point(s) ``(x, y)``; ``y`` holds one value per curve (None: no point).

        ``x`` is one number shared by the curves, or one per curve.
        """
        ys = y
        xs = x * len(ys) if len(x) == 1 else x
        if self.X is None or self.Y is None:
            self.X, self.Y = [[] for _ in ys], [[] for _ in ys]
        if not len(xs) == len(ys) == len(self.Y):
            raise ValueError(
                f"y must hold one value per curve ({len(self.Y)}) and x one number or one "
                f"per curve; got {len(xs)} x and {len(ys)} y values"
            )
        for i, (a, b) in enumerate(zip(xs, ys, strict=True)):
            if a is not None and b is not None:
                self.X[i].append(a)
                self.Y[i].append(b)
        if self._interactive and time.perf_counter() - self._last_draw >= self.min_interval:
            self._show()

    def draw(self) -> None:
        """Redraw every curve onto the figure (without displaying it)."""
        _draw_curves(self.axes[0], list(zip(self.X or [], self.Y or [], strict=True)), self.fmts)
        set_axes(self.axes[0], *self._grown_style())

    def _grown_style(self) -> tuple[Any, ...]:
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
        """Draw the final curves and release the figure (no duplicate at the cell's end)."""
        if self._interactive:
            self._show()
        else:
            self.draw()
        plt.close(self.fig)
