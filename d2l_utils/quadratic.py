"""The section's toy problem, f(x) = 0.1 x1² + 2 x2²: run an optimizer on it and draw the path.

``train_2d`` and ``show_trace_2d`` are the book's; ``step_2d`` builds a step function
for ``train_2d`` from the update rules in :mod:`d2l_utils.rules`, and ``path_2d``
runs one for the explorers.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypedDict

import numpy as onp
from numpy.typing import NDArray

from . import rules
from .divergence import DIVERGENCE_BOUND, DivergenceError
from .plotting import STYLES, plt, set_figsize
from .validation import (
    Array,
    Boolean,
    Function,
    InstanceOf,
    Integer,
    OneOf,
    Optional,
    Pair,
    Real,
    validated,
)

__all__ = [
    "COEFFICIENTS",
    "METHODS",
    "Path2D",
    "f_2d",
    "f_2d_grad",
    "initial_state_2d",
    "path_2d",
    "show_trace_2d",
    "step_2d",
    "train_2d",
]

#: f(x) = a x1² + b x2², the section's ill-conditioned quadratic.
COEFFICIENTS = (0.1, 2.0)
#: The optimizers the explorers compare on it, in drawing order.
METHODS = ("sgd", "momentum", "adagrad", "rmsprop")
#: The window the book draws its paths in, widened to fit the path when needed.
VIEW = ((-5.5, 1.0), (-3.0, 1.0))
#: A path beyond this many views' widths from the origin is drawn clipped, with a warning.
MAX_VIEWS = 10
#: Grid points per axis of the contour lines.
GRID = 200

Point = tuple[float, float]
FloatArray = NDArray[onp.float64]
UNIT = Real(0, 1)
POSITIVE = Real(low=0, low_open=True)


def f_2d(x1: Any, x2: Any) -> Any:
    """The objective ``0.1 x1² + 2 x2²``, for numbers or arrays (elementwise)."""
    a, b = COEFFICIENTS
    return a * x1 * x1 + b * x2 * x2  # products, not powers: the browser's port is bit-exact


def f_2d_grad(x1: Any, x2: Any) -> tuple[Any, Any]:
    """The gradient of :func:`f_2d`: ``(0.2 x1, 4 x2)``."""
    a, b = COEFFICIENTS
    return 2 * a * x1, 2 * b * x2


@validated(
    trainer=Function("(x1, x2, *state) -> (x1, x2, *state)"),
    steps=Integer(low=1),
    f_grad=Optional(Function("(x1, x2) -> (g1, g2)")),
    start=Pair(),
    verbose=Boolean(),
    state=InstanceOf((tuple, list), "a tuple of the trainer's initial state, such as (0, 0)"),
)
def train_2d(
    trainer: Callable[..., tuple[Any, ...]],
    steps: int = 20,
    f_grad: Callable[[float, float], tuple[float, float]] | None = None,
    start: Sequence[float] = (-5.0, -2.0),
    verbose: bool = True,
    state: Sequence[Any] = (0.0, 0.0),
) -> list[Point]:
    """Run ``trainer`` for ``steps`` steps from ``start``; return the path, start included.

    ``trainer(x1, x2, *state)`` (or ``trainer(x1, x2, *state, f_grad)`` when ``f_grad``
    is given, as in the book) returns the next point and state, ``(x1, x2, *state)``.
    The default state, two zeros, is the book's ``(s1, s2)``; a method that needs more
    memory passes its own (Adam: two moment vectors and a step count). The final point
    is printed as ``epoch N, x1 ..., x2 ...`` unless ``verbose`` is false. A point that
    is not finite or leaves ``|x| <= DIVERGENCE_BOUND`` stops the run with
    ``DivergenceError``, whose ``trajectory`` holds the path up to there.
    """
    x1, x2 = start
    extra = () if f_grad is None else (f_grad,)
    state = tuple(state)
    try:
        inspect.signature(trainer).bind(x1, x2, *state, *extra)
    except TypeError as error:
        raise TypeError(
            f"trainer cannot be called as trainer(x1, x2, *state{', f_grad' if extra else ''}) "
            f"with {len(state)} state value(s): {error}"
        ) from None
    except ValueError:  # a builtin without a signature: the call itself will tell
        pass
    path: list[Point] = [(x1, x2)]
    for step in range(1, steps + 1):
        out = trainer(x1, x2, *state, *extra)
        if not isinstance(out, tuple | list) or len(out) != 2 + len(state):
            raise TypeError(
                f"trainer must return (x1, x2, *state) with {len(state)} state value(s); at "
                f"step {step} it returned {out!r:.80}"
            )
        try:
            x1, x2, state = float(out[0]), float(out[1]), tuple(out[2:])
        except (TypeError, ValueError):
            raise TypeError(f"trainer must return numbers x1 and x2, got {out!r:.80}") from None
        if not (abs(x1) <= DIVERGENCE_BOUND and abs(x2) <= DIVERGENCE_BOUND):
            raise DivergenceError(
                f"train_2d diverged at step {step}: x1={x1:g}, x2={x2:g} left the region "
                f"|x| <= {DIVERGENCE_BOUND:g}; lower the learning rate or the decay",
                trajectory=path,
            )
        path.append((x1, x2))
    if verbose:
        print(f"epoch {steps}, x1 {x1:f}, x2 {x2:f}")
    return path


@validated(
    f=Function("(x1, x2) -> f on arrays"),
    results=Array(ndim=2, empty=False, text="a list of (x1, x2) points, as train_2d returns"),
    method=OneOf(*STYLES),
)
def show_trace_2d(
    f: Callable[[FloatArray, FloatArray], Any], results: Any, *, method: str = "path"
) -> None:
    """Draw the contour lines of ``f`` and the path ``results`` over them (current axes).

    The path takes the style of ``method`` (one of ``plotting.STYLES``; by default the
    book's single path), so a figure of several methods keeps the book's palette.

    The view is the book's window around the minimum, widened to take in the path. A
    path that runs off much farther (a diverging run, such as momentum with a large
    learning rate) is drawn clipped to a view that still shows the contours, with a
    warning that says how far it went.
    """
    path = results
    if path.shape[1] != 2:
        raise ValueError(f"results must be a list of (x1, x2) points, got shape {path.shape}")
    view = onp.array(VIEW)
    span = view[:, 1] - view[:, 0]
    low = onp.minimum(path.min(axis=0) - 0.5, view[:, 0])
    high = onp.maximum(path.max(axis=0) + 0.5, view[:, 1])
    cap_low, cap_high = view[:, 0] - MAX_VIEWS * span, view[:, 1] + MAX_VIEWS * span
    if (low < cap_low).any() or (high > cap_high).any():
        reach = onp.abs(path).max(axis=0)
        warnings.warn(
            f"the path runs off the plot (|x1| up to {reach[0]:.4g}, |x2| up to {reach[1]:.4g}): "
            "the run is diverging; the view shows the contours and the start of the path",
            stacklevel=3,  # the caller's line, past the validating wrapper
        )
        low, high = onp.maximum(low, cap_low), onp.minimum(high, cap_high)
    grid1, grid2 = onp.meshgrid(
        onp.linspace(low[0], high[0], GRID), onp.linspace(low[1], high[1], GRID)
    )
    values = f(grid1, grid2)
    if getattr(values, "shape", None) != grid1.shape:
        raise TypeError(f"f must return one value per point of arrays x1, x2, got {values!r:.60}")
    set_figsize()
    axes = plt.gca()
    axes.contour(grid1, grid2, values, colors=STYLES["contours"].color, linewidths=0.8)
    style = STYLES[method]
    axes.plot(
        path[:, 0],
        path[:, 1],
        marker="o",
        color=style.color,
        linestyle=style.linestyle,
        markersize=3,
    )
    axes.set_xlim(low[0], high[0])
    axes.set_ylim(low[1], high[1])
    axes.set_xlabel("x1")
    axes.set_ylabel("x2")


def _stateless(rule: Callable[..., Any]) -> Callable[..., Any]:
    return lambda x, g, s, *hyper: (rule(x, g, *hyper), 0.0)


#: method -> (its rule, the number of state values per coordinate, its hyperparameters).
#: Adam's step count t is one more state value, shared by the coordinates.
_RULES: dict[str, tuple[Callable[..., Any], int, tuple[str, ...]]] = {
    "sgd": (_stateless(rules.sgd), 1, ("lr",)),
    "momentum": (rules.momentum, 1, ("lr", "beta")),
    "adagrad": (rules.adagrad, 1, ("lr", "eps")),
    "rmsprop": (rules.rmsprop, 1, ("lr", "gamma", "eps")),
    "rmsprop_centered": (rules.rmsprop_centered, 2, ("lr", "gamma", "eps")),
    "adam": (rules.adam, 2, ("lr", "beta1", "beta2", "eps")),
}


@validated(method=OneOf(*_RULES))
def initial_state_2d(method: str) -> tuple[float, ...]:
    """The zero state ``step_2d(method, ...)`` starts from: the book's (s1, s2) for most."""
    size = 2 * _RULES[method][1]
    return (0.0,) * (size + 1 if method == "adam" else size)


@validated(
    method=OneOf(*_RULES),
    eta=POSITIVE,
    gamma=UNIT,
    grad=Function("(x1, x2) -> (g1, g2)"),
)
def step_2d(
    method: str,
    eta: float,
    gamma: float = 0.9,
    grad: Callable[[float, float], tuple[float, float]] = f_2d_grad,
) -> Callable[..., tuple[float, ...]]:
    """A ``train_2d`` step function: ``method`` with learning rate ``eta`` on ``grad``.

    ``method`` is one of sgd, momentum, adagrad, rmsprop (state ``(s1, s2)``, as in
    the book), rmsprop_centered (``(m1, m2, s1, s2)``) or adam (``(v1, v2, s1, s2, t)``,
    β1 = 0.9, β2 = 0.999); :func:`initial_state_2d` gives the zero state. ``gamma`` is
    RMSProp's decay; momentum uses ``rules.MOMENTUM_BETA``. ``grad`` defaults to
    :func:`f_2d_grad`.
    """
    rule, per_coordinate, names = _RULES[method]
    values = {"lr": eta, "gamma": gamma, "beta": rules.MOMENTUM_BETA, "eps": rules.EPS}
    hyper = tuple({**values, "beta1": 0.9, "beta2": 0.999}[name] for name in names)

    def step(x1: float, x2: float, *state: float) -> tuple[float, ...]:
        extra: tuple[Any, ...] = ()
        if method == "adam":
            *state, t = state  # type: ignore[assignment]
            extra = (t + 1,)
        gradient = grad(x1, x2)
        try:
            g1, g2 = gradient
        except (TypeError, ValueError):
            raise TypeError(
                f"grad must return two numbers (g1, g2), got {gradient!r:.60}"
            ) from None
        new_state: list[Any] = []
        new_x: list[float] = []
        for i, (x, g) in enumerate(((x1, g1), (x2, g2))):
            own = state[i::2][:per_coordinate]  # (s1, s2) or (m1, m2, s1, s2): one of each pair
            x, *own = rule(x, g, *own, *extra, *hyper)
            new_x.append(x)
            new_state.append(own)
        state_out = [v for pair in zip(*new_state, strict=True) for v in pair]
        return (*new_x, *state_out, *extra)

    return step


class Path2D(TypedDict):
    """A 2D run as the explorers draw it: the points, f at each, and where it diverged."""

    x1: list[float]
    x2: list[float]
    f: list[float]
    diverged: int  # the step at which the run left the bounded region, 0 if it did not


def path_2d(
    method: str, eta: float, gamma: float, steps: int, start: tuple[float, float]
) -> Path2D:
    """The path of ``method`` from ``start`` (``train_2d``), cut where it diverged."""
    try:
        points = train_2d(
            step_2d(method, eta, gamma),
            steps,
            start=start,
            verbose=False,
            state=initial_state_2d(method),
        )
        diverged = 0
    except DivergenceError as error:
        points = error.trajectory
        diverged = len(points)
    x1 = [p[0] for p in points]
    x2 = [p[1] for p in points]
    return {"x1": x1, "x2": x2, "f": [f_2d(a, b) for a, b in points], "diverged": diverged}
