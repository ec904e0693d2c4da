"""The section's toy problem, f(x) = 0.1 x1² + 2 x2²: run an optimizer on it and draw the path.

``train_2d`` and ``show_trace_2d`` are the book's; ``step_2d`` builds a step function
for ``train_2d`` from any optimizer of :data:`d2l_utils.optimizers.OPTIMIZERS`, and
``path_2d`` runs one for the explorers.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypedDict

import numpy as onp
from numpy.typing import NDArray

from .divergence import DIVERGENCE_BOUND, DivergenceError, divergence_note
from .optimizers import OPTIMIZERS
from .plotting import STYLES, plt, set_figsize
from .validation import (
    Array,
    Boolean,
    Function,
    InstanceOf,
    Integer,
    InvalidType,
    OneOf,
    Optional,
    Pair,
    Real,
    describe,
    validated,
)

__all__ = [
    "COEFFICIENTS",
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
#: The window the book draws its paths in, widened to fit the path when needed.
VIEW = ((-5.5, 1.0), (-3.0, 1.0))
#: A path beyond this many views' widths from the origin is drawn clipped, with a warning.
MAX_VIEWS = 10
#: Grid points per axis of the contour lines.
GRID = 200
#: The longest 2D run a reader can mean (a million steps take a few seconds).
MAX_STEPS = 10**6

Point = tuple[float, float]
FloatArray = NDArray[onp.float64]
METHOD = OneOf(*OPTIMIZERS)
GRADIENT = Function("(x1, x2) -> (g1, g2)", arguments=2)


def f_2d(x1: Any, x2: Any) -> Any:
    """The objective ``0.1 x1² + 2 x2²``, for numbers or arrays (elementwise)."""
    a, b = COEFFICIENTS
    return a * x1 * x1 + b * x2 * x2  # products, not powers: the browser's port is bit-exact


def f_2d_grad(x1: Any, x2: Any) -> tuple[Any, Any]:
    """The gradient of :func:`f_2d`: ``(0.2 x1, 4 x2)``."""
    a, b = COEFFICIENTS
    return 2 * a * x1, 2 * b * x2


def _number(value: Any, what: str) -> float:
    """``value`` as a float; an overflowing one is infinite (the run then diverges)."""
    if isinstance(value, bool) or not isinstance(value, int | float | onp.number):
        raise InvalidType(f"{what} must be real numbers, got {value!r:.60}")
    try:
        return float(value)
    except OverflowError:
        return math.inf


@validated(
    trainer=Function("(x1, x2, *state) -> (x1, x2, *state)"),
    steps=Integer(1, MAX_STEPS),
    f_grad=Optional(GRADIENT),
    start=Pair(bound=DIVERGENCE_BOUND),
    verbose=Boolean(),
    state=Optional(
        InstanceOf((tuple, list), "a tuple of the trainer's initial state, such as (0, 0)")
    ),
)
def train_2d(
    trainer: Callable[..., tuple[Any, ...]],
    steps: int = 20,
    f_grad: Callable[[float, float], tuple[float, float]] | None = None,
    start: Sequence[float] = (-5.0, -2.0),
    verbose: bool = True,
    state: Sequence[Any] | None = None,
) -> list[Point]:
    """Run ``trainer`` for ``steps`` steps from ``start``; return the path, start included.

    ``trainer(x1, x2, *state)`` (or ``trainer(x1, x2, *state, f_grad)`` when ``f_grad``
    is given, as in the book) returns the next point and state, ``(x1, x2, *state)``.
    The state starts as ``state``, else as the trainer's own ``initial_state`` (a
    ``step_2d`` trainer has one), else as the book's ``(s1, s2) = (0, 0)``. The final
    point is printed as ``epoch N, x1 ..., x2 ...`` unless ``verbose`` is false; a run
    on a known objective (a ``step_2d`` trainer's) that ends above where it started
    prints a ``diverged:`` line too. A point that is not finite or leaves
    ``|x| <= DIVERGENCE_BOUND`` stops the run with ``DivergenceError``, whose
    ``trajectory`` holds the path up to there.
    """
    x1, x2 = start
    extra = () if f_grad is None else (f_grad,)
    state = tuple(state if state is not None else getattr(trainer, "initial_state", (0.0, 0.0)))
    try:
        inspect.signature(trainer).bind(x1, x2, *state, *extra)
    except TypeError as error:
        raise InvalidType(
            f"trainer cannot be called as trainer(x1, x2, *state{', f_grad' if extra else ''}) "
            f"with {len(state)} state value(s): {error}"
        ) from None
    except ValueError:  # a builtin without a signature: the call itself will tell
        pass
    path, diverged, (x1, x2) = _walk(
        lambda x1, x2, *s: trainer(x1, x2, *s, *extra), steps, start, state
    )
    if diverged:
        raise DivergenceError(
            f"train_2d diverged at step {diverged}: x1={x1:g}, x2={x2:g} left the region "
            f"|x| <= {DIVERGENCE_BOUND:g}; lower the learning rate or the decay",
            trajectory=path,
        )
    x1, x2 = path[-1]
    if verbose:
        print(f"epoch {steps}, x1 {x1:f}, x2 {x2:f}")
        objective = getattr(trainer, "objective", None)
        if objective is not None:
            note = divergence_note(objective(*path[0]), objective(x1, x2), "value of f")
            if note:
                print(note)
    return path


def _walk(
    trainer: Callable[..., Any],
    steps: int,
    start: Sequence[float],
    state: Sequence[Any],
    until: Callable[[int, float, float], bool] | None = None,
) -> tuple[list[Point], int, Point]:
    """The 2D loop of ``train_2d`` and the explorers: the path, the step at which it left
    ``|x| <= DIVERGENCE_BOUND`` (0 if it did not) and the last point reached (the one that
    left, then). ``until(t, x1, x2)`` may end it early."""
    x1, x2 = start
    path: list[Point] = [(x1, x2)]
    for t in range(1, steps + 1):
        out = trainer(x1, x2, *state)
        if not isinstance(out, tuple | list) or len(out) != 2 + len(state):
            raise InvalidType(
                f"trainer must return (x1, x2, *state) with {len(state)} state value(s); at "
                f"step {t} it returned {out!r:.80}"
            )
        x1, x2, *state = out
        if type(x1) is not float or type(x2) is not float:
            x1, x2 = (_number(v, "trainer's x1 and x2") for v in (x1, x2))
        if not (abs(x1) <= DIVERGENCE_BOUND and abs(x2) <= DIVERGENCE_BOUND):
            return path, t, (x1, x2)
        path.append((x1, x2))
        if until is not None and until(t, x1, x2):
            break
    return path, 0, (x1, x2)


def _real_values(values: Any) -> bool:
    return isinstance(values, onp.ndarray) and values.dtype.kind in "iuf"


@validated(
    f=Function("(x1, x2) -> f on arrays", arguments=2),
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
    if getattr(values, "shape", None) != grid1.shape or not _real_values(values):
        raise InvalidType(
            f"f must return one real value per point of arrays x1, x2, got {describe(values)}"
        )
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


def _slots(method: str) -> int:
    """State values per coordinate: the rule's, or one unused slot (the book's s1, s2)."""
    return max(1, len(OPTIMIZERS[method].state))


@validated(method=METHOD)
def initial_state_2d(method: str) -> tuple[float, ...]:
    """The zero state ``step_2d(method, ...)`` starts from: the book's (s1, s2) for most.

    Two values per state the method keeps, one for each coordinate, and the step count
    last for a method that counts its steps (Adam's ``(v1, v2, s1, s2, t)``).
    """
    counts = OPTIMIZERS[method].counts_steps
    return (0.0,) * (2 * _slots(method)) + ((0,) if counts else ())


@validated(
    method=METHOD,
    eta=Real(low=0, low_open=True, float32=True),
    gamma=Real(0, 1),
    grad=GRADIENT,
)
def step_2d(
    method: str,
    eta: float,
    gamma: float = 0.9,
    grad: Callable[[float, float], tuple[float, float]] = f_2d_grad,
) -> Callable[..., tuple[float, ...]]:
    """A ``train_2d`` step function: ``method`` with learning rate ``eta`` on ``grad``.

    ``method`` names an optimizer of ``OPTIMIZERS`` (sgd, momentum, adagrad, rmsprop,
    rmsprop_centered, adam); its state is laid out as :func:`initial_state_2d` says,
    which the step function also carries as ``initial_state`` (``train_2d`` starts from
    it). ``gamma`` is the decay of the methods that have one; the other hyperparameters
    take the registry's defaults (momentum 0.5, Adam's β1 0.9 and β2 0.999, ε 1e-6).
    With the default ``grad`` the step also knows its objective, :func:`f_2d`.
    """
    optimizer = OPTIMIZERS[method]
    values = {**optimizer.defaults(), "lr": eta, "gamma": gamma}
    hyper = tuple(values[h.name] for h in optimizer.hyperparams)
    keeps, slots, counts = len(optimizer.state), _slots(method), optimizer.counts_steps
    rule = optimizer.rule

    def gradient_at(x1: float, x2: float) -> tuple[float, float]:
        gradient = grad(x1, x2)
        if not isinstance(gradient, tuple | list) or len(gradient) != 2:
            raise InvalidType(f"grad must return two numbers (g1, g2), got {gradient!r:.60}")
        g1, g2 = gradient
        if type(g1) is float and type(g2) is float:
            return g1, g2
        return _number(g1, "grad's g1 and g2"), _number(g2, "grad's g1 and g2")

    if keeps == 1 and not counts:  # most of the book's methods: (s1, s2), the rule's own order

        def one_state(x1: float, x2: float, s1: Any, s2: Any) -> tuple[Any, ...]:
            g1, g2 = gradient_at(x1, x2)
            x1, s1 = rule(x1, g1, s1, *hyper)
            x2, s2 = rule(x2, g2, s2, *hyper)
            return x1, x2, s1, s2

        return _known(one_state, method, grad)

    def step(x1: float, x2: float, *state: Any) -> tuple[Any, ...]:
        count: tuple[int, ...] = (state[-1] + 1,) if counts else ()
        g1, g2 = gradient_at(x1, x2)
        new_x: list[float] = []
        new_state: list[list[Any]] = []
        for i, (x, g) in enumerate(((x1, g1), (x2, g2))):
            own = state[i : 2 * slots : 2][:keeps]  # this coordinate's values: s1 or s2, ...
            out = rule(x, g, *own, *count, *hyper)
            x, *kept = out if keeps else (out,)
            new_x.append(x)
            new_state.append(kept if keeps else [0.0])
        return (*new_x, *(v for pair in zip(*new_state, strict=True) for v in pair), *count)

    return _known(step, method, grad)


def _known(step: Callable[..., Any], method: str, grad: Any) -> Callable[..., Any]:
    """``step`` with its initial state and, on the section's quadratic, its objective."""
    step.initial_state = initial_state_2d(method)  # type: ignore[attr-defined]
    if grad is f_2d_grad:
        step.objective = f_2d  # type: ignore[attr-defined]
    return step


class Path2D(TypedDict, total=False):
    """A 2D run as the explorers draw it: the points, f at each, and where it diverged."""

    x1: list[float]
    x2: list[float]
    f: list[float]
    diverged: int  # the step at which the run left the bounded region, 0 if it did not
    reached: int | None  # the first step at which f was below the tolerance asked for
    blew_up: int  # the step at which it diverged, even past the drawn steps


def path_2d(
    method: str,
    eta: float,
    gamma: float,
    steps: int,
    start: tuple[float, float],
    objective: tuple[Callable[..., Any], Callable[..., Any]] = (f_2d, f_2d_grad),
    tolerance: float | None = None,
    drawn: int | None = None,
) -> Path2D:
    """The path of ``method`` from ``start`` on ``objective`` ``(f, grad)``, as ``train_2d``
    runs it, cut where it diverged. With a ``tolerance``, ``reached`` is the first step at
    which f is below it (None if none within ``steps``), and the run ends once it is known,
    after the ``drawn`` steps that the path keeps."""
    f, grad = objective
    reached: list[int] = []

    def until(t: float, x1: float, x2: float) -> bool:
        if tolerance is not None and not reached and f(x1, x2) < tolerance:
            reached.append(int(t))
        return bool(reached) and drawn is not None and t >= drawn

    step = step_2d(method, eta, gamma, grad)
    if tolerance is not None and f(*start) < tolerance:
        reached.append(0)
    points, diverged, _ = _walk(step, steps, start, step.initial_state, until)  # type: ignore[attr-defined]
    kept = points[: None if drawn is None else drawn + 1]
    path: Path2D = {
        "x1": [p[0] for p in kept],
        "x2": [p[1] for p in kept],
        "f": [f(a, b) for a, b in kept],
        "diverged": diverged if drawn is None or diverged <= drawn else 0,
    }
    if tolerance is not None:
        path["reached"] = reached[0] if reached else None
        path["blew_up"] = diverged
    return path
