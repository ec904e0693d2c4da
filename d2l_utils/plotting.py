"""Figures: the book's one palette, ``plot`` for static curves, ``Animator`` for live ones.

``STYLES`` gives every method one colour and one line style, used by every figure
and, through the explorers' configuration, by the browser too.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from numbers import Real as RealNumber
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.axes._base import _process_plot_format  # type: ignore[attr-defined]

from .arrays import FLOAT32_MAX
from .optimizers import OPTIMIZERS
from .palette import PALETTE, Style
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
    unchecked,
    validated,
)

__all__ = [
    "LABELS",
    "STYLES",
    "Animator",
    "plot",
    "plt",
    "set_axes",
    "set_figsize",
    "use_svg_display",
]

#: Each optimizer's look in every figure and explorer, plus the explorers' other marks.
STYLES = {
    **{name: optimizer.style for name, optimizer in OPTIMIZERS.items()},
    "window": Style(PALETTE[5], (4, 2)),
    "half_life": Style(PALETTE[2], (1, 2)),
    "contours": Style("#9a9a9a"),
    "path": Style(PALETTE[5]),
}
#: The optimizers' names, as the text and legends write them.
LABELS = {name: optimizer.label for name, optimizer in OPTIMIZERS.items()}
#: The curves of ``plot`` and ``Animator`` when no ``fmts`` are given: the palette's
#: colours, each with its optimizer's dashes.
_CYCLE = [STYLES[m] for m in ("adagrad", "adam", "sgd", "momentum", "rmsprop_centered")]
_CYCLE += [STYLES["rmsprop"], Style(PALETTE[6], (1, 1))]

mpl.rcParams["axes.prop_cycle"] = cycler(color=[s.color for s in _CYCLE]) + cycler(
    linestyle=[s.linestyle for s in _CYCLE]
)
mpl.rcParams["svg.hashsalt"] = "d2l-utils"  # stable element ids in SVG output
mpl.rcParams["savefig.transparent"] = False

SCALE = OneOf("linear", "log", "symlog", "logit", "asinh")
LABEL = Optional(Text())
#: Axis limits: a figure's range holds at most float32's numbers, as the models do.
LIMITS = Optional(Pair("(0, 1)", bound=FLOAT32_MAX))
FIGSIZE = Pair("(3.5, 2.5)", positive=True, bound=100)
LEGEND = Optional(InstanceOf((list, tuple), "a list of strings, one per curve"))
#: Panels of one Animator: a grid that still fits on a page.
PANELS = Integer(1, 10)


class _Fmts(Constraint):
    """matplotlib format strings, such as ``['-', 'm--']``, checked by matplotlib's parser."""

    text = "None or a non-empty list of matplotlib format strings such as ['-', 'm--']"

    def is_type(self, value: Any) -> bool:
        return value is None or isinstance(value, list | tuple)

    def is_satisfied_by(self, value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, list | tuple) or not value:
            return False
        try:
            for fmt in value:
                _process_plot_format(fmt)
        except (ValueError, TypeError):
            return False
        return True


class _Points(Constraint):
    """``Animator.add``'s x or y: a number (or None), or one per curve; converted to a list."""

    text = "a finite number or None, or a list of them, one per curve"

    @staticmethod
    def _values(value: Any) -> list[Any]:
        values = value.tolist() if hasattr(value, "tolist") else value
        return list(values) if isinstance(values, list | tuple) else [values]

    def is_type(self, value: Any) -> bool:
        values = self._values(value)
        return bool(values) and all(
            v is None or (isinstance(v, RealNumber) and not isinstance(v, bool)) for v in values
        )

    def is_satisfied_by(self, value: Any) -> bool:
        return self.is_type(value) and all(
            v is None or Real(float32=True).is_satisfied_by(v) for v in self._values(value)
        )

    def convert(self, value: Any) -> list[float | None]:
        return [None if v is None else float(v) for v in self._values(value)]


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


def _draw_curves(axes: Any, series: Sequence[tuple[Any, Any]], fmts: Sequence[str] | None) -> None:
    """Clear ``axes`` and draw each ``(x, y)``: the palette if ``fmts`` is None, else ``fmts``."""
    axes.cla()
    for i, (x, y) in enumerate(series):
        if fmts is None:
            axes.plot(x, y)
        else:
            axes.plot(x, y, fmts[i % len(fmts)])


class _Series(Constraint):
    """One series of numbers, or several (a list, or a 2-D array); converted to lists."""

    text = "one series of finite numbers or a list of such series"
    _array = Array(float32=True)

    @staticmethod
    def _parts(value: Any) -> list[Any]:
        several = isinstance(value, list | tuple) and value and hasattr(value[0], "__len__")
        return list(value) if several else [value]

    def is_type(self, value: Any) -> bool:
        return all(self._array.is_type(part) for part in self._parts(value))

    def is_satisfied_by(self, value: Any) -> bool:
        parts = self._parts(value)
        if not all(self._array.is_satisfied_by(part) for part in parts):
            return False
        curves = [self._array.convert(part) for part in parts]
        return all(c.ndim in (1, 2) and c.size > 0 for c in curves)

    def convert(self, value: Any) -> list[list[float]]:
        curves = [self._array.convert(part) for part in self._parts(value)]
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
    fmts: Sequence[str] | None = None,
    figsize: tuple[float, float] = (3.5, 2.5),
    axes: Any = None,
) -> Any:
    """Plot one or several curves, ``Y`` against ``X`` (``X`` alone: against its index).

    Without ``fmts`` the curves take the book's palette and line styles; explicit
    matplotlib format strings are honoured as given. Returns the axes.
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
    unchecked(set_axes)(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
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
        nrows=PANELS,
        ncols=PANELS,
        figsize=FIGSIZE,
        min_interval=Real(0, 3600),
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
        fmts: Sequence[str] | None = None,
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
        unchecked(set_axes)(self.axes[0], *self._grown_style())

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
        margin = 0.1 * (high / 2 - low / 2)  # halves first: no overflow near float's top
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
