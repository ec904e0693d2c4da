"""The explorers' Python side: grids, what each computes, its controls, its page copy.

The browser side (``js/``) is tested against these same computations in
``tests/unit/test_browser_core.py`` (Node) and ``tests/site/`` (Chromium); here the
kernel's half stands alone.
"""

from __future__ import annotations

import json
import math
import re

import numpy as onp
import pytest

import d2l_utils as d2l
from d2l_utils.explorers import ETA_GRID, GAMMA_GRID, TRAINING_ETA_GRID, base, trajectory


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
    assert explorer.window == pytest.approx(10)
    assert explorer.half_life == pytest.approx(6.5788, 1e-4)
    onp.testing.assert_allclose(explorer.weights[:3], [0.1, 0.09, 0.081])
    explorer.gamma = 0.999
    assert explorer.window == pytest.approx(1000) and len(explorer.weights) == 1250
    explorer.gamma = 0.9012  # set from anywhere (the page, a user): lands on the grid
    assert explorer.gamma == 0.9


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (math.inf, 0.999),
        (-math.inf, 0.0),
        (math.nan, 0.9),  # no number at all: the last good value stays
        (None, 0.9),
        ("0.5", 0.9),
        (True, 0.9),
        (10**400, 0.999),
        (0.9012, 0.9),
    ],
    ids=repr,
)
def test_a_control_set_from_python_follows_the_browsers_rule(value, expected):
    """One sanitizing rule on both sides (the browser's is tested against the same cases)."""
    explorer = d2l.WeightsExplorer(gamma=0.9)
    explorer.gamma = value
    assert explorer.gamma == expected


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
    explorer.start = [float("nan"), 1e9]  # a bad coordinate keeps its value; one too far clamps
    assert explorer.start == [-5.0, 8.0]
    explorer.start = [1, 2, 3]  # not a point: the last good one stays
    assert explorer.start == [-5.0, 8.0]
    explorer.steps = 1000
    assert explorer.steps == 100
    explorer.steps = math.inf
    assert explorer.steps == 100


def test_every_prompt_sets_every_control_it_talks_about():
    controls = set(d2l.TrajectoryExplorer.control_names())
    for prompt in trajectory.PROMPTS:
        assert set(prompt["set"]) == controls, prompt["id"]
        assert prompt["set"]["start"] == [-5.0, -2.0]


def test_the_training_explorer_starts_from_the_printed_run(edition, capsys):
    """The book's run it draws is the run the chapter prints, from the same seed."""
    edition = edition.module
    edition.set_seed(2)
    data_iter, feature_dim = edition.get_data_ch11(batch_size=10)
    _, curve = edition.train_ch11(
        edition.rmsprop,
        edition.init_rmsprop_states(feature_dim),
        {"lr": 0.01, "gamma": 0.9},
        data_iter,
        feature_dim,
    )
    printed = capsys.readouterr().out
    explorer = edition.TrainingExplorer(data_iter, feature_dim)
    book = explorer.config["book"]
    assert f"loss: {book['curve'][-1]:.3f}," in printed and book["seed"] == 2
    # The kernel computes as the browser does, in float64: the framework's float32 run agrees.
    onp.testing.assert_allclose(book["curve"], curve, rtol=2e-5)
    explorer.eta, explorer.gamma = 0.025, 0.5
    edition.set_seed(2)
    _, other = edition.train_ch11(
        edition.rmsprop,
        edition.init_rmsprop_states(5),
        {"lr": 0.025, "gamma": 0.5},
        data_iter,
        5,
        show=False,
    )
    onp.testing.assert_allclose(explorer.curve, other, rtol=2e-5)
    assert explorer.diverged is None
    explorer.eta = 3.2
    assert explorer.diverged.startswith("diverged: the loss ended at")


def test_the_page_copy_holds_everything_the_browser_computes_from():
    d2l.set_seed(2)
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    explorer = d2l.TrainingExplorer(data_iter, feature_dim)
    bundle, _ = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    match = re.search(
        rf'<script type="application/json" class="{base.MARKER_CLASS}-state">(.*?)</script>',
        bundle["text/html"],
        re.S,
    )
    state = json.loads(match.group(1))
    assert state["kind"] == "training" and state["eta"] == 0.01
    assert state["curve"] == explorer.curve
    config = state["config"]
    assert set(config["controls"]) == {"eta", "gamma"} and config["results"] == [
        "curve",
        "diverged",
        "epochs_at",
    ]
    assert len(config["data"]["X"]) == len(config["data"]["y"]) == 1500
    assert [sorted(order) for order in config["orders"]] == [list(range(1500))] * 2
    d2l.set_seed(2)  # the start and the order are those train_ch11 draws after the seed
    w, _ = d2l.init_linreg(5)
    onp.testing.assert_array_equal(config["w0"], d2l.numpy(w).ravel())
    assert config["orders"][0] == list(data_iter.epoch_order())


def test_the_training_explorer_refuses_a_feature_count_the_data_lacks():
    data_iter, _ = d2l.get_data_ch11(batch_size=10)
    with pytest.raises(ValueError, match=r"feature_dim must be the number of columns .* 5; got 6"):
        d2l.TrainingExplorer(data_iter, 6)


def test_rerunning_a_cell_closes_the_explorer_it_made(monkeypatch):
    monkeypatch.setattr(base, "_cell_key", lambda: "cell-1")
    first = d2l.WeightsExplorer()
    second = d2l.WeightsExplorer()
    assert first.comm is None and second.comm is not None
