"""What each public function accepts, declared once beside it and checked once on entry.

A public function states its parameters' constraints in its decorator::

    @validated(eta=Real(low=0, low_open=True), steps=Integer(1, 10**6))
    def f(eta, steps=20): ...

As in scikit-learn's declared parameter constraints, a constraint only answers yes or no
(``is_satisfied_by``; ``is_type`` tells a value of the wrong kind from one of the right
kind with a wrong value), and converts an accepted value apart from checking it
(``convert``: a float for a number, a float64 array for an array). Every call checks the
declared arguments before the body runs and hands the body the converted values. A bad
one raises a single ``TypeError`` (wrong kind) or ``ValueError`` (right kind, wrong
value) whose one-line message names the function, the parameter, what it accepts and
what it got, e.g. ``train_2d: steps must be an integer in [1, 1000000], got int -1``.
A check that needs two arguments at once happens in the body and raises
:class:`InvalidValue` or :class:`InvalidType`, which the decorator names the same way.
Framework-specific constraints are objects passed to the decorator like any other.
Inner loops and private helpers trust their callers: ``unchecked(f)`` is ``f``'s body
without the checks, for a caller that has made them. The fuzz tests read these
declarations (``constraints_of``) to know what to try.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from numbers import Integral
from numbers import Real as RealNumber
from typing import Any, TypeVar

import numpy as onp
from numpy.typing import NDArray

from .arrays import FLOAT32_MAX, FLOAT32_TINY, to_numpy

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "Array",
    "Batches",
    "Boolean",
    "Constraint",
    "Function",
    "Hyperparams",
    "InstanceOf",
    "Integer",
    "InvalidType",
    "InvalidValue",
    "OneOf",
    "Optional",
    "Pair",
    "PathLike",
    "Real",
    "Satisfies",
    "Text",
    "constraints_of",
    "describe",
    "unchecked",
    "validated",
]


def describe(value: Any) -> str:
    """``value`` for an error message: its type and its repr, on one line and shortened."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        text = f"{'-' if value < 0 else ''}an integer of {len(str(abs(value)))} digits"
    else:
        text = " ".join(repr(value).split())
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


class InvalidValue(ValueError):
    """A bad argument's value, found in a function's body; ``validated`` names the function."""


class InvalidType(TypeError):
    """A bad argument's kind, found in a function's body; ``validated`` names the function."""


@dataclass(frozen=True)
class Violation:
    """Why an argument was refused: the parameter (or an entry of it), what it must be."""

    name: str
    text: str
    value: Any
    wrong_type: bool

    def error(self) -> InvalidValue | InvalidType:
        kind = InvalidType if self.wrong_type else InvalidValue
        return kind(f"{self.name} must be {self.text}, got {describe(self.value)}")


class Constraint:
    """What one parameter accepts: a yes-or-no answer, then the value to use."""

    #: Reads after "must be", e.g. "a real number in [0, 1]".
    text = "a value"

    def is_type(self, value: Any) -> bool:
        """Whether ``value`` is of an accepted kind (a refusal is then a ValueError)."""
        return True

    def is_satisfied_by(self, value: Any) -> bool:
        """Whether ``value`` is accepted."""
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        """The value the function receives for an accepted ``value``."""
        return value

    def violation(self, name: str, value: Any) -> Violation | None:
        """None if ``value`` is accepted, else why not (a composite names the bad entry)."""
        if self.is_satisfied_by(value):
            return None
        return Violation(name, self.text, value, not self.is_type(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, RealNumber | onp.number) and not isinstance(value, bool | onp.bool_)


def _as_float(value: Any) -> float | None:
    """``value`` as a float, or None when it has none (an integer beyond any float)."""
    try:
        return float(value)
    except (OverflowError, ValueError, TypeError):
        return None


class Real(Constraint):
    """A finite real number (not a bool), optionally within bounds; converted to a float.

    ``array=True`` also accepts an array of such numbers (NumPy's, or a framework's),
    checked elementwise and passed on unchanged: one learning rate per model.
    ``float32=True`` accepts only numbers float32 holds as they are: within its range,
    and none so small that float32 would flush it to zero.
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
        kept = ", held exactly by float32" if float32 else ""
        self.text = f"a finite real number{bounds}{kept}" + (
            " (or an array of them)" if array else ""
        )

    def scalar(self) -> Real:
        """The same constraint for a single number (what a framework's optimizer takes)."""
        bounds = {"low_open": self.low_open, "high_open": self.high_open, "float32": self.float32}
        return Real(self.low, self.high, **bounds)

    def _host(self, value: Any) -> NDArray[Any] | None:
        """The numbers of an accepted array kind, or None."""
        if _is_number(value) or not self.array:
            return None
        host = to_numpy(value)
        if not isinstance(host, onp.ndarray) or host.dtype.kind not in "iuf" or host.size == 0:
            return None
        return host

    def is_type(self, value: Any) -> bool:
        return _is_number(value) or self._host(value) is not None

    def is_satisfied_by(self, value: Any) -> bool:
        if _is_number(value):
            number = _as_float(value)
            return number is not None and self._within(onp.array([number]))
        host = self._host(value)
        return host is not None and self._within(host.astype(onp.float64))

    def _within(self, numbers: NDArray[Any]) -> bool:
        good = onp.isfinite(numbers)
        if self.float32:
            size = onp.abs(numbers)
            good &= (size <= FLOAT32_MAX) & ((size == 0) | (size >= FLOAT32_TINY))
        if self.low is not None:
            good &= numbers > self.low if self.low_open else numbers >= self.low
        if self.high is not None:
            good &= numbers < self.high if self.high_open else numbers <= self.high
        return bool(good.all())

    def convert(self, value: Any) -> Any:
        return float(value) if _is_number(value) else value


class Integer(Constraint):
    """A whole number (not a bool and not a float) in ``[low, high]``; converted to an int.

    Every count a reader can mean has an upper bound: a count beyond it asks for more
    time or memory than a notebook has, and is refused at once.
    """

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high
        self.text = f"an integer in [{low}, {high}]"

    def is_type(self, value: Any) -> bool:
        return isinstance(value, Integral | onp.integer) and not isinstance(value, bool)

    def is_satisfied_by(self, value: Any) -> bool:
        return self.is_type(value) and self.low <= int(value) <= self.high

    def convert(self, value: Any) -> int:
        return int(value)


class Satisfies(Constraint):
    """A constraint stated by two questions: is the value of the right ``kind`` (else a
    TypeError), and is it acceptable (``accept``, else a ValueError); ``convert`` it then."""

    def __init__(
        self,
        text: str,
        kind: Callable[[Any], bool],
        accept: Callable[[Any], bool] = lambda value: True,
        convert: Callable[[Any], Any] = lambda value: value,
    ) -> None:
        self.text, self._kind, self._accept, self._convert = text, kind, accept, convert

    def is_type(self, value: Any) -> bool:
        return self._kind(value)

    def is_satisfied_by(self, value: Any) -> bool:
        return self._kind(value) and self._accept(value)

    def convert(self, value: Any) -> Any:
        return self._convert(value)


class Boolean(Satisfies):
    """True or False, not merely a truthy value."""

    def __init__(self) -> None:
        super().__init__("True or False", lambda v: isinstance(v, bool | onp.bool_), convert=bool)


class Text(Satisfies):
    """A string, optionally non-empty."""

    def __init__(self, empty: bool = True) -> None:
        text = "a string" if empty else "a non-empty string"
        super().__init__(text, lambda v: isinstance(v, str), lambda v: empty or bool(v))


class OneOf(Satisfies):
    """One of a fixed set of strings or numbers."""

    def __init__(self, *choices: Any) -> None:
        super().__init__(
            "one of " + ", ".join(repr(c) for c in choices),
            lambda v: isinstance(v, str) or _is_number(v),
            lambda v: v in choices,
        )


class InstanceOf(Satisfies):
    """An instance of one of ``types``, described by ``text``."""

    def __init__(self, types: type | tuple[type, ...], text: str) -> None:
        super().__init__(text, lambda v: isinstance(v, types))


class PathLike(InstanceOf):
    """A file-system path: a string or an ``os.PathLike``."""

    def __init__(self) -> None:
        super().__init__((str, os.PathLike), "a path (a str or a pathlib.Path)")


class Function(Constraint):
    """A callable that can be called as ``shape`` says, e.g. ``(x1, x2) -> (g1, g2)``.

    ``arguments`` is how many positional arguments it is called with: a function that
    cannot take them (its signature says so) is refused. A callable without a readable
    signature (some builtins) is accepted; calling it will tell.
    """

    def __init__(self, shape: str, arguments: int | None = None) -> None:
        self.arguments = arguments
        self.text = f"a function {shape}"

    def is_type(self, value: Any) -> bool:
        return self.is_satisfied_by(
            value
        )  # a function that cannot be called so is of a wrong kind

    def is_satisfied_by(self, value: Any) -> bool:
        if not callable(value):
            return False
        if self.arguments is None:
            return True
        try:
            inspect.signature(value).bind(*range(self.arguments))
        except TypeError:
            return False
        except ValueError:  # no signature to read
            return True
        return True


class Pair(Constraint):
    """Two finite real numbers, such as a point ``(-5, -2)`` or a range; converted to floats.

    ``positive=True`` requires both to be > 0 (a figure size); ``bound`` caps their size.
    """

    def __init__(
        self, example: str = "(-5, -2)", positive: bool = False, bound: float | None = None
    ) -> None:
        low = 0.0 if positive else (None if bound is None else -bound)
        self._number = Real(low=low, high=bound, low_open=positive)
        what = "positive finite numbers" if positive else "finite numbers"
        limit = f" of size at most {bound:g}" if bound is not None else ""
        self.text = f"a pair of {what}{limit} such as {example}"

    def is_type(self, value: Any) -> bool:
        if isinstance(value, onp.ndarray):
            return value.ndim == 1
        return isinstance(value, list | tuple)

    def is_satisfied_by(self, value: Any) -> bool:
        return (
            self.is_type(value)
            and len(value) == 2
            and all(self._number.is_satisfied_by(v) for v in value)
        )

    def convert(self, value: Any) -> tuple[float, float]:
        return float(value[0]), float(value[1])


class Array(Constraint):
    """Real numbers in an array or a (nested) sequence; converted to a float64 NumPy array.

    Booleans, strings, complex numbers, ragged rows, NaN and infinities are refused;
    ``ndim`` fixes the number of dimensions, ``empty=False`` refuses empty arrays and
    ``float32=True`` values beyond float32's range.
    """

    def __init__(
        self,
        ndim: int | None = None,
        empty: bool = True,
        text: str | None = None,
        float32: bool = False,
    ) -> None:
        self.ndim, self.empty, self.float32 = ndim, empty, float32
        self.text = text or (
            "an array of finite numbers" + (f" with {ndim} dimension(s)" if ndim else "")
        )

    @staticmethod
    def _parse(value: Any) -> tuple[bool, NDArray[Any] | None]:
        """Whether ``value`` is of an array kind, and its numbers (None: ragged or huge)."""
        host = to_numpy(value)
        if isinstance(host, list | tuple):
            host = [to_numpy(v) for v in host]
        elif not (isinstance(host, onp.ndarray) or _is_number(host)):
            return False, None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # NumPy 1.23 warns of ragged rows
            try:
                array = onp.asarray(host)
            except (ValueError, TypeError, OverflowError):  # ragged rows
                return True, None
        if array.dtype.kind == "O":  # ragged rows, or integers beyond int64
            return True, None
        return array.dtype.kind in "iuf", array if array.dtype.kind in "iuf" else None

    def is_type(self, value: Any) -> bool:
        return self._parse(value)[0]

    def is_satisfied_by(self, value: Any) -> bool:
        array = self._parse(value)[1]
        if array is None or (self.ndim is not None and array.ndim != self.ndim):
            return False
        numbers = array.astype(onp.float64)
        limit = FLOAT32_MAX if self.float32 else math.inf
        return bool(
            onp.isfinite(numbers).all()
            and (onp.abs(numbers) <= limit).all()
            and (self.empty or numbers.size > 0)
        )

    def convert(self, value: Any) -> NDArray[onp.float64]:
        array = self._parse(value)[1]
        assert array is not None  # accepted by is_satisfied_by
        return array.astype(onp.float64)


class Hyperparams(Constraint):
    """A mapping of hyperparameters: ``required`` and ``optional`` keys, each constrained.

    Converted to a new dict whose values are converted too (a learning rate given as a
    ``Fraction`` reaches the update as a float). Other keys are kept as they are (a
    caller's schedule may carry its own). A ``mutable`` one (Adam's, which counts its steps
    in the caller's dict) must be a dict and is passed on itself, for the function to
    convert the values it reads.
    """

    def __init__(
        self,
        required: Mapping[str, Constraint] | None = None,
        optional: Mapping[str, Constraint] | None = None,
        example: str = "{'lr': 0.01, 'gamma': 0.9}",
        mutable: bool = False,
    ) -> None:
        self.required, self.optional = dict(required or {}), dict(optional or {})
        self.mutable = mutable
        kind = "a dict" if mutable else "a mapping"
        self.text = f"{kind} such as {example}"

    def is_type(self, value: Any) -> bool:
        return isinstance(value, dict if self.mutable else Mapping)

    def is_satisfied_by(self, value: Any) -> bool:
        return self.violation("", value) is None

    def _keys(self) -> dict[str, Constraint]:
        return {**self.optional, **self.required}

    def violation(self, name: str, value: Any) -> Violation | None:
        if not self.is_type(value):
            return Violation(name, self.text, value, True)
        missing = [key for key in self.required if key not in value]
        if missing:
            text = f"{self.text} with the key(s) {', '.join(map(repr, missing))}"
            return Violation(name, text, value, False)
        for key, constraint in self._keys().items():
            if key in value:
                found = constraint.violation(f"{name}[{key!r}]", value[key])
                if found is not None:
                    return found
        return None

    def convert(self, value: Any) -> Any:
        if self.mutable:
            return value
        constraints = self._keys()
        return {
            key: constraints[key].convert(v) if key in constraints else v
            for key, v in value.items()
        }


class Batches(Constraint):
    """An iterable of ``(X, y)`` minibatches with a length, read again each epoch.

    Only the container is checked here (not a string, a mapping, an array, an iterator
    that could be read only once, or empty); each batch is checked as it is read.
    """

    text = "an iterable of (X, y) minibatches with a length, such as d2l.load_array's"

    def is_type(self, value: Any) -> bool:
        return (
            not isinstance(value, str | bytes | Mapping | Iterator)
            and not hasattr(value, "shape")
            and isinstance(value, Iterable)
            and hasattr(value, "__len__")
        )

    def is_satisfied_by(self, value: Any) -> bool:
        return self.is_type(value) and len(value) > 0


class Optional(Constraint):
    """None, or what ``inner`` accepts."""

    def __init__(self, inner: Constraint) -> None:
        self.inner = inner
        self.text = f"None or {inner.text}"

    def is_type(self, value: Any) -> bool:
        return value is None or self.inner.is_type(value)

    def is_satisfied_by(self, value: Any) -> bool:
        return value is None or self.inner.is_satisfied_by(value)

    def violation(self, name: str, value: Any) -> Violation | None:
        return None if value is None else self.inner.violation(name, value)

    def convert(self, value: Any) -> Any:
        return None if value is None else self.inner.convert(value)


def _named(error: InvalidValue | InvalidType, function: str) -> InvalidValue | InvalidType:
    """``error`` with the function's name in front, once (a nested call named its own)."""
    if getattr(error, "function", None):
        return error
    named = type(error)(f"{function}: {error}")
    named.function = function  # type: ignore[union-attr]
    return named


def validated(**constraints: Constraint) -> Callable[[F], F]:
    """Declare what ``constraints``' parameters accept; check and convert them on every call."""

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{function.__qualname__} has no parameter(s) {sorted(unknown)}")

        name = function.__qualname__.rsplit("<locals>.", 1)[-1]

        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                raise TypeError(f"{name}: {error}") from None
            arguments = bound.arguments
            for parameter, constraint in constraints.items():
                if parameter in arguments:
                    found = constraint.violation(parameter, arguments[parameter])
                    if found is not None:
                        raise _named(found.error(), name) from None
                    arguments[parameter] = constraint.convert(arguments[parameter])
            try:
                return function(*bound.args, **bound.kwargs)
            except (InvalidValue, InvalidType) as error:
                raise _named(error, name) from None

        checked.__constraints__ = dict(constraints)  # type: ignore[attr-defined]
        checked.unchecked = function  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def unchecked(function: F) -> F:
    """``function``'s body without its checks, for a caller that has made them."""
    return function.unchecked  # type: ignore[attr-defined,no-any-return]


def constraints_of(function: Callable[..., Any]) -> dict[str, Constraint]:
    """The constraints ``function`` declared with :func:`validated` (empty if none)."""
    target = function.__init__ if inspect.isclass(function) else function
    return dict(getattr(target, "__constraints__", {}))
