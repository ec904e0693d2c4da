"""The reference RMSProp update: values by hand and every bad input."""

from __future__ import annotations

import math

import numpy as onp
import pytest

import d2l_utils as d2l
from d2l_utils import rmsprop_update


def test_one_step_by_hand():
    x, s = rmsprop_update([1.0, -2.0], [0.5, 0.0], [2.0, -1.0], eta=0.1, gamma=0.9)
    # s = 0.9 * [0.5, 0] + 0.1 * [4, 1] = [0.85, 0.1]
    onp.testing.assert_allclose(s, [0.85, 0.1])
    expected = [1.0 - 0.1 * 2.0 / math.sqrt(0.85 + 1e-6), -2.0 + 0.1 / math.sqrt(0.1 + 1e-6)]
    onp.testing.assert_allclose(x, expected, rtol=0, atol=1e-15)


def test_gamma_one_freezes_the_state_at_zero():
    x, s = rmsprop_update([1.0], [0.0], [0.5], eta=0.01, gamma=1.0)
    assert s[0] == 0.0
    # With s = 0 the step is eta * g / sqrt(eps): a thousand times eta * g.
    assert 1.0 - x[0] == pytest.approx(1000 * 0.01 * 0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"gamma": 1.5}, ValueError, r"gamma must lie in \[0, 1\]"),
        ({"gamma": -0.1}, ValueError, r"gamma must lie in \[0, 1\]"),
        ({"gamma": math.nan}, ValueError, "gamma must be a finite number"),
        ({"eta": 0.0}, ValueError, "eta must be > 0"),
        ({"eta": -1.0}, ValueError, "eta must be > 0"),
        ({"eta": math.inf}, ValueError, "eta must be a finite number"),
        ({"eta": "0.1"}, TypeError, "eta must be a real number"),
        ({"g": [1.0, math.nan]}, ValueError, "g contains 1 NaN"),
        ({"g": [1.0, 2.0, 3.0]}, ValueError, "must have the same shape"),
        ({"s": [-1.0, 0.0]}, ValueError, "cannot be negative"),
    ],
)
def test_bad_input(kwargs, error, message):
    args = {"x": [1.0, 2.0], "s": [0.0, 0.0], "g": [1.0, 1.0], "eta": 0.1, "gamma": 0.9}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        rmsprop_update(**args)


def test_adam_2d_first_step_is_eta_per_coordinate(capsys):
    # corrected moments after one step are g and g², so each coordinate moves by eta * sign(g)
    path = d2l.train_adam_2d(0.4, steps=1)
    assert path[1] == pytest.approx((-5 + 0.4, -2 + 0.4), abs=1e-6)
    assert capsys.readouterr().out == "epoch 1, x1 -4.600000, x2 -1.600000\n"


def test_adam_2d_second_step_by_hand():
    g1 = onp.array([-1.0, -8.0])  # gradient at (-5, -2)
    x1 = onp.array([-4.6, -1.6])
    g2 = onp.array([0.2, 4.0]) * x1
    v = 0.9 * 0.1 * g1 + 0.1 * g2
    s = 0.999 * 0.001 * g1**2 + 0.001 * g2**2
    x2 = x1 - 0.4 * (v / (1 - 0.9**2)) / (onp.sqrt(s / (1 - 0.999**2)) + 1e-6)
    path = d2l.train_adam_2d(0.4, steps=2, verbose=False)
    onp.testing.assert_allclose(path[2], x2, rtol=1e-6)


def test_centered_rmsprop_2d_first_step_by_hand():
    # m = 0.1 g and s = 0.1 g², so s - m² = 0.09 g² and the step is eta / 0.3 * sign(g)
    path = d2l.train_rmsprop_centered_2d(0.4, 0.9, steps=1, verbose=False)
    g = onp.array([-1.0, -8.0])
    expected = onp.array([-5.0, -2.0]) - 0.4 * g / onp.sqrt(0.09 * g**2 + 1e-6)
    onp.testing.assert_allclose(path[1], expected, rtol=1e-12)


def test_the_new_2d_runs_report_divergence_through_train_2d():
    with pytest.raises(d2l.DivergenceError, match="diverged at step"):
        d2l.train_adam_2d(1e7, steps=5, verbose=False)
    with pytest.raises(d2l.DivergenceError, match="diverged at step"):
        d2l.train_rmsprop_centered_2d(1e7, steps=5, verbose=False)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: d2l.train_adam_2d(0.0), "eta must be > 0"),
        (lambda: d2l.train_adam_2d(0.1, beta1=1.0), "beta1 must be < 1"),
        (lambda: d2l.train_adam_2d(0.1, beta2=1.2), r"beta2 must lie in \[0, 1\]"),
        (lambda: d2l.train_adam_2d(0.1, steps=0), "steps must be >= 1"),
        (lambda: d2l.train_rmsprop_centered_2d(0.1, gamma=-0.5), r"gamma must lie in \[0, 1\]"),
        (lambda: d2l.train_rmsprop_centered_2d(0.1, eps=0.0), "eps must be > 0"),
    ],
)
def test_the_new_2d_runs_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_2d_trainer_follows_the_gradient_it_is_given():
    """With another objective's gradient, one RMSProp step uses that gradient, not f_2d's."""

    def grad_rotated(x1: float, x2: float) -> tuple[float, float]:
        u, v = x1 + x2, x1 - x2
        return 0.2 * u + 4 * v, 0.2 * u - 4 * v

    trainer = d2l.make_trainer_2d("rmsprop", 0.4, 0.9, grad=grad_rotated)
    x1, x2, s1, s2 = trainer(-5.0, -2.0, 0.0, 0.0)
    g1, g2 = grad_rotated(-5.0, -2.0)  # (-13.4, 10.6): not f_2d's (-1, -8)
    assert (s1, s2) == pytest.approx((0.1 * g1**2, 0.1 * g2**2))
    assert (x1, x2) == pytest.approx(
        (-5 - 0.4 * g1 / math.sqrt(s1 + 1e-6), -2 - 0.4 * g2 / math.sqrt(s2 + 1e-6))
    )
    with pytest.raises(TypeError, match="grad must be a function"):
        d2l.make_trainer_2d("rmsprop", 0.4, grad=(1.0, 2.0))
