"""Properties of the update rules that must hold for every input, checked with hypothesis.

With ``s_0 = 0`` and ``γ`` in [0, 1): RMSProp's state stays non-negative, finite and no
larger than the largest squared gradient seen so far, and no coordinate ever moves by
more than ``η |g| / √ε``. Each rule is one piece of code for every kind of number: on
floats, on NumPy arrays (in place) and on MXNet arrays (in place, float32) it takes the
same steps, and the 2D step functions behind the explorers are the rules coordinate by
coordinate. (The browser's port is checked against these rules in tests/site.)
"""

from __future__ import annotations

import math

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from mxnet import np

import d2l_utils as d2l
from d2l_utils import rules

gammas = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
etas = st.floats(min_value=1e-4, max_value=10.0)
values = st.floats(min_value=-1e3, max_value=1e3, width=32, allow_subnormal=False)


def gradient_streams(length: int = 30) -> st.SearchStrategy[onp.ndarray]:
    """Sequences of 1 to ``length`` gradients of 1 to 4 coordinates each."""
    return st.integers(1, 4).flatmap(
        lambda dim: arrays(
            onp.float64, st.tuples(st.integers(1, length), st.just(dim)), elements=values
        )
    )


@settings(max_examples=300, deadline=None)
@given(gradient_streams(), etas, gammas)
def test_state_is_bounded_and_steps_are_capped(grads, eta, gamma):
    x, s = onp.zeros(grads.shape[1]), onp.zeros(grads.shape[1])
    largest = onp.zeros(grads.shape[1])
    for g in grads:
        before = x.copy()
        rules.rmsprop(x, g, s, eta, gamma)
        largest = onp.maximum(largest, g**2)
        assert onp.isfinite(s).all() and (s >= 0).all()
        assert (s <= largest * (1 + 1e-12) + 1e-300).all()
        cap = eta * onp.abs(g) / math.sqrt(rules.EPS) * (1 + 1e-12)
        rounding = 2 * onp.spacing(onp.abs(before))  # x - step is rounded at x's scale
        assert (onp.abs(x - before) <= cap + rounding).all()


@settings(max_examples=200, deadline=None)
@given(gradient_streams(), etas, gammas)
def test_floats_and_numpy_arrays_take_the_same_steps(grads, eta, gamma):
    x, s = onp.zeros(grads.shape[1]), onp.zeros(grads.shape[1])
    xs, ss = [0.0] * grads.shape[1], [0.0] * grads.shape[1]
    for g in grads:
        rules.rmsprop(x, g, s, eta, gamma)
        for i in range(len(xs)):
            xs[i], ss[i] = rules.rmsprop(xs[i], float(g[i]), ss[i], eta, gamma)
        assert x.tolist() == xs and s.tolist() == ss  # the same operations, bit for bit


@settings(max_examples=150, deadline=None)
@given(gradient_streams(10), etas, st.floats(0.0, 1.0, exclude_max=True, allow_subnormal=False))
def test_mxnet_arrays_take_the_same_steps_in_float32(grads, eta, gamma):
    """Each step from the MXNet side's own values: only that step's rounding may differ.

    (MXNet refuses subnormal scalars; the MXNet edition flushes them to zero first.)
    """
    x, s = np.zeros(grads.shape[1]), np.zeros(grads.shape[1])
    for g in grads:
        x_host, s_host = x.asnumpy().astype(float), s.asnumpy().astype(float)
        rules.rmsprop(x, np.array(g, dtype="float32"), s, eta, gamma)
        rules.rmsprop(x_host, g.astype(onp.float32).astype(float), s_host, eta, gamma)
        scale = onp.abs(x_host).max() + eta * onp.abs(g).max() / math.sqrt(rules.EPS)
        tiny = float(onp.finfo(onp.float32).tiny)  # below it float32 has fewer digits
        onp.testing.assert_allclose(s.asnumpy(), s_host, rtol=1e-5, atol=tiny)
        onp.testing.assert_allclose(x.asnumpy(), x_host, rtol=1e-5, atol=1e-6 * scale + tiny)


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(st.floats(-10, 10), st.floats(-10, 10)),
    st.sampled_from(["sgd", "momentum", "adagrad", "rmsprop", "rmsprop_centered", "adam"]),
    etas,
    gammas,
)
def test_the_2d_steps_are_the_rules_coordinate_by_coordinate(start, method, eta, gamma):
    step = d2l.step_2d(method, eta, gamma)
    state = d2l.initial_state_2d(method)
    x1, x2, *after = step(*start, *state)
    g1, g2 = d2l.f_2d_grad(*start)
    hyper = {
        "sgd": (eta,),
        "momentum": (eta, rules.MOMENTUM_BETA),
        "adagrad": (eta,),
        "rmsprop": (eta, gamma),
        "rmsprop_centered": (eta, gamma),
        "adam": (1, eta, 0.9, 0.999),
    }[method]
    rule = getattr(rules, {"momentum": "momentum"}.get(method, method))
    per = len(state) // 2
    for x, g, new in ((x1, g1, after[0::2]), (x2, g2, after[1::2])):
        zeros = [0.0] * per if method != "sgd" else []
        expected = rule(start[0] if g is g1 else start[1], g, *zeros, *hyper)
        expected = expected if isinstance(expected, tuple) else (expected,)
        assert x == expected[0]
        if method not in ("sgd",):
            assert list(new[:per]) == pytest.approx(list(expected[1:]), rel=0, abs=0)
