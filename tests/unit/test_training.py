"""Training on the airfoil data in every edition: the section's losses, divergence, bad input.

The tests that take ``d2l`` run once per edition (the ``edition`` fixture); a few pin
down one framework's own behaviour (Gluon's trainer, MXNet's fused update).
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as onp
import pytest

from d2l_utils import plotting, training

LOSS_LINE = re.compile(r"^loss: (\d\.\d{3}), (\d+\.\d{3}) sec/epoch$")


@pytest.fixture
def d2l(edition):
    return edition.module


def final_loss(output: str) -> float:
    match = LOSS_LINE.match(output.strip())
    assert match, f"unexpected output {output!r}"
    return float(match.group(1))


@pytest.fixture
def data_iter(d2l):
    d2l.set_seed(0)
    return d2l.get_data_ch11(batch_size=10)[0]


def test_from_scratch_rmsprop_reaches_the_sections_loss(d2l, data_iter, capsys):
    times, curve = d2l.train_ch11(
        d2l.rmsprop, d2l.init_rmsprop_states(5), {"lr": 0.01, "gamma": 0.9}, data_iter, 5
    )
    assert 0.235 <= final_loss(capsys.readouterr().out) <= 0.255
    assert len(curve) == 15 and len(times) == 15  # one point per 200 examples
    assert curve[-1] < curve[0]
    assert all(b >= a for a, b in itertools.pairwise(times))


def test_concise_rmsprop_reaches_the_sections_loss(edition, d2l, data_iter, capsys):
    trainer, hyperparams = edition.concise
    assert d2l.train_concise_ch11(trainer, hyperparams, data_iter) is None
    assert 0.235 <= final_loss(capsys.readouterr().out) <= 0.255


def test_a_run_that_ends_between_evaluation_points_still_reports_its_final_loss(d2l, capsys):
    d2l.set_seed(0)
    it, dim = d2l.get_data_ch11(batch_size=7, n=300)  # 300 examples: points at 200 and 300
    times, curve = d2l.train_ch11(
        d2l.rmsprop, d2l.init_rmsprop_states(dim), {"lr": 0.01, "gamma": 0.9}, it, dim, 1
    )
    assert len(curve) == len(times) == 2
    assert final_loss(capsys.readouterr().out) == pytest.approx(curve[-1], abs=5e-4)


def test_same_seed_same_curve(d2l):
    curves = []
    for _ in range(2):
        d2l.set_seed(3)
        it, dim = d2l.get_data_ch11(batch_size=10)
        states = d2l.init_rmsprop_states(dim)
        curves.append(
            d2l.train_ch11(d2l.rmsprop, states, {"lr": 0.01, "gamma": 0.9}, it, dim, show=False)[1]
        )
    assert curves[0] == curves[1]


def test_gamma_one_diverges_with_one_clear_message(d2l, data_iter):
    with pytest.raises(d2l.DivergenceError, match=r"diverged at epoch .*lower the learning rate"):
        d2l.train_ch11(
            d2l.rmsprop, d2l.init_rmsprop_states(5), {"lr": 0.01, "gamma": 1.0}, data_iter, 5
        )


@pytest.mark.parametrize(
    ("hyperparams", "message"),
    [
        (
            {"lr": 0.01, "gamma": 1.5},
            r"train_ch11: hyperparams\['gamma'\] must be a finite real number in \[0, 1\]",
        ),
        ({"lr": 0.0, "gamma": 0.9}, r"hyperparams\['lr'\] must be a finite real number > 0"),
        ({"lr": math.nan, "gamma": 0.9}, r"hyperparams\['lr'\] must be a finite real number > 0"),
        ({"lr": 0.01, "gamma": 0.9, "wd": -1}, r"hyperparams\['wd'\] must be a finite real"),
        ({"lr": 0.01, "gamma": 0.9, "wd": "abc"}, r"hyperparams\['wd'\] must be a finite real"),
    ],
)
def test_bad_hyperparameters(d2l, data_iter, hyperparams, message):
    with pytest.raises((ValueError, TypeError), match=message):
        d2l.train_ch11(d2l.rmsprop, d2l.init_rmsprop_states(5), hyperparams, data_iter, 5)


def test_linreg_and_loss_shapes(d2l, edition):
    X, w, b = (edition.array(onp.ones(shape)) for shape in ((4, 3), (3, 1), (1,)))
    assert tuple(d2l.linreg(X, w, b).shape) == (4, 1)
    with pytest.raises(
        ValueError, match=r"linreg: linreg needs X \(examples, features\), w \(features, 1\)"
    ):
        d2l.linreg(X, edition.array(onp.ones((2, 1))), b)
    loss = d2l.squared_loss(edition.array([[1.0], [3.0]]), edition.array([0.0, 1.0]))
    onp.testing.assert_allclose(edition.host(loss), [[0.5], [2.0]])
    with pytest.raises(
        ValueError, match=r"y_hat \(2, 1\) and y \(3,\) must hold one value each per example"
    ):
        d2l.squared_loss(edition.array(onp.ones((2, 1))), edition.array(onp.ones(3)))


def test_evaluate_loss_fast_path_matches_batch_by_batch(d2l, edition, data_iter):
    w, b = edition.array(onp.full((5, 1), 0.1)), edition.array(onp.zeros(1))

    def net(X):
        return d2l.linreg(X, w, b)

    batches = list(data_iter)  # a plain list has no full arrays: the generic path
    assert d2l.evaluate_loss(net, data_iter, d2l.squared_loss) == pytest.approx(
        d2l.evaluate_loss(net, batches, d2l.squared_loss), rel=1e-5
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda batches: [], "data_iter must be an iterable of \\(X, y\\) minibatches"),
        (lambda batches: Empty(), "data_iter yielded no minibatch"),
        (lambda batches: Once(batches), "data_iter yielded no minibatch"),
        (lambda batches: [(b[0][:0], b[1][:0]) for b in batches], "data_iter yields an X"),
        (lambda batches: [(b[0], b[1][:3]) for b in batches], ".*one label per row"),
        (lambda batches: [b[0] for b in batches], "data_iter must yield \\(X, y\\) pairs"),
    ],
)
def test_bad_minibatches_are_named_and_leave_the_framework_sound(d2l, data_iter, make, message):
    """Empty batches, an iterable that yields nothing, or one read only once: one clear
    error, and the next valid call works (MXNet's engine was handed no bad work)."""
    batches = make(list(data_iter))
    with pytest.raises((ValueError, TypeError), match=f"train_ch11: {message}"):
        d2l.train_ch11(
            d2l.rmsprop,
            d2l.init_rmsprop_states(5),
            {"lr": 0.01, "gamma": 0.9},
            batches,
            5,
            show=False,
        )
    _, curve = d2l.train_ch11(
        d2l.rmsprop,
        d2l.init_rmsprop_states(5),
        {"lr": 0.01, "gamma": 0.9},
        data_iter,
        5,
        show=False,
    )
    assert curve[-1] < 0.26


class Empty:
    """An iterable that says it has batches and yields none."""

    def __len__(self) -> int:
        return 3

    def __iter__(self):
        return iter(())


class Once:
    """An iterable that yields its batches only the first time it is read."""

    def __init__(self, batches) -> None:
        self.batches, self.read = batches, False

    def __len__(self) -> int:
        return len(self.batches)

    def __iter__(self):
        batches = [] if self.read else self.batches
        self.read = True
        return iter(batches)


@pytest.mark.parametrize("lr", [3, 100])
def test_a_run_that_ends_above_its_start_is_reported_and_drawn(d2l, data_iter, capsys, lr):
    d2l.set_seed(0)
    _, curve = d2l.train_ch11(
        d2l.rmsprop, d2l.init_rmsprop_states(5), {"lr": lr, "gamma": 0.9}, data_iter, 5, 5
    )
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and printed[0].startswith("diverged: the loss ended at "), printed
    assert re.search(r"times the starting loss 0\.[45]\d\d; lower the learning rate$", printed[0])
    figure = d2l.Animator(ylim=[0.22, 0.35], grow_ylim=True)  # the same rule, checked directly
    for i, value in enumerate(curve):
        figure.add(i, (value,))
    figure.draw()
    low, high = figure.axes[0].get_ylim()
    assert low <= min(curve) and high >= max(curve), (low, high, min(curve), max(curve))


def test_a_good_run_keeps_the_books_loss_range(d2l, data_iter):
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
    assert training.divergence_note(0.5, curve[-1]) is None


def test_timer_records_intervals(d2l):
    timer = d2l.Timer()
    timer.stop()
    timer.start()
    timer.stop()
    assert len(timer.times) == 2
    assert timer.sum() == pytest.approx(sum(timer.times))
    assert timer.avg() == pytest.approx(timer.sum() / 2)
    assert timer.cumsum()[-1] == pytest.approx(timer.sum())


def test_plot_and_animator_keep_their_data():
    axes = plotting.plot(
        onp.arange(3.0), [onp.arange(3.0), onp.arange(3.0) ** 2], legend=["a", "b"]
    )
    assert [list(line.get_ydata()) for line in axes.get_lines()] == [[0, 1, 2], [0, 1, 4]]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="X and Y must pair up point by point"):
        plotting.plot([[0, 1], [0, 1]], [[0, 1], [1, 2], [2, 3]])
    animator = plotting.Animator(legend=["train"])
    animator.add(1, (0.5,))
    animator.add(2, (0.25,))
    animator.finish()
    assert animator.X == [[1.0, 2.0]] and animator.Y == [[0.5, 0.25]]
    assert list(animator.axes[0].get_lines()[0].get_ydata()) == [0.5, 0.25]
    plotting.plt.close("all")


# --- one framework's own behaviour ------------------------------------------------------------


def test_mxnet_concise_name_is_the_same_function_and_gluon_refusals_are_named():
    from d2l_utils import mxnet as d2l

    assert d2l.train_concise_ch11 is d2l.train_gluon_ch11
    d2l.set_seed(0)
    data_iter = d2l.get_data_ch11(batch_size=10)[0]
    with pytest.raises(
        ValueError, match=r"hyperparams\['gamma1'\] must be a finite real number in \[0, 1\]"
    ):
        d2l.train_gluon_ch11("rmsprop", {"learning_rate": 0.01, "gamma1": 2.0}, data_iter)
    with pytest.raises(ValueError, match="rejected trainer_name='nosuchopt'"):
        d2l.train_gluon_ch11("nosuchopt", {"learning_rate": 0.01}, data_iter)


def test_torch_concise_refuses_what_is_no_stepping_optimizer():
    import torch

    from d2l_utils import torch as d2l

    d2l.set_seed(0)
    data_iter = d2l.get_data_ch11(batch_size=10)[0]
    with pytest.raises(TypeError, match=r"trainer_fn must make a torch\.optim optimizer"):
        d2l.train_concise_ch11(lambda params, **kw: None, {"lr": 0.01}, data_iter)
    with pytest.raises(ValueError, match="trainer_fn must step without a closure"):
        d2l.train_concise_ch11(torch.optim.LBFGS, {"lr": 0.01}, data_iter)
    with pytest.raises(TypeError, match="trainer_fn must be a function"):
        d2l.train_concise_ch11(lambda: None, {"lr": 0.01}, data_iter)


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
