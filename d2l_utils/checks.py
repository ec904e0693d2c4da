"""Argument checks shared by the public functions.

Each check raises one ``ValueError`` (or ``TypeError``) whose message names the
argument, the value received and what would be accepted, so a reader who passes
a bad value learns how to fix it without reading a traceback from MXNet.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from numbers import Real
from typing import Any, TypeVar

import numpy as onp
from mxnet import np
from numpy.typing import NDArray

#: A NumPy array of float64 values, as :func:`check_real_array` returns them.
FloatArray = NDArray[onp.float64]
Array = TypeVar("Array", bound="NDArray[Any]")

#: Hyperparameters that are decay rates and must lie in [0, 1].
DECAY_KEYS = ("gamma", "gamma1", "gamma2", "momentum", "beta1", "beta2", "rho")
#: Hyperparameters that must be positive: step sizes and the constants that keep a division finite.
POSITIVE_KEYS = ("lr", "learning_rate", "eta", "eps", "epsilon")
#: The largest float32: MXNet computes in float32, where anything larger is infinite.
FLOAT32_MAX = float(onp.finfo(onp.float32).max)
#: The most elements MXNet puts in one array (its limit is 2**31 - 1, exclusive).
MAX_ELEMENTS = 2**31 - 2


def describe(value: Any) -> str:
    """``value`` for an error message: its type and its repr, on one line and shortened."""
    text = " ".join(repr(value).split())
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real | onp.number):
        raise TypeError(f"{name} must be a real number, got {describe(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number}")
    return number


def check_decay(name: str, value: Any, allow_one: bool = True) -> float:
    """Check a decay rate such as RMSProp's gamma: a real number in [0, 1].

    ``allow_one=False`` also rejects 1, for rules that divide by ``1 - value**t``.
    """
    decay = check_real(name, value)
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1] (it weights the old average), got {decay}")
    if decay == 1.0 and not allow_one:
        raise ValueError(f"{name} must be < 1: the bias correction divides by 1 - {name}**t")
    return decay


def check_positive(name: str, value: Any) -> float:
    """Check a step size such as the learning rate eta: a finite number > 0."""
    number = check_real(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be > 0, got {number}; try a small value such as 0.01")
    return number


def check_count(name: str, value: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """Check an integer count such as a batch size or a number of steps."""
    if isinstance(value, bool) or not isinstance(value, int | onp.integer):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}")
    return int(value)


def check_flag(name: str, value: Any) -> bool:
    """Check a switch such as ``verbose``: True or False, not any truthy value."""
    if not isinstance(value, bool | onp.bool_):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_text(name: str, value: Any) -> str:
    """Check a label or a caption: a string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {describe(value)}")
    return value


def check_choice(name: str, value: Any, choices: Collection[Any]) -> Any:
    """Check that ``value`` is one of ``choices`` (strings or numbers)."""
    if isinstance(value, bool) or not isinstance(value, str | Real) or value not in choices:
        shown = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {shown}; got {describe(value)}")
    return value


def check_callable(name: str, value: Any, shape: str) -> None:
    """Check a function argument; ``shape`` says how it is called, e.g. ``(x1, x2) -> g``."""
    if not callable(value):
        raise TypeError(f"{name} must be a function {shape}, got {describe(value)}")


def check_pair(name: str, value: Any) -> tuple[float, float]:
    """Check a point or a range such as ``start`` or ``xlim``: two finite real numbers."""
    if isinstance(value, str) or not (
        isinstance(value, list | tuple) or (isinstance(value, onp.ndarray) and value.ndim == 1)
    ):
        raise TypeError(
            f"{name} must be a pair of numbers such as (-5, -2), got {describe(value)}"
        )
    if len(value) != 2:
        raise ValueError(
            f"{name} must be a pair of numbers such as (-5, -2), got {describe(value)}"
        )
    return check_real(f"{name}[0]", value[0]), check_real(f"{name}[1]", value[1])


def check_float32(name: str, value: float) -> float:
    """Check that a number fits float32, in which MXNet computes (beyond it, it is infinite)."""
    if abs(value) > FLOAT32_MAX:
        raise ValueError(
            f"{name} is {value:g}, beyond the float32 range (±{FLOAT32_MAX:.3g}) in which "
            "MXNet computes"
        )
    return value


def check_hyperparams(hyperparams: Any, name: str = "hyperparams") -> dict[str, Any]:
    """Check a hyperparameter dictionary: step sizes and eps > 0, decay rates in [0, 1].

    ``name`` is the caller's name for the dictionary, used in the messages.
    """
    if not isinstance(hyperparams, Mapping):
        raise TypeError(
            f"{name} must be a dict such as {{'lr': 0.01, 'gamma': 0.9}}, "
            f"got {type(hyperparams).__name__}"
        )
    for key, value in hyperparams.items():
        if key in POSITIVE_KEYS:
            check_float32(f"{name}[{key!r}]", check_positive(f"{name}[{key!r}]", value))
        elif key in DECAY_KEYS:
            check_decay(f"{name}[{key!r}]", value)
    return dict(hyperparams)


def check_hyperparam(
    hyperparams: Mapping[str, Any],
    key: str,
    check: Callable[[str, Any], Any],
    default: Any = None,
) -> Any:
    """Read ``hyperparams[key]`` through ``check``; ``default`` when the key is optional.

    A missing required key raises one ``ValueError`` naming it (not a bare ``KeyError``).
    """
    if not isinstance(hyperparams, Mapping):
        raise TypeError(
            f"hyperparams must be a dict such as {{'lr': 0.01}}, got {type(hyperparams).__name__}"
        )
    if key not in hyperparams:
        if default is None:
            raise ValueError(
                f"hyperparams needs a {key!r} entry; it has only {sorted(hyperparams)}"
            )
        return default
    return check(f"hyperparams[{key!r}]", hyperparams[key])


def check_finite_array(
    name: str,
    array: Array,
    bound: float = math.inf,
    hint: str = "clean or drop those entries first",
) -> Array:
    """Raise if a NumPy array holds NaN or infinite values, or values beyond ``±bound``.

    ``bound=FLOAT32_MAX`` rejects values that MXNet's float32 arithmetic would make
    infinite; ``hint`` ends the message with what to do.
    """
    bad = ~onp.isfinite(array) | (onp.abs(array) > bound)
    if bad.any():
        first = tuple(int(i) for i in onp.argwhere(bad)[0])
        what = "NaN or infinite" if bound == math.inf else f"NaN, infinite or beyond ±{bound:.3g}"
        raise ValueError(
            f"{name} contains {int(bad.sum())} {what} value(s), the first at index {first}; {hint}"
        )
    return array


def check_real_array(
    name: str,
    value: Any,
    ndim: int | None = None,
    bound: float = math.inf,
    hint: str = "clean or drop those entries first",
) -> FloatArray:
    """``value`` (a sequence of numbers, a NumPy or an MXNet array) as a float64 NumPy array.

    Raises if it holds anything but finite real numbers (booleans, strings and complex
    numbers included), if it is ragged, or if ``ndim`` is given and it has another
    number of dimensions; ``bound`` and ``hint`` as for :func:`check_finite_array`.
    """
    if hasattr(value, "asnumpy"):
        value = value.asnumpy()
    elif isinstance(value, list | tuple):
        value = [v.asnumpy() if hasattr(v, "asnumpy") else v for v in value]
    if not isinstance(value, onp.ndarray | list | tuple | Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be an array or a sequence of numbers, got {describe(value)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", onp.VisibleDeprecationWarning)
            array = onp.asarray(value)
    except (ValueError, onp.VisibleDeprecationWarning):
        raise ValueError(
            f"{name} must be a rectangular array of numbers (rows of equal length)"
        ) from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    return check_finite_array(name, array.astype(onp.float64, copy=False), bound, hint)


def check_mx_array(name: str, value: Any) -> Any:
    """Check that ``value`` is an MXNet array (``mxnet.np.ndarray``)."""
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be an MXNet array (mxnet.np.ndarray), got {type(value).__name__}"
        )
    return value


def check_mx_data(name: str, value: Any, finite: bool = True) -> Any:
    """Check data or a model parameter for MXNet: a float32 MXNet array, finite when asked.

    The finiteness check copies the array to the host: public entry points call it,
    the training loops (whose data was checked once) do not.
    """
    check_mx_array(name, value)
    if value.dtype != onp.float32:
        raise TypeError(
            f"{name} must hold float32 values (MXNet's default), got {value.dtype}; "
            "convert it with .astype('float32')"
        )
    if finite:
        check_finite_array(name, value.asnumpy())
    return value


def check_batch(
    X: Any, y: Any, features: int | None = None, context: str = "", finite: bool = True
) -> None:
    """Check a minibatch: float32 MXNet arrays ``X`` of shape (n, ``features``) and ``y`` of n.

    ``context`` starts the message, e.g. ``"data_iter yields a batch whose "``;
    ``finite`` as for :func:`check_mx_data`.
    """
    check_mx_data(f"{context}X", X, finite)
    check_mx_data(f"{context}y", y, finite)
    shape = X.shape
    if len(shape) != 2 or shape[0] == 0 or (features is not None and shape[1] != features):
        wanted = "(examples, features)" if features is None else f"(examples, {features})"
        raise ValueError(
            f"{context}X must have shape {wanted} with at least one example, got {shape}"
        )
    if y.size != shape[0]:
        raise ValueError(
            f"{context}y must hold one label per row of X ({shape[0]}), got shape {y.shape}"
        )


def check_minibatches(
    data_iter: Any, features: int | None = None, sized: bool = False
) -> Iterator[tuple[Any, Any]]:
    """Iterate over ``data_iter``'s ``(X, y)`` minibatches, each checked by :func:`check_batch`.

    ``sized=True`` also requires what a training loop of several epochs needs: an
    iterable that has a length and can be read again (not a one-shot generator).
    Raises when it yields no minibatch at all.
    """
    if isinstance(data_iter, str | Mapping | onp.ndarray | np.ndarray) or not isinstance(
        data_iter, Iterable
    ):
        raise TypeError(
            "data_iter must be an iterable of (X, y) minibatches such as d2l.load_array's, "
            f"got {type(data_iter).__name__}"
        )
    if sized and (isinstance(data_iter, Iterator) or not hasattr(data_iter, "__len__")):
        raise TypeError(
            "data_iter must have a length and be readable once per epoch, such as "
            f"d2l.load_array's iterator or a list of batches; got {type(data_iter).__name__}"
        )
    arrays = getattr(data_iter, "arrays", None)
    if arrays is None:
        return _checked_batches(data_iter, features)
    # d2l.load_array's iterator: its arrays were checked when it was made (finite, float32);
    # only their shapes are left to check, once rather than batch by batch.
    if len(arrays) != 2:
        raise TypeError(f"data_iter must yield (X, y) pairs, it holds {len(arrays)} arrays")
    X, y = arrays
    check_batch(X, y, features, context="data_iter holds data whose ", finite=False)
    return iter(data_iter)


def _checked_batches(data_iter: Iterable[Any], features: int | None) -> Iterator[tuple[Any, Any]]:
    empty = True
    for batch in data_iter:
        if not isinstance(batch, tuple | list) or len(batch) != 2:
            raise TypeError(f"data_iter must yield (X, y) pairs, got {type(batch).__name__}")
        X, y = batch
        check_batch(X, y, features, context="data_iter yields a batch whose ")
        empty = False
        yield X, y
    if empty:
        raise ValueError(
            "data_iter yielded no minibatch; pass a non-empty iterator (a generator is "
            "read only once: pass a list or d2l.load_array's iterator instead)"
        )


class DivergenceError(RuntimeError):
    """Raised when an optimization run leaves the finite, bounded region.

    ``trajectory`` holds whatever the run produced before it diverged (for a 2D
    run the finite points of its path), so the reader can still plot it.
    """

    def __init__(self, message: str, trajectory: list[Any] | None = None) -> None:
        check_text("message", message)
        if trajectory is not None and not isinstance(trajectory, list):
            raise TypeError(f"trajectory must be a list or None, got {type(trajectory).__name__}")
        super().__init__(message)
        self.trajectory = trajectory if trajectory is not None else []
