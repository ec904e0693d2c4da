"""The 2D experiment: RMSProp on f(x) = 0.1 x1^2 + 2 x2^2 from (-5, -2)."""

from __future__ import annotations

import math

import numpy as onp
import pytest

import d2l_utils as d2l


def f_2d(x1, x2):
    return 0.1 * x1**2 + 2 * x2**2


def rmsprop_trainer(eta: float, gamma: float):
    """The package's 2D RMSProp step (``step_2d``), as the explorers run it."""
    return d2l.step_2d("rmsprop", eta, gamma)


def test_section_run_prints_the_books_numbers(capsys):
    path = d2l.train_2d(rmsprop_trainer(0.4, 0.9))
    assert capsys.readouterr().out == "epoch 20, x1 -0.010599, x2 0.000000\n"
    assert len(path) == 21
    assert path[0] == (-5.0, -2.0)
    assert path[-1][0] == pytest.approx(-0.010599, abs=5e-7)
    assert abs(path[-1][1]) < 5e-7


def test_first_step_by_hand():
    # g = (0.2 * -5, 4 * -2) = (-1, -8); s = 0.1 * g^2 = (0.1, 6.4)
    path = d2l.train_2d(rmsprop_trainer(0.4, 0.9), steps=1)
    expected = (-5 + 0.4 / math.sqrt(0.1 + 1e-6), -2 + 0.4 * 8 / math.sqrt(6.4 + 1e-6))
    assert path[1] == pytest.approx(expected, abs=1e-12)


def test_f_grad_is_passed_to_the_trainer(capsys):
    seen = []

    def trainer(x1, x2, s1, s2, f_grad):
        seen.append(f_grad)
        g1, g2 = f_grad(x1, x2)
        return x1 - 0.1 * g1, x2 - 0.1 * g2, s1, s2

    def grad(x1, x2):
        return 0.2 * x1, 4 * x2

    d2l.train_2d(trainer, steps=3, f_grad=grad)
    assert seen == [grad] * 3
    assert capsys.readouterr().out.startswith("epoch 3, x1 -4.")


def test_divergence_is_reported_with_the_finite_path():
    def exploding(x1, x2, s1, s2):
        return x1 * 100, x2 * 100, s1, s2

    with pytest.raises(d2l.DivergenceError, match="diverged at step 3") as info:
        d2l.train_2d(exploding)
    assert len(info.value.trajectory) == 3
    assert all(math.isfinite(v) for point in info.value.trajectory for v in point)


def test_nan_from_the_trainer_is_a_divergence():
    with pytest.raises(d2l.DivergenceError, match="step 1"):
        d2l.train_2d(lambda x1, x2, s1, s2: (math.nan, x2, s1, s2))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0}, r"train_2d: steps must be an integer in \[1, 1000000\], got int 0"),
        ({"steps": 2.5}, r"steps must be an integer in \[1, 1000000\], got float 2.5"),
        ({"steps": 10**9}, r"steps must be an integer in \[1, 1000000\], got int 1000000000"),
        ({"start": (1.0,)}, r"start must be a pair of finite numbers .*such as \(-5, -2\)"),
        ({"start": (math.nan, 0.0)}, r"start must be a pair of finite numbers .* got tuple \(nan"),
        ({"state": 0.0}, "state must be a tuple of the trainer's initial state"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        d2l.train_2d(rmsprop_trainer(0.4, 0.9), **kwargs)


def test_show_trace_2d_draws_the_path_on_the_contours():
    path = d2l.train_2d(rmsprop_trainer(0.4, 0.9))
    assert d2l.show_trace_2d(f_2d, path) is None  # like the book's: the figure is the output
    axes = d2l.plt.gca()
    line = axes.get_lines()[-1]
    onp.testing.assert_allclose(onp.column_stack(line.get_data()), onp.asarray(path))
    assert axes.get_xlabel() == "x1" and axes.get_ylabel() == "x2"
    assert axes.collections, "the contour lines are missing"
    d2l.plt.close("all")


def test_show_trace_2d_rejects_a_path_with_infinities():
    with pytest.raises(ValueError, match="results must be a list of \\(x1, x2\\) points"):
        d2l.show_trace_2d(f_2d, [(0.0, 0.0), (math.inf, 1.0)])


def test_show_trace_2d_draws_a_diverging_path_with_a_warning():
    """The book's momentum run with eta = 0.6 ends at x2 of about -1673 on purpose."""
    path = [(-5.0 * 0.9**t, -2.0 * (-1.45) ** t) for t in range(21)]
    with pytest.warns(
        UserWarning, match=r"runs off the plot \(\|x1\| up to 5, \|x2\| up to 3376\)"
    ):
        d2l.show_trace_2d(f_2d, path)
    axes = d2l.plt.gca()
    low, high = axes.get_ylim()
    assert high - low <= 4 * 21 + 1  # the view stays near the contours, not 3,000 wide
    assert axes.collections, "the contours are still drawn"
    d2l.plt.close("all")


def test_state_generalises_the_two_state_slots(capsys):
    seen = []

    def counting(x1, x2, count, total):
        seen.append(count)
        return x1 / 2, x2 / 2, count + 1, total + x1

    path = d2l.train_2d(counting, steps=3, start=(8.0, 4.0), state=(0, 0.0))
    assert seen == [0, 1, 2]
    assert path == [(8.0, 4.0), (4.0, 2.0), (2.0, 1.0), (1.0, 0.5)]
    assert capsys.readouterr().out == "epoch 3, x1 1.000000, x2 0.500000\n"


def test_a_trainer_returning_the_wrong_state_size_is_named():
    with pytest.raises(TypeError, match=r"trainer must return \(x1, x2, \*state\) with 3 state"):
        d2l.train_2d(lambda x1, x2, a, b, c: (x1, x2, a, b), state=(0.0, 0.0, 0.0))
