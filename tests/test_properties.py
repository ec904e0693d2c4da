"""Properties of the RMSProp update that must hold for every input, checked with hypothesis.

With ``s_0 = 0`` and ``γ`` in [0, 1): the state stays non-negative, finite and no
larger than the largest squared gradient seen so far; no coordinate ever moves by
more than ``η |g| / √ε``. The three implementations (the NumPy ``d2l.rmsprop_update``,
the MXNet ``d2l.rmsprop`` used by the chapters and the 2D trainer behind the
explorers) agree, step for step, with a reference written here from equation
(11.8.1) alone. Each step of the reference starts from the implementation's own
values: near the minimum the update amplifies rounding by up to ``1/√ε``, so whole
trajectories computed in a different operation order drift apart by more than
rounding, while single steps must agree to rounding.
"""

from __future__ import annotations

import itertools
import math

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from mxnet import np

import d2l_utils as d2l
from d2l_utils.optim2d import DIVERGENCE_BOUND

EPS = 1e-6
gammas = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
etas = st.floats(min_value=1e-4, max_value=10.0)
values = st.floats(min_value=-1e3, max_value=1e3, width=32, allow_subnormal=False)
FLOAT32_TINY = float(onp.finfo(onp.float32).tiny)


def gradient_streams(length: int = 30) -> st.SearchStrategy[onp.ndarray]:
    """Sequences of 1 to ``length`` gradients of 1 to 4 coordinates each."""
    return st.integers(1, 4).flatmap(
        lambda dim: arrays(
            onp.float64, st.tuples(st.integers(1, length), st.just(dim)), elements=values
        )
    )


def agrees(got, expected, before, rel: float = 1e-12, floor: float = 1e-300) -> bool:
    """Equal up to rounding: relative to the values, and to the inputs they were computed from.

    ``x - step`` may cancel to a tiny number; its rounding error is then relative to
    ``|x|`` and ``|step|``, not to the result.
    """
    scale = max(abs(v) for v in (*expected, *before))
    return got == pytest.approx(expected, rel=rel, abs=rel * scale + floor)


def reference_step(x, s, g, eta, gamma, eps=EPS):
    """Equation (11.8.1) coordinate by coordinate, in plain Python floats."""
    s_new = [gamma * si + (1 - gamma) * gi**2 for si, gi in zip(s, g, strict=True)]
    x_new = [xi - eta * gi / math.sqrt(si + eps) for xi, gi, si in zip(x, g, s_new, strict=True)]
    return x_new, s_new


@settings(max_examples=300, deadline=None)
@given(grads=gradient_streams(), eta=etas, gamma=gammas)
def test_state_is_bounded_by_the_largest_squared_gradient(grads, eta, gamma):
    x = onp.zeros(grads.shape[1])
    s = onp.zeros(grads.shape[1])
    largest = onp.zeros(grads.shape[1])
    for g in grads:
        x_new, s = d2l.rmsprop_update(x, s, g, eta, gamma)
        largest = onp.maximum(largest, g * g)
        assert onp.isfinite(s).all() and (s >= 0).all()
        assert (s <= largest * (1 + 1e-12)).all()
        step = onp.abs(x_new - x)  # exact up to the rounding of x_new, one ulp of |x|
        bound = eta * onp.abs(g) / math.sqrt(EPS) * (1 + 1e-12) + onp.spacing(onp.abs(x))
        assert (step <= bound).all()
        x = x_new


@settings(max_examples=300, deadline=None)
@given(grads=gradient_streams(), eta=etas, gamma=gammas)
def test_numpy_update_matches_the_reference(grads, eta, gamma):
    x = s = onp.zeros(grads.shape[1])
    for g in grads:
        x_before = x.tolist()
        x_ref, s_ref = reference_step(x_before, s.tolist(), g.tolist(), eta, gamma)
        x, s = d2l.rmsprop_update(x, s, g, eta, gamma)
        assert agrees(x.tolist(), x_ref, before=x_before)
        assert s.tolist() == pytest.approx(s_ref, rel=1e-12, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(grads=gradient_streams(length=10), eta=etas, gamma=gammas)
def test_mxnet_update_matches_the_reference(grads, eta, gamma):
    """``d2l.rmsprop`` on an MXNet parameter, in float32, against the float64 reference."""
    dim = grads.shape[1]
    param = np.zeros((dim,))
    param.attach_grad()
    state = np.zeros((dim,))
    for g in grads:
        x_before, s_before = param.asnumpy().tolist(), state.asnumpy().tolist()
        x_ref, s_ref = reference_step(x_before, s_before, g.tolist(), eta, gamma)
        param.grad[:] = np.array(g, dtype="float32")
        d2l.rmsprop([param], [state], {"lr": eta, "gamma": gamma})
        got = param.asnumpy().tolist()
        assert agrees(got, x_ref, before=x_before, rel=1e-5, floor=FLOAT32_TINY)
        onp.testing.assert_allclose(state.asnumpy(), s_ref, rtol=1e-5, atol=FLOAT32_TINY)


@settings(max_examples=200, deadline=None)
@given(
    start=st.tuples(values, values),
    eta=st.floats(min_value=1e-3, max_value=1.0),
    gamma=gammas,
    steps=st.integers(1, 40),
)
def test_2d_trainer_matches_the_reference(start, eta, gamma, steps):
    """The 2D RMSProp trainer behind the explorers, on f = 0.1 x1² + 2 x2².

    A run that leaves ``|x| <= DIVERGENCE_BOUND`` must be reported, at the step
    where the reference leaves it too.
    """
    trainer = d2l.optimizers.make_trainer_2d("rmsprop", eta, gamma)
    try:
        path = d2l.train_2d(trainer, steps, start=start, verbose=False)
        diverged = False
    except d2l.DivergenceError as error:
        path, diverged = error.trajectory, True
    s = [0.0, 0.0]
    for before, after in itertools.pairwise(path):
        g = [0.2 * before[0], 4 * before[1]]
        x_ref, s = reference_step(list(before), s, g, eta, gamma)
        assert agrees(list(after), x_ref, before=before)
    if diverged:
        last = path[-1]
        x_next, _ = reference_step(list(last), s, [0.2 * last[0], 4 * last[1]], eta, gamma)
        assert max(abs(v) for v in x_next) > DIVERGENCE_BOUND * (1 - 1e-9)
    else:
        assert len(path) == steps + 1
