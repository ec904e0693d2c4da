"""Every public name of every edition, called with bad arguments, fails with one clear error.

For each edition (``tests/editions.py``) and each public function or class (and each
public method that takes arguments) the table ``fuzz_cases`` holds a valid baseline call,
small and fast; a framework-free name, the same object in every edition, is tried once.
Each parameter of the signature in turn is then replaced by every value of a shared pool
(wrong types, NaN and infinities, zero, negative and huge numbers, arrays of the wrong
dimension and of every framework, empty sequences, non-callables, a one-shot generator)
and by variants built from the baseline value itself (arrays one element short, with one
more axis, 0-d, empty, float64, holding NaN or a value beyond float32; dictionaries
missing a key or with a bad value). Every such call must keep one contract
(:func:`contract_violation`):

* it raises ``ValueError`` or ``TypeError`` from the package's own code (the innermost
  traceback frame is in ``d2l_utils``, not in a framework, NumPy, matplotlib or
  ipywidgets), with a one-line message that names the argument; or one of the documented
  errors for runs and data: ``DivergenceError``, ``FileNotFoundError``, ``ConnectionError``;
* or it succeeds, because the value is valid after all, and then its result is sane:
  every number in it finite, and no warning from a library on the way.
"""

from __future__ import annotations

import contextlib
import fractions
import inspect
import io
import math
import re
import signal
import traceback
import types
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot
import numpy as onp
import pytest

import d2l_utils
from d2l_utils.divergence import DivergenceError
from d2l_utils.optimizers import OPTIMIZERS
from d2l_utils.validation import constraints_of
from tests import editions
from tests.editions import Edition

PACKAGE = Path(d2l_utils.__file__).resolve().parent
#: The errors a bad argument may raise; the last three only for runs and data.
ARGUMENT_ERRORS = (ValueError, TypeError)
DOCUMENTED_ERRORS = (DivergenceError, FileNotFoundError, ConnectionError)

Factory = Callable[[], Any]

#: Public names that are not called: data, a re-exported library module, an interface (and
#: each edition's framework aliases, its framework's own functions).
NOT_CALLED = {
    "DATA_HUB": "a dictionary of data sets",
    "DATA_URL": "a string",
    "DivergenceError": "an exception class, raised by the package (its message is the caller's)",
    "LABELS": "a dictionary of the methods' names",
    "STYLES": "a dictionary of the methods' styles",
    "plt": "matplotlib.pyplot, re-exported as in the book",
    "rules": "the module of update rules: plain arithmetic on what they are given",
    "f_2d": "the objective: plain arithmetic on numbers or arrays, like a NumPy expression",
    "f_2d_grad": "its gradient, likewise",
}


def not_called(d2l: Any) -> set[str]:
    """The public names of edition module ``d2l`` that the fuzz test does not call."""
    return {*NOT_CALLED, *d2l._ALIASES}


def _generator() -> Any:
    return (v for v in (1.0, 2.0))


#: Values tried for every parameter. Factories, so that no call sees another's leftovers.
POOL: list[tuple[str, Factory]] = [
    ("None", lambda: None),
    ("a string", lambda: "text"),
    ("an empty string", lambda: ""),
    ("a list of two floats", lambda: [1.0, 2.0]),
    ("an empty list", list),
    ("an empty tuple", tuple),
    ("a dict", lambda: {"a": 1}),
    ("an empty dict", dict),
    ("object()", object),
    ("a complex number", lambda: 1 + 2j),
    ("True", lambda: True),
    ("False", lambda: False),
    ("NaN", lambda: math.nan),
    ("inf", lambda: math.inf),
    ("-inf", lambda: -math.inf),
    ("-1", lambda: -1),
    ("0", lambda: 0),
    ("0.0", lambda: 0.0),
    ("-0.5", lambda: -0.5),
    ("0.5", lambda: 0.5),
    ("2.5", lambda: 2.5),
    ("10**12", lambda: 10**12),
    ("2**64", lambda: 2**64),
    ("1e300", lambda: 1e300),
    ("a NumPy 0-d array", lambda: onp.array(0.5)),
    ("a NumPy 3-d array", lambda: onp.ones((2, 2, 2))),
    ("a NumPy array of strings", lambda: onp.array(["a", "b"])),
    ("10**400", lambda: 10**400),
    ("a Fraction", lambda: fractions.Fraction(1, 3)),
    ("a function returning None", lambda: lambda *args, **kwargs: None),
    ("a one-shot generator", _generator),
    ("a read-only mapping", lambda: types.MappingProxyType({"lr": 0.1})),
]


# ---------------------------------------------------------------------------------------
# Variants of a baseline value: wrong shapes and contents of the same kind.


def framework_pool(edition: Edition) -> list[tuple[str, Factory]]:
    """Values of the edition's framework and of the others, tried for every parameter."""
    others = [editions.load(name) for name in editions.NAMES if name != edition.name]
    return [
        ("its framework's 0-d array", lambda: edition.array(onp.array(0.5))),
        ("its framework's 2-d array", lambda: edition.array(onp.ones((3, 2)))),
        *[(f"a {o.name} 2-d array", lambda o=o: o.array(onp.ones((3, 2)))) for o in others],
    ]


def _array_variants(value: Any, edition: Edition) -> list[tuple[str, Factory]]:
    """Arrays like ``value`` but with the wrong shape or bad entries, in every framework."""
    framework = not isinstance(value, onp.ndarray | list | tuple)
    host = edition.host(value) if framework else onp.asarray(value, dtype=float)

    def same_kind(array: onp.ndarray) -> Any:
        """``array`` in the baseline's framework (float32 unless boolean), or in NumPy."""
        return edition.array(array) if framework else array

    variants: list[tuple[str, Factory]] = [
        ("its 0-d version", lambda: same_kind(onp.array(1.0))),
        ("one more axis", lambda: same_kind(host[..., None] + onp.zeros(2))),
        ("it emptied", lambda: same_kind(host[:0])),
        (
            "it in NumPy or in the framework",
            lambda: host.copy() if framework else edition.array(host),
        ),
    ]
    if framework:
        variants.append(("it as float64", lambda: float64_array(edition, host)))
    if host.size:
        variants += [
            ("one row short", lambda: same_kind(host[:-1])),
            ("a NaN in it", lambda: same_kind(_with_first(host, math.nan))),
            ("1e300 in it", lambda: same_kind(_with_first(host, 1e300))),
            ("booleans of its shape", lambda: same_kind(onp.ones(host.shape, dtype=bool))),
        ]
    return variants


def _with_first(array: onp.ndarray, entry: float) -> onp.ndarray:
    copy = array.astype(float)
    copy.flat[0] = entry
    return copy


def float64_array(edition: Edition, host: onp.ndarray) -> Any:
    """``host`` as a float64 array of the edition's framework."""
    if edition.name == "mxnet":
        from mxnet import np

        return np.array(host, dtype="float64")
    if edition.name == "tensorflow":
        import tensorflow as tf

        return tf.constant(host, dtype=tf.float64)
    import torch

    return torch.tensor(host, dtype=torch.float64)


def _is_array_like(value: Any) -> bool:
    if isinstance(value, onp.ndarray) or hasattr(value, "dtype"):
        return True
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, Real) and not isinstance(v, bool) for v in value)
    )


def _dict_variants(value: Mapping[str, Any]) -> list[tuple[str, Factory]]:
    """The dictionary without each key, with a misspelt key, and with each value made bad."""
    variants: list[tuple[str, Factory]] = [("a misspelt key", lambda: {**value, "gama": 0.9})]
    for key in value:
        variants.append(
            (f"without {key!r}", lambda k=key: {a: b for a, b in value.items() if a != k})
        )
        for label, bad in (
            ("a string", "0.1"),
            ("None", None),
            ("NaN", math.nan),
            ("-1", -1),
            ("0", 0),
            ("2.5", 2.5),
            ("1e300", 1e300),
            ("True", True),
            ("5e-324", 5e-324),
            ("a Fraction", fractions.Fraction(1, 2)),
            ("an array of shape (3,)", onp.full(3, 0.5)),
        ):
            variants.append((f"{key!r} as {label}", lambda k=key, v=bad: {**value, k: v}))
    return variants


def variants_of(value: Any, edition: Edition) -> list[tuple[str, Factory]]:
    """Wrong-shape variants of a baseline argument, when it is an array or a dictionary."""
    if _is_array_like(value):
        return _array_variants(value, edition)
    if isinstance(value, dict):
        return _dict_variants(value)
    return []


# ---------------------------------------------------------------------------------------
# The contract.


def finite(value: Any) -> bool:
    """True when every number reachable in ``value`` is a finite real number."""
    if value is None or isinstance(value, str | bool | Path):
        return True
    if isinstance(value, complex):
        return False
    if isinstance(value, Real):
        return math.isfinite(value)
    if not isinstance(value, onp.ndarray) and hasattr(value, "dtype"):
        value = editions.Edition.host(value)
    if isinstance(value, onp.ndarray):
        return value.dtype.kind in "biuf" and bool(onp.isfinite(value).all())
    if isinstance(value, Mapping):
        return all(finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(finite(v) for v in value)
    return True  # figures, layouts, explorers: their numbers are checked by ``sane``


#: A call that takes longer is stopped and reported (a huge count must be refused, not run).
CALL_SECONDS = 5.0


class TooSlow(BaseException):
    """The alarm of a call that runs too long; not an ``Exception``, so nothing catches it."""


def _time_out(signum: int, frame: Any) -> None:
    raise TooSlow


def _innermost_file(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    return frames[-1].filename if frames else "<no frame>"


def _names(message: str, argument: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(argument)}(?![\w])", message) is not None


def contract_violation(
    call: Callable[[], Any],
    argument: str,
    sane: Callable[[Any], bool] = finite,
    wait: Callable[[], None] = lambda: None,
) -> str | None:
    """None when ``call()`` keeps the contract for a bad ``argument``, else what broke it.

    Nothing the call prints or draws is kept: output goes to a buffer, figures are
    closed and matplotlib's settings restored.
    """
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stdout(io.StringIO()),
        mpl.rc_context(),
    ):
        warnings.simplefilter("always")
        previous = signal.signal(signal.SIGALRM, _time_out)
        # Repeats every 0.1 s: an alarm that lands in a destructor is ignored by Python.
        signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS, 0.1)
        try:
            result = call()
            wait()  # MXNet runs asynchronously: its errors surface here, not later
            verdict = None if sane(result) else f"succeeded with an insane result {result!r:.200}"
        except TooSlow:
            verdict = f"still running after {CALL_SECONDS} s"
        except Exception as error:
            verdict = _error_violation(error, argument)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            mpl.pyplot.close("all")
    noise = [w for w in caught if not issubclass(w.category, DeprecationWarning)]
    if verdict is None and noise:
        first = noise[0]
        verdict = f"warned {first.category.__name__} at {first.filename}: {first.message}"
    return verdict


def _error_violation(error: Exception, argument: str) -> str | None:
    kind = type(error).__name__
    message = str(error)
    where = _innermost_file(error)
    if not isinstance(error, ARGUMENT_ERRORS + DOCUMENTED_ERRORS):
        return f"raised {kind} (neither ValueError nor TypeError) at {where}: {message:.200}"
    if not where.startswith(str(PACKAGE)):
        return f"{kind} raised outside d2l_utils, at {where}: {message:.200}"
    if not message or "\n" in message:
        return f"{kind} message is not one line: {message!r:.300}"
    about_an_argument = not isinstance(error, DOCUMENTED_ERRORS)
    if about_an_argument and not _names(message, argument):
        return f"{kind} message does not name {argument!r}: {message:.200}"
    return None


# ---------------------------------------------------------------------------------------
# Baselines: small valid calls, one table per edition.


def tiny_arrays(rows: int = 6, features: int = 2) -> tuple[onp.ndarray, onp.ndarray]:
    X = onp.linspace(-1.0, 1.0, rows * features).reshape(rows, features)
    return X, X.sum(axis=1) / 2


def start_params() -> tuple[onp.ndarray, onp.ndarray]:
    return onp.full((2, 1), 0.1), onp.zeros(1)


def rmsprop_hyperparams() -> dict[str, Any]:
    return {"lr": 0.01, "gamma": 0.9}


def sane_path(path: Any) -> bool:
    return isinstance(path, Path) and path.is_file()


def sane_axes(axes: Any) -> bool:
    return all(finite(onp.asarray(line.get_ydata(), dtype=float)) for line in axes.get_lines())


@dataclass
class Case:
    """One public callable: how to call it, a valid baseline, extra bad values, sanity."""

    call: Callable[..., Any]
    baseline: Callable[[], dict[str, Any]] = dict
    extras: dict[str, list[tuple[str, Factory]]] = field(default_factory=dict)
    sane: Callable[[Any], bool] = finite
    #: The function whose declarations ``call`` goes through, when ``call`` is a wrapper.
    declares: Callable[..., Any] | None = None
    #: Plain arithmetic (the model and its loss): NaN or overflow in, NaN or inf out, as in
    #: NumPy; the loaders refuse such data, and training stops on a non-finite loss.
    arithmetic: bool = False


class Empty:
    """An iterable that says it has batches and yields none."""

    def __len__(self) -> int:
        return 2

    def __iter__(self) -> Any:
        return iter(())


def fuzz_cases(edition: Edition) -> dict[str, Case]:
    """The table of one edition: every public callable, with its baseline."""
    d2l = edition.module
    A = edition.array

    def tiny_loader(features: int = 2) -> Any:
        return d2l.load_array(tiny_arrays(features=features), batch_size=3)

    def model_params() -> list[Any]:
        """``[w, b]`` of a two-feature linear model, with (non-zero) gradients attached."""
        return edition.params([[[0.5], [-0.5]], [0.1]], [onp.full((2, 1), 0.25), [0.25]])

    def params_extras() -> list[tuple[str, Factory]]:
        def no_grad() -> list[Any]:
            w, b = model_params()
            return [w, A(edition.host(b))]

        return [
            ("only w", lambda: model_params()[:1]),
            ("b without a gradient", no_grad),
            (
                "w of shape (3, 1)",
                lambda: edition.params([onp.ones((3, 1)), [0.1]], [onp.ones((3, 1)), [0.1]]),
            ),
            ("NumPy arrays", lambda: [edition.host(p) for p in model_params()]),
            ("float64 parameters", lambda: [float64_array(edition, onp.ones((2, 1)))]),
        ]

    def to_numpy(states: Any) -> Any:
        if isinstance(states, tuple | list):
            return tuple(to_numpy(s) for s in states)
        return edition.host(states)

    def to_floats(states: Any) -> Any:
        if isinstance(states, tuple | list):
            return tuple(to_floats(s) for s in states)
        return 0.0

    def states_extras(init: Callable[[int], Any]) -> list[tuple[str, Factory]]:
        return [
            ("for three features", lambda: init(3)),
            ("one state only", lambda: init(2)[:1]),
            ("as NumPy arrays", lambda: to_numpy(init(2))),
            ("as floats", lambda: to_floats(init(2))),
            (
                "as float64 arrays",
                lambda: [
                    float64_array(edition, onp.zeros((2, 1))),
                    float64_array(edition, onp.zeros(1)),
                ],
            ),
        ]

    def data_iter_extras() -> list[tuple[str, Factory]]:
        return [
            ("a loader of three features", lambda: tiny_loader(features=3)),
            ("a list of batches", lambda: list(tiny_loader())),
            ("a generator of batches", lambda: iter(list(tiny_loader()))),
            ("an empty list", list),
            ("empty batches", lambda: [(X[:0], y[:0]) for X, y in tiny_loader()]),
            ("an iterable that yields nothing", Empty),
            ("batches of NumPy arrays", lambda: [tuple(to_numpy(b)) for b in tiny_loader()]),
            ("batches that are not pairs", lambda: [A(onp.ones((3, 2)))]),
        ]

    grads_given = d2l._FRAMEWORK.grads_given

    def updated(rule: Callable[..., None]) -> Callable[..., Any]:
        """Call the rule (with the gradients, in TensorFlow); return the parameters, whose
        numbers must stay finite."""

        def call(params: Any, states: Any, hyperparams: Any) -> Any:
            rule(params, states, hyperparams)
            return params

        def call_with_grads(params: Any, grads: Any, states: Any, hyperparams: Any) -> Any:
            rule(params, grads, states, hyperparams)
            return params

        return call_with_grads if grads_given else call

    def optimizer_case(rule: Callable[..., None], init: Any, hyperparams: dict[str, Any]) -> Case:
        def baseline() -> dict[str, Any]:
            given = {
                "params": model_params(),
                "states": init(2) if init else None,
                "hyperparams": dict(hyperparams),
            }
            if grads_given:
                given["grads"] = [A(onp.full((2, 1), 0.25)), A(onp.full(1, 0.25))]
            return given

        return Case(
            updated(rule),
            baseline,
            {"params": params_extras(), **({"states": states_extras(init)} if init else {})},
            declares=rule,
        )

    def scratch_run() -> Any:
        return d2l.ScratchLinreg(
            d2l.rmsprop, d2l.init_rmsprop_states(2), rmsprop_hyperparams(), *start_params()
        )

    def builtin_run() -> Any:
        return edition.builtin_run(*start_params(), 1e-6)

    def stepped(make: Callable[[], Any]) -> Callable[..., Any]:
        def call(X: Any, y: Any) -> Any:
            run = make()
            run.step(X, y)
            return run.params()

        return call

    def predicted(make: Callable[[], Any]) -> Callable[..., Any]:
        return lambda X: make().predict(X)

    def animator_add(x: Any, y: Any) -> Any:
        animator = d2l.Animator(legend=["a", "b"])
        animator.add(x, y)
        return animator.X, animator.Y

    def trajectory_with(method: Any, eta: Any, gamma: Any = 0.9, grad: Any = d2l.f_2d_grad) -> Any:
        """``step_2d``, and a short run of the step function it returns (its result checked)."""
        return d2l.train_2d(d2l.step_2d(method, eta, gamma, grad), 3, verbose=False)

    def sane_loader(loader: Any) -> bool:
        return finite([tuple(edition.host(a) for a in batch) for batch in loader])

    def three_feature_run() -> Any:
        return d2l.ScratchLinreg(
            d2l.rmsprop,
            d2l.init_rmsprop_states(3),
            rmsprop_hyperparams(),
            onp.zeros((3, 1)),
            [0.0],
        )

    def training_baseline() -> dict[str, Any]:
        return {
            "trainer_fn": d2l.rmsprop,
            "states": d2l.init_rmsprop_states(2),
            "hyperparams": rmsprop_hyperparams(),
            "data_iter": tiny_loader(),
            "feature_dim": 2,
            "num_epochs": 1,
            "show": False,
        }

    trainer, concise_hyperparams = edition.concise

    def concise_baseline() -> dict[str, Any]:
        names = list(inspect.signature(d2l.train_concise_ch11).parameters)
        return dict(
            zip(names, [trainer, dict(concise_hyperparams), tiny_loader(), 1], strict=True)
        )

    run_steps = {"X": [("three columns", lambda: A(onp.ones((3, 3))))]}
    cases = {
        "Animator": Case(d2l.Animator, lambda: {"legend": ["train"], "xlim": [0, 2]}),
        "Animator.add": Case(animator_add, lambda: {"x": 1.0, "y": [0.5, 0.25]}),
        "ScratchLinreg": Case(
            d2l.ScratchLinreg,
            lambda: {
                "trainer_fn": d2l.rmsprop,
                "states": d2l.init_rmsprop_states(2),
                "hyperparams": rmsprop_hyperparams(),
                "w0": start_params()[0],
                "b0": start_params()[1],
            },
            {"states": states_extras(d2l.init_rmsprop_states)},
            sane=lambda run: finite(run.params()),
        ),
        "ScratchLinreg.step": Case(
            stepped(scratch_run),
            lambda: {"X": A(onp.ones((3, 2))), "y": A(onp.ones(3))},
            run_steps,
            declares=d2l.ScratchLinreg.step,
        ),
        "ScratchLinreg.predict": Case(
            predicted(scratch_run),
            lambda: {"X": A(onp.ones((3, 2)))},
            run_steps,
            declares=d2l.ScratchLinreg.predict,
        ),
        "Timer": Case(d2l.Timer, sane=lambda timer: finite(timer.stop())),
        "TrainingExplorer": Case(
            d2l.TrainingExplorer,
            lambda: {"data_iter": tiny_loader(), "feature_dim": 2},
            {"feature_dim": [("2**31 - 2", lambda: 2**31 - 2), ("three", lambda: 3)]},
            sane=lambda explorer: finite(explorer.curve),
        ),
        "TrajectoryExplorer": Case(
            d2l.TrajectoryExplorer,
            lambda: {"eta": 0.4, "gamma": 0.9, "steps": 5},
            sane=lambda explorer: all(finite(path["f"]) for path in explorer.paths.values()),
        ),
        "WeightsExplorer": Case(d2l.WeightsExplorer, lambda: {"gamma": 0.9}),
        "StateExplorer": Case(
            d2l.StateExplorer,
            lambda: {"eta": 0.4, "gamma": 0.9, "t": 5},
            sane=lambda explorer: finite(explorer.run["f"]),
        ),
        "RotationExplorer": Case(
            d2l.RotationExplorer,
            lambda: {"angle": 45.0, "eta": 0.4, "gamma": 0.9},
            sane=lambda explorer: all(finite(p["f"]) for p in explorer.paths.values()),
        ),
        "MapExplorer": Case(
            d2l.MapExplorer,
            lambda: {"eta": 0.4, "gamma": 0.9, "metric": "steps"},
            sane=lambda explorer: finite(explorer.path["f"]),
        ),
        "ConventionsExplorer": Case(
            d2l.ConventionsExplorer,
            lambda: {"data_iter": tiny_loader(), "feature_dim": 2},
            {"feature_dim": [("three", lambda: 3)]},
            sane=lambda explorer: all(finite(g) for g in explorer.gaps.values()),
        ),
        "download": Case(
            d2l.download,
            lambda: {"url": "airfoil"},
            {
                "url": [
                    ("a folder's URL", lambda: "http://127.0.0.1:9/data/"),
                    ("a file:// URL", lambda: "file:///etc/passwd"),
                ]
            },
            sane=sane_path,
        ),
        "evaluate_loss": Case(
            d2l.evaluate_loss,
            lambda: {
                "net": lambda X: d2l.linreg(X, A(onp.ones((2, 1))), A(onp.zeros(1))),
                "data_iter": tiny_loader(),
                "loss": d2l.squared_loss,
            },
            {
                "data_iter": data_iter_extras(),
                "net": [("a net of two arguments", lambda: lambda X, y: X)],
            },
        ),
        "effective_window": Case(d2l.effective_window, lambda: {"gamma": 0.9}),
        "half_life": Case(d2l.half_life, lambda: {"gamma": 0.9}),
        "leaky_weights": Case(d2l.leaky_weights, lambda: {"gamma": 0.9, "steps": 5}),
        "init_linreg": Case(d2l.init_linreg, lambda: {"feature_dim": 2}),
        "initial_state_2d": Case(d2l.initial_state_2d, lambda: {"method": "adam"}),
        "get_data_ch11": Case(
            d2l.get_data_ch11,
            lambda: {"batch_size": 10, "n": 40},
            sane=lambda result: result[1] == 5 and sane_loader(result[0]),
        ),
        "leaky_running_average": Case(
            d2l.leaky_running_average, lambda: {"values": [1.0, 2.0, 3.0], "gamma": 0.9}
        ),
        "linreg": Case(
            d2l.linreg,
            lambda: {"X": A(onp.ones((3, 2))), "w": A(onp.ones((2, 1))), "b": A(onp.zeros(1))},
            arithmetic=True,
        ),
        "load_array": Case(
            d2l.load_array,
            lambda: {"data_arrays": tiny_arrays(), "batch_size": 4},
            {
                "data_arrays": [
                    ("one array", lambda: tiny_arrays()[:1]),
                    ("rows that differ", lambda: (tiny_arrays()[0], tiny_arrays()[1][:-1])),
                    ("a 0-d array in it", lambda: (tiny_arrays()[0], onp.array(1.0))),
                    ("strings in it", lambda: (tiny_arrays()[0], onp.array(["a"] * 6))),
                    ("no rows", lambda: (onp.zeros((0, 2)), onp.zeros(0))),
                    (
                        "values beyond float32",
                        lambda: (tiny_arrays()[0] * 1e300, tiny_arrays()[1]),
                    ),
                ]
            },
            sane=sane_loader,
        ),
        "lockstep_gaps": Case(
            d2l.lockstep_gaps,
            lambda: {
                "run_a": scratch_run(),
                "run_b": builtin_run(),
                "data_iter": tiny_loader(),
                "num_steps": 3,
            },
            {
                "run_b": [("a run of three features", three_feature_run)],
                "data_iter": data_iter_extras(),
            },
        ),
        "step_2d": Case(
            trajectory_with,
            lambda: {"method": "rmsprop", "eta": 0.4},
            {
                "grad": [
                    ("a grad returning strings", lambda: lambda x1, x2: ("a", "b")),
                    ("a grad of one argument", lambda: lambda x: (x, x)),
                ]
            },
            declares=d2l.step_2d,
        ),
        "plot": Case(
            d2l.plot,
            lambda: {
                "X": [0.0, 1.0, 2.0],
                "Y": [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]],
                "legend": ["a", "b"],
            },
            {
                "Y": [
                    ("ragged series", lambda: [[1.0, 2.0, 3.0], [1.0]]),
                    ("a string series", lambda: [["a", "b", "c"]]),
                ],
                "fmts": [("an unknown format", lambda: ["zz"])],
            },
            sane=sane_axes,
        ),
        "set_axes": Case(
            d2l.set_axes,
            lambda: {
                "axes": d2l.plt.subplots()[1],
                "xlabel": "x",
                "ylabel": "y",
                "xlim": [0, 1],
                "ylim": [0.1, 1],
                "xscale": "linear",
                "yscale": "log",
                "legend": ["a"],
            },
        ),
        "set_figsize": Case(d2l.set_figsize, lambda: {"figsize": (3.5, 2.5)}),
        "set_seed": Case(d2l.set_seed, lambda: {"seed": 0}),
        "show_trace_2d": Case(
            d2l.show_trace_2d,
            lambda: {"f": d2l.f_2d, "results": [(-5.0, -2.0), (-4.0, -1.0), (0.0, 0.0)]},
            {
                "results": [("three coordinates a point", lambda: [(1.0, 2.0, 3.0)])],
                "f": [
                    ("a complex f", lambda: lambda x1, x2: x1 + 1j * x2),
                    ("an f of one argument", lambda: lambda x: x),
                ],
            },
        ),
        "squared_loss": Case(
            d2l.squared_loss,
            lambda: {"y_hat": A(onp.ones((3, 1))), "y": A(onp.zeros(3))},
            arithmetic=True,
        ),
        "train_2d": Case(
            d2l.train_2d,
            lambda: {"trainer": d2l.step_2d("rmsprop", 0.4), "steps": 3, "verbose": False},
            {
                "trainer": [
                    ("a trainer of the wrong arity", lambda: lambda x1, x2: (x1, x2)),
                    (
                        "a trainer returning strings",
                        lambda: lambda x1, x2, s1, s2: ("a", "b", s1, s2),
                    ),
                    (
                        "a trainer returning 10**400",
                        lambda: lambda x1, x2, s1, s2: (10**400, x2, s1, s2),
                    ),
                ],
                "start": [("three coordinates", lambda: (1.0, 2.0, 3.0))],
                "state": [("three state values", lambda: (0.0, 0.0, 0.0))],
            },
        ),
        "train_ch11": Case(
            d2l.train_ch11,
            training_baseline,
            {
                "states": states_extras(d2l.init_rmsprop_states),
                "data_iter": data_iter_extras(),
                "trainer_fn": [
                    ("a trainer of two arguments", lambda: lambda params, states: None)
                ],
            },
        ),
        "train_concise_ch11": Case(
            d2l.train_concise_ch11, concise_baseline, {"data_iter": data_iter_extras()}
        ),
        "use_svg_display": Case(d2l.use_svg_display),
    }
    for spec in OPTIMIZERS.values():
        hyperparams = {h.book_key: h.default for h in spec.hyperparams if h.required}
        if spec.counts_steps:
            hyperparams["t"] = 1
        init = getattr(d2l, spec.init_function) if spec.init_function else None
        cases[spec.book_function] = optimizer_case(
            getattr(d2l, spec.book_function), init, hyperparams
        )
        if init is not None:
            cases[spec.init_function] = Case(init, lambda: {"feature_dim": 2})
    if edition.name == "mxnet":
        gluon = {"learning_rate": 0.01, "gamma1": 0.9}
        cases["train_gluon_ch11"] = Case(
            d2l.train_gluon_ch11, concise_baseline, {"data_iter": data_iter_extras()}
        )
        builtin_name = "GluonLinreg"
        builtin_baseline = {"optimizer": "rmsprop", "optimizer_params": gluon}
    elif edition.name == "tensorflow":
        import tensorflow as tf

        builtin_name = "KerasLinreg"
        builtin_baseline = {
            "optimizer": tf.keras.optimizers.RMSprop,
            "optimizer_params": {"learning_rate": 0.01, "rho": 0.9},
        }
        cases["train_concise_ch11"].extras["trainer_fn"] = [
            ("a function returning None", lambda: lambda **kwargs: None),
            ("a class needing an argument", lambda: lambda lr: None),
        ]
    else:
        import torch

        builtin_name = "TorchLinreg"
        builtin_baseline = {
            "optimizer": torch.optim.RMSprop,
            "optimizer_params": {"lr": 0.01, "alpha": 0.9},
        }
        cases["train_concise_ch11"].extras["trainer_fn"] = [
            ("an optimizer needing a closure", lambda: torch.optim.LBFGS),
            ("a function returning None", lambda: lambda params, **kwargs: None),
        ]
    builtin = getattr(d2l, builtin_name)
    cases[builtin_name] = Case(
        builtin,
        lambda: {**builtin_baseline, "w0": start_params()[0], "b0": start_params()[1]},
        sane=lambda run: finite(run.params()),
    )
    cases[f"{builtin_name}.step"] = Case(
        stepped(builtin_run),
        lambda: {"X": A(onp.ones((3, 2))), "y": A(onp.ones(3))},
        run_steps,
        declares=builtin.step,
    )
    cases[f"{builtin_name}.predict"] = Case(
        predicted(builtin_run),
        lambda: {"X": A(onp.ones((3, 2)))},
        run_steps,
        declares=builtin.predict,
    )
    return cases


def offline(*args: Any, **kwargs: Any) -> Any:
    raise urllib.error.URLError("the fuzz test runs offline")


EDITIONS = {name: editions.load(name) for name in editions.NAMES}
FUZZ = {name: fuzz_cases(edition) for name, edition in EDITIONS.items()}


def bad_calls(case: Case, edition: Edition) -> list[tuple[str, str, Factory]]:
    """(parameter, label of the bad value, its factory) for every parameter of ``case``."""
    baseline = case.baseline()
    calls = []
    pool = POOL + framework_pool(edition)
    for parameter in inspect.signature(case.call).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        valid = baseline.get(parameter.name, parameter.default)
        values = pool + variants_of(valid, edition) + case.extras.get(parameter.name, [])
        calls += [(parameter.name, label, make) for label, make in values]
    return calls


#: Parameters checked in the function's body, against another argument, not on their own.
CHECKED_IN_THE_BODY = {
    "states": "checked against params: one state per parameter, of its shape",
    "y": "Animator.add: one value per curve, checked against the curves",
    "x": "Animator.add: one number or one per curve",
}


@pytest.mark.parametrize("name", editions.NAMES)
def test_every_parameter_is_declared_once(name):
    """Each public function states what each parameter accepts (``@validated``)."""
    d2l = EDITIONS[name].module
    missing = []
    for public_name in sorted(set(d2l.__all__) - not_called(d2l)):
        public = getattr(d2l, public_name)
        function = public.__init__ if inspect.isclass(public) else public
        if "d2l_utils" not in function.__module__:
            continue
        declared = constraints_of(public)
        for parameter in inspect.signature(function).parameters:
            if parameter not in {"self", *declared, *CHECKED_IN_THE_BODY}:
                missing.append(f"{public_name}({parameter})")
    assert missing == []


@pytest.mark.parametrize("name", editions.NAMES)
def test_every_public_name_and_method_is_fuzzed(name):
    d2l = EDITIONS[name].module
    called = set(d2l.__all__) - not_called(d2l)
    assert {case.split(".")[0] for case in FUZZ[name]} == called
    for public_name in called:
        public = getattr(d2l, public_name)
        if not inspect.isclass(public):
            continue
        for attribute, member in inspect.getmembers(public, inspect.isfunction):
            takes_arguments = len(inspect.signature(member).parameters) > 1
            ours = member.__module__.startswith("d2l_utils")
            if ours and takes_arguments and not attribute.startswith("_"):
                assert f"{public_name}.{attribute}" in FUZZ[name], f"{public_name}.{attribute}"


def own_cases() -> list[tuple[str, str]]:
    """(edition, case) for every case, once: a framework-free name (the same object in every
    edition) is fuzzed in the first edition only."""
    first = EDITIONS[editions.NAMES[0]].module
    return [
        (e, n)
        for i, e in enumerate(editions.NAMES)
        for n in sorted(FUZZ[e])
        if i == 0
        or getattr(EDITIONS[e].module, n.split(".")[0])
        is not getattr(first, n.split(".")[0], None)
    ]


@pytest.mark.parametrize(("edition_name", "name"), own_cases())
def test_bad_arguments_get_one_clear_error(edition_name, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a folder given as a relative path lands here
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", offline)
    edition, case = EDITIONS[edition_name], FUZZ[edition_name][name]

    def verdict(kwargs: dict[str, Any], argument: str) -> str | None:
        return contract_violation(lambda: case.call(**kwargs), argument, case.sane, edition.wait)

    baseline = verdict(case.baseline(), "(none)")
    assert baseline is None, f"the valid baseline call fails: {baseline}"
    failures = []
    for argument, label, make in bad_calls(case, edition):
        found = verdict({**case.baseline(), argument: make()}, argument)
        propagated = label in ("a NaN in it", "1e300 in it") and "insane result" in str(found)
        if case.arithmetic and propagated:
            found = None
        if found is not None:
            failures.append(f"{argument} = {label}: {found}")
    assert not failures, f"{len(failures)} bad calls of {name}:\n" + "\n".join(failures)
