"""How a leaky average weighs the past: weights, window, half-life and the running average."""

from __future__ import annotations

import math

import numpy as onp
import pytest

from d2l_utils import leaky_average


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


def test_leaky_running_average_by_hand_and_for_a_constant_stream():
    onp.testing.assert_allclose(
        leaky_average.leaky_running_average([1.0, 3.0], 0.5), [0.5, 0.5 * 0.5 + 0.5 * 3.0]
    )
    # a constant stream: the average after t steps is (1 - gamma**t) times the constant
    averages = leaky_average.leaky_running_average(onp.full((50, 2), 4.0), 0.9)
    assert averages.shape == (50, 2)
    onp.testing.assert_allclose(averages[:, 1], 4 * (1 - 0.9 ** onp.arange(1, 51)), rtol=1e-12)


@pytest.mark.parametrize(
    ("values", "gamma", "message"),
    [
        ([], 0.9, "values must be a non-empty sequence"),
        (3.0, 0.9, "values must be a sequence"),
        ([1.0, math.nan], 0.9, "values must be a non-empty sequence of numbers"),
        ([1.0], 1.5, r"gamma must be a finite real number in \[0, 1\], got float 1.5"),
    ],
)
def test_leaky_running_average_bad_input(values, gamma, message):
    with pytest.raises(ValueError, match=message):
        leaky_average.leaky_running_average(values, gamma)
