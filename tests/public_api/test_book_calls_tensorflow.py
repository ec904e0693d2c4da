"""The calls the book's optimization chapter makes in its TensorFlow edition.

``from d2l_utils import tensorflow as d2l`` stands in for ``from d2l import tensorflow as
d2l``. d2l's TensorFlow sections write their optimizers as functions of the parameters
(``tf.Variable``), their gradients, a state and the hyperparameters, update variables by
assignment (``v[:].assign(...)``, ``p.assign_sub(...)``), and hand Keras optimizer
classes with their keyword arguments to the concise trainer. These tests pin down each
kind of call, written here in our own words. They need TensorFlow, so they run in the
NumPy-2 environment (``make test`` runs them there; see the Makefile).
"""

from __future__ import annotations

import re

import numpy as onp
import pytest
import tensorflow as tf

from d2l_utils import tensorflow as d2l

LOSS = re.compile(r"loss: (\d+\.\d+), ")


def final_loss(out: str) -> float:
    return float(LOSS.findall(out)[-1])


def test_the_framework_aliases_are_tensorflows():
    x = d2l.arange(12, dtype=tf.float32)
    assert isinstance(x, tf.Tensor) and int(d2l.size(x)) == 12
    assert d2l.numpy(d2l.reshape(x, (3, 4))).shape == (3, 4)
    grid1, grid2 = d2l.meshgrid(d2l.linspace(-1.0, 1.0, 3), d2l.linspace(-1.0, 1.0, 3))
    assert d2l.numpy(grid1 + grid2).shape == (3, 3)
    assert float(d2l.reduce_sum(d2l.ones((2, 2)))) == 4.0
    assert float(d2l.exp(d2l.tensor([0.0]))[0]) == 1.0


def test_a_trainer_with_the_state_in_four_numbers(capsys):
    """The 2D runs are the same in every edition: the section's own."""

    def rmsprop_2d(x1, x2, s1, s2):
        g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6
        s1 = 0.9 * s1 + 0.1 * g1**2
        s2 = 0.9 * s2 + 0.1 * g2**2
        return x1 - 0.4 / (s1 + eps) ** 0.5 * g1, x2 - 0.4 / (s2 + eps) ** 0.5 * g2, s1, s2

    d2l.train_2d(rmsprop_2d)
    assert capsys.readouterr().out.strip() == "epoch 20, x1 -0.010599, x2 0.000000"
    d2l.plt.close("all")


# A momentum step written as d2l's TensorFlow sections write theirs: the state and the
# parameter are variables overwritten in place, the gradients come as an argument.
def momentum_as_the_book_writes_it(params, grads, states, hyperparams):
    for p, v, g in zip(params, states, grads, strict=True):
        v[:].assign(hyperparams["momentum"] * v + g)
        p[:].assign(p - hyperparams["lr"] * v)


def momentum_states(feature_dim):
    return (tf.Variable(tf.zeros((feature_dim, 1))), tf.Variable(tf.zeros(1)))


# An Adam step whose step count lives in the hyperparameters, which it advances itself.
def adam_as_the_book_writes_it(params, grads, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    t = hyperparams["t"]
    for p, (v, s), g in zip(params, states, grads, strict=True):
        v[:].assign(beta1 * v + (1 - beta1) * g)
        s[:].assign(beta2 * s + (1 - beta2) * tf.math.square(g))
        v_hat, s_hat = v / (1 - beta1**t), s / (1 - beta2**t)
        p[:].assign(p - hyperparams["lr"] * v_hat / (tf.math.sqrt(s_hat) + eps))
    hyperparams["t"] += 1


def adam_states(feature_dim):
    zeros = [tf.zeros((feature_dim, 1)), tf.zeros((feature_dim, 1)), tf.zeros(1), tf.zeros(1)]
    v_w, s_w, v_b, s_b = (tf.Variable(z) for z in zeros)
    return ((v_w, s_w), (v_b, s_b))


@pytest.mark.parametrize(
    ("trainer", "init", "hyperparams"),
    [
        (d2l.sgd, None, {"lr": 0.05}),
        (d2l.sgd_momentum, d2l.init_momentum_states, {"lr": 0.02, "momentum": 0.5}),
        (momentum_as_the_book_writes_it, momentum_states, {"lr": 0.02, "momentum": 0.5}),
        (d2l.adagrad, d2l.init_adagrad_states, {"lr": 0.1}),
        (d2l.rmsprop, d2l.init_rmsprop_states, {"lr": 0.01, "gamma": 0.9}),
        (d2l.adam, d2l.init_adam_states, {"lr": 0.01, "t": 1}),
        (adam_as_the_book_writes_it, adam_states, {"lr": 0.01, "t": 1}),
    ],
    ids=["sgd", "momentum", "momentum-own", "adagrad", "rmsprop", "adam", "adam-own"],
)
def test_the_trainer_with_the_chapters_optimizers(trainer, init, hyperparams, capsys):
    d2l.set_seed(0)
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    states = init(feature_dim) if init else None
    d2l.train_ch11(trainer, states, hyperparams, data_iter, feature_dim)
    assert 0.235 <= final_loss(capsys.readouterr().out) <= 0.255
    d2l.plt.close("all")


@pytest.mark.parametrize(
    ("optimizer", "hyperparams"),
    [
        (tf.keras.optimizers.SGD, {"learning_rate": 0.05}),
        (tf.keras.optimizers.SGD, {"learning_rate": 0.005, "momentum": 0.9}),
        (tf.keras.optimizers.Adagrad, {"learning_rate": 0.1}),
        (tf.keras.optimizers.RMSprop, {"learning_rate": 0.01, "rho": 0.9}),
        (tf.keras.optimizers.Adadelta, {"learning_rate": 5.0, "rho": 0.9}),
        (tf.keras.optimizers.Adam, {"learning_rate": 0.01}),
    ],
    ids=["sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam"],
)
def test_the_concise_trainer_with_keras_optimizers(optimizer, hyperparams, capsys):
    d2l.set_seed(0)
    data_iter, _ = d2l.get_data_ch11(batch_size=10)
    d2l.train_concise_ch11(optimizer, hyperparams, data_iter)
    assert 0.235 <= final_loss(capsys.readouterr().out) <= 0.26
    d2l.plt.close("all")


def test_a_hand_written_loop_with_a_tape_animator_and_timer():
    rng = onp.random.default_rng(0)
    X = tf.constant(rng.normal(size=(40, 2)), dtype=tf.float32)
    y = tf.reshape(X @ tf.constant([[1.0], [-2.0]]) + 0.5, (-1,))
    data_iter = d2l.load_array((X, y), 10, is_train=True)
    w, b = tf.Variable(tf.zeros((2, 1))), tf.Variable(tf.zeros(1))
    animator = d2l.Animator(xlabel="epoch", ylabel="loss", xlim=[0, 2], ylim=[0, 3])
    timer = d2l.Timer()
    for epoch in range(2):
        timer.start()
        for Xb, yb in data_iter:
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(d2l.squared_loss(d2l.linreg(Xb, w, b), yb))
            d2l.sgd([w, b], tape.gradient(loss, [w, b]), None, {"lr": 0.3})
        timer.stop()
        net = lambda Xa: d2l.linreg(Xa, w, b)  # noqa: E731 - as the book writes it
        animator.add(epoch + 1, (d2l.evaluate_loss(net, data_iter, d2l.squared_loss),))
    animator.finish()
    assert timer.avg() > 0 and len(timer.times) == 2
    assert animator.Y[0][-1] < animator.Y[0][0] < 3
    d2l.plt.close("all")
