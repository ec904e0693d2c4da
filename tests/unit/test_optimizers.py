"""The from-scratch MXNet optimizers: one or two steps against NumPy, and every bad input."""

from __future__ import annotations

import math

import mxnet as mx
import numpy as onp
import pytest
from mxnet import np

import d2l_utils as d2l

W0 = onp.array([[1.0], [-2.0]])
B0 = onp.array([0.5])
#: Two minibatches' gradients for the weight vector and the bias.
GRADS = [
    (onp.array([[0.5], [4.0]]), onp.array([-1.0])),
    (onp.array([[-0.25], [2.0]]), onp.array([3.0])),
]


def run(rule, states, hyperparams, steps=2):
    """Apply ``rule`` to float32 [w, b] (as in training) with GRADS; return them as NumPy."""
    w, b = np.array(W0, dtype="float32"), np.array(B0, dtype="float32")
    w.attach_grad()
    b.attach_grad()
    for gw, gb in GRADS[:steps]:
        w.grad[:] = np.array(gw)
        b.grad[:] = np.array(gb)
        rule([w, b], states, hyperparams)
    return w.asnumpy(), b.asnumpy()


def reference(update, steps=2):
    """Apply ``update(p, g, state, t) -> (p, state)`` in NumPy float64 to W0 and B0."""
    out = []
    for i, p in enumerate((W0, B0)):
        state = None
        for t, grads in enumerate(GRADS[:steps], start=1):
            p, state = update(p, grads[i], state, t)
        out.append(p)
    return out


def assert_matches(got, expected):
    for g, e in zip(got, expected, strict=True):
        onp.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-6)


def test_sgd_two_steps():
    got = run(d2l.sgd, None, {"lr": 0.1})
    assert_matches(got, reference(lambda p, g, state, t: (p - 0.1 * g, None)))


def test_momentum_two_steps():
    def update(p, g, v, t):
        v = g if v is None else 0.5 * v + g
        return p - 0.1 * v, v

    got = run(d2l.sgd_momentum, d2l.init_momentum_states(2), {"lr": 0.1, "momentum": 0.5})
    assert_matches(got, reference(update))
    # by hand, first coordinate of w: v = 0.5, then 0.5 * 0.5 - 0.25 = 0
    assert got[0][0, 0] == pytest.approx(1.0 - 0.1 * 0.5 - 0.1 * 0.0, abs=1e-6)


@pytest.mark.parametrize("eps", [None, 0.5])
def test_adagrad_two_steps(eps):
    e = 1e-6 if eps is None else eps

    def update(p, g, s, t):
        s = g**2 if s is None else s + g**2
        return p - 0.1 * g / onp.sqrt(s + e), s

    hyperparams = {"lr": 0.1} if eps is None else {"lr": 0.1, "eps": eps}
    states = d2l.init_adagrad_states(2)
    got = run(d2l.adagrad, states, hyperparams)
    assert_matches(got, reference(update))
    onp.testing.assert_allclose(states[0].asnumpy(), GRADS[0][0] ** 2 + GRADS[1][0] ** 2)


def test_rmsprop_two_steps():
    def update(p, g, s, t):
        s = 0.9 * (0 if s is None else s) + 0.1 * g**2
        return p - 0.01 * g / onp.sqrt(s + 1e-6), s

    got = run(d2l.rmsprop, d2l.init_rmsprop_states(2), {"lr": 0.01, "gamma": 0.9})
    assert_matches(got, reference(update))


def adam_reference(beta1, beta2, eps):
    def update(p, g, state, t):
        v, s = (0.0, 0.0) if state is None else state
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        v_hat, s_hat = v / (1 - beta1**t), s / (1 - beta2**t)
        return p - 0.01 * v_hat / (onp.sqrt(s_hat) + eps), (v, s)

    return update


def test_adam_two_steps_and_the_step_counter():
    hyperparams = {"lr": 0.01, "t": 1}
    got = run(d2l.adam, d2l.init_adam_states(2), hyperparams)
    assert_matches(got, reference(adam_reference(0.9, 0.999, 1e-6)))
    assert hyperparams["t"] == 3
    # the first step is lr * sign(g) in every coordinate: the corrected moments are g and g²
    one = run(d2l.adam, d2l.init_adam_states(2), {"lr": 0.01, "t": 1}, steps=1)
    onp.testing.assert_allclose(W0 - one[0], 0.01 * onp.sign(GRADS[0][0]), rtol=1e-5)


def test_adam_reads_optional_betas_and_eps():
    hyperparams = {"lr": 0.01, "t": 1, "beta1": 0.5, "beta2": 0.8, "eps": 0.1}
    got = run(d2l.adam, d2l.init_adam_states(2), hyperparams)
    assert_matches(got, reference(adam_reference(0.5, 0.8, 0.1)))


def test_rmsprop_centered_two_steps():
    def update(p, g, state, t):
        m, s = (0.0, 0.0) if state is None else state
        m = 0.9 * m + 0.1 * g
        s = 0.9 * s + 0.1 * g**2
        return p - 0.01 * g / onp.sqrt(s - m**2 + 1e-6), (m, s)

    states = d2l.init_rmsprop_centered_states(2)
    got = run(d2l.rmsprop_centered, states, {"lr": 0.01, "gamma": 0.9})
    assert_matches(got, reference(update))
    (m_w, s_w), _ = states
    g1, g2 = GRADS[0][0], GRADS[1][0]
    onp.testing.assert_allclose(m_w.asnumpy(), 0.9 * 0.1 * g1 + 0.1 * g2, rtol=1e-6)
    onp.testing.assert_allclose(s_w.asnumpy(), 0.9 * 0.1 * g1**2 + 0.1 * g2**2, rtol=1e-6)


@pytest.mark.parametrize(("gamma2", "agrees"), [(0.0, True), (0.9, False)])
def test_rmsprop_centered_is_mxnets_centered_rmsprop_without_momentum(gamma2, agrees):
    """What the bias-correction chapter says about ``RMSProp(centered=True)``."""
    optimizer = mx.optimizer.RMSProp(
        learning_rate=0.01, gamma1=0.9, gamma2=gamma2, epsilon=1e-6, centered=True
    )
    builtin = mx.nd.array(W0)
    state = optimizer.create_state(0, builtin)
    w = np.array(W0, dtype="float32")
    w.attach_grad()
    states = d2l.init_rmsprop_centered_states(2)[:1]
    for step in range(5):
        grad = onp.array([[0.3], [-2.0]]) * (step + 1) + W0  # changes with the step
        optimizer.update(0, builtin, mx.nd.array(grad), state)
        w.grad[:] = np.array(grad)
        d2l.rmsprop_centered([w], states, {"lr": 0.01, "gamma": 0.9})
    difference = onp.abs(w.asnumpy() - builtin.asnumpy()).max()
    assert (difference < 1e-6) == agrees, difference


def test_state_builders_give_separate_zero_arrays():
    (v_w, s_w), (v_b, s_b) = d2l.init_adam_states(3)
    assert v_w.shape == s_w.shape == (3, 1) and v_b.shape == s_b.shape == (1,)
    v_w[:] = 1.0
    assert float(s_w.sum()) == 0.0
    (m_w, s_w), (m_b, s_b) = d2l.init_rmsprop_centered_states(3)
    assert m_w.shape == s_w.shape == (3, 1) and m_b.shape == s_b.shape == (1,)
    for init in (d2l.init_momentum_states, d2l.init_adagrad_states, d2l.init_rmsprop_states):
        w_state, b_state = init(4)
        assert w_state.shape == (4, 1) and b_state.shape == (1,)
        assert float(w_state.sum()) == 0.0


@pytest.mark.parametrize(
    ("rule", "init", "hyperparams"),
    [
        (d2l.sgd, None, {"lr": 0.05}),
        (d2l.sgd_momentum, d2l.init_momentum_states, {"lr": 0.02, "momentum": 0.5}),
        (d2l.adagrad, d2l.init_adagrad_states, {"lr": 0.1}),
        (d2l.adam, d2l.init_adam_states, {"lr": 0.01, "t": 1}),
        (d2l.rmsprop_centered, d2l.init_rmsprop_centered_states, {"lr": 0.01, "gamma": 0.9}),
    ],
)
def test_the_books_calls_train_the_airfoil_model(rule, init, hyperparams):
    d2l.set_seed(0)
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    states = None if init is None else init(feature_dim)
    _, curve = d2l.train_ch11(
        rule, states, hyperparams, data_iter, feature_dim, num_epochs=1, show=False
    )
    assert curve[-1] < min(0.26, curve[0]), curve
    d2l.plt.close("all")


@pytest.mark.parametrize(
    ("rule", "hyperparams", "error", "message"),
    [
        (d2l.sgd, {}, ValueError, "hyperparams needs the key\\(s\\) 'lr'"),
        (
            d2l.sgd,
            {"lr": -0.1},
            ValueError,
            r"hyperparams\['lr'\] must be a finite real number > 0",
        ),
        (d2l.sgd, [0.1], TypeError, "hyperparams must be a dict"),
        (d2l.sgd_momentum, {"lr": 0.1}, ValueError, "needs the key\\(s\\) 'momentum'"),
        (d2l.sgd_momentum, {"lr": 0.1, "momentum": 1.5}, ValueError, r"number in \[0, 1\]"),
        (
            d2l.adagrad,
            {"lr": 0.1, "eps": 0.0},
            ValueError,
            r"hyperparams\['eps'\] must be a finite real number > 0",
        ),
        (d2l.rmsprop, {"lr": 0.1}, ValueError, "needs the key\\(s\\) 'gamma'"),
        (d2l.rmsprop_centered, {"lr": 0.1, "gamma": math.nan}, ValueError, "finite"),
        (d2l.adam, {"lr": 0.1}, ValueError, "needs the key\\(s\\) 't'"),
        (d2l.adam, {"lr": 0.1, "t": 0}, ValueError, r"hyperparams\['t'\] must be an integer >= 1"),
        (d2l.adam, {"lr": 0.1, "t": 1.5}, TypeError, "must be an integer"),
        (
            d2l.adam,
            {"lr": 0.1, "t": 1, "beta2": 1.0},
            ValueError,
            r"beta2'\] must be a finite real number in \[0, 1\)",
        ),
    ],
)
def test_bad_hyperparameters(rule, hyperparams, error, message):
    states = d2l.init_adam_states(2)
    if rule in (d2l.sgd_momentum, d2l.adagrad, d2l.rmsprop):
        states = d2l.init_rmsprop_states(2)
    with pytest.raises(error, match=message):
        run(rule, states, hyperparams, steps=1)


def test_mismatched_states_and_bad_feature_dim():
    with pytest.raises(
        TypeError, match=r"params and states must pair up, one state per parameter"
    ):
        run(d2l.adagrad, d2l.init_adagrad_states(2)[:1], {"lr": 0.1}, steps=1)
    with pytest.raises(ValueError, match="feature_dim must be an integer >= 1 and <= 2147483646"):
        d2l.init_adam_states(0)
    with pytest.raises(
        TypeError, match="feature_dim must be an integer >= 1 and <= 2147483646, got float"
    ):
        d2l.init_momentum_states(2.0)
