"""The built-in RMSProp against the from-scratch one, step by step, and the lockstep helper."""

from __future__ import annotations

import numpy as onp
import pytest
from mxnet import np

import d2l_utils as d2l

TOLERANCE = 1e-5
LR, GAMMA, EPS = 0.01, 0.9, 1e-6


def eps_after_root(params, states, hyperparams):
    """RMSProp with the PyTorch denominator ``sqrt(s) + eps``, written for this test."""
    gamma, eps = hyperparams["gamma"], hyperparams["eps"]
    for param, state in zip(params, states, strict=True):
        state[:] = gamma * state + (1 - gamma) * param.grad * param.grad
        param[:] = param - hyperparams["lr"] * param.grad / (np.sqrt(state) + eps)


@pytest.fixture(scope="module")
def setting():
    """One shuffled epoch of airfoil minibatches and a shared starting point."""
    d2l.set_seed(0)
    data_iter, dim = d2l.get_data_ch11(batch_size=10)
    w0 = onp.random.normal(scale=0.01, size=(dim, 1))
    return list(data_iter), dim, w0, onp.zeros(1)


def scratch(setting, trainer_fn=d2l.rmsprop, eps=EPS):
    _, dim, w0, b0 = setting
    hyperparams = {"lr": LR, "gamma": GAMMA, "eps": eps}
    return d2l.ScratchLinreg(trainer_fn, d2l.init_rmsprop_states(dim), hyperparams, w0, b0)


def gluon(setting, **changes):
    _, _, w0, b0 = setting
    params = {"learning_rate": LR, "gamma1": GAMMA, "epsilon": EPS, **changes}
    return d2l.GluonLinreg("rmsprop", params, w0, b0)


def test_gluon_rmsprop_matches_the_from_scratch_one_step_for_step(setting):
    batches, _, w0, _ = setting
    a, b = scratch(setting), gluon(setting)
    gaps = d2l.lockstep_gaps(a, b, batches, len(batches))
    assert len(gaps) == len(batches) == 150
    assert gaps.max() < TOLERANCE
    # Agreement of two runs that went nowhere would prove nothing: both moved far.
    assert onp.abs(a.params()[:-1] - w0.ravel()).max() > 0.1


def test_eps_after_the_root_does_not_agree(setting):
    batches = setting[0]
    gaps = d2l.lockstep_gaps(
        gluon(setting), scratch(setting, eps_after_root), batches, len(batches)
    )
    assert gaps.max() > TOLERANCE
    assert gaps.argmax() < 10  # within the first steps, while s is still small
    large = d2l.lockstep_gaps(
        gluon(setting, epsilon=1e-2), scratch(setting, eps_after_root, 1e-2), batches, 150
    )
    assert large.max() > 1e-3


def test_mxnet_default_epsilon_does_not_reproduce_the_book(setting):
    batches = setting[0]
    plain = {"learning_rate": LR, "gamma1": GAMMA}
    _, _, w0, b0 = setting
    gaps = d2l.lockstep_gaps(
        scratch(setting), d2l.GluonLinreg("rmsprop", plain, w0, b0), batches, len(batches)
    )
    assert gaps.max() > TOLERANCE


def test_both_runs_start_from_the_given_parameters_and_predict_alike(setting):
    batches, _, w0, b0 = setting
    a, b = scratch(setting), gluon(setting)
    expected = onp.append(w0.ravel(), b0).astype(onp.float32)
    onp.testing.assert_array_equal(a.params(), expected)
    onp.testing.assert_array_equal(b.params(), expected)
    X = batches[0][0]
    onp.testing.assert_allclose(a.predict(X).asnumpy(), b.predict(X).asnumpy(), rtol=1e-6)


def test_lockstep_runs_into_a_second_epoch(setting):
    batches = setting[0]
    gaps = d2l.lockstep_gaps(scratch(setting), gluon(setting), batches[:4], 10)
    assert len(gaps) == 10
    assert gaps.max() < TOLERANCE


class Frozen:
    """A run that never moves, holding the parameters it was given."""

    def __init__(self, values):
        self.values = onp.asarray(values, dtype=float)

    def step(self, X, y):
        pass

    def predict(self, X):
        return X

    def params(self):
        return self.values


class Exploding(Frozen):
    """A run whose parameters become infinite at its third step."""

    def __init__(self, values):
        super().__init__(values)
        self.steps = 0

    def step(self, X, y):
        self.steps += 1
        if self.steps == 3:
            self.values = self.values * onp.inf


#: A minibatch for runs of one feature (two parameters, w and b).
BATCH = (np.ones((2, 1)), np.ones(2))


def test_lockstep_reports_divergence_with_the_step():
    batches = [BATCH] * 5
    with pytest.raises(d2l.DivergenceError, match="run_b diverged at step 3"):
        d2l.lockstep_gaps(Frozen([1.0, 2.0]), Exploding([1.0, 2.0]), batches, 5)


def test_lockstep_bad_input():
    with pytest.raises(ValueError, match=r"they start 0\.5 apart"):
        d2l.lockstep_gaps(Frozen([1.0, 0.0]), Frozen([1.5, 0.0]), [BATCH], 1)
    with pytest.raises(
        ValueError, match="data_iter must be an iterable of \\(X, y\\) minibatches"
    ):
        d2l.lockstep_gaps(Frozen([1.0, 0.0]), Frozen([1.0, 0.0]), [], 1)
    with pytest.raises(ValueError, match=r"num_steps must be an integer in \[1, "):
        d2l.lockstep_gaps(Frozen([1.0, 0.0]), Frozen([1.0, 0.0]), [BATCH], 0)
    with pytest.raises(TypeError, match="num_steps must be an integer"):
        d2l.lockstep_gaps(Frozen([1.0, 0.0]), Frozen([1.0, 0.0]), [BATCH], 1.5)


def test_runs_reject_bad_starting_points_and_hyperparameters():
    states = d2l.init_rmsprop_states(5)
    good = {"lr": LR, "gamma": GAMMA}
    with pytest.raises(ValueError, match=r"w0 must be a column of weights, \(feature_dim, 1\)"):
        d2l.ScratchLinreg(d2l.rmsprop, states, good, onp.zeros(5), onp.zeros(1))
    with pytest.raises(ValueError, match="b0 must be one bias value"):
        d2l.GluonLinreg("rmsprop", {}, onp.zeros((5, 1)), onp.zeros(2))
    with pytest.raises(ValueError, match="w0 must be a column of weights"):
        d2l.ScratchLinreg(d2l.rmsprop, states, good, onp.full((5, 1), onp.nan), 0.0)
    with pytest.raises(
        ValueError, match=r"optimizer_params\['gamma1'\] must be a finite real number in \[0, 1\]"
    ):
        d2l.GluonLinreg("rmsprop", {"gamma1": 1.5}, onp.zeros((5, 1)), 0.0)
    with pytest.raises(ValueError, match=r"hyperparams\['lr'\] must be a finite real number > 0"):
        d2l.ScratchLinreg(d2l.rmsprop, states, {"lr": 0.0}, onp.zeros((5, 1)), 0.0)
