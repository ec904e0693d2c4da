"""The from-scratch optimizers of every edition: one or two steps against NumPy, bad input.

Each test runs once per edition (the ``edition`` fixture); ``d2l`` is that edition.
"""

from __future__ import annotations

import math

import numpy as onp
import pytest

from d2l_utils.optimizers import OPTIMIZERS

W0 = onp.array([[1.0], [-2.0]])
B0 = onp.array([0.5])
#: Two minibatches' gradients for the weight vector and the bias.
GRADS = [
    (onp.array([[0.5], [4.0]]), onp.array([-1.0])),
    (onp.array([[-0.25], [2.0]]), onp.array([3.0])),
]


@pytest.fixture
def d2l(edition):
    return edition.module


@pytest.fixture
def run(edition):
    def run_(rule, states, hyperparams, steps=2):
        """Apply ``rule`` to float32 [w, b] (as in training) with GRADS; return them as NumPy."""
        params = edition.params([W0, B0], GRADS[0])
        for grads in GRADS[:steps]:
            edition.set_grads(params, grads)
            edition.update(rule, params, states, hyperparams)
        return [edition.host(p) for p in params]

    return run_


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


def test_sgd_two_steps(d2l, run):
    got = run(d2l.sgd, None, {"lr": 0.1})
    assert_matches(got, reference(lambda p, g, state, t: (p - 0.1 * g, None)))


def test_momentum_two_steps(d2l, run):
    def update(p, g, v, t):
        v = g if v is None else 0.5 * v + g
        return p - 0.1 * v, v

    got = run(d2l.sgd_momentum, d2l.init_momentum_states(2), {"lr": 0.1, "momentum": 0.5})
    assert_matches(got, reference(update))
    # by hand, first coordinate of w: v = 0.5, then 0.5 * 0.5 - 0.25 = 0
    assert got[0][0, 0] == pytest.approx(1.0 - 0.1 * 0.5 - 0.1 * 0.0, abs=1e-6)


@pytest.mark.parametrize("eps", [None, 0.5])
def test_adagrad_two_steps(d2l, run, edition, eps):
    e = 1e-6 if eps is None else eps

    def update(p, g, s, t):
        s = g**2 if s is None else s + g**2
        return p - 0.1 * g / onp.sqrt(s + e), s

    hyperparams = {"lr": 0.1} if eps is None else {"lr": 0.1, "eps": eps}
    states = d2l.init_adagrad_states(2)
    got = run(d2l.adagrad, states, hyperparams)
    assert_matches(got, reference(update))
    onp.testing.assert_allclose(edition.host(states[0]), GRADS[0][0] ** 2 + GRADS[1][0] ** 2)


def test_rmsprop_two_steps(d2l, run):
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


def test_adam_two_steps_and_the_step_counter(d2l, run):
    hyperparams = {"lr": 0.01, "t": 1}
    got = run(d2l.adam, d2l.init_adam_states(2), hyperparams)
    assert_matches(got, reference(adam_reference(0.9, 0.999, 1e-6)))
    assert hyperparams["t"] == 3
    # the first step is lr * sign(g) in every coordinate: the corrected moments are g and g²
    one = run(d2l.adam, d2l.init_adam_states(2), {"lr": 0.01, "t": 1}, steps=1)
    onp.testing.assert_allclose(W0 - one[0], 0.01 * onp.sign(GRADS[0][0]), rtol=1e-5)


def test_adam_reads_optional_betas_and_eps(d2l, run):
    hyperparams = {"lr": 0.01, "t": 1, "beta1": 0.5, "beta2": 0.8, "eps": 0.1}
    got = run(d2l.adam, d2l.init_adam_states(2), hyperparams)
    assert_matches(got, reference(adam_reference(0.5, 0.8, 0.1)))


def test_rmsprop_centered_two_steps(d2l, run, edition):
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
    onp.testing.assert_allclose(edition.host(m_w), 0.9 * 0.1 * g1 + 0.1 * g2, rtol=1e-6)
    onp.testing.assert_allclose(edition.host(s_w), 0.9 * 0.1 * g1**2 + 0.1 * g2**2, rtol=1e-6)


@pytest.mark.parametrize(("gamma2", "agrees"), [(0.0, True), (0.9, False)])
def test_rmsprop_centered_is_mxnets_centered_rmsprop_without_momentum(gamma2, agrees):
    """What the bias-correction chapter says about ``RMSProp(centered=True)``."""
    import mxnet as mx
    from mxnet import np

    from d2l_utils import mxnet as d2l

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


def test_state_builders_give_separate_zero_arrays(d2l, edition):
    (v_w, s_w), (v_b, s_b) = d2l.init_adam_states(3)
    assert v_w.shape == s_w.shape == (3, 1) and v_b.shape == s_b.shape == (1,)
    if hasattr(v_w, "assign_add"):  # a TensorFlow variable
        v_w.assign_add(edition.array(onp.ones((3, 1))))
    else:
        v_w += 1.0
    assert float(edition.host(s_w).sum()) == 0.0 and float(edition.host(v_w).sum()) == 3.0
    (m_w, s_w), (m_b, s_b) = d2l.init_rmsprop_centered_states(3)
    assert m_w.shape == s_w.shape == (3, 1) and m_b.shape == s_b.shape == (1,)
    for init in (d2l.init_momentum_states, d2l.init_adagrad_states, d2l.init_rmsprop_states):
        w_state, b_state = init(4)
        assert w_state.shape == (4, 1) and b_state.shape == (1,)
        assert float(edition.host(w_state).sum()) == 0.0


def book_call(optimizer):
    """The optimizer's from-scratch function, its states' maker and hyperparameters, by name."""
    spec = OPTIMIZERS[optimizer]
    hyperparams = {h.book_key: h.default for h in spec.hyperparams if h.required}
    return (
        spec.book_function,
        spec.init_function,
        {**hyperparams, **({"t": 1} if spec.counts_steps else {})},
    )


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_the_books_calls_train_the_airfoil_model(d2l, optimizer):
    rule, init, hyperparams = book_call(optimizer)
    hyperparams["lr"] = {"sgd": 0.05, "momentum": 0.02, "adagrad": 0.1}.get(optimizer, 0.01)
    d2l.set_seed(0)
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    states = None if init is None else getattr(d2l, init)(feature_dim)
    _, curve = d2l.train_ch11(
        getattr(d2l, rule), states, hyperparams, data_iter, feature_dim, num_epochs=1, show=False
    )
    assert curve[-1] < min(0.26, curve[0]), curve
    d2l.plt.close("all")


@pytest.mark.parametrize(
    ("rule", "hyperparams", "error", "message"),
    [
        ("sgd", {}, ValueError, r"hyperparams must be a mapping .* with the key\(s\) 'lr'"),
        ("sgd", {"lr": -0.1}, ValueError, r"hyperparams\['lr'\] must be a finite real number > 0"),
        ("sgd", [0.1], TypeError, "hyperparams must be a mapping"),
        ("sgd_momentum", {"lr": 0.1}, ValueError, "with the key\\(s\\) 'momentum'"),
        ("sgd_momentum", {"lr": 0.1, "momentum": 1.5}, ValueError, r"number in \[0, 1\]"),
        (
            "adagrad",
            {"lr": 0.1, "eps": 0.0},
            ValueError,
            r"hyperparams\['eps'\] must be a finite real number > 0",
        ),
        ("rmsprop", {"lr": 0.1}, ValueError, "with the key\\(s\\) 'gamma'"),
        ("rmsprop_centered", {"lr": 0.1, "gamma": math.nan}, ValueError, "finite"),
        ("adam", {"lr": 0.1}, ValueError, "with the key\\(s\\) 't'"),
        (
            "adam",
            {"lr": 0.1, "t": 0},
            ValueError,
            r"hyperparams\['t'\] must be an integer in \[1,",
        ),
        ("adam", {"lr": 0.1, "t": 1.5}, TypeError, "must be an integer"),
        ("adam", (("lr", 0.1), ("t", 1)), TypeError, "hyperparams must be a dict"),
        (
            "adam",
            {"lr": 0.1, "t": 1, "beta2": 1.0},
            ValueError,
            r"beta2'\] must be a finite real number in \[0, 1\)",
        ),
        ("rmsprop", {"lr": 5e-324, "gamma": 0.9}, ValueError, "held exactly by float32"),
        ("rmsprop", {"lr": onp.full((5, 1), 0.1), "gamma": 0.9}, ValueError, "does not broadcast"),
        ("rmsprop", {"lr": onp.full(3, 0.1), "gamma": 0.9}, ValueError, "does not broadcast"),
    ],
)
def test_bad_hyperparameters(d2l, run, rule, hyperparams, error, message):
    states = d2l.init_adam_states(2)
    if rule in ("sgd_momentum", "adagrad", "rmsprop"):
        states = d2l.init_rmsprop_states(2)
    with pytest.raises(error, match=f"{rule}: .*{message}"):
        run(getattr(d2l, rule), states, hyperparams, steps=1)


def test_hyperparameters_are_converted_before_the_update(d2l, run):
    from fractions import Fraction

    got = run(d2l.rmsprop, d2l.init_rmsprop_states(2), {"lr": Fraction(1, 100), "gamma": 0.9})
    expected = run(d2l.rmsprop, d2l.init_rmsprop_states(2), {"lr": 0.01, "gamma": 0.9})
    for g, e in zip(got, expected, strict=True):
        onp.testing.assert_array_equal(g, e)


def test_one_learning_rate_per_column(d2l, edition):
    """Hyperparameter arrays that broadcast: each column of w and b is a model of its own."""
    rates, decays = onp.array([[0.01, 0.1]]), onp.array([[0.9, 0.5]])
    both = edition.params(
        [onp.hstack([W0, 2 * W0]), [[0.5, 1.0]]], [onp.hstack([GRADS[0][0]] * 2), [[-1.0, 3.0]]]
    )
    states = [d2l._FRAMEWORK.zeros(tuple(p.shape)) for p in both]
    hyperparams = {"lr": edition.array(rates), "gamma": edition.array(decays)}
    edition.update(d2l.rmsprop, both, states, hyperparams)
    for k in range(2):
        one = edition.params([W0 * (k + 1), [0.5 * (k + 1)]], [GRADS[0][0], [[-1.0, 3.0][k]]])
        hyperparams = {"lr": rates[0, k], "gamma": decays[0, k]}
        edition.update(d2l.rmsprop, one, d2l.init_rmsprop_states(2), hyperparams)
        for together, alone in zip(both, one, strict=True):
            onp.testing.assert_allclose(
                edition.host(together)[:, k], edition.host(alone).ravel(), rtol=1e-6
            )


def test_mismatched_and_badly_typed_states(d2l, run, edition):
    with pytest.raises(TypeError, match=r"adagrad: states must pair up with params"):
        run(d2l.adagrad, d2l.init_adagrad_states(2)[:1], {"lr": 0.1}, steps=1)
    int_states = [
        edition.module.astype(edition.array(onp.zeros(s)), edition.module.int32)
        for s in ((2, 1), (1,))
    ]
    with pytest.raises(ValueError, match=r"rmsprop: states\[0\] must be 1 float32"):
        run(d2l.rmsprop, int_states, {"lr": 0.1, "gamma": 0.9}, steps=1)
    with pytest.raises(ValueError, match=r"feature_dim must be an integer in \[1, 1000000\]"):
        d2l.init_adam_states(0)
    with pytest.raises(
        TypeError, match=r"feature_dim must be an integer in \[1, 1000000\], got float"
    ):
        d2l.init_momentum_states(2.0)
