"""The explorers' Python side: grids, what each computes, its controls, its page copy.

The browser side (``explorers.js``) is tested against these same computations in
``tests/site/test_explorers.py``; here the kernel's half stands alone.
"""

from __future__ import annotations

import json
import re

import numpy as onp
import pytest

import d2l_utils as d2l
from d2l_utils import explorers
from d2l_utils.explorers import ETA_GRID, GAMMA_GRID, TRAINING_ETA_GRID


def test_grids_are_log_spaced_and_hold_the_texts_values():
    assert ETA_GRID[0] == 0.01 and ETA_GRID[-1] == 2.0 and 0.4 in ETA_GRID
    assert onp.diff(onp.log10(ETA_GRID)).max() < 0.08
    for gamma in (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999):
        assert gamma in GAMMA_GRID
    steps = onp.diff(onp.log10(1 - onp.array(GAMMA_GRID)))
    assert (steps < 0).all() and steps.min() > -0.11  # fine in 1 - gamma, up to 0.999
    assert 0.01 in TRAINING_ETA_GRID and TRAINING_ETA_GRID[-1] == 3.2


def test_the_weights_explorer_computes_what_leaky_average_says():
    explorer = d2l.WeightsExplorer(gamma=0.9)
    assert explorer.window == pytest.approx(10) and explorer.half_life == pytest.approx(
        6.5788, 1e-4
    )
    onp.testing.assert_allclose(explorer.weights[:3], [0.1, 0.09, 0.081])
    explorer.gamma = 0.999
    assert explorer.window == pytest.approx(1000) and len(explorer.weights) == explorers.MAX_LAGS
    explorer.gamma = 0.9012  # set from anywhere (the page, a user): lands on the grid
    assert explorer.gamma == 0.9


def test_the_trajectory_explorer_runs_train_2d_for_each_method(capsys):
    explorer = d2l.TrajectoryExplorer(eta=0.4, gamma=0.9, steps=20)
    d2l.train_2d(d2l.step_2d("rmsprop", 0.4, 0.9))
    x1, x2 = (float(v) for v in re.findall(r"-?\d+\.\d+", capsys.readouterr().out))
    rmsprop = explorer.paths["rmsprop"]
    assert (
        (round(rmsprop["x1"][-1], 6), round(rmsprop["x2"][-1], 6)) == (x1, x2) == (-0.010599, 0.0)
    )
    assert explorer.paths["adagrad"]["f"][-1] > 100 * rmsprop["f"][-1]  # Adagrad stalls
    explorer.eta = 2.0
    assert explorer.paths["sgd"]["diverged"] == len(explorer.paths["sgd"]["x1"])
    explorer.start = [float("nan"), 1e9]  # a bad value from the page is clamped, not a crash
    assert explorer.start == [0.0, 8.0]
    explorer.steps = 1000
    assert explorer.steps == 100


def test_the_training_explorer_reruns_train_ch11_from_one_start():
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    explorer = d2l.TrainingExplorer(d2l.rmsprop, d2l.init_rmsprop_states, data_iter, feature_dim)
    book = explorer.config["book"]["curve"]
    assert 0.235 <= book[-1] <= 0.255 and explorer.curve == book and len(book) == 15
    d2l.set_seed(0)
    _, curve = d2l.train_ch11(
        d2l.rmsprop,
        d2l.init_rmsprop_states(5),
        {"lr": 0.025, "gamma": 0.5},
        data_iter,
        5,
        show=False,
    )
    explorer.eta, explorer.gamma = 0.025, 0.5
    assert explorer.curve == curve and explorer.diverged is None
    explorer.eta = 3.2
    assert explorer.diverged.startswith("diverged: the loss ended at")


def test_the_page_copy_holds_everything_the_browser_computes_from():
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    explorer = d2l.TrainingExplorer(d2l.rmsprop, d2l.init_rmsprop_states, data_iter, feature_dim)
    bundle, _ = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    match = re.search(
        r'<script type="application/json" class="d2l-explorer-state">(.*?)</script>',
        bundle["text/html"],
        re.S,
    )
    state = json.loads(match.group(1))
    assert (
        state["kind"] == "training" and state["eta"] == 0.01 and state["curve"] == explorer.curve
    )
    config = state["config"]
    assert len(config["data"]["X"]) == len(config["data"]["y"]) == 1500
    assert [sorted(order) for order in config["orders"]] == [list(range(1500))] * 2
    d2l.set_seed(0)  # the start and the order are those train_ch11 draws after the seed
    w, _ = d2l.init_linreg(5)
    onp.testing.assert_array_equal(config["w0"], d2l.numpy(w).ravel())
    assert config["orders"][0] == list(data_iter.epoch_order())


def test_rerunning_a_cell_closes_the_explorer_it_made(monkeypatch):
    monkeypatch.setattr(explorers, "_cell_key", lambda: "cell-1")
    first = d2l.WeightsExplorer()
    second = d2l.WeightsExplorer()
    assert first.comm is None and second.comm is not None
