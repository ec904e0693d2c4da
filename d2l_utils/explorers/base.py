"""What every explorer shares: the scripts, the controls, the state, the website's copy.

An explorer is an anywidget: its look and its controls are the browser scripts of
``js/`` (with d3), the same on the website and in a notebook. In a notebook (JupyterLab,
Notebook 7, Colab) a control's move reaches the kernel, which recomputes the results
with the package's Python code and sends them back. On the website there is no kernel:
the page holds the explorer's state as JSON (the ``text/html`` form of the cell's
output), and the browser recomputes with its JavaScript port, fed every constant from
here. Each control is a trait whose type holds its sanitizing rule (:class:`Grid`,
:class:`Count`, :class:`Point`); the browser applies the same rule, given the same
description (``spec``), to a value set from the page.
"""

from __future__ import annotations

import html
import json
import math
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import anywidget
import traitlets
from IPython import get_ipython

__all__ = [
    "ETA_GRID",
    "GAMMA_GRID",
    "MARKER_CLASS",
    "QUANTITIES",
    "Choice",
    "Count",
    "Explorer",
    "Grid",
    "Point",
    "log_grid",
    "mount_script",
    "script_files",
]

#: The class of the element that holds an explorer's state on a page (and mounts it).
MARKER_CLASS = "d2l-explorer"
#: The browser side, in load order: the core (Node runs it in the tests), the
#: computations, the views, the entry points; one file each.
SCRIPTS = (
    "core/namespace.js",
    "core/rules.js",
    "core/controls.js",
    "core/model.js",
    "compute/weights.js",
    "compute/quadratic.js",
    "compute/trajectory.js",
    "compute/rotation.js",
    "compute/map.js",
    "compute/conventions.js",
    "compute/training.js",
    "compute/state.js",
    "views/page.js",
    "views/ui.js",
    "views/weights.js",
    "views/trajectory.js",
    "views/rotation.js",
    "views/map.js",
    "views/conventions.js",
    "views/training.js",
    "views/state.js",
    "mount.js",
)


def log_grid(low_exponent: int, high_exponent: int, per_decade: int) -> list[float]:
    """Log-spaced values ``10**(k / per_decade)``, two significant digits."""
    ks = range(low_exponent * per_decade, high_exponent * per_decade + 1)
    return sorted({float(f"{10 ** (k / per_decade):.2g}") for k in ks})


#: Learning rates of the 2D explorers: 20 per decade from 0.01 to 2 (0.4 is one).
ETA_GRID = [eta for eta in log_grid(-2, 1, 20) if eta <= 2]
#: Decays: log-spaced in 1 - γ (20 per decade from 1 to 0.001), so 0.99 and 0.999 are
#: reachable with fine steps near 1, plus the values the text uses.
GAMMA_GRID = sorted(
    {round(1 - r, 6) for r in log_grid(-3, 0, 20)} | {0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999}
)


#: The quantities of RMSProp's update (11.8.1), as the equations, the code cells and the
#: explorers name them: pointing at one in an equation lights it up in the code and the
#: explorer (``views/page.js``).
QUANTITIES = {
    "s": {"label": "s_t, the leaky average of squared gradients", "code": ["s", "s1", "s2"]},
    "gamma": {"label": "γ, the decay of the average", "code": ["gamma"]},
    "eta": {"label": "η, the learning rate", "code": ["lr", "eta"]},
    "eps": {"label": "ε, the constant that keeps the step finite", "code": ["eps", "EPS"]},
    "g": {"label": "g_t, the gradient", "code": ["grad", "g1", "g2"]},
}


@cache
def _asset(name: str) -> str:
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


def script_files() -> dict[str, str]:
    """The browser side as the website serves it: d3, the explorers' bundle, the styles."""
    return {
        "d3.v7.min.js": _asset("vendor/d3.v7.min.js"),
        "explorers.js": "\n".join(_asset(f"js/{name}") for name in SCRIPTS),
        "explorers.css": _asset("explorers.css"),
    }


def mount_script() -> str:
    """The page's call that mounts its explorers once it is parsed (the website's, a test's)."""
    return (
        "document.addEventListener('DOMContentLoaded', "
        f"() => D2LExplorers.mountAll({json.dumps(MARKER_CLASS)}));"
    )


@cache
def _esm() -> str:
    """The notebook's module: the website's two scripts, then anywidget's entry point."""
    files = script_files()
    return (
        files["d3.v7.min.js"]
        + "\n"
        + files["explorers.js"]
        + "\nexport default { render: (ctx) => globalThis.D2LExplorers.render(ctx) };\n"
    )


def _number(value: Any) -> float | None:
    """``value`` as a float (infinities kept), or None when it is no number at all."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        number = math.inf if value > 0 else -math.inf
    return None if math.isnan(number) else number


def _current(trait: traitlets.TraitType[Any, Any], obj: Any) -> Any:
    """The trait's value on ``obj`` (its last good value), or its default before it has one."""
    values = getattr(obj, "_trait_values", {})
    return values.get(trait.name, trait.default_value)


class Grid(traitlets.TraitType[float, float]):
    """A slider over ``grid``: a value lands on the nearest grid value (infinities on the
    ends); what is no number at all keeps the current value."""

    def __init__(self, grid: list[float], default: float) -> None:
        self.grid = list(grid)
        super().__init__(default_value=self.snap(default, self.grid[0]))

    def snap(self, value: Any, last: float) -> float:
        number = _number(value)
        if number is None:
            return last
        target = min(max(number, self.grid[0]), self.grid[-1])
        return min(self.grid, key=lambda g: abs(g - target))  # ties: the lower value

    def validate(self, obj: Any, value: Any) -> float:
        return self.snap(value, _current(self, obj))

    def spec(self) -> dict[str, Any]:
        return {"type": "grid", "grid": self.grid, "default": self.default_value}


class Count(traitlets.TraitType[int, int]):
    """A whole number in ``[low, high]``: rounded half up and clamped."""

    def __init__(self, low: int, high: int, default: int) -> None:
        self.low, self.high = low, high
        super().__init__(default_value=default)

    def validate(self, obj: Any, value: Any) -> int:
        number = _number(value)
        if number is None:
            return int(_current(self, obj))
        return math.floor(min(max(number, self.low), self.high) + 0.5)

    def spec(self) -> dict[str, Any]:
        return {"type": "count", "low": self.low, "high": self.high, "default": self.default_value}


class Choice(traitlets.TraitType[str, str]):
    """One of a few named options; anything else keeps the current one."""

    def __init__(self, options: list[str], default: str) -> None:
        self.options = list(options)
        super().__init__(default_value=default)

    def validate(self, obj: Any, value: Any) -> str:
        return value if isinstance(value, str) and value in self.options else _current(self, obj)

    def spec(self) -> dict[str, Any]:
        return {"type": "choice", "options": self.options, "default": self.default_value}


class Point(traitlets.TraitType[list[float], list[float]]):
    """A point ``[x1, x2]`` within ``bounds``: each coordinate clamped; a coordinate that is
    no number keeps the current one; anything but a pair keeps the current point."""

    def __init__(self, bounds: dict[str, list[float]], default: list[float]) -> None:
        self.bounds = bounds
        super().__init__(default_value=list(default))

    def validate(self, obj: Any, value: Any) -> list[float]:
        last = list(_current(self, obj))
        if not isinstance(value, list | tuple) or len(value) != 2:
            return last
        point = []
        for coordinate, previous, (low, high) in zip(
            value, last, self.bounds.values(), strict=True
        ):
            number = _number(coordinate)
            point.append(previous if number is None else min(max(number, low), high))
        return point

    def spec(self) -> dict[str, Any]:
        return {"type": "point", "bounds": self.bounds, "default": self.default_value}


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


class Explorer(anywidget.AnyWidget):
    """The base of every explorer: its controls are the traits tagged ``control=True``.

    A subclass names its ``kind`` (the browser's computation and view of that name),
    declares its controls (:class:`Grid`, :class:`Count`, :class:`Point` traits tagged
    ``sync=True, control=True``) and its results (traits tagged ``sync=True``), and
    computes the results in ``compute``. Running a cell that makes an explorer again
    closes the explorer that cell made before, so memory stays flat however often it runs.
    """

    _esm = traitlets.Unicode(_esm()).tag(sync=True)
    _css = traitlets.Unicode(_asset("explorers.css")).tag(sync=True)
    kind = traitlets.Unicode().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)

    KIND: ClassVar[str] = ""
    _live: ClassVar[dict[str, Explorer]] = {}

    def __init__(self, config: dict[str, Any], **controls: Any) -> None:
        key = _cell_key()
        if key is not None:
            previous = Explorer._live.pop(key, None)
            if previous is not None:
                previous.close()
            Explorer._live[key] = self
        names = self.control_names()
        specs = {name: self.traits()[name].spec() for name in names}
        results = [n for n in self.traits(sync=True) if n not in {*names, *_BASE_TRAITS}]
        config = {
            **config,
            "controls": specs,
            "results": sorted(results),
            "quantities": QUANTITIES,
        }
        super().__init__(kind=self.KIND, config=config, **controls)
        self._update()
        self.observe(lambda _change: self._update(), names=names)

    @classmethod
    def control_names(cls) -> list[str]:
        """The names of the controls."""
        return sorted(cls.class_trait_names(control=True))

    def close(self) -> None:
        """Close the explorer and its layout (a widget of its own), as a re-run cell does."""
        self.layout.close()
        super().close()

    def controls(self) -> dict[str, Any]:
        """The controls' current values."""
        return {name: getattr(self, name) for name in self.control_names()}

    def compute(self) -> dict[str, Any]:
        """The results for the current controls (the traits the browser draws)."""
        raise NotImplementedError

    def _update(self) -> None:
        with self.hold_sync():
            for name, value in self.compute().items():
                setattr(self, name, value)

    def web_config(self) -> dict[str, Any]:
        """The configuration the website's copy needs (everything it computes from)."""
        return dict(self.config)

    def state(self) -> dict[str, Any]:
        """The explorer as the website's page holds it: kind, configuration, controls, results."""
        return {
            "kind": self.kind,
            "config": self.web_config(),
            **self.controls(),
            **self.compute(),
        }

    def __repr__(self) -> str:
        controls = ", ".join(f"{k}={v!r}" for k, v in self.controls().items())
        return f"{type(self).__name__}({controls})"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle, metadata = super()._repr_mimebundle_(**kwargs) or ({}, {})
        state = json.dumps(self.state(), allow_nan=False).replace("</", "<\\/")
        bundle["text/html"] = (
            f'<div class="{MARKER_CLASS}" data-kind="{html.escape(self.kind)}">'
            f'<script type="application/json" class="{MARKER_CLASS}-state">{state}</script>'
            f'<p class="{MARKER_CLASS}-fallback">This explorer runs in the browser: open it on '
            "the book's website, or run the notebook.</p></div>"
        )
        return bundle, metadata


_BASE_TRAITS = set(Explorer.class_trait_names(sync=True))
