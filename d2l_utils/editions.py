"""What the MXNet and the PyTorch editions share, written once over a small framework interface.

The book's from-scratch optimizers, the linear-regression model, its data and
``train_ch11`` are the same lines in both editions; only a handful of framework
operations differ (make an array, attach a gradient, record for autograd). An
edition module supplies those as a :class:`Framework` and exposes the methods of
its :class:`Edition` under the book's names.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import Any

import numpy as onp
from numpy.typing import NDArray

from . import rules, training
from .data import ArrayLoader, DataArrays, airfoil_regression
from .validation import (
    Array,
    Batches,
    Boolean,
    Constraint,
    Function,
    Hyperparams,
    Integer,
    OfSelf,
    Real,
    describe,
    validated,
)

__all__ = [
    "BOOK_HYPERPARAMS",
    "Edition",
    "Framework",
    "ScratchLinreg",
    "common_names",
    "exports",
    "first_line",
]

FLOAT32_MAX = float(onp.finfo(onp.float32).max)
LR = Real(low=0, low_open=True, array=True, float32=True)
DECAY = Real(0, 1, array=True)
BELOW_ONE = Real(0, 1, high_open=True)
EPS = Real(low=0, low_open=True, float32=True)
#: MXNet arrays hold fewer than 2**31 elements; a model has at most that many features.
FEATURES = Integer(1, 2**31 - 2)
EPOCHS = Integer(low=1)
TRAINER = Function("(params, states, hyperparams) -> None")
RMSPROP_HYPERPARAMS = Hyperparams({"lr": LR, "gamma": DECAY}, {"eps": EPS})
#: The hyperparameters the book's functions (and Gluon's and PyTorch's optimizers) read,
#: checked wherever a dictionary of them is passed: rates and epsilons > 0, decays in [0, 1].
BOOK_HYPERPARAMS = Hyperparams(
    optional={
        **dict.fromkeys(("lr", "learning_rate", "eta"), LR),
        **dict.fromkeys(("eps", "epsilon"), EPS),
        **dict.fromkeys(("gamma", "gamma1", "gamma2", "momentum", "rho", "alpha"), DECAY),
        **dict.fromkeys(("beta1", "beta2"), BELOW_ONE),
        "t": Integer(low=1),
    }
)
#: The edition's own arrays and parameters (each edition holds these constraints).
ARRAY, PARAMS = OfSelf("array"), OfSelf("params")


def first_line(error: BaseException) -> str:
    """The first line of an error's message (MXNet's carry a C++ stack trace)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class Framework:
    """The few operations the shared code needs from a framework."""

    #: The framework's array type, and how the messages name it.
    array_type: type[Any] = object
    array_name = "an array"
    #: The framework's errors that mean "this model cannot take this data".
    errors: tuple[type[Exception], ...] = ()

    def from_numpy(self, array: NDArray[Any]) -> Any:
        """A float32 array of the framework, from NumPy."""
        raise NotImplementedError

    def to_numpy(self, array: Any) -> NDArray[Any]:
        """The array's values as NumPy."""
        raise NotImplementedError

    def zeros(self, shape: tuple[int, ...]) -> Any:
        """A float32 array of zeros."""
        raise NotImplementedError

    def normal(self, scale: float, shape: tuple[int, ...]) -> Any:
        """A float32 array drawn from N(0, scale²) with the framework's generator."""
        raise NotImplementedError

    def is_float32(self, array: Any) -> bool:
        """Whether the array holds float32 values."""
        raise NotImplementedError

    def with_grad(self, array: Any) -> Any:
        """``array`` with a gradient attached (it becomes a trainable parameter)."""
        raise NotImplementedError

    def grad(self, array: Any) -> Any:
        """The parameter's gradient, or None before the first backward pass."""
        raise NotImplementedError

    def record(self) -> contextlib.AbstractContextManager[Any]:
        """Where the forward pass is recorded for autograd."""
        return contextlib.nullcontext()

    def no_grad(self) -> contextlib.AbstractContextManager[Any]:
        """Where parameters are updated in place, outside autograd."""
        return contextlib.nullcontext()

    def zero_grad(self, params: Sequence[Any]) -> None:
        """Reset accumulated gradients before a backward pass (if the framework accumulates)."""

    def bulk(self) -> contextlib.AbstractContextManager[Any]:
        """Around one training step (MXNet hands its operations to the engine in bulk)."""
        return contextlib.nullcontext()

    def scalar(self, value: Any) -> Any:
        """A hyperparameter as the framework's operators take it."""
        return value


class _Array(Constraint):
    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.text = f"a float32 {framework.array_name}"

    def check(self, name: str, value: Any) -> Any:
        if not isinstance(value, self.framework.array_type):
            raise self.refuse(name, value)
        if not self.framework.is_float32(value):
            raise TypeError(f"{name} must hold float32 values, got {value.dtype}")
        return value


class _Params(Constraint):
    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.text = (
            f"a list of parameters ({framework.array_name}s with gradients), such as [w, b]"
        )

    def check(self, name: str, value: Any) -> Any:
        array_type = self.framework.array_type
        if not isinstance(value, list | tuple) or not all(
            isinstance(p, array_type) for p in value
        ):
            raise self.refuse(name, value)
        if not value:
            raise self.refuse(name, value, ValueError)
        for i, p in enumerate(value):
            if self.framework.grad(p) is None:
                raise ValueError(
                    f"{name}[{i}] has no gradient yet: attach one and call backward() on the loss"
                )
        return value


class _Minibatch(Constraint):
    """A run's inputs ``X`` (examples, features) or labels ``y``: finite float32 arrays."""

    def __init__(self, framework: Framework, features: int | None) -> None:
        self.framework, self.features = framework, features
        shape = f"(examples, {features})" if features else "(examples,) or (examples, 1)"
        self.text = f"a float32 {framework.array_name} of shape {shape}, finite"

    def check(self, name: str, value: Any) -> Any:
        _Array(self.framework).check(name, value)
        shape = tuple(value.shape)
        if self.features:
            good = len(shape) == 2 and shape[1] == self.features
        else:
            good = len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)
        if not good or shape[0] == 0 or not onp.isfinite(self.framework.to_numpy(value)).all():
            raise self.refuse(name, value, ValueError)
        return value


class _MutableHyperparams(Hyperparams):
    def check(self, name: str, value: Any) -> Any:
        if not isinstance(value, MutableMapping):
            raise self.refuse(name, value)
        return super().check(name, value)


ADAM_HYPERPARAMS = _MutableHyperparams(
    {"lr": LR, "t": Integer(low=1)},
    {"beta1": BELOW_ONE, "beta2": BELOW_ONE, "eps": EPS},
    example="{'lr': 0.01, 't': 1} (a dict: adam counts its steps in hyperparams['t'])",
)


def _linear(X: Any, w: Any, b: Any) -> Any:
    """``X w + b``, unchecked: for loops whose parameters and batches were checked already."""
    return X @ w + b


def _half_squared_error(y_hat: Any, y: Any) -> Any:
    """``(y_hat - y)² / 2`` per example, unchecked (see ``_linear``)."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


class Edition:
    """The book's shared functions for one framework; an edition module exports its methods."""

    def __init__(self, framework: Framework) -> None:
        self.fw = framework
        #: What the methods' ``OfSelf`` declarations resolve to: this framework's arrays.
        self.array = _Array(framework)
        self.params = _Params(framework)

    # The from-scratch optimizers: update every parameter in place from its gradient.

    def _with_states(self, params: Sequence[Any], states: Any, per_param: int) -> list[Any]:
        """``(p, g, *state)`` per parameter; each state shaped like its parameter."""
        if not isinstance(states, list | tuple) or len(states) != len(params):
            raise TypeError(
                f"params and states must pair up, one state per parameter: params holds "
                f"{len(params)} array(s), states is {describe(states)}; build the states with "
                "the matching init_*_states(feature_dim)"
            )
        rows = []
        for i, (p, state) in enumerate(zip(params, states, strict=True)):
            if per_param == 1:
                arrays: tuple[Any, ...] = (state,)
            elif isinstance(state, list | tuple):
                arrays = tuple(state)
            else:
                raise TypeError(f"states[{i}] must be a pair of arrays, got {describe(state)}")
            if len(arrays) != per_param or not all(
                isinstance(a, self.fw.array_type) and a.shape == p.shape for a in arrays
            ):
                raise ValueError(
                    f"states[{i}] must be {per_param} array(s) shaped like params[{i}] "
                    f"{tuple(p.shape)}; build them with init_*_states(feature_dim)"
                )
            rows.append((p, self.fw.grad(p), *arrays))
        return rows

    def _hyper(self, hyperparams: Mapping[str, Any], key: str, default: Any = None) -> Any:
        return self.fw.scalar(hyperparams.get(key, default))

    def _update(
        self, params: Sequence[Any], rows: Iterable[Any], rule: Callable[..., Any], *hyper: Any
    ) -> None:
        with self.fw.no_grad():
            for p, g, *state in rows:
                rule(p, g, *state, *hyper)
        self.fw.zero_grad(params)

    @validated(feature_dim=FEATURES)
    def init_states(self, feature_dim: int) -> tuple[Any, Any]:
        """Zeros shaped like the linear model's weights ``(feature_dim, 1)`` and bias ``(1,)``."""
        return self.fw.zeros((feature_dim, 1)), self.fw.zeros((1,))

    @validated(feature_dim=FEATURES)
    def init_pair_states(self, feature_dim: int) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        """Two zero states per parameter: ``((a_w, b_w), (a_b, b_b))``."""
        (a_w, a_b), (b_w, b_b) = self.init_states(feature_dim), self.init_states(feature_dim)
        return (a_w, b_w), (a_b, b_b)

    @validated(params=PARAMS, hyperparams=Hyperparams({"lr": LR}, example="{'lr': 0.05}"))
    def sgd(self, params: Sequence[Any], states: Any, hyperparams: Mapping[str, Any]) -> None:
        """Minibatch SGD in place, ``p -= lr g``; ``states`` is unused (the book passes None)."""
        rows = [(p, self.fw.grad(p)) for p in params]
        self._update(params, rows, rules.sgd, self._hyper(hyperparams, "lr"))

    @validated(
        params=PARAMS,
        hyperparams=Hyperparams(
            {"lr": LR, "momentum": DECAY}, example="{'lr': 0.02, 'momentum': 0.5}"
        ),
    )
    def sgd_momentum(
        self, params: Sequence[Any], states: Any, hyperparams: Mapping[str, Any]
    ) -> None:
        """Momentum in place: ``v = momentum v + g``, ``p -= lr v``."""
        hyper = (self._hyper(hyperparams, "lr"), self._hyper(hyperparams, "momentum"))
        self._update(params, self._with_states(params, states, 1), rules.momentum, *hyper)

    @validated(
        params=PARAMS, hyperparams=Hyperparams({"lr": LR}, {"eps": EPS}, example="{'lr': 0.1}")
    )
    def adagrad(self, params: Sequence[Any], states: Any, hyperparams: Mapping[str, Any]) -> None:
        """Adagrad in place: ``s += g²``, ``p -= lr g / sqrt(s + eps)`` (eps optional, 1e-6)."""
        hyper = (self._hyper(hyperparams, "lr"), self._hyper(hyperparams, "eps", rules.EPS))
        self._update(params, self._with_states(params, states, 1), rules.adagrad, *hyper)

    @validated(params=PARAMS, hyperparams=RMSPROP_HYPERPARAMS)
    def rmsprop(self, params: Sequence[Any], states: Any, hyperparams: Mapping[str, Any]) -> None:
        """RMSProp in place (11.8.1): ``s = γ s + (1-γ) g²``, ``p -= lr g / sqrt(s + eps)``.

        ``hyperparams`` holds ``lr`` and ``gamma`` (numbers, or arrays that broadcast
        against the parameters: one value per column trains several models at once)
        and optionally ``eps`` (1e-6).
        """
        hyper = [self._hyper(hyperparams, k) for k in ("lr", "gamma")]
        hyper.append(self._hyper(hyperparams, "eps", rules.EPS))
        self._update(params, self._with_states(params, states, 1), rules.rmsprop, *hyper)

    @validated(params=PARAMS, hyperparams=RMSPROP_HYPERPARAMS)
    def rmsprop_centered(
        self, params: Sequence[Any], states: Any, hyperparams: Mapping[str, Any]
    ) -> None:
        """Centered RMSProp in place: keys as for ``rmsprop``, its own states.

        With MXNet's ``RMSProp(centered=True, gamma2=0)`` and the same ``gamma1``,
        ``epsilon`` and learning rate it takes the same steps.
        """
        hyper = [self._hyper(hyperparams, k) for k in ("lr", "gamma")]
        hyper.append(self._hyper(hyperparams, "eps", rules.EPS))
        self._update(params, self._with_states(params, states, 2), rules.rmsprop_centered, *hyper)

    @validated(params=PARAMS, hyperparams=ADAM_HYPERPARAMS)
    def adam(
        self, params: Sequence[Any], states: Any, hyperparams: MutableMapping[str, Any]
    ) -> None:
        """One Adam step in place, then ``hyperparams['t'] += 1`` (the book keeps the count there).

        Keys: ``lr``, the step ``t`` (start at 1), optionally ``beta1`` (0.9), ``beta2``
        (0.999) and ``eps`` (1e-6, outside the root).
        """
        t = hyperparams["t"]
        hyper = [t, self._hyper(hyperparams, "lr")]
        hyper += [self._hyper(hyperparams, k, d) for k, d in (("beta1", 0.9), ("beta2", 0.999))]
        hyper.append(self._hyper(hyperparams, "eps", rules.EPS))
        self._update(params, self._with_states(params, states, 2), rules.adam, *hyper)
        hyperparams["t"] = t + 1

    # The data and the model.

    @validated(data_arrays=DataArrays(), batch_size=Integer(low=1), is_train=Boolean())
    def load_array(self, data_arrays: Any, batch_size: int, is_train: bool = True) -> ArrayLoader:
        """Minibatches of ``data_arrays`` (shuffled every epoch if ``is_train``)."""
        return ArrayLoader(data_arrays, batch_size, is_train, self.fw.from_numpy)

    @validated(batch_size=Integer(low=1), n=Integer(low=1))
    def get_data_ch11(self, batch_size: int = 10, n: int = 1500) -> tuple[ArrayLoader, int]:
        """The airfoil regression (packaged data, every column standardized): batches, 5."""
        X, y = airfoil_regression(n)
        return self.load_array((X, y), batch_size, is_train=True), X.shape[1]

    @validated(X=ARRAY, w=ARRAY, b=ARRAY)
    def linreg(self, X: Any, w: Any, b: Any) -> Any:
        """The linear model ``X w + b``: ``X`` (n, d), ``w`` (d, 1), ``b`` one value."""
        if X.ndim != 2 or tuple(w.shape) != (X.shape[1], 1) or b.shape not in ((1,), ()):
            raise ValueError(
                f"linreg needs X (examples, features), w (features, 1) and one bias b; got "
                f"{tuple(X.shape)}, {tuple(w.shape)} and {tuple(b.shape)}"
            )
        return _linear(X, w, b)

    @validated(y_hat=ARRAY, y=ARRAY)
    def squared_loss(self, y_hat: Any, y: Any) -> Any:
        """Half the squared error per example, ``(y_hat - y)² / 2``."""
        sizes = math.prod(y_hat.shape), math.prod(y.shape)
        if not (1 <= y_hat.ndim <= 2 and 1 <= y.ndim <= 2 and sizes[0] == sizes[1] == len(y_hat)):
            raise ValueError(
                f"y_hat {tuple(y_hat.shape)} and y {tuple(y.shape)} must hold one value each "
                "per example"
            )
        return _half_squared_error(y_hat, y)

    @validated(
        net=Function("X -> predictions"),
        data_iter=Batches(),
        loss=Function("(y_hat, y) -> losses"),
    )
    def evaluate_loss(
        self, net: Callable[[Any], Any], data_iter: Iterable[Any], loss: Callable[..., Any]
    ) -> float:
        """The mean of ``loss(net(X), y)`` over every example of ``data_iter``.

        ``load_array``'s iterator holds its whole data set, which is evaluated at once.
        """
        arrays = getattr(data_iter, "arrays", None)
        total, count = 0.0, 0
        with self.fw.no_grad():
            for batch in [arrays] if arrays is not None else data_iter:
                if not isinstance(batch, tuple | list) or len(batch) != 2:
                    raise TypeError(f"data_iter must yield (X, y) pairs, got {describe(batch)}")
                X, y = batch
                try:
                    values = loss(net(X), y)
                    if not isinstance(values, self.fw.array_type):
                        raise TypeError(f"net and loss must give an array, got {describe(values)}")
                    values = self.fw.to_numpy(values)
                except (ValueError, TypeError, *self.fw.errors) as error:  # type: ignore[misc]
                    raise ValueError(
                        f"net and loss cannot evaluate data_iter's batches: {first_line(error)}"
                    ) from None
                total += float(values.sum())
                count += values.size
        return total / count

    def check_features(self, data_iter: Any, feature_dim: int | None) -> int:
        """The number of features of ``data_iter``'s X, which must be (examples, feature_dim).

        ``load_array``'s iterator is looked at through its arrays: iterating it would
        draw the next epoch's order from the random generator, and so change the run.
        """
        batch = getattr(data_iter, "arrays", None) or next(iter(data_iter))
        if not isinstance(batch, tuple | list) or len(batch) != 2:
            raise TypeError(f"data_iter must yield (X, y) pairs, got {describe(batch)}")
        X, y = batch
        if not isinstance(X, self.fw.array_type) or not isinstance(y, self.fw.array_type):
            raise TypeError(
                f"data_iter must yield (X, y) pairs of {self.fw.array_name}s, "
                f"got {describe(batch)}"
            )
        if X.ndim != 2 or (feature_dim is not None and X.shape[1] != feature_dim):
            raise ValueError(
                f"data_iter yields X of shape {tuple(X.shape)}, which does not match feature_dim "
                f"{feature_dim}: X must be (examples, feature_dim)"
            )
        return int(X.shape[1])

    @validated(feature_dim=FEATURES)
    def init_linreg(self, feature_dim: int) -> tuple[Any, Any]:
        """The weights ``train_ch11`` starts from: ``w ~ N(0, 0.01²)`` (d, 1) and ``b = 0``."""
        return self.fw.with_grad(self.fw.normal(0.01, (feature_dim, 1))), self.fw.with_grad(
            self.fw.zeros((1,))
        )

    @validated(
        trainer_fn=TRAINER,
        hyperparams=BOOK_HYPERPARAMS,
        data_iter=Batches(),
        feature_dim=FEATURES,
        num_epochs=EPOCHS,
        show=Boolean(),
    )
    def train_ch11(
        self,
        trainer_fn: Callable[[list[Any], Any, Mapping[str, Any]], None],
        states: Any,
        hyperparams: Mapping[str, Any],
        data_iter: Iterable[Any],
        feature_dim: int,
        num_epochs: int = 2,
        *,
        show: bool = True,
    ) -> tuple[list[float], list[float]]:
        """Fit linear regression with the from-scratch optimizer ``trainer_fn``.

        ``trainer_fn(params, states, hyperparams)`` updates ``params = [w, b]`` in place
        from the gradients of the minibatch's mean loss. Prints the final loss and the
        training time per epoch and draws the curve (unless ``show`` is false); returns
        the cumulative times and the loss curve.
        """
        self.check_features(data_iter, feature_dim)
        w, b = self.init_linreg(feature_dim)

        # The batches were checked on entry and w, b are made here: the loop calls the
        # model and the loss without the public functions' checks.
        def net(X: Any) -> Any:
            return _linear(X, w, b)

        def step(X: Any, y: Any) -> None:
            self.fw.zero_grad([w, b])
            with self.fw.record():
                batch_loss = _half_squared_error(net(X), y).mean()
            batch_loss.backward()
            trainer_fn([w, b], states, hyperparams)

        def evaluate() -> float:
            return self.evaluate_loss(net, data_iter, _half_squared_error)

        return training.fit(step, evaluate, data_iter, num_epochs, show, self.fw.bulk)

    def train_builtin(
        self,
        step: Callable[[Any, Any], None],
        net: Callable[[Any], Any],
        loss: Callable[..., Any],
        data_iter: Any,
        num_epochs: int,
    ) -> None:
        """The concise trainings' loop: ``step`` per minibatch, the curve and the printed line."""
        self.check_features(data_iter, None)
        training.fit(
            step,
            lambda: self.evaluate_loss(net, data_iter, loss),
            data_iter,
            num_epochs,
            True,
            self.fw.bulk,
        )


class _StartingWeights(Array):
    """Starting weights ``(feature_dim, 1)`` or one bias value, as NumPy float64."""

    def __init__(self, bias: bool) -> None:
        what = "one bias value" if bias else "a column of weights, (feature_dim, 1)"
        super().__init__(text=f"{what}, within float32's range")
        self.bias = bias

    def check(self, name: str, value: Any) -> NDArray[Any]:
        array = super().check(name, value)
        shaped = array.size == 1 if self.bias else array.ndim == 2 and array.shape[1] == 1
        if not shaped or array.size == 0 or (onp.abs(array) > FLOAT32_MAX).any():
            raise self.refuse(name, value, ValueError)
        return array.reshape(1) if self.bias else array


START_W, START_B = _StartingWeights(bias=False), _StartingWeights(bias=True)


class ScratchLinreg:
    """One side of a lockstep comparison (:func:`d2l_utils.lockstep_gaps`): ``X w + b``
    from ``w0`` and ``b0``, updated by a from-scratch optimizer such as ``rmsprop``.

    Each edition subclasses it with its ``edition``; a built-in optimizer's run
    (``GluonLinreg``, ``TorchLinreg``) overrides ``__init__``, ``step`` and ``predict``.
    """

    edition: Edition

    @validated(trainer_fn=TRAINER, hyperparams=BOOK_HYPERPARAMS, w0=START_W, b0=START_B)
    def __init__(
        self,
        trainer_fn: Callable[..., None],
        states: Any,
        hyperparams: Mapping[str, Any],
        w0: Any,
        b0: Any,
    ) -> None:
        fw = self.edition.fw
        self.trainer_fn, self.states, self.hyperparams = trainer_fn, states, hyperparams
        self.w = fw.with_grad(fw.from_numpy(w0.astype(onp.float32)))
        self.b = fw.with_grad(fw.from_numpy(b0.astype(onp.float32)))
        self._set_batch_shape(w0.shape[0])

    def _set_batch_shape(self, features: int) -> None:
        """What ``step`` and ``predict`` accept: inputs of ``features`` columns, labels."""
        self.inputs = _Minibatch(self.edition.fw, features)
        self.labels = _Minibatch(self.edition.fw, None)

    @staticmethod
    def _check_rows(X: Any, y: Any) -> None:
        """One label per row of ``X``."""
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"y must hold one label per row of X ({X.shape[0]}), got {tuple(y.shape)}"
            )

    @validated(X=OfSelf("inputs"), y=OfSelf("labels"))
    def step(self, X: Any, y: Any) -> None:
        """One update from the minibatch's mean loss."""
        self._check_rows(X, y)
        fw = self.edition.fw
        fw.zero_grad([self.w, self.b])
        with fw.record():
            batch_loss = _half_squared_error(_linear(X, self.w, self.b), y).mean()
        batch_loss.backward()
        self.trainer_fn([self.w, self.b], self.states, self.hyperparams)

    @validated(X=OfSelf("inputs"))
    def predict(self, X: Any) -> Any:
        """``X w + b`` with the current parameters."""
        return _linear(X, self.w, self.b)

    def weights(self) -> tuple[Any, Any]:
        """The current ``w`` (d, 1) and ``b``."""
        return self.w, self.b

    def params(self) -> NDArray[Any]:
        """Weights then bias, flat, as float64."""
        w, b = (self.edition.fw.to_numpy(a) for a in self.weights())
        flat: NDArray[Any] = onp.concatenate([w.ravel(), b.ravel()]).astype(onp.float64)
        return flat


def common_names() -> dict[str, Any]:
    """The framework-free names every edition offers, as the book's ``d2l`` modules do."""
    from . import agreement, data, explorers, leaky_average, plotting, quadratic, rules
    from .divergence import DivergenceError
    from .seeding import set_seed
    from .timing import Timer

    names = {
        "rules": rules,
        "DivergenceError": DivergenceError,
        "Timer": Timer,
        "set_seed": set_seed,
        "lockstep_gaps": agreement.lockstep_gaps,
        "TrajectoryExplorer": explorers.TrajectoryExplorer,
        "WeightsExplorer": explorers.WeightsExplorer,
    }
    for module, public in [
        (data, ("DATA_HUB", "DATA_URL", "download")),
        (leaky_average, leaky_average.__all__),
        (plotting, ("LABELS", "STYLES", "Animator", "plot", "plt", "set_axes", "set_figsize")),
        (plotting, ("use_svg_display",)),
        (quadratic, ("f_2d", "f_2d_grad", "initial_state_2d", "show_trace_2d", "step_2d")),
        (quadratic, ("train_2d",)),
    ]:
        names.update({name: getattr(module, name) for name in public})
    return names


def exports(edition: Edition) -> dict[str, Any]:
    """The book's names for an edition's shared functions (an edition module's globals)."""
    names = {
        "sgd": edition.sgd,
        "sgd_momentum": edition.sgd_momentum,
        "adagrad": edition.adagrad,
        "rmsprop": edition.rmsprop,
        "rmsprop_centered": edition.rmsprop_centered,
        "adam": edition.adam,
        "init_momentum_states": edition.init_states,
        "init_adagrad_states": edition.init_states,
        "init_rmsprop_states": edition.init_states,
        "init_rmsprop_centered_states": edition.init_pair_states,
        "init_adam_states": edition.init_pair_states,
        "load_array": edition.load_array,
        "get_data_ch11": edition.get_data_ch11,
        "linreg": edition.linreg,
        "squared_loss": edition.squared_loss,
        "evaluate_loss": edition.evaluate_loss,
        "init_linreg": edition.init_linreg,
        "train_ch11": edition.train_ch11,
    }
    return names
