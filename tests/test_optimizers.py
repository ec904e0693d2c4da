"""The reference RMSProp update: values by hand and every bad input."""

from __future__ import annotations

import math

import numpy as onp
import pytest

from d2l_utils import rmsprop_update


def test_one_step_by_hand():
    x, s = rmsprop_update([1.0, -2.0], [0.5, 0.0], [2.0, -1.0], eta=0.1, gamma=0.9)
    # s = 0.9 * [0.5, 0] + 0.1 * [4, 1] = [0.85, 0.1]
    onp.testing.assert_allclose(s, [0.85, 0.1])
    expected = [1.0 - 0.1 * 2.0 / math.sqrt(0.85 + 1e-6), -2.0 + 0.1 / math.sqrt(0.1 + 1e-6)]
    onp.testing.assert_allclose(x, expected, rtol=0, atol=1e-15)


def test_gamma_one_freezes_the_state_at_zero():
    x, s = rmsprop_update([1.0], [0.0], [0.5], eta=0.01, gamma=1.0)
    assert s[0] == 0.0
    # With s = 0 the step is eta * g / sqrt(eps): a thousand times eta * g.
    assert 1.0 - x[0] == pytest.approx(1000 * 0.01 * 0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"gamma": 1.5}, ValueError, r"gamma must lie in \[0, 1\]"),
        ({"gamma": -0.1}, ValueError, r"gamma must lie in \[0, 1\]"),
        ({"gamma": math.nan}, ValueError, "gamma must be a finite number"),
        ({"eta": 0.0}, ValueError, "eta must be > 0"),
        ({"eta": -1.0}, ValueError, "eta must be > 0"),
        ({"eta": math.inf}, ValueError, "eta must be a finite number"),
        ({"eta": "0.1"}, TypeError, "eta must be a real number"),
        ({"g": [1.0, math.nan]}, ValueError, "g contains 1 NaN"),
        ({"g": [1.0, 2.0, 3.0]}, ValueError, "must have the same shape"),
        ({"s": [-1.0, 0.0]}, ValueError, "cannot be negative"),
    ],
)
def test_bad_input(kwargs, error, message):
    args = {"x": [1.0, 2.0], "s": [0.0, 0.0], "g": [1.0, 1.0], "eta": 0.1, "gamma": 0.9}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        rmsprop_update(**args)
