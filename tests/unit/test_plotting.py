"""What keeps the training cells fast: few figure renders, no figure when nothing is shown.

The timings themselves are measured by ``make benchmark`` (``tools/benchmark.py``),
not here; these tests pin down the behaviour the speed depends on, and the
benchmark's summary statistics.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mxnet import np

import d2l_utils as d2l
from d2l_utils import plotting

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from benchmarks import stats


class FakeHandle:
    def __init__(self, shown: list[str]) -> None:
        self.shown = shown

    def update(self, fig: object) -> None:
        self.shown.append("update")


@pytest.fixture
def renders(monkeypatch):
    """Pretend to run in IPython and record every figure sent to the notebook."""
    from IPython import display

    shown: list[str] = []

    def fake_display(fig: object, display_id: bool = False) -> FakeHandle:
        shown.append("display")
        return FakeHandle(shown)

    monkeypatch.setattr(plotting, "_in_ipython", lambda: True)
    # Choosing SVG output would create an IPython shell that outlives the test.
    monkeypatch.setattr(plotting, "use_svg_display", lambda: None)
    monkeypatch.setattr(display, "display", fake_display)
    return shown


def test_a_short_run_is_rendered_once_at_the_end(renders):
    animator = d2l.Animator(min_interval=60)
    for i in range(15):
        animator.add(i, (1.0 / (i + 1),))
    assert renders == []  # no figure of the first, lonely points
    animator.finish()
    assert renders == ["display"]
    assert [[1.0 / (i + 1) for i in range(15)]] == animator.Y


def test_a_long_run_is_updated_in_place_after_min_interval(renders):
    animator = d2l.Animator(min_interval=0)
    animator.add(0, (1.0,))
    animator.add(1, (0.5,))
    animator.finish()
    assert renders == ["display", "update", "update"]


def test_training_without_show_makes_no_figure(capsys):
    d2l.set_seed(0)
    data_iter, dim = d2l.get_data_ch11(batch_size=10, n=200)
    before = d2l.plt.get_fignums()
    _, curve = d2l.train_ch11(
        d2l.rmsprop,
        (np.zeros((dim, 1)), np.zeros(1)),
        {"lr": 0.01, "gamma": 0.9},
        data_iter,
        dim,
        show=False,
    )
    assert d2l.plt.get_fignums() == before
    assert len(curve) == 2 and capsys.readouterr().out == ""


def test_benchmark_statistics():
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.spread([0.9, 1.0, 1.1]) == pytest.approx(0.2)
    assert stats.p95(list(range(101))) == 95
    assert stats.describe([1.0, 1.0, 1.0], digits=1) == "1.0 s (spread 0 %, n=3)"
    assert stats.noise_verdict([0.1], load_before=0.0).startswith("quiet run")
    assert stats.noise_verdict([0.6], load_before=0.0).startswith("NOISY run")
    # A round run while the machine was busy slows both of its calls alike.
    assert stats.paired_ratio([1.0, 3.0, 1.2], [2.0, 6.0, 3.0]) == pytest.approx(0.5)
