"""What each public function accepts, declared once beside it and checked once on entry.

A public function states its parameters' constraints in its decorator::

    @validated(eta=Real(low=0, low_open=True), steps=Integer(low=1))
    def f(eta, steps=20): ...

Every call then checks those arguments before the body runs, and a bad one raises a
single ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, wrong
value) whose message names the function, the parameter, what it accepts and what it
got. Inner loops and private helpers trust their callers. The fuzz tests read these
declarations (``constraints_of``) to know what to try.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from numbers import Integral
from numbers import Real as RealNumber
from typing import Any, TypeVar

import numpy as onp
from numpy.typing import NDArray

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "AnyOf",
    "Array",
    "Batches",
    "Boolean",
    "Constraint",
    "Function",
    "Hyperparams",
    "InstanceOf",
    "Integer",
    "OfSelf",
    "OneOf",
    "Optional",
    "Pair",
    "PathLike",
    "Real",
    "Text",
    "constraints_of",
    "describe",
    "validated",
]


def describe(value: Any) -> str:
    """``value`` for an error message: its type and its repr, on one line and shortened."""
    text = " ".join(repr(value).split())
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


class Constraint:
    """What one parameter accepts. ``check`` returns the value to use, or raises."""

    #: Reads after "must be", e.g. "a real number in [0, 1]".
    text = "a value"

    def check(self, name: str, value: Any) -> Any:
        """``value`` (normalised) if it is acceptable; else one TypeError or ValueError."""
        raise NotImplementedError

    def refuse(self, name: str, value: Any, kind: type[Exception] = TypeError) -> Exception:
        """The error for a refused ``value``, in the one format every parameter shares."""
        return kind(f"{name} must be {self.text}, got {describe(value)}")


class Real(Constraint):
    """A finite real number (not a bool), optionally within bounds.

    ``array=True`` also accepts an array of such numbers (a NumPy array, or any array
    with ``asnumpy``/``numpy``), checked elementwise and passed on unchanged, e.g. one
    learning rate per model. ``float32=True`` keeps numbers within float32's range.
    """

    def __init__(
        self,
        low: float | None = None,
        high: float | None = None,
        *,
        low_open: bool = False,
        high_open: bool = False,
        array: bool = False,
        float32: bool = False,
    ) -> None:
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open
        self.array, self.float32 = array, float32
        bounds = ""
        if low is not None and high is not None:
            bounds = f" in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif low is not None:
            bounds = f" {'>' if low_open else '>='} {low:g}"
        elif high is not None:
            bounds = f" {'<' if high_open else '<='} {high:g}"
        self.text = f"a finite real number{bounds}" + (" (or an array of them)" if array else "")

    def check(self, name: str, value: Any) -> Any:
        if self.array and not isinstance(value, RealNumber | onp.number):
            return self._check_array(name, value)
        if isinstance(value, bool) or not isinstance(value, RealNumber | onp.number):
            raise self.refuse(name, value)
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float
            raise self.refuse(name, value, ValueError) from None
        self._check_values(name, value, onp.array([number]))
        return number

    def _check_array(self, name: str, value: Any) -> Any:
        host = value.asnumpy() if hasattr(value, "asnumpy") else value
        host = host.detach().cpu().numpy() if hasattr(host, "detach") else host
        if not isinstance(host, onp.ndarray) or host.dtype.kind not in "iuf" or host.size == 0:
            raise self.refuse(name, value)
        self._check_values(name, value, host.astype(onp.float64))
        return value

    def _check_values(self, name: str, value: Any, numbers: NDArray[Any]) -> None:
        limit = float(onp.finfo(onp.float32).max) if self.float32 else math.inf
        bad = ~onp.isfinite(numbers) | (onp.abs(numbers) > limit)
        if self.low is not None:
            bad |= numbers <= self.low if self.low_open else numbers < self.low
        if self.high is not None:
            bad |= numbers >= self.high if self.high_open else numbers > self.high
        if bad.any():
            raise self.refuse(name, value, ValueError)


class Integer(Constraint):
    """A whole number (not a bool and not a float), optionally within bounds."""

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low, self.high = low, high
        parts = [f">= {low}" if low is not None else "", f"<= {high}" if high is not None else ""]
        bounds = " and ".join(p for p in parts if p)
        self.text = "an integer" + (f" {bounds}" if bounds else "")

    def check(self, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, Integral | onp.integer):
            raise self.refuse(name, value)
        number = int(value)
        if (self.low is not None and number < self.low) or (
            self.high is not None and number > self.high
        ):
            raise self.refuse(name, value, ValueError)
        return number


class Boolean(Constraint):
    """True or False, not merely a truthy value."""

    text = "True or False"

    def check(self, name: str, value: Any) -> bool:
        if not isinstance(value, bool | onp.bool_):
            raise self.refuse(name, value)
        return bool(value)


class Text(Constraint):
    """A string, optionally non-empty."""

    def __init__(self, empty: bool = True) -> None:
        self.empty = empty
        self.text = "a string" if empty else "a non-empty string"

    def check(self, name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.refuse(name, value)
        if not (self.empty or value):
            raise self.refuse(name, value, ValueError)
        return value


class OneOf(Constraint):
    """One of a fixed set of strings or numbers."""

    def __init__(self, *choices: Any) -> None:
        self.choices = choices
        self.text = "one of " + ", ".join(repr(c) for c in choices)

    def check(self, name: str, value: Any) -> Any:
        hashable = isinstance(value, str | RealNumber) and not isinstance(value, bool)
        if not hashable or value not in self.choices:
            raise self.refuse(name, value, ValueError)
        return value


class Function(Constraint):
    """A callable; ``shape`` says how it is called, e.g. ``(x1, x2) -> (g1, g2)``."""

    def __init__(self, shape: str) -> None:
        self.text = f"a function {shape}"

    def check(self, name: str, value: Any) -> Any:
        if not callable(value):
            raise self.refuse(name, value)
        return value


class InstanceOf(Constraint):
    """An instance of one of ``types``, described by ``text``."""

    def __init__(self, types: type | tuple[type, ...], text: str) -> None:
        self.types, self.text = types, text

    def check(self, name: str, value: Any) -> Any:
        if not isinstance(value, self.types):
            raise self.refuse(name, value)
        return value


class Pair(Constraint):
    """Two finite real numbers, such as a point ``(-5, -2)`` or a range; returned as floats.

    ``positive=True`` requires both to be > 0 (a figure size).
    """

    def __init__(self, example: str = "(-5, -2)", positive: bool = False) -> None:
        self.positive = positive
        self.text = f"a pair of {'positive ' if positive else ''}finite numbers such as {example}"
        self._number = Real(low=0, low_open=True) if positive else Real()

    def check(self, name: str, value: Any) -> tuple[float, float]:
        if isinstance(value, str | bytes) or not (
            isinstance(value, list | tuple) or (isinstance(value, onp.ndarray) and value.ndim == 1)
        ):
            raise self.refuse(name, value)
        if len(value) != 2:
            raise self.refuse(name, value, ValueError)
        try:
            return self._number.check(name, value[0]), self._number.check(name, value[1])
        except (TypeError, ValueError) as error:
            raise self.refuse(name, value, type(error)) from None


class Array(Constraint):
    """Real numbers in an array or a (nested) sequence, as a float64 NumPy array.

    Booleans, strings, complex numbers, ragged rows, NaN and infinities are refused;
    ``ndim`` fixes the number of dimensions, ``empty=False`` refuses empty arrays.
    """

    def __init__(self, ndim: int | None = None, empty: bool = True, text: str | None = None):
        self.ndim, self.empty = ndim, empty
        self.text = text or (
            "an array of finite numbers" + (f" with {ndim} dimension(s)" if ndim else "")
        )

    def check(self, name: str, value: Any) -> NDArray[Any]:
        host = _host(value)
        if isinstance(host, list | tuple):
            host = [_host(v) for v in host]
        if isinstance(host, bool) or not isinstance(host, onp.ndarray | list | tuple | RealNumber):
            raise self.refuse(name, value)
        try:
            array = onp.asarray(host)
        except (ValueError, TypeError):  # ragged rows
            raise self.refuse(name, value, ValueError) from None
        if array.dtype.kind not in "iuf":
            raise self.refuse(name, value)
        if self.ndim is not None and array.ndim != self.ndim:
            raise self.refuse(name, value, ValueError)
        try:
            array = array.astype(onp.float64)
        except OverflowError:
            raise self.refuse(name, value, ValueError) from None
        if not onp.isfinite(array).all() or (not self.empty and array.size == 0):
            raise self.refuse(name, value, ValueError)
        return array


def _host(value: Any) -> Any:
    """An MXNet or PyTorch array as a NumPy array; anything else as it is."""
    if hasattr(value, "asnumpy"):
        return value.asnumpy()
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().cpu().numpy()
    return value


class Hyperparams(Constraint):
    """A mapping of hyperparameters: ``required`` and ``optional`` keys, each constrained.

    Other keys are allowed and passed on (a caller's schedule may carry its own).
    """

    def __init__(
        self,
        required: Mapping[str, Constraint] | None = None,
        optional: Mapping[str, Constraint] | None = None,
        example: str = "{'lr': 0.01, 'gamma': 0.9}",
    ) -> None:
        self.required, self.optional = dict(required or {}), dict(optional or {})
        self.text = f"a dict such as {example}"

    def check(self, name: str, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise self.refuse(name, value)
        missing = [key for key in self.required if key not in value]
        if missing:
            raise ValueError(
                f"{name} needs the key(s) {', '.join(map(repr, missing))}; it has {sorted(value)}"
            )
        for key, constraint in {**self.optional, **self.required}.items():
            if key in value:
                constraint.check(f"{name}[{key!r}]", value[key])
        return value


class Batches(Constraint):
    """An iterable of ``(X, y)`` minibatches that has a length and can be read once per epoch.

    Only the container is checked here (not a string, a mapping, an array or a one-shot
    generator); the batches' shapes are the training function's business.
    """

    text = "an iterable of (X, y) minibatches with a length, such as d2l.load_array's"

    def check(self, name: str, value: Any) -> Any:
        if (
            isinstance(value, str | bytes | Mapping | Iterator)
            or hasattr(value, "shape")
            or not isinstance(value, Iterable)
            or not hasattr(value, "__len__")
        ):
            raise self.refuse(name, value)
        if len(value) == 0:  # type: ignore[arg-type]
            raise self.refuse(name, value, ValueError)
        return value


class PathLike(Constraint):
    """A file-system path: a string or an ``os.PathLike``."""

    text = "a path (a str or a pathlib.Path)"

    def check(self, name: str, value: Any) -> Any:
        if not isinstance(value, str | os.PathLike):
            raise self.refuse(name, value)
        return value


class OfSelf(Constraint):
    """The constraint an object keeps in ``attribute``, for methods whose arguments depend on it.

    An edition's ``rmsprop`` takes its own framework's arrays: it declares
    ``params=OfSelf("params_constraint")`` and each edition holds the constraint.
    """

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute
        self.text = f"what the object's {attribute} accepts"

    def check(self, name: str, value: Any) -> Any:  # pragma: no cover - resolved by validated
        raise TypeError("OfSelf is resolved against the object by @validated")


class Optional(Constraint):
    """None, or what ``inner`` accepts."""

    def __init__(self, inner: Constraint) -> None:
        self.inner = inner
        self.text = f"None or {inner.text}"

    def check(self, name: str, value: Any) -> Any:
        return None if value is None else self.inner.check(name, value)


class AnyOf(Constraint):
    """What the first of several constraints accepts."""

    def __init__(self, *options: Constraint) -> None:
        self.options = options
        self.text = " or ".join(option.text for option in options)

    def check(self, name: str, value: Any) -> Any:
        kinds: list[type[Exception]] = []
        for option in self.options:
            try:
                return option.check(name, value)
            except (TypeError, ValueError) as error:
                kinds.append(type(error))
        raise self.refuse(name, value, ValueError if ValueError in kinds else TypeError)


def validated(**constraints: Constraint) -> Callable[[F], F]:
    """Declare what ``constraints``' parameters accept; check them on every call."""

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{function.__qualname__} has no parameter(s) {sorted(unknown)}")

        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                raise TypeError(f"{function.__qualname__}: {error}") from None
            arguments = bound.arguments
            for name, constraint in constraints.items():
                if name in arguments:
                    if isinstance(constraint, OfSelf):
                        constraint = getattr(arguments["self"], constraint.attribute)
                    arguments[name] = constraint.check(name, arguments[name])
            return function(*bound.args, **bound.kwargs)

        checked.__constraints__ = dict(constraints)  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def constraints_of(function: Callable[..., Any]) -> dict[str, Constraint]:
    """The constraints ``function`` declared with :func:`validated` (empty if none)."""
    target = function.__init__ if inspect.isclass(function) else function
    return dict(getattr(target, "__constraints__", {}))
