"""What every framework edition shares, written once over a small framework interface.

The book's from-scratch optimizers, the linear-regression model, its data and
``train_ch11`` are the same lines in every edition; only a handful of framework
operations differ (make an array, make a parameter, compute gradients, update in
place or by assignment). An edition module supplies those as a :class:`Framework`
and publishes :func:`book_functions` of it, the framework-free names
(:data:`SHARED_NAMES`) and its own, with :func:`publish`.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as onp
from numpy.typing import NDArray

from . import training
from .arrays import to_numpy
from .data import ArrayLoader, DataArrays, airfoil_regression
from .optimizers import (
    BELOW_ONE,
    DECAY,
    EPSILON,
    LEARNING_RATE,
    OPTIMIZERS,
    STEP_COUNT,
    Optimizer,
)
from .validation import (
    Array,
    Batches,
    Boolean,
    Constraint,
    Function,
    Hyperparams,
    Integer,
    InvalidType,
    InvalidValue,
    Real,
    describe,
    unchecked,
    validated,
)

__all__ = [
    "BOOK_HYPERPARAMS",
    "BUILTIN_HYPERPARAMS",
    "SHARED_NAMES",
    "Framework",
    "book_functions",
    "first_line",
    "half_squared_error",
    "linear",
    "linreg_run",
    "publish",
]

#: The framework-free names every edition offers, as the book's ``d2l`` modules do.
#: (``rules`` is the module itself.)
SHARED_NAMES = {
    "agreement": ("lockstep_gaps",),
    "data": ("DATA_HUB", "DATA_URL", "download"),
    "divergence": ("DivergenceError",),
    "explorers": (
        *("MapExplorer", "RotationExplorer", "StateExplorer", "TrajectoryExplorer"),
        "WeightsExplorer",
    ),
    "leaky_average": ("effective_window", "half_life", "leaky_running_average", "leaky_weights"),
    "plotting": (
        *("LABELS", "STYLES", "Animator", "plot", "plt", "set_axes", "set_figsize"),
        "use_svg_display",
    ),
    "quadratic": ("f_2d", "f_2d_grad", "initial_state_2d", "show_trace_2d", "step_2d", "train_2d"),
    "rules": ("rules",),
    "seeding": ("set_seed",),
    "timing": ("Timer",),
}
#: The linear model has at most this many features (a million weights: 4 MB).
FEATURES = Integer(1, 10**6)
#: The longest training a reader can mean on the chapter's data (minutes per 100 epochs).
EPOCHS = Integer(1, 1000)
BATCH_SIZE = Integer(1, 10**6)
#: The hyperparameters the book's functions and the frameworks' optimizers read, under
#: every name they go by: checked wherever a dictionary of them is passed.
_NAMED = {
    **{h.book_key: h.constraint for o in OPTIMIZERS.values() for h in o.hyperparams},
    **dict.fromkeys(("learning_rate", "eta"), LEARNING_RATE),
    "epsilon": EPSILON,
    **dict.fromkeys(("gamma1", "gamma2", "rho", "alpha"), DECAY),
    **dict.fromkeys(("beta_1", "beta_2"), BELOW_ONE),
    **dict.fromkeys(("wd", "weight_decay"), Real(low=0, float32=True)),
}
#: ... for a from-scratch optimizer (arrays of values, one per model, are welcome) ...
BOOK_HYPERPARAMS = Hyperparams(optional={**_NAMED, "t": STEP_COUNT})
#: ... and for a framework's built-in optimizer, which takes single numbers.
BUILTIN_HYPERPARAMS = Hyperparams(
    optional={k: c.scalar() if isinstance(c, Real) else c for k, c in _NAMED.items()},
    example="{'learning_rate': 0.01}",
)


#: The book's framework aliases that each edition takes from its framework under the same name.
SAME_NAMED = (
    *("ones", "zeros", "arange", "meshgrid", "sin", "sinh", "cos", "cosh", "tanh", "linspace"),
    *("exp", "log", "stack", "abs", "eye"),
)


def aliases(module: Any, **others: Any) -> dict[str, Any]:
    """An edition's framework aliases: ``SAME_NAMED`` from its framework's ``module``, then
    ``others`` (``method(name)`` makes the alias ``f(x, ...)`` of a method ``x.name(...)``)."""
    same = {name: getattr(module, name) for name in SAME_NAMED if name not in others}
    return {**same, **others}


def method(name: str) -> Callable[..., Any]:
    """The alias ``f(x, ...)`` for the array method ``x.name(...)``."""
    return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


def first_line(error: BaseException) -> str:
    """The line of an error's message that says what went wrong (MXNet's come after a
    C++ stack trace), or the error's name."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    said = [line for line in lines if "Error" in line.split(" ")[0] or "Check failed" in line]
    return (said or lines or [type(error).__name__])[-1 if said else 0]


def linear(X: Any, w: Any, b: Any) -> Any:
    """``X w + b``, unchecked: for loops whose parameters and batches were checked already."""
    return X @ w + b


def half_squared_error(y_hat: Any, y: Any) -> Any:
    """``(y_hat - y)² / 2`` per example, unchecked (see ``linear``): the book's loss.

    ``y`` takes ``y_hat``'s shape by indexing, which every framework's arrays share.
    """
    if len(y.shape) < len(y_hat.shape):
        y = y[:, None]
    elif len(y.shape) > len(y_hat.shape):
        y = y[:, 0]
    return (y_hat - y) ** 2 / 2


class Framework:
    """The few operations the shared code needs from a framework."""

    #: The chapters' tag for the framework, and how the text names it.
    name = ""
    label = ""
    #: The framework's array types, and how the messages name them; its parameters' type
    #: (TensorFlow's are variables, which other arrays are not).
    array_type: type[Any] | tuple[type[Any], ...] = object
    array_name = "an array"
    param_type: type[Any] | tuple[type[Any], ...] | None = None
    #: The framework's errors that mean "this model cannot take this data".
    errors: tuple[type[Exception], ...] = ()
    #: Whether its from-scratch optimizers are called ``(params, grads, states,
    #: hyperparams)`` (TensorFlow's) rather than ``(params, states, hyperparams)``.
    grads_given = False

    def from_numpy(self, array: NDArray[Any]) -> Any:
        """A float32 array of the framework, from NumPy."""
        raise NotImplementedError

    def zeros(self, shape: tuple[int, ...]) -> Any:
        """A float32 array of zeros (a state: updated in place)."""
        raise NotImplementedError

    def normal(self, scale: float, shape: tuple[int, ...]) -> Any:
        """A float32 array drawn from N(0, scale²) with the framework's generator."""
        raise NotImplementedError

    def param(self, array: Any) -> Any:
        """``array`` as a trainable parameter."""
        raise NotImplementedError

    def grad(self, param: Any) -> Any:
        """The parameter's gradient, or None before the first backward pass."""
        return getattr(param, "grad", None)

    def no_grad(self) -> contextlib.AbstractContextManager[Any]:
        """Where parameters are updated, outside autograd."""
        return contextlib.nullcontext()

    def zero_grad(self, params: Sequence[Any]) -> None:
        """Reset accumulated gradients (for a framework that accumulates them)."""

    def bulk(self) -> contextlib.AbstractContextManager[Any]:
        """Around one training step (MXNet hands its operations to the engine in bulk)."""
        return contextlib.nullcontext()

    def record(self) -> contextlib.AbstractContextManager[Any]:
        """Where the forward pass is recorded for autograd."""
        return contextlib.nullcontext()

    def train_step(
        self,
        trainer_fn: Callable[..., Any],
        params: list[Any],
        states: Any,
        hyperparams: Any,
        loss_of: Callable[[], Any],
    ) -> None:
        """One step: the gradients of ``loss_of()`` (a scalar), then ``trainer_fn``."""
        self.zero_grad(params)
        with self.record():
            loss = loss_of()
        loss.backward()
        trainer_fn(params, states, hyperparams)

    def read(self, array: Any) -> Any:
        """A parameter or state as a rule takes it (updated in place, or a value whose new
        values ``assign`` stores)."""
        return array

    def assign(self, targets: Sequence[Any], values: Sequence[Any]) -> None:
        """Store a rule's new values into the parameter and its states (in place already,
        for a framework whose arrays are mutable)."""

    def split(self, array: Any, size: int) -> list[Any]:
        """``array``'s rows in consecutive minibatches of ``size`` (the last may be shorter)."""
        return [array[start : start + size] for start in range(0, len(array), size)]

    def prepare(self, trainer_fn: Callable[..., Any], hyperparams: Any) -> Callable[..., Any]:
        """The from-scratch optimizer as ``train_ch11`` calls it at every step."""
        return trainer_fn

    def linreg_step(
        self,
        trainer_fn: Callable[..., Any],
        w: Any,
        b: Any,
        states: Any,
        hyperparams: Any,
        X: Any,
        y: Any,
    ) -> None:
        """One step of the linear model ``X w + b`` on the minibatch's mean loss."""
        self.train_step(
            trainer_fn,
            [w, b],
            states,
            hyperparams,
            lambda: half_squared_error(linear(X, w, b), y).mean(),
        )

    def hyper(self, value: Any) -> Any:
        """A hyperparameter as the update takes it: a float, or a float32 array."""
        return value if isinstance(value, float) else self.from_numpy(to_numpy(value))


class FrameworkArray(Constraint):
    """A float32 array of ``framework``; ``shape`` and ``finite`` check more of it."""

    def __init__(self, framework: Framework, shape: str = "", finite: bool = False) -> None:
        self.framework, self.finite = framework, finite
        extra = (f" of shape {shape}" if shape else "") + (", finite" if finite else "")
        self.text = f"a float32 {framework.array_name}{extra}"
        self.shape = shape

    def is_type(self, value: Any) -> bool:
        return isinstance(value, self.framework.array_type)

    def fits(self, value: Any) -> bool:
        """Whether the array has the shape asked for (subclasses say which)."""
        return True

    def is_satisfied_by(self, value: Any) -> bool:
        return (
            self.is_type(value)
            and str(getattr(value.dtype, "name", value.dtype)).endswith("float32")
            and self.fits(value)
            and (not self.finite or bool(onp.isfinite(to_numpy(value)).all()))
        )


class Inputs(FrameworkArray):
    """A minibatch's inputs: at least one row of features."""

    def __init__(self, framework: Framework) -> None:
        super().__init__(framework, "(examples, features)", finite=True)

    def fits(self, value: Any) -> bool:
        return len(value.shape) == 2 and value.shape[0] > 0


class Labels(FrameworkArray):
    """A minibatch's labels: one per example."""

    def __init__(self, framework: Framework) -> None:
        super().__init__(framework, "(examples,) or (examples, 1)", finite=True)

    def fits(self, value: Any) -> bool:
        shape = tuple(value.shape)
        return len(shape) in (1, 2) and shape[0] > 0 and (len(shape) == 1 or shape[1] == 1)


class Params(Constraint):
    """A list of a framework's float32 parameters, each with its gradient (if it keeps one),
    or (``grads=True``) the list of their gradients."""

    def __init__(self, framework: Framework, grads: bool = False) -> None:
        self.framework, self.grads = framework, grads
        self.array = FrameworkArray(framework)
        self.kind = framework.array_type if grads else framework.param_type or framework.array_type
        if grads:
            self.text = f"a list of gradients ({framework.array_name}s), one per parameter"
        else:
            what = "s" if framework.grads_given else "s with gradients"
            self.text = f"a non-empty list of parameters ({framework.array_name}{what}), as [w, b]"

    def is_type(self, value: Any) -> bool:
        return isinstance(value, list | tuple) and all(isinstance(p, self.kind) for p in value)

    def is_satisfied_by(self, value: Any) -> bool:
        return (
            self.is_type(value)
            and len(value) > 0
            and all(self.array.is_satisfied_by(p) for p in value)
            and (
                self.framework.grads_given
                or self.grads
                or all(self.framework.grad(p) is not None for p in value)
            )
        )


def _state_rows(
    fw: Framework, params: Sequence[Any], grads: Sequence[Any], states: Any, keeps: int
) -> list[tuple[Any, ...]]:
    """``(p, g, *state)`` per parameter; each state a float32 array shaped like its parameter."""
    if not keeps:
        return [(p, g) for p, g in zip(params, grads, strict=True)]
    if not isinstance(states, list | tuple) or len(states) != len(params):
        raise InvalidType(
            f"states must pair up with params, one state per parameter: params holds "
            f"{len(params)} array(s), states is {describe(states)}; build the states with "
            "the matching init_*_states(feature_dim)"
        )
    rows = []
    for i, (p, g, state) in enumerate(zip(params, grads, states, strict=True)):
        arrays = (state,) if keeps == 1 else state
        if not isinstance(arrays, list | tuple) or len(arrays) != keeps:
            raise InvalidType(f"states[{i}] must be {keeps} arrays, got {describe(state)}")
        shaped = FrameworkArray(fw)
        if not all(shaped.is_satisfied_by(a) and a.shape == p.shape for a in arrays):
            raise InvalidValue(
                f"states[{i}] must be {keeps} float32 {fw.array_name}(s) shaped like "
                f"params[{i}] {tuple(p.shape)}, got {describe(state)}; build them with "
                "init_*_states(feature_dim)"
            )
        rows.append((p, g, *arrays))
    return rows


def _broadcast(values: Mapping[str, Any], params: Sequence[Any], optimizer: Optimizer) -> None:
    """Refuse a hyperparameter array that does not broadcast against every parameter."""
    for h in optimizer.hyperparams:
        shape = tuple(getattr(values[h.name], "shape", ()))
        for i, p in enumerate(params):
            try:
                fits = onp.broadcast_shapes(shape, tuple(p.shape)) == tuple(p.shape)
            except ValueError:
                fits = False
            if not fits:
                raise InvalidValue(
                    f"hyperparams[{h.book_key!r}] has shape {shape}, which does not broadcast "
                    f"against params[{i}] of shape {tuple(p.shape)}: give one value, or one per "
                    "column"
                )


def _from_scratch(fw: Framework, optimizer: Optimizer, params_constraint: Params) -> Any:
    """The book's from-scratch function for ``optimizer`` (``d2l.rmsprop`` and so on)."""
    keeps = len(optimizer.state)

    def run(params: list[Any], grads: Any, states: Any, hyperparams: Any) -> None:
        values = {
            h.name: fw.hyper(h.constraint.convert(hyperparams.get(h.book_key, h.default)))
            for h in optimizer.hyperparams
        }
        _broadcast(values, params, optimizer)
        if grads is None:
            grads = [fw.grad(p) for p in params]
        elif len(grads) != len(params) or any(
            tuple(g.shape) != tuple(p.shape) for g, p in zip(grads, params, strict=False)
        ):
            raise InvalidValue(
                f"grads must hold one gradient per parameter, shaped like it: params holds "
                f"{len(params)}, grads is {describe(grads)}"
            )
        rows = _state_rows(fw, params, grads, states, keeps)
        count = (hyperparams["t"],) if optimizer.counts_steps else ()
        hyper = optimizer.rule_arguments(values)
        with fw.no_grad():
            for p, g, *state in rows:
                out = optimizer.rule(fw.read(p), g, *map(fw.read, state), *count, *hyper)
                fw.assign((p, *state), out if keeps else (out,))
        if not fw.grads_given:
            fw.zero_grad(params)
        if optimizer.counts_steps:
            hyperparams["t"] += 1

    if fw.grads_given:

        def update(params: Any, grads: Any, states: Any, hyperparams: Any) -> None:
            run(params, grads, states, hyperparams)

    else:

        def update(params: Any, states: Any, hyperparams: Any) -> None:  # type: ignore[misc]
            run(params, None, states, hyperparams)

    update.__name__ = update.__qualname__ = optimizer.book_function
    update.__doc__ = optimizer.doc()
    constraints = {"params": params_constraint, "hyperparams": optimizer.book_hyperparams()}
    if fw.grads_given:
        constraints["grads"] = Params(fw, grads=True)
    return validated(**constraints)(update)


def _batches(fw: Framework, data_iter: Any, features: int) -> Iterator[tuple[Any, Any]]:
    """``data_iter``'s minibatches, one epoch, each checked (the book's loader's are known
    good): (X, y) pairs of float32 arrays, X with ``features`` columns, one y per row."""
    if isinstance(data_iter, ArrayLoader):
        yield from data_iter
        return
    inputs, labels = Inputs(fw), Labels(fw)
    count = 0
    for batch in data_iter:
        if not isinstance(batch, tuple | list) or len(batch) != 2:
            raise InvalidType(f"data_iter must yield (X, y) pairs, got {describe(batch)}")
        X, y = batch
        for name, value, constraint in (("X", X, inputs), ("y", y, labels)):
            if not constraint.is_satisfied_by(value):
                kind = InvalidType if not constraint.is_type(value) else InvalidValue
                raise kind(
                    f"data_iter yields an {name} that is not {constraint.text}: {describe(value)}"
                )
        if X.shape[1] != features or y.shape[0] != X.shape[0]:
            raise InvalidValue(
                f"data_iter yields X {tuple(X.shape)} and y {tuple(y.shape)}: X must have "
                f"{features} columns (feature_dim) and y one label per row"
            )
        count += 1
        yield X, y
    if not count:
        raise InvalidValue(
            "data_iter yielded no minibatch: it must yield its batches again every epoch "
            "(a list, or d2l.load_array's iterator; not a generator)"
        )


def book_functions(fw: Framework) -> dict[str, Any]:
    """The book's framework-dependent functions for ``fw``, by their book names."""
    array = FrameworkArray(fw)
    params_constraint = Params(fw)
    trainer = Function(
        "(params, grads, states, hyperparams) -> None"
        if fw.grads_given
        else "(params, states, hyperparams) -> None",
        arguments=4 if fw.grads_given else 3,
    )
    names: dict[str, Any] = {}
    for optimizer in OPTIMIZERS.values():
        names[optimizer.book_function] = _from_scratch(fw, optimizer, params_constraint)

    def make_states(keeps: int) -> Callable[[int], Any]:
        @validated(feature_dim=FEATURES)
        def init_states(feature_dim: int) -> Any:
            """Zero states shaped like the weights ``(feature_dim, 1)`` and the bias ``(1,)``."""
            if keeps == 1:
                return fw.zeros((feature_dim, 1)), fw.zeros((1,))
            return tuple(
                tuple(fw.zeros(shape) for _ in range(keeps)) for shape in ((feature_dim, 1), (1,))
            )

        return init_states

    for optimizer in OPTIMIZERS.values():
        if optimizer.init_function:
            names[optimizer.init_function] = make_states(len(optimizer.state))

    @validated(data_arrays=DataArrays(), batch_size=BATCH_SIZE, is_train=Boolean())
    def load_array(data_arrays: Any, batch_size: int, is_train: bool = True) -> ArrayLoader:
        """Minibatches of ``data_arrays`` (shuffled every epoch if ``is_train``)."""
        return ArrayLoader(data_arrays, batch_size, is_train, fw.from_numpy, fw.split)

    @validated(batch_size=BATCH_SIZE, n=Integer(1, 1503))
    def get_data_ch11(batch_size: int = 10, n: int = 1500) -> tuple[ArrayLoader, int]:
        """The airfoil regression (packaged data, every column standardized): batches, 5."""
        X, y = airfoil_regression(n)
        return load_array((X, y), batch_size, is_train=True), X.shape[1]

    @validated(X=array, w=array, b=array)
    def linreg(X: Any, w: Any, b: Any) -> Any:
        """The linear model ``X w + b``: ``X`` (n, d), ``w`` (d, 1), ``b`` one value."""
        if (
            len(X.shape) != 2
            or tuple(w.shape) != (X.shape[1], 1)
            or tuple(b.shape) not in ((1,), ())
        ):
            raise InvalidValue(
                f"linreg needs X (examples, features), w (features, 1) and one bias b; got "
                f"{tuple(X.shape)}, {tuple(w.shape)} and {tuple(b.shape)}"
            )
        return linear(X, w, b)

    @validated(y_hat=array, y=array)
    def squared_loss(y_hat: Any, y: Any) -> Any:
        """Half the squared error per example, ``(y_hat - y)² / 2``."""
        sizes = math.prod(y_hat.shape), math.prod(y.shape)
        if not (
            1 <= len(y_hat.shape) <= 2
            and 1 <= len(y.shape) <= 2
            and sizes[0] == sizes[1] == y_hat.shape[0]
        ):
            raise InvalidValue(
                f"y_hat {tuple(y_hat.shape)} and y {tuple(y.shape)} must hold one value each "
                "per example"
            )
        return half_squared_error(y_hat, y)

    def first_inputs(data_iter: Any) -> Any:
        for batch in data_iter:
            if (
                isinstance(batch, tuple | list)
                and len(batch) == 2
                and isinstance(batch[0], fw.array_type)
            ):
                return batch[0]
            raise InvalidType(
                f"data_iter must yield (X, y) pairs of {fw.array_name}s, got {describe(batch)}"
            )
        raise InvalidValue("data_iter yielded no minibatch")

    def features_of(data_iter: Any, feature_dim: int | None) -> int:
        """The number of features of ``data_iter``'s X, which must be (examples, feature_dim).

        The book's loader is looked at through its arrays: iterating it would draw the
        next epoch's order from the random generator, and so change the run.
        """
        X = data_iter.arrays[0] if isinstance(data_iter, ArrayLoader) else first_inputs(data_iter)
        if len(X.shape) != 2 or (feature_dim is not None and X.shape[1] != feature_dim):
            raise InvalidValue(
                f"data_iter yields X of shape {tuple(X.shape)}, which does not match feature_dim "
                f"{feature_dim}: X must be (examples, feature_dim)"
            )
        return int(X.shape[1])

    @validated(
        net=Function("X -> predictions", arguments=1),
        data_iter=Batches(),
        loss=Function("(y_hat, y) -> losses", arguments=2),
    )
    def evaluate_loss(
        net: Callable[[Any], Any], data_iter: Iterable[Any], loss: Callable[..., Any]
    ) -> float:
        """The mean of ``loss(net(X), y)`` over every example of ``data_iter``.

        ``load_array``'s iterator holds its whole data set, which is evaluated at once.
        """
        features = features_of(data_iter, None)
        batches = (
            [data_iter.arrays]
            if isinstance(data_iter, ArrayLoader)
            else _batches(fw, data_iter, features)
        )
        total, count = 0.0, 0
        with fw.no_grad():
            for X, y in batches:
                try:
                    values = loss(net(X), y)
                    if not isinstance(values, fw.array_type):
                        raise TypeError(f"they give {describe(values)}, not an array")
                    host = to_numpy(values)
                except (ValueError, TypeError, *fw.errors) as error:  # type: ignore[misc]
                    raise InvalidValue(
                        f"net and loss cannot evaluate data_iter's batches: {first_line(error)}"
                    ) from None
                total += float(host.sum())
                count += host.size
        return total / count

    @validated(feature_dim=FEATURES)
    def init_linreg(feature_dim: int) -> tuple[Any, Any]:
        """The weights ``train_ch11`` starts from: ``w ~ N(0, 0.01²)`` (d, 1) and ``b = 0``."""
        return fw.param(fw.normal(0.01, (feature_dim, 1))), fw.param(fw.zeros((1,)))

    def fit(
        step: Callable[[Any, Any], None],
        evaluate: Callable[[], float],
        data_iter: Any,
        features: int,
        num_epochs: int,
        show: bool,
    ) -> tuple[list[float], list[float]]:
        return training.fit(
            step,
            evaluate,
            lambda: _batches(fw, data_iter, features),
            len(data_iter),
            num_epochs,
            show,
            fw.bulk,
        )

    @validated(
        trainer_fn=trainer,
        hyperparams=BOOK_HYPERPARAMS,
        data_iter=Batches(),
        feature_dim=FEATURES,
        num_epochs=EPOCHS,
        show=Boolean(),
    )
    def train_ch11(
        trainer_fn: Callable[..., None],
        states: Any,
        hyperparams: Mapping[str, Any],
        data_iter: Iterable[Any],
        feature_dim: int,
        num_epochs: int = 2,
        *,
        show: bool = True,
    ) -> tuple[list[float], list[float]]:
        """Fit linear regression with the from-scratch optimizer ``trainer_fn``.

        ``trainer_fn`` updates ``params = [w, b]`` from the gradients of the minibatch's
        mean loss. Prints the final loss and the training time per epoch and draws the
        curve (unless ``show`` is false); returns the cumulative times and the loss curve.
        """
        features = features_of(data_iter, feature_dim)
        w, b = init_linreg(feature_dim)
        update = fw.prepare(trainer_fn, hyperparams)

        def step(X: Any, y: Any) -> None:
            fw.linreg_step(update, w, b, states, hyperparams, X, y)

        def loss_now() -> float:
            return unchecked(evaluate_loss)(
                lambda X: linear(X, w, b), data_iter, half_squared_error
            )

        return fit(step, loss_now, data_iter, features, num_epochs, show)

    def train_builtin(
        step: Callable[[Any, Any], None],
        net: Callable[[Any], Any],
        loss: Callable[..., Any],
        data_iter: Any,
        num_epochs: int,
    ) -> None:
        """The concise trainings' loop: ``step`` per minibatch, the curve, the printed line."""
        features = features_of(data_iter, None)
        fit(
            step,
            lambda: unchecked(evaluate_loss)(net, data_iter, loss),
            data_iter,
            features,
            num_epochs,
            True,
        )

    shared = (load_array, get_data_ch11, linreg, squared_loss, evaluate_loss, init_linreg)
    names.update({function.__name__: function for function in (*shared, train_ch11)})
    names.update(_train_builtin=train_builtin, _features_of=features_of)
    return names


class _StartingWeights(Array):
    """Starting weights ``(feature_dim, 1)`` or one bias value, as NumPy float64."""

    def __init__(self, bias: bool) -> None:
        what = "one bias value" if bias else "a column of weights, (feature_dim, 1)"
        super().__init__(text=f"{what}, within float32's range", float32=True)
        self.bias = bias

    def is_satisfied_by(self, value: Any) -> bool:
        if not super().is_satisfied_by(value):
            return False
        array = super().convert(value)
        if self.bias:
            return array.size == 1
        return array.ndim == 2 and array.shape[1] == 1 and 0 < array.size <= 10**6

    def convert(self, value: Any) -> NDArray[Any]:
        array = super().convert(value)
        return array.reshape(1) if self.bias else array


START_W, START_B = _StartingWeights(bias=False), _StartingWeights(bias=True)


def linreg_run(fw: Framework, functions: Mapping[str, Any]) -> tuple[type, type]:
    """An edition's runs of the linear model ``X w + b`` for lockstep comparisons
    (:func:`d2l_utils.lockstep_gaps`): the base every run shares, and ``ScratchLinreg``,
    updated by a from-scratch optimizer such as ``rmsprop``.

    A run over a built-in optimizer (``GluonLinreg``, ``TorchLinreg``) subclasses the
    base with its ``__init__``, ``_update``, ``_predict`` and ``weights``.
    """
    inputs, labels = Inputs(fw), Labels(fw)
    trainer = Function(
        "(params, grads, states, hyperparams) -> None"
        if fw.grads_given
        else "(params, states, hyperparams) -> None",
        arguments=4 if fw.grads_given else 3,
    )

    class LinregRun:
        """One side of a lockstep comparison: ``X w + b``, stepped by an optimizer."""

        features = 0

        def _update(self, X: Any, y: Any) -> None:
            raise NotImplementedError

        def _predict(self, X: Any) -> Any:
            raise NotImplementedError

        def weights(self) -> tuple[Any, Any]:
            """The current ``w`` (d, 1) and ``b``."""
            raise NotImplementedError

        def _fits(self, X: Any, y: Any = None) -> None:
            if X.shape[1] != self.features or (y is not None and y.shape[0] != X.shape[0]):
                raise InvalidValue(
                    f"X must have {self.features} columns (the run's features) and y one label "
                    f"per row of X; got X {tuple(X.shape)}"
                    + (f" and y {tuple(y.shape)}" if y is not None else "")
                )

        @validated(X=inputs, y=labels)
        def step(self, X: Any, y: Any) -> None:
            """One update from the minibatch's mean loss."""
            self._fits(X, y)
            self._update(X, y)

        @validated(X=inputs)
        def predict(self, X: Any) -> Any:
            """``X w + b`` with the current parameters."""
            self._fits(X)
            return self._predict(X)

        def params(self) -> NDArray[Any]:
            """Weights then bias, flat, as float64."""
            w, b = (to_numpy(a) for a in self.weights())
            flat: NDArray[Any] = onp.concatenate([w.ravel(), b.ravel()]).astype(onp.float64)
            return flat

    class ScratchLinreg(LinregRun):
        """Linear regression from ``w0`` and ``b0``, updated by a from-scratch optimizer."""

        @validated(trainer_fn=trainer, hyperparams=BOOK_HYPERPARAMS, w0=START_W, b0=START_B)
        def __init__(
            self,
            trainer_fn: Callable[..., None],
            states: Any,
            hyperparams: Mapping[str, Any],
            w0: Any,
            b0: Any,
        ) -> None:
            self.trainer_fn, self.states, self.hyperparams = trainer_fn, states, hyperparams
            self.w = fw.param(fw.from_numpy(w0.astype(onp.float32)))
            self.b = fw.param(fw.from_numpy(b0.astype(onp.float32)))
            self.features = w0.shape[0]

        def _update(self, X: Any, y: Any) -> None:
            fw.linreg_step(self.trainer_fn, self.w, self.b, self.states, self.hyperparams, X, y)

        def _predict(self, X: Any) -> Any:
            return linear(X, self.w, self.b)

        def weights(self) -> tuple[Any, Any]:
            return self.w, self.b

    return LinregRun, ScratchLinreg


def publish(namespace: dict[str, Any], *parts: Mapping[str, Any]) -> list[str]:
    """Put the shared names and ``parts`` (an edition's own) into an edition module's
    ``namespace``; return its public names, for its ``__all__``."""
    names: dict[str, Any] = {}
    for module_name, public in SHARED_NAMES.items():
        module = importlib.import_module(f".{module_name}", __package__)
        names.update({n: module if n == module_name else getattr(module, n) for n in public})
    for part in parts:
        names.update(part)
    namespace.update(names)
    return sorted(name for name in names if not name.startswith("_"))
