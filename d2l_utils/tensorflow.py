"""The TensorFlow edition: ``from d2l_utils import tensorflow as d2l`` stands in for the book's
``from d2l import tensorflow as d2l`` in its optimization chapter.

The same names as the other editions, over TensorFlow: as in the book's TensorFlow
chapter, parameters and states are ``tf.Variable``s updated by assignment, and the
from-scratch optimizers are called ``(params, grads, states, hyperparams)`` with the
gradients that a ``tf.GradientTape`` computed. The concise training takes a Keras
optimizer class and its keyword hyperparameters, e.g.
``train_concise_ch11(tf.keras.optimizers.RMSprop, {'learning_rate': 0.01, 'rho': 0.9},
data_iter)``. Neither MXNet nor PyTorch is imported.

``train_ch11`` runs the first update as written (eagerly), and from then on the same
update compiled by ``tf.function`` (TensorFlow's graph mode, as Keras runs its own
optimizers), provided the first call left ``hyperparams`` as it found them; an update
that keeps its own count there (Adam's ``t``) stays eager. The arithmetic is the same;
a ``print`` inside the update then shows at the first two steps only.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # no start-up lines in the notebooks

import tensorflow as tf
from numpy.typing import NDArray

from .editions import (
    BUILTIN_HYPERPARAMS,
    EPOCHS,
    START_B,
    START_W,
    Framework,
    aliases,
    book_functions,
    first_line,
    half_squared_error,
    linear,
    linreg_run,
    publish,
)
from .explorers.conventions import conventions_explorer
from .explorers.training import training_explorer
from .validation import Batches, Function, InvalidType, InvalidValue, validated

#: The framework aliases of the book's d2l.tensorflow, which its chapter calls.
_ALIASES = aliases(
    tf, arange=tf.range, log=tf.math.log, tensor=tf.constant, normal=tf.random.normal,
    rand=tf.random.uniform, matmul=tf.matmul, concat=tf.concat, int32=tf.int32,
    float32=tf.float32, astype=tf.cast, transpose=tf.transpose, reduce_sum=tf.reduce_sum,
    reduce_mean=tf.reduce_mean, argmax=tf.argmax, reshape=tf.reshape,
    numpy=lambda x, *args, **kwargs: x.numpy(*args, **kwargs),
    size=lambda x: int(tf.size(x).numpy()), to=lambda x, *args, **kwargs: x,
)  # fmt: skip


@tf.function(reduce_retracing=True)  # type: ignore[untyped-decorator]
def _linreg_gradients(X: Any, y: Any, w: Any, b: Any) -> Any:
    """The gradients of the mean half squared error of ``X w + b`` (compiled once)."""
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(half_squared_error(linear(X, w, b), y))
    return tape.gradient(loss, [w, b])


class TensorFlowFramework(Framework):
    """TensorFlow's tensors, variables and gradient tapes, for the shared code."""

    name, label = "tensorflow", "TensorFlow"
    array_type = (tf.Tensor, tf.Variable)
    array_name = "TensorFlow tensor (tf.Tensor or tf.Variable)"
    param_type = tf.Variable
    errors = (tf.errors.OpError,)
    grads_given = True

    def from_numpy(self, array: NDArray[Any]) -> Any:
        return tf.constant(array, dtype=tf.float32)

    def zeros(self, shape: tuple[int, ...]) -> Any:
        return tf.Variable(tf.zeros(shape))

    def normal(self, scale: float, shape: tuple[int, ...]) -> Any:
        return tf.random.normal(shape, 0.0, scale)

    def param(self, array: Any) -> Any:
        return tf.Variable(array)

    def read(self, array: Any) -> Any:
        return tf.convert_to_tensor(array)

    def assign(self, targets: Any, values: Any) -> None:
        for target, value in zip(targets, values, strict=True):
            target.assign(value)

    def split(self, array: Any, size: int) -> list[Any]:
        sizes = [size] * (int(array.shape[0]) // size)
        if array.shape[0] % size:
            sizes.append(int(array.shape[0]) % size)
        return list(tf.split(array, sizes))

    def prepare(self, trainer_fn: Callable[..., Any], hyperparams: Any) -> Callable[..., Any]:
        """``trainer_fn`` as written for its first call, then compiled if that call left
        ``hyperparams`` unchanged (see the module's docstring)."""
        compiled: list[Callable[..., Any]] = []

        def update(params: Any, grads: Any, states: Any, given: Any) -> None:
            if compiled:
                compiled[0](params, grads, states, given)
                return
            before = copy.copy(dict(given))
            trainer_fn(params, grads, states, given)
            if dict(given) == before:
                compiled.append(tf.function(trainer_fn, autograph=False))

        return update

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
        trainer_fn([w, b], _linreg_gradients(X, y, w, b), states, hyperparams)

    def train_step(
        self,
        trainer_fn: Callable[..., Any],
        params: list[Any],
        states: Any,
        hyperparams: Any,
        loss_of: Callable[[], Any],
    ) -> None:
        with tf.GradientTape() as tape:
            loss = loss_of()
        trainer_fn(params, tape.gradient(loss, params), states, hyperparams)


_FRAMEWORK = TensorFlowFramework()
_BOOK = book_functions(_FRAMEWORK)
#: What ``train_concise_ch11`` and ``KerasLinreg`` take: a Keras optimizer class or factory.
OPTIMIZER = Function("(**hyperparams) -> optimizer, such as tf.keras.optimizers.RMSprop", 0)


def _optimizer(
    make: Callable[..., Any], hyperparams: Mapping[str, Any], names: tuple[str, str]
) -> Any:
    """``make(**hyperparams)``: a Keras optimizer; a refusal becomes one error naming ``names``."""
    try:
        optimizer = make(**hyperparams)
    except (ValueError, TypeError) as error:
        raise InvalidValue(
            f"{names[0]} rejected {names[1]}={dict(hyperparams)}: {first_line(error)}"
        ) from None
    if not isinstance(optimizer, tf.keras.optimizers.Optimizer):
        raise InvalidType(f"{names[0]} must make a Keras optimizer, it made {optimizer!r:.60}")
    return optimizer


def _dense(features: int, w0: Any = None, b0: Any = None) -> Any:
    """A Keras ``Dense(1)`` of ``features`` inputs: weights N(0, 0.01²), or ``w0`` and ``b0``."""
    layer = tf.keras.layers.Dense(1, kernel_initializer=tf.random_normal_initializer(stddev=0.01))
    layer.build((None, features))
    if w0 is not None:
        layer.kernel.assign(tf.constant(w0, dtype=tf.float32))
        layer.bias.assign(tf.constant(b0, dtype=tf.float32))
    return layer


def _keras_step(layer: Any, optimizer: Any, mean_squared: bool) -> Callable[[Any, Any], None]:
    """One compiled update of ``layer`` by ``optimizer``: from the mean squared error, as the
    book's concise training uses it, or from half of it, as the from-scratch side."""
    optimizer.build(layer.trainable_variables)
    loss = tf.keras.losses.MeanSquaredError()

    @tf.function  # type: ignore[untyped-decorator]
    def step(X: Any, y: Any) -> None:
        with tf.GradientTape() as tape:
            out = layer(X)
            value = loss(tf.reshape(y, tf.shape(out)), out)
            if not mean_squared:
                value = value / 2
        grads = tape.gradient(value, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables, strict=True))

    return step  # type: ignore[no-any-return]


@validated(
    trainer_fn=OPTIMIZER,
    hyperparams=BUILTIN_HYPERPARAMS,
    data_iter=Batches(),
    num_epochs=EPOCHS,
)
def train_concise_ch11(
    trainer_fn: Callable[..., Any],
    hyperparams: Mapping[str, Any],
    data_iter: Iterable[Any],
    num_epochs: int = 2,
) -> None:
    """Fit linear regression with a Keras optimizer, e.g. ``tf.keras.optimizers.RMSprop``.

    ``hyperparams`` go to ``trainer_fn(**hyperparams)`` as they are, e.g.
    ``{'learning_rate': 0.01, 'rho': 0.9}`` (Keras calls the decay ``rho``). As in the
    book, the model trains on the mean squared error and the printed loss is half of it,
    the from-scratch version's loss; the time per epoch is printed too. Returns nothing.
    """
    layer = _dense(_BOOK["_features_of"](data_iter, None))
    step = _keras_step(
        layer, _optimizer(trainer_fn, hyperparams, ("trainer_fn", "hyperparams")), True
    )
    _BOOK["_train_builtin"](step, layer, _BOOK["squared_loss"], data_iter, num_epochs)


_LinregRun, ScratchLinreg = linreg_run(_FRAMEWORK, _BOOK)


class KerasLinreg(_LinregRun):  # type: ignore[valid-type,misc]
    """The same model as a Keras ``Dense(1)`` layer, updated by a Keras optimizer.

    Each step applies the gradients of the minibatch's mean half squared error, as the
    from-scratch side does.
    """

    @validated(optimizer=OPTIMIZER, optimizer_params=BUILTIN_HYPERPARAMS, w0=START_W, b0=START_B)
    def __init__(
        self, optimizer: Callable[..., Any], optimizer_params: Mapping[str, Any], w0: Any, b0: Any
    ) -> None:
        self.layer = _dense(w0.shape[0], w0, b0)
        made = _optimizer(optimizer, optimizer_params, ("optimizer", "optimizer_params"))
        self._step = _keras_step(self.layer, made, False)
        self.features = w0.shape[0]

    def _update(self, X: Any, y: Any) -> None:
        self._step(X, y)

    def _predict(self, X: Any) -> Any:
        return self.layer(X)

    def weights(self) -> tuple[Any, Any]:
        """The layer's current ``w`` (d, 1) and ``b``."""
        return self.layer.kernel, self.layer.bias


__all__ = publish(
    globals(),
    _ALIASES,
    _BOOK,
    {
        "train_concise_ch11": train_concise_ch11,
        "ScratchLinreg": ScratchLinreg,
        "KerasLinreg": KerasLinreg,
        "TrainingExplorer": training_explorer(sys.modules[__name__]),
        "ConventionsExplorer": conventions_explorer(sys.modules[__name__]),
    },
)
