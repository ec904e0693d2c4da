"""The explorers' Python side: leaky-average facts, 2D trainers and widget callbacks."""

from __future__ import annotations

import math

import numpy as onp
import pytest
from mxnet import np

import d2l_utils as d2l
from d2l_utils import leaky_average, optimizers, widgets
from d2l_utils.web_explorers import ETA_GRID, path_2d


def test_eta_grid_is_log_spaced_and_holds_the_sections_rates():
    assert ETA_GRID[0] == 0.01 and ETA_GRID[-1] == 2.0
    assert 0.4 in ETA_GRID and 0.01 in ETA_GRID
    ratios = onp.diff(onp.log10(ETA_GRID))
    assert ratios.min() > 0.02 and ratios.max() < 0.08


@pytest.mark.parametrize("gamma", [0.0, 0.5, 0.9, 0.95, 0.999])
def test_half_life_halves_the_weight_and_the_window_sums_it(gamma):
    half = leaky_average.half_life(gamma)
    if gamma > 0:
        assert gamma**half == pytest.approx(0.5)
    weights = leaky_average.leaky_weights(gamma, 20000)
    assert weights.sum() == pytest.approx(1.0, abs=1e-6)
    assert leaky_average.effective_window(gamma) == pytest.approx(1 / (1 - gamma))


def test_the_sources_half_life_claim_is_wrong_at_gamma_09():
    assert leaky_average.half_life(0.9) == pytest.approx(6.579, abs=1e-3)
    assert abs(leaky_average.half_life(0.9) - 1 / 0.9) > 5  # the source says gamma**-1
    assert leaky_average.effective_window(0.9) == pytest.approx(10)


def test_gamma_one_has_no_finite_window():
    assert leaky_average.effective_window(1.0) == math.inf
    assert leaky_average.half_life(1.0) == math.inf
    assert not leaky_average.leaky_weights(1.0).any()


def test_rmsprop_trainer_reproduces_the_section(capsys):
    path = d2l.train_2d(optimizers.make_trainer_2d("rmsprop", 0.4, 0.9))
    assert capsys.readouterr().out == "epoch 20, x1 -0.010599, x2 0.000000\n"
    explorer_path = path_2d("rmsprop", 0.4, 0.9, 20, (-5.0, -2.0))
    assert explorer_path["x1"][-1] == path[-1][0] and explorer_path["x2"][-1] == path[-1][1]


def test_adagrad_stalls_where_rmsprop_does_not():
    adagrad = path_2d("adagrad", 0.4, 0.9, 20, (-5.0, -2.0))
    rmsprop = path_2d("rmsprop", 0.4, 0.9, 20, (-5.0, -2.0))
    assert adagrad["f"][-1] > 100 * rmsprop["f"][-1]


def test_diverging_paths_are_cut_and_reported():
    path = path_2d("sgd", 2.0, 0.9, 20, (-5.0, -2.0))
    assert path["diverged"] == len(path["x1"])
    assert onp.isfinite(path["f"]).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("adam", 0.1), "method must be one of"),
        (("sgd", 0.0), "eta must be > 0"),
        (("rmsprop", 0.1, 1.1), r"gamma must lie in \[0, 1\]"),
    ],
)
def test_make_trainer_2d_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        optimizers.make_trainer_2d(*args)


def test_weights_explorer_redraws_on_slider_change():
    explorer = widgets.WeightsExplorer()
    explorer.gamma.value = 0.5
    heights = [bar.get_height() for bar in explorer.bars]
    onp.testing.assert_allclose(heights, leaky_average.leaky_weights(0.5, 40))
    assert explorer.window_line.get_xdata()[0] == pytest.approx(2.0)
    assert explorer.half_line.get_xdata()[0] == pytest.approx(1.0)
    assert "window 1/(1−γ) = 2.00 steps" in explorer.readout.value
    explorer.gamma.value = 1.0
    assert not explorer.window_line.get_visible()
    assert "= ∞ steps" in explorer.readout.value


def test_trajectory_explorer_draws_train_2d_paths():
    explorer = widgets.TrajectoryExplorer()
    assert "RMSProp: x1 -0.010599, x2 0.000000" in explorer.readout.value
    explorer.eta.value = 0.1
    explorer.gamma.value = 0.5
    explorer.steps.value = 30
    explorer.start.value = (-2.0, 3.0)
    expected = d2l.train_2d(optimizers.make_trainer_2d("rmsprop", 0.1, 0.5), 30, start=(-2, 3))
    line = explorer.lines["rmsprop"][0]
    onp.testing.assert_array_equal(onp.column_stack(line.get_data()), onp.asarray(expected))
    assert f"x1 {expected[-1][0]:.6f}" in explorer.readout.value
    explorer.eta.value = 2.0
    assert "SGD: diverged at step" in explorer.readout.value


def test_training_explorer_reruns_training():
    def rmsprop(params, states, hyperparams):
        for p, s in zip(params, states, strict=True):
            s[:] = hyperparams["gamma"] * s + (1 - hyperparams["gamma"]) * p.grad**2
            p[:] = p - hyperparams["lr"] * p.grad / (s + 1e-6) ** 0.5

    def init_states(dim):
        return np.zeros((dim, 1)), np.zeros(1)

    data_iter, dim = d2l.get_data_ch11(batch_size=10)
    explorer = widgets.TrainingExplorer(rmsprop, init_states, data_iter, dim)
    first = list(explorer.curve)
    assert len(first) == 15 and 0.235 <= first[-1] <= 0.255
    assert list(explorer.line.get_ydata()) == first
    assert f"final loss {first[-1]:.3f}" in explorer.readout.value
    explorer.eta.value = 0.05
    assert explorer.curve != first and len(explorer.curve) == 15
    assert list(explorer.line.get_ydata()) == explorer.curve
    explorer.gamma.value = 1.0
    assert "diverged" in explorer.readout.value


def test_leaky_running_average_by_hand_and_for_a_constant_stream():
    onp.testing.assert_allclose(
        leaky_average.leaky_running_average([1.0, 3.0], 0.5), [0.5, 0.5 * 0.5 + 0.5 * 3.0]
    )
    # a constant stream: the average after t steps is (1 - gamma**t) times the constant
    averages = leaky_average.leaky_running_average(onp.full((50, 2), 4.0), 0.9)
    assert averages.shape == (50, 2)
    expected = 4 * (1 - 0.9 ** onp.arange(1, 51))
    onp.testing.assert_allclose(averages[:, 1], expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("values", "gamma", "message"),
    [
        ([], 0.9, "non-empty sequence"),
        (3.0, 0.9, "non-empty sequence"),
        ([1.0, math.nan], 0.9, "values contains 1 NaN"),
        ([1.0], 1.5, r"gamma must lie in \[0, 1\]"),
    ],
)
def test_leaky_running_average_bad_input(values, gamma, message):
    with pytest.raises(ValueError, match=message):
        leaky_average.leaky_running_average(values, gamma)
