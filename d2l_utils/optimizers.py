"""The optimizers the book compares, one row each.

A row names an optimizer's update rule (in :mod:`d2l_utils.rules`), the state it keeps
per parameter, its hyperparameters with their defaults and constraints, its label and
its style in every figure. Everything else reads this table: the editions' from-scratch
functions (``d2l.rmsprop``, ``d2l.init_rmsprop_states``, ...), the 2D runs of
:mod:`d2l_utils.quadratic`, the figures' palette (:mod:`d2l_utils.plotting`) and the
explorers, whose browser side ports each rule under the row's name (``rules.js``, tested
against Python). Adding an optimizer is one row here, one rule in ``rules.py`` and one
in ``rules.js``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import rules
from .palette import PALETTE, Style
from .validation import Constraint, Hyperparams, Integer, Real

__all__ = ["OPTIMIZERS", "Hyperparameter", "Optimizer"]

#: A learning rate: positive (one per model, as an array, also accepted).
LEARNING_RATE = Real(low=0, low_open=True, array=True, float32=True)
#: A leaky average's weight, in [0, 1].
DECAY = Real(0, 1, array=True, float32=True)
#: Adam's moment weights, in [0, 1).
BELOW_ONE = Real(0, 1, high_open=True, float32=True)
#: The constant added to the denominator.
EPSILON = Real(low=0, low_open=True, float32=True)
#: Adam's step count, kept in the hyperparameters by the book.
STEP_COUNT = Integer(1, 10**9)


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter of a rule: its name there, its constraint, its default.

    ``key`` is its name in the book's hyperparameter dictionaries (momentum's weight is
    ``'momentum'`` there, ``beta`` in the rule). A ``required`` one must be in such a
    dictionary; its ``default`` is the value the book's comparisons use.
    """

    name: str
    constraint: Constraint
    default: float
    required: bool = False
    key: str = ""

    @property
    def book_key(self) -> str:
        """The key in a hyperparameter dictionary."""
        return self.key or self.name


@dataclass(frozen=True)
class Optimizer:
    """One optimizer: its rule, state, hyperparameters, label and style (see the module)."""

    name: str
    label: str
    rule: Callable[..., Any]
    state: tuple[str, ...]
    hyperparams: tuple[Hyperparameter, ...]
    style: Style
    #: The name of its from-scratch function in the book (default: ``name``).
    function: str = ""
    #: Whether the rule takes the step count ``t`` (counted from 1), as Adam does.
    counts_steps: bool = False

    @property
    def book_function(self) -> str:
        """The name of the edition's from-scratch function, e.g. ``sgd_momentum``."""
        return self.function or self.name

    @property
    def init_function(self) -> str | None:
        """The name of the edition's function that makes its zero states, if it has state."""
        return f"init_{self.name}_states" if self.state else None

    def defaults(self) -> dict[str, float]:
        """Every hyperparameter's default, by the rule's names."""
        return {h.name: h.default for h in self.hyperparams}

    def book_hyperparams(self) -> Hyperparams:
        """What the edition's function accepts as ``hyperparams``."""
        required = {h.book_key: h.constraint for h in self.hyperparams if h.required}
        optional = {h.book_key: h.constraint for h in self.hyperparams if not h.required}
        if self.counts_steps:
            required["t"] = STEP_COUNT
        example = {h.book_key: h.default for h in self.hyperparams if h.required}
        if self.counts_steps:
            example["t"] = 1
        note = " (the step t is counted in it)" if self.counts_steps else ""
        return Hyperparams(required, optional, f"{example}{note}", mutable=self.counts_steps)

    def rule_arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The rule's hyperparameters, in its order, from ``values`` by the rule's names."""
        return tuple(values[h.name] for h in self.hyperparams)

    def doc(self) -> str:
        """The from-scratch function's docstring."""
        keys = ", ".join(
            f"``{h.book_key}``" + ("" if h.required else f" (default {h.default:g})")
            for h in self.hyperparams
        )
        steps = ", and the step ``t`` (start at 1; incremented)" if self.counts_steps else ""
        return (
            f"{self.label}, in place, on every parameter: {_first_line(self.rule)}\n\n"
            f"``hyperparams`` holds {keys}{steps}; numbers, or arrays that broadcast "
            "against the parameters (one value per column trains several models at once)."
        )


def _first_line(function: Callable[..., Any]) -> str:
    return (inspect.getdoc(function) or "").splitlines()[0]


def _lr() -> Hyperparameter:
    return Hyperparameter("lr", LEARNING_RATE, 0.01, required=True)


def _eps() -> Hyperparameter:
    return Hyperparameter("eps", EPSILON, rules.EPS)


#: The registry, in the explorers' drawing order.
OPTIMIZERS: dict[str, Optimizer] = {
    optimizer.name: optimizer
    for optimizer in (
        Optimizer("sgd", "SGD", rules.sgd, (), (_lr(),), Style(PALETTE[2], (1, 2))),
        Optimizer(
            "momentum",
            "momentum",
            rules.momentum,
            ("v",),
            (
                _lr(),
                Hyperparameter("beta", DECAY, rules.MOMENTUM_BETA, required=True, key="momentum"),
            ),
            Style(PALETTE[3], (5, 2, 1, 2)),
            function="sgd_momentum",
        ),
        Optimizer(
            "adagrad", "Adagrad", rules.adagrad, ("s",), (_lr(), _eps()), Style(PALETTE[0], (4, 2))
        ),
        Optimizer(
            "rmsprop",
            "RMSProp",
            rules.rmsprop,
            ("s",),
            (_lr(), Hyperparameter("gamma", DECAY, 0.9, required=True), _eps()),
            Style(PALETTE[5]),
        ),
        Optimizer(
            "rmsprop_outside",
            "RMSProp, ε outside the root",
            rules.rmsprop_outside,
            ("s",),
            (_lr(), Hyperparameter("gamma", DECAY, 0.9, required=True), _eps()),
            Style(PALETTE[6], (3, 2)),
        ),
        Optimizer(
            "rmsprop_centered",
            "centered RMSProp",
            rules.rmsprop_centered,
            ("m", "s"),
            (_lr(), Hyperparameter("gamma", DECAY, 0.9, required=True), _eps()),
            Style(PALETTE[4], (2, 1)),
        ),
        Optimizer(
            "adam",
            "Adam",
            rules.adam,
            ("v", "s"),
            (
                _lr(),
                Hyperparameter("beta1", BELOW_ONE, 0.9),
                Hyperparameter("beta2", BELOW_ONE, 0.999),
                _eps(),
            ),
            Style(PALETTE[1], (7, 2)),
            counts_steps=True,
        ),
    )
}
