"""The explorers' browser core (``d2l_utils/explorers/js/core``, ``compute``) in Node,
against the package's Python on the same cases: no Chromium needed.

* every optimizer of the registry has a port in ``rules.js`` that takes the same steps as
  its rule in ``rules.py``, to the last bit; an optimizer without one is an error;
* a control set to any value, good or bad, lands where the Python trait puts it;
* each explorer's computation gives the Python explorer's results.
"""

from __future__ import annotations

import itertools
import math
import random

import pytest

import d2l_utils as d2l
from d2l_utils.explorers.trajectory import METHODS, method_configs
from d2l_utils.optimizers import OPTIMIZERS
from tests.node import node


def rule_cases(name: str, count: int = 150) -> list[tuple[float, ...]]:
    """Arguments (x, g, *state, [t], *hyperparams) for ``name``'s rule, varied widely."""
    spec = OPTIMIZERS[name]
    rng = random.Random(name)
    cases = []
    for _ in range(count):
        x, g = (
            rng.uniform(-10, 10),
            rng.choice([0.0, rng.uniform(-5, 5), rng.uniform(-1e-4, 1e-4)]),
        )
        state = [rng.uniform(0, 4) for _ in spec.state]
        if name == "rmsprop_centered":
            state[0] = rng.uniform(-1, 1) * math.sqrt(
                state[1]
            )  # m² <= s, as a leaky average keeps
        step = [rng.randint(1, 2000)] if spec.counts_steps else []
        hyper = []
        for h in spec.hyperparams:
            if h.name == "lr":
                hyper.append(10 ** rng.uniform(-3, 0.3))
            elif h.name == "eps":
                hyper.append(10 ** rng.uniform(-8, -1))
            else:
                hyper.append(rng.choice([h.default, rng.uniform(0, 0.9999)]))
        cases.append((x, g, *state, *step, *hyper))
    return cases


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_registered_optimizer_has_a_port_that_agrees_to_the_bit(name):
    cases = rule_cases(name)
    got = node.values([(f"rules.{name}", list(case)) for case in cases])
    rule = OPTIMIZERS[name].rule
    for case, js in zip(cases, got, strict=True):
        python = rule(*case)
        python = list(python) if isinstance(python, tuple) else [python]
        assert js == python, (name, case)


def test_an_optimizer_without_a_port_is_an_error():
    spec = method_configs(("rmsprop",))["optimizers"]["rmsprop"]
    (result,) = node.run([("stepper", ["rmsprop_nesterov", spec, {}])])
    assert result == {"error": 'the browser has no port of the optimizer "rmsprop_nesterov"'}
    (result,) = node.run([("computation", ["nosuch"])])
    assert result == {"error": 'the browser has no computation for the explorer "nosuch"'}


BAD_VALUES = [math.nan, math.inf, -math.inf, None, "0.5", True, [], 1e300, -1e300, -0.0]


def control_values(spec: dict) -> list:
    """Values to set a control to: the bad ones, each grid value and the midpoints (ties)."""
    if spec["type"] == "grid":
        grid = spec["grid"]
        return [*BAD_VALUES, *grid, *((a + b) / 2 for a, b in itertools.pairwise(grid))]
    if spec["type"] == "count":
        return [*BAD_VALUES, 0.5, 1.5, 2.5, 99.49, 100.5, 7]
    return [
        *BAD_VALUES,
        [math.nan, 1e9],
        [1, 2, 3],
        [-20, 0.25],
        [None, "x"],
        [math.inf, -math.inf],
    ]


EXPLORERS = {
    "weights": lambda: d2l.WeightsExplorer(),
    "trajectory": lambda: d2l.TrajectoryExplorer(),
    "training": lambda: d2l.TrainingExplorer(*d2l.get_data_ch11(batch_size=10)),
    "state": lambda: d2l.StateExplorer(),
    "rotation": lambda: d2l.RotationExplorer(),
    "map": lambda: d2l.MapExplorer(),
    "conventions": lambda: d2l.ConventionsExplorer(*d2l.get_data_ch11(batch_size=10)),
}


@pytest.mark.parametrize("kind", sorted(EXPLORERS))
def test_a_control_lands_where_python_puts_it(kind):
    explorer = EXPLORERS[kind]()
    specs = explorer.config["controls"]
    calls, expected = [], []
    for name, spec in specs.items():
        last = getattr(explorer, name)
        for value in control_values(spec):
            setattr(explorer, name, value)
            expected.append(getattr(explorer, name))
            setattr(explorer, name, last)
            calls.append(("sanitize", [spec, value, last]))
    assert node.values(calls) == expected


def test_the_weights_and_trajectory_computations_are_pythons():
    weights = d2l.WeightsExplorer()
    trajectory = d2l.TrajectoryExplorer()
    settings = [
        {"eta": 0.4, "gamma": 0.9, "steps": 20, "start": [-5.0, -2.0]},
        {"eta": 2.0, "gamma": 0.999, "steps": 100, "start": [9.5, -7.25]},
        {"eta": 0.56, "gamma": 0.0, "steps": 30, "start": [0.0, 0.0]},
        {"eta": 0.01, "gamma": 0.5, "steps": 1, "start": [-10.0, 8.0]},
    ]
    calls, expected = [], []
    for controls in settings:
        trajectory.set_state(controls)
        calls.append(("compute.trajectory", [trajectory.controls(), trajectory.config]))
        expected.append(trajectory.compute())
    assert node.values(calls) == expected
    for gamma in (0.0, 0.5, 0.9, 0.999):
        weights.gamma = gamma
        (js,) = node.values([("compute.weights", [weights.controls(), weights.config])])
        python = weights.compute()
        assert (js["window"], js["half_life"]) == pytest.approx(
            (python["window"], python["half_life"]), rel=1e-15
        )
        assert js["weights"] == pytest.approx(python["weights"], rel=1e-14, abs=1e-300)


def test_the_training_computation_is_the_kernels():
    explorer = d2l.TrainingExplorer(*d2l.get_data_ch11(batch_size=10))
    config = explorer.web_config()
    calls, expected = [], []
    for eta, gamma in [(0.01, 0.9), (0.1, 0.5), (3.2, 0.9), (3.2, 0.0), (0.001, 0.999)]:
        explorer.eta, explorer.gamma = eta, gamma
        calls.append(("compute.training", [explorer.controls(), config]))
        expected.append(explorer.compute())
    for js, python in zip(node.values(calls), expected, strict=True):
        assert js["diverged"] == python["diverged"]
        assert js["epochs_at"] == python["epochs_at"]
        # float64 both, summed in other orders: equal to ~1e-15, but a diverging run amplifies it.
        assert js["curve"] == pytest.approx(
            python["curve"], rel=1e-12 if not js["diverged"] else 1e-6
        )
    assert any(result["diverged"] for result in expected) and not expected[0]["diverged"]


def test_the_methods_the_trajectory_explorer_draws_are_registered():
    assert set(METHODS) <= set(OPTIMIZERS)


#: Control settings tried for each explorer whose browser computation must equal Python's to
#: the last bit (the 2D runs: the same operations in the same order on both sides).
EXACT = {
    "state": [{"eta": 0.4, "gamma": 0.9}, {"eta": 2.0, "gamma": 1.0}, {"eta": 0.01, "gamma": 0.0}],
    "rotation": [
        {"angle": 0.0},
        {"angle": 45.0},
        {"angle": 30.0, "eta": 0.1, "gamma": 0.99},
        {"angle": 90.0, "eta": 2.0},
        {"angle": 17.0, "eta": 0.63, "gamma": 0.5},
    ],
    "map": [{"metric": "steps"}, {"metric": "loss", "eta": 2.0, "gamma": 0.999}],
}


@pytest.mark.parametrize("kind", sorted(EXACT))
def test_the_2d_explorers_compute_what_python_computes(kind):
    explorer = EXPLORERS[kind]()
    calls, expected = [], []
    for controls in EXACT[kind]:
        explorer.set_state(controls)
        calls.append((f"compute.{kind}", [explorer.controls(), explorer.web_config()]))
        expected.append(explorer.compute())
    assert node.values(calls) == expected


def test_the_rotation_readout_agrees_with_the_chapters_table():
    """At η = 0.4, γ = 0.9: 15 steps with the valley on the axes, 37 turned by 45°."""
    explorer = d2l.RotationExplorer()
    explorer.angle = 0.0
    assert explorer.paths["rmsprop"]["reached"] == 15
    explorer.angle = 45.0
    assert explorer.paths["rmsprop"]["reached"] == 37
    (js,) = node.values([("compute.rotation", [explorer.controls(), explorer.config])])
    assert js["paths"]["rmsprop"]["reached"] == 37


def test_the_conventions_are_the_kernels():
    explorer = EXPLORERS["conventions"]()
    config = explorer.web_config()
    for controls in ({"place": "inside", "eps": 1e-6}, {"place": "outside", "eps": 1.0}):
        explorer.set_state(controls)
        (js,) = node.values([("compute.conventions", [explorer.controls(), config])])
        python = explorer.compute()
        for name, gaps in python["gaps"].items():
            assert js["gaps"][name] == pytest.approx(gaps, rel=1e-9, abs=1e-15), name
            assert js["losses"][name] == pytest.approx(python["losses"][name], rel=1e-12), name
    assert max(python["gaps"]["pytorch"]) > 1e-2 and python["gaps"]["d2l"] == [0.0] * 150
