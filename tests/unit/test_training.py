"""Training on the airfoil data: the section's losses, divergence and bad input."""

from __future__ import annotations

import itertools
import math
import re

import numpy as onp
import pytest
from mxnet import gluon, np

import d2l_utils as d2l

LOSS_LINE = re.compile(r"^loss: (\d\.\d{3}), (\d+\.\d{3}) sec/epoch$")


def rmsprop_mx(params, states, hyperparams):
    """RMSProp for MXNet parameters, written independently of the chapter's version."""
    for param, state in zip(params, states, strict=True):
        state[:] = hyperparams["gamma"] * state + (1 - hyperparams["gamma"]) * param.grad**2
        param[:] = param - hyperparams["lr"] * param.grad / np.sqrt(state + 1e-6)


def zero_states(feature_dim):
    return np.zeros((feature_dim, 1)), np.zeros(1)


def final_loss(output: str) -> float:
    match = LOSS_LINE.match(output.strip())
    assert match, f"unexpected output {output!r}"
    return float(match.group(1))


@pytest.fixture
def data_iter():
    d2l.set_seed(0)
    return d2l.get_data_ch11(batch_size=10)[0]


def test_from_scratch_rmsprop_reaches_the_sections_loss(data_iter, capsys):
    times, curve = d2l.train_ch11(
        rmsprop_mx, zero_states(5), {"lr": 0.01, "gamma": 0.9}, data_iter, 5
    )
    assert 0.235 <= final_loss(capsys.readouterr().out) <= 0.255
    assert len(curve) == 15 and len(times) == 15  # one point per 200 examples
    assert curve[-1] < curve[0]
    assert all(b >= a for a, b in itertools.pairwise(times))


def test_gluon_rmsprop_reaches_the_sections_loss(data_iter, capsys):
    assert (
        d2l.train_gluon_ch11("rmsprop", {"learning_rate": 0.01, "gamma1": 0.9}, data_iter) is None
    )
    assert 0.235 <= final_loss(capsys.readouterr().out) <= 0.255


def test_a_run_that_ends_between_evaluation_points_still_reports_its_final_loss(capsys):
    d2l.set_seed(0)
    it, dim = d2l.get_data_ch11(batch_size=7, n=300)  # 300 examples: points at 200 and 300
    times, curve = d2l.train_ch11(
        rmsprop_mx, zero_states(dim), {"lr": 0.01, "gamma": 0.9}, it, dim, 1
    )
    assert len(curve) == len(times) == 2
    assert final_loss(capsys.readouterr().out) == pytest.approx(curve[-1], abs=5e-4)


def test_concise_name_is_the_same_function():
    assert d2l.train_concise_ch11 is d2l.train_gluon_ch11


def test_same_seed_same_curve(capsys):
    curves = []
    for _ in range(2):
        d2l.set_seed(3)
        it, dim = d2l.get_data_ch11(batch_size=10)
        curves.append(
            d2l.train_ch11(rmsprop_mx, zero_states(dim), {"lr": 0.01, "gamma": 0.9}, it, dim)[1]
        )
    assert curves[0] == curves[1]


def test_gamma_one_diverges_with_one_clear_message(data_iter):
    with pytest.raises(d2l.DivergenceError, match=r"diverged at epoch .*lower the learning rate"):
        d2l.train_ch11(rmsprop_mx, zero_states(5), {"lr": 0.01, "gamma": 1.0}, data_iter, 5)


@pytest.mark.parametrize(
    ("hyperparams", "message"),
    [
        (
            {"lr": 0.01, "gamma": 1.5},
            r"hyperparams\['gamma'\] must be a finite real number in \[0, 1\]",
        ),
        ({"lr": 0.0, "gamma": 0.9}, r"hyperparams\['lr'\] must be a finite real number > 0"),
        ({"lr": math.nan, "gamma": 0.9}, r"hyperparams\['lr'\] must be a finite real number > 0"),
    ],
)
def test_bad_hyperparameters(data_iter, hyperparams, message):
    with pytest.raises(ValueError, match=message):
        d2l.train_ch11(rmsprop_mx, zero_states(5), hyperparams, data_iter, 5)


def test_gluon_bad_input(data_iter):
    with pytest.raises(
        ValueError, match=r"hyperparams\['gamma1'\] must be a finite real number in \[0, 1\]"
    ):
        d2l.train_gluon_ch11("rmsprop", {"learning_rate": 0.01, "gamma1": 2.0}, data_iter)
    with pytest.raises(ValueError, match="rejected trainer_name='nosuchopt'"):
        d2l.train_gluon_ch11("nosuchopt", {"learning_rate": 0.01}, data_iter)


def test_linreg_and_loss_shapes():
    X, w, b = np.ones((4, 3)), np.ones((3, 1)), np.zeros(1)
    assert d2l.linreg(X, w, b).shape == (4, 1)
    with pytest.raises(
        ValueError, match=r"linreg needs X \(examples, features\), w \(features, 1\)"
    ):
        d2l.linreg(X, np.ones((2, 1)), b)
    onp.testing.assert_allclose(
        d2l.squared_loss(np.array([[1.0], [3.0]]), np.array([0.0, 1.0])).asnumpy(), [[0.5], [2.0]]
    )
    with pytest.raises(
        ValueError, match=r"y_hat \(2, 1\) and y \(3,\) must hold one value each per example"
    ):
        d2l.squared_loss(np.ones((2, 1)), np.ones(3))


def test_evaluate_loss_fast_path_matches_batch_by_batch(data_iter):
    net = gluon.nn.Dense(1)
    net.initialize()
    loss = gluon.loss.L2Loss()
    batches = list(data_iter)  # a plain list has no full arrays: the generic path
    assert d2l.evaluate_loss(net, data_iter, loss) == pytest.approx(
        d2l.evaluate_loss(net, batches, loss), rel=1e-5
    )


def test_timer_records_intervals():
    timer = d2l.Timer()
    timer.stop()
    timer.start()
    timer.stop()
    assert len(timer.times) == 2
    assert timer.sum() == pytest.approx(sum(timer.times))
    assert timer.avg() == pytest.approx(timer.sum() / 2)
    assert timer.cumsum()[-1] == pytest.approx(timer.sum())


def test_plot_and_animator_keep_their_data():
    axes = d2l.plot(onp.arange(3.0), [onp.arange(3.0), onp.arange(3.0) ** 2], legend=["a", "b"])
    assert [list(line.get_ydata()) for line in axes.get_lines()] == [[0, 1, 2], [0, 1, 4]]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="X and Y must pair up point by point"):
        d2l.plot([[0, 1], [0, 1]], [[0, 1], [1, 2], [2, 3]])
    animator = d2l.Animator(legend=["train"])
    animator.add(1, (0.5,))
    animator.add(2, (0.25,))
    animator.finish()
    assert animator.X == [[1.0, 2.0]] and animator.Y == [[0.5, 0.25]]
    assert list(animator.axes[0].get_lines()[0].get_ydata()) == [0.5, 0.25]
    d2l.plt.close("all")


def test_mxnet_builtin_rmsprop_puts_eps_inside_the_square_root():
    """What the concise chapter tells the reader about MXNet's update."""
    import mxnet as mx

    weight, grad, state = mx.nd.array([1.0]), mx.nd.array([1e-3]), mx.nd.array([0.0])
    mx.nd.rmsprop_update(weight, grad, state, lr=0.1, gamma1=0.9, epsilon=1e-2, out=weight)
    s = 0.1 * 1e-6
    inside = 1 - 0.1 * 1e-3 / math.sqrt(s + 1e-2)
    outside = 1 - 0.1 * 1e-3 / (math.sqrt(s) + 1e-2)
    assert weight.asscalar() == pytest.approx(inside, abs=1e-6)
    assert abs(weight.asscalar() - outside) > 1e-3


@pytest.mark.parametrize("lr", [3, 100])
def test_a_run_that_ends_above_its_start_is_reported_and_drawn(data_iter, capsys, lr):
    d2l.set_seed(0)
    _, curve = d2l.train_ch11(
        d2l.rmsprop, d2l.init_rmsprop_states(5), {"lr": lr, "gamma": 0.9}, data_iter, 5, 5
    )
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and printed[0].startswith("diverged: the loss ended at "), printed
    assert "times the starting loss 0.5" in printed[0] and "lower the learning rate" in printed[0]
    figure = d2l.Animator(ylim=[0.22, 0.35], grow_ylim=True)  # the same rule, checked directly
    for i, value in enumerate(curve):
        figure.add(i, (value,))
    figure.draw()
    low, high = figure.axes[0].get_ylim()
    assert low <= min(curve) and high >= max(curve), (low, high, min(curve), max(curve))


def test_a_good_run_keeps_the_books_loss_range(data_iter):
    d2l.set_seed(2)
    _, curve = d2l.train_ch11(
        d2l.rmsprop,
        d2l.init_rmsprop_states(5),
        {"lr": 0.01, "gamma": 0.9},
        data_iter,
        5,
        show=False,
    )
    animator = d2l.Animator(ylim=[0.22, 0.35], grow_ylim=True)
    for i, value in enumerate(curve):
        animator.add(i, (value,))
    animator.draw()
    low, high = animator.axes[0].get_ylim()  # the book's 0.22-0.35, widened to the first point
    assert 0.2 < low <= 0.22 and 0.35 <= high < 0.4 and animator.axes[0].get_yscale() == "linear"
    assert d2l.training.divergence_note(0.5, curve[-1]) is None
