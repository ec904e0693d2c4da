"""The calls the book's optimization chapter makes, as its current edition makes them.

``from d2l_utils import mxnet as d2l`` stands in for ``from d2l import mxnet as d2l``
in the chapter's ten sections (checked once by running them; see the README). These
tests pin down each kind of call those sections make, written here in our own words:
the framework aliases, ``train_2d`` with a gradient function, a diverging path drawn
on purpose, the data hub and its download, the Animator and Timer of a hand-written
training loop, and the trainers with the optimizers the chapter compares.
"""

from __future__ import annotations

import math

import numpy as onp
import pytest
from mxnet import np

from d2l_utils import mxnet as d2l


def test_the_framework_aliases_are_mxnets_numpy():
    x = d2l.arange(40)
    assert isinstance(d2l.numpy(x), onp.ndarray) and d2l.size(x) == 40
    assert d2l.numpy(d2l.zeros((2, 3))).shape == (2, 3)
    assert d2l.numpy(d2l.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    grid1, grid2 = d2l.meshgrid(d2l.linspace(-1, 1, 3), d2l.linspace(-1, 1, 3))
    assert d2l.numpy(grid1 + grid2).shape == (3, 3)
    for name, reference in [
        ("sin", math.sin),
        ("cos", math.cos),
        ("exp", math.exp),
        ("tanh", math.tanh),
        ("sinh", math.sinh),
        ("cosh", math.cosh),
    ]:
        assert float(getattr(d2l, name)(d2l.tensor([0.5]))[0]) == pytest.approx(reference(0.5))
    assert d2l.normal(0, 1, size=(2, 2)).shape == (2, 2)
    assert float(d2l.reduce_sum(d2l.ones((2, 2)))) == 4.0


def test_a_trainer_that_takes_the_gradient_function(capsys):
    def f_grad(x1, x2):
        return 2 * x1, 4 * x2

    def gd_2d(x1, x2, s1, s2, f_grad):
        g1, g2 = f_grad(x1, x2)
        return x1 - 0.1 * g1, x2 - 0.1 * g2, 0, 0

    path = d2l.train_2d(gd_2d, f_grad=f_grad)
    assert capsys.readouterr().out.startswith("epoch 20, x1 -0.057646")
    assert len(path) == 21


def test_a_diverging_path_is_drawn_with_a_warning():
    """Gradient descent with eta = 0.6 on 0.1 x1² + 2 x2² multiplies x2 by -1.4 a step:
    the momentum section shows it reaching x2 of about -1673, on purpose."""

    def gd_2d(x1, x2, s1, s2):
        return x1 - 0.6 * 0.2 * x1, x2 - 0.6 * 4 * x2, 0, 0

    path = d2l.train_2d(gd_2d, verbose=False)
    assert path[-1][1] == pytest.approx(-1673.365109, abs=1e-5)
    with pytest.warns(UserWarning, match="runs off the plot"):
        d2l.show_trace_2d(lambda x1, x2: 0.1 * x1**2 + 2 * x2**2, path)
    assert d2l.plt.gca().collections  # the contours are there
    d2l.plt.close("all")


def test_the_data_hub_and_download_work_offline(monkeypatch, tmp_path):
    monkeypatch.setitem(
        d2l.DATA_HUB,
        "airfoil",
        (d2l.DATA_URL + "airfoil_self_noise.dat", "76e5be1548fd8222e5074cf0faae75edff8cf93f"),
    )
    data = onp.genfromtxt(d2l.download("airfoil"), dtype=onp.float32, delimiter="\t")
    assert data.shape == (1503, 6)


def test_a_hand_written_training_loop_with_animator_timer_and_loader():
    X = np.array(onp.random.default_rng(0).normal(size=(40, 2)), dtype="float32")
    y = X @ np.array([[1.0], [-2.0]]) + 0.5
    data_iter = d2l.load_array((X, y.reshape(-1)), 10, is_train=True)
    w = np.zeros((2, 1))
    b = np.zeros(1)
    w.attach_grad()
    b.attach_grad()
    animator = d2l.Animator(xlabel="epoch", ylabel="loss", xlim=[0, 2], ylim=[0, 3])
    timer = d2l.Timer()
    from mxnet import autograd

    for epoch in range(2):
        timer.start()
        for Xb, yb in data_iter:
            with autograd.record():
                loss = d2l.squared_loss(d2l.linreg(Xb, w, b), yb).mean()
            loss.backward()
            d2l.sgd([w, b], None, {"lr": 0.3})
        timer.stop()
        net = lambda Xa: d2l.linreg(Xa, w, b)  # noqa: E731 - as the book writes it
        animator.add(epoch + 1, (d2l.evaluate_loss(net, data_iter, d2l.squared_loss),))
    animator.finish()
    assert timer.avg() > 0 and len(timer.times) == 2
    assert animator.Y[0][-1] < animator.Y[0][0] < 3
    d2l.plt.close("all")


@pytest.mark.parametrize(
    ("trainer", "init", "hyperparams"),
    [
        (d2l.sgd, None, {"lr": 0.05}),
        (d2l.sgd_momentum, d2l.init_momentum_states, {"lr": 0.02, "momentum": 0.5}),
        (d2l.adagrad, d2l.init_adagrad_states, {"lr": 0.1}),
        (d2l.rmsprop, d2l.init_rmsprop_states, {"lr": 0.01, "gamma": 0.9}),
        (d2l.adam, d2l.init_adam_states, {"lr": 0.01, "t": 1}),
    ],
)
def test_the_trainers_with_the_chapters_optimizers(trainer, init, hyperparams, capsys):
    d2l.set_seed(0)
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    states = init(feature_dim) if init else None
    d2l.train_ch11(trainer, states, hyperparams, data_iter, feature_dim)
    loss = float(capsys.readouterr().out.split("loss: ")[1].split(",")[0])
    assert 0.235 <= loss <= 0.255
    d2l.plt.close("all")


@pytest.mark.parametrize(
    ("name", "hyperparams"),
    [
        ("sgd", {"learning_rate": 0.05}),
        ("rmsprop", {"learning_rate": 0.01, "gamma1": 0.9}),
        ("adadelta", {"rho": 0.9}),
        ("adam", {"learning_rate": 0.01}),
    ],
)
def test_the_concise_trainer_with_gluons_optimizers(name, hyperparams, capsys):
    d2l.set_seed(0)
    data_iter, _ = d2l.get_data_ch11(batch_size=10)
    d2l.train_concise_ch11(name, hyperparams, data_iter)
    loss = float(capsys.readouterr().out.split("loss: ")[1].split(",")[0])
    assert 0.235 <= loss <= 0.26
    d2l.plt.close("all")
