"""The update rules, each written once: values by hand, on floats, NumPy and MXNet alike,
and as the 2D step functions the explorers run.
"""

from __future__ import annotations

import math

import numpy as onp
import pytest
from mxnet import np

import d2l_utils as d2l
from d2l_utils import rules


def test_rmsprop_one_step_by_hand_on_floats():
    x, s = rules.rmsprop(1.0, 2.0, 0.5, lr=0.1, gamma=0.9)
    assert s == pytest.approx(0.9 * 0.5 + 0.1 * 4)  # 0.85
    assert x == pytest.approx(1.0 - 0.1 * 2.0 / math.sqrt(0.85 + 1e-6), abs=1e-15)


def test_on_arrays_the_rules_update_in_place():
    x, s = onp.array([1.0, -2.0]), onp.array([0.5, 0.0])
    same_x, same_s = rules.rmsprop(x, onp.array([2.0, -1.0]), s, 0.1, 0.9)
    assert same_x is x and same_s is s
    onp.testing.assert_allclose(s, [0.85, 0.1])
    onp.testing.assert_allclose(
        x, [1 - 0.2 / math.sqrt(0.85 + 1e-6), -2 + 0.1 / math.sqrt(0.1 + 1e-6)]
    )


@pytest.mark.parametrize("kind", ["float", "numpy", "mxnet"])
def test_every_rule_gives_the_same_numbers_on_every_kind_of_number(kind):
    make = {"float": float, "numpy": lambda v: onp.array([v]), "mxnet": lambda v: np.array([v])}[
        kind
    ]
    out = {}
    for name, rule, state, hyper in [
        ("sgd", rules.sgd, (), (0.1,)),
        ("momentum", rules.momentum, (0.3,), (0.1, 0.5)),
        ("adagrad", rules.adagrad, (0.3,), (0.1,)),
        ("rmsprop", rules.rmsprop, (0.3,), (0.1, 0.9)),
        ("centered", rules.rmsprop_centered, (0.1, 0.3), (0.1, 0.9)),
        ("adam", rules.adam, (0.1, 0.3, 2), (0.1, 0.9, 0.999)),
    ]:
        args = [make(v) if not isinstance(v, int) else v for v in state]
        result = rule(make(1.5), make(-0.7), *args, *hyper)
        values = result if isinstance(result, tuple) else (result,)
        out[name] = [float(v if kind == "float" else v[0]) for v in values]
    expected = {  # by hand, g = -0.7, x = 1.5
        "sgd": [1.5 + 0.07],
        "momentum": [1.5 - 0.1 * (0.15 - 0.7), 0.15 - 0.7],
        "adagrad": [1.5 + 0.07 / math.sqrt(0.3 + 0.49 + 1e-6), 0.79],
        "rmsprop": [1.5 + 0.07 / math.sqrt(0.27 + 0.049 + 1e-6), 0.319],
    }
    for name, values in expected.items():
        assert out[name] == pytest.approx(values, rel=1e-6), name  # float32 for MXNet
    m, s = 0.9 * 0.1 - 0.07, 0.9 * 0.3 + 0.049
    assert out["centered"] == pytest.approx(
        [1.5 + 0.07 / math.sqrt(s - m * m + 1e-6), m, s], rel=1e-6
    )
    v, s = 0.9 * 0.1 - 0.07, 0.999 * 0.3 + 0.001 * 0.49
    step = 0.1 * (v / (1 - 0.81)) / (math.sqrt(s / (1 - 0.999**2)) + 1e-6)
    assert out["adam"] == pytest.approx([1.5 - step, v, s], rel=1e-6)


def test_a_hyperparameter_may_be_an_array_of_one_value_per_column():
    x, s = onp.ones((2, 3)), onp.zeros((2, 3))
    gamma, lr = onp.array([[0.5, 0.9, 0.99]]), onp.array([[0.1, 0.01, 0.001]])
    rules.rmsprop(x, onp.full((2, 3), 2.0), s, lr, gamma)
    for k in range(3):
        column_x, column_s = rules.rmsprop(1.0, 2.0, 0.0, lr[0, k], gamma[0, k])
        assert x[0, k] == pytest.approx(column_x) and s[1, k] == pytest.approx(column_s)


def test_gamma_one_freezes_the_state_at_zero():
    x, s = rules.rmsprop(1.0, 0.5, 0.0, lr=0.01, gamma=1.0)
    assert s == 0.0
    assert 1.0 - x == pytest.approx(1000 * 0.01 * 0.5)  # eta g / sqrt(eps): 1000 eta g


def test_the_2d_steps_are_the_rules_per_coordinate():
    """With another objective's gradient, one RMSProp step uses that gradient, not f_2d's."""

    def grad_rotated(x1: float, x2: float) -> tuple[float, float]:
        u, v = x1 + x2, x1 - x2
        return 0.2 * u + 4 * v, 0.2 * u - 4 * v

    x1, x2, s1, s2 = d2l.step_2d("rmsprop", 0.4, 0.9, grad=grad_rotated)(-5.0, -2.0, 0.0, 0.0)
    g1, g2 = grad_rotated(-5.0, -2.0)  # (-13.4, 10.6): not f_2d's (-1, -8)
    assert (s1, s2) == pytest.approx((0.1 * g1**2, 0.1 * g2**2))
    assert (x1, x2) == pytest.approx(
        (-5 - 0.4 * g1 / math.sqrt(s1 + 1e-6), -2 - 0.4 * g2 / math.sqrt(s2 + 1e-6))
    )


def test_adam_2d_first_step_is_eta_per_coordinate(capsys):
    # the corrected moments after one step are g and g²: each coordinate moves by eta sign(g)
    path = d2l.train_2d(d2l.step_2d("adam", 0.4), steps=1, state=d2l.initial_state_2d("adam"))
    assert path[1] == pytest.approx((-5 + 0.4, -2 + 0.4), abs=1e-6)
    assert capsys.readouterr().out == "epoch 1, x1 -4.600000, x2 -1.600000\n"


def test_adam_2d_second_step_by_hand():
    g1 = onp.array([-1.0, -8.0])  # gradient at (-5, -2)
    x1 = onp.array([-4.6, -1.6])
    g2 = onp.array([0.2, 4.0]) * x1
    v = 0.9 * 0.1 * g1 + 0.1 * g2
    s = 0.999 * 0.001 * g1**2 + 0.001 * g2**2
    x2 = x1 - 0.4 * (v / (1 - 0.9**2)) / (onp.sqrt(s / (1 - 0.999**2)) + 1e-6)
    path = d2l.train_2d(
        d2l.step_2d("adam", 0.4), steps=2, verbose=False, state=d2l.initial_state_2d("adam")
    )
    onp.testing.assert_allclose(path[2], x2, rtol=1e-6)


def test_centered_rmsprop_2d_first_step_by_hand():
    # m = 0.1 g and s = 0.1 g², so s - m² = 0.09 g² and the step is eta / 0.3 sign(g)
    state = d2l.initial_state_2d("rmsprop_centered")
    assert state == (0.0,) * 4
    path = d2l.train_2d(d2l.step_2d("rmsprop_centered", 0.4, 0.9), 1, verbose=False, state=state)
    g = onp.array([-1.0, -8.0])
    expected = onp.array([-5.0, -2.0]) - 0.4 * g / onp.sqrt(0.09 * g**2 + 1e-6)
    onp.testing.assert_allclose(path[1], expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("adamw", 0.1), ValueError, "method must be one of 'sgd', 'momentum'"),
        (
            ("sgd", 0.0),
            ValueError,
            "step_2d: eta must be a finite real number > 0, .*got float 0.0",
        ),
        (("rmsprop", 0.1, 1.1), ValueError, r"gamma must be a finite real number in \[0, 1\]"),
        (("rmsprop", "0.1"), TypeError, "eta must be a finite real number > 0, .*got str '0.1'"),
    ],
)
def test_step_2d_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        d2l.step_2d(*args)
