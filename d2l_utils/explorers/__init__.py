"""The book's three explorers, each one definition shown in two places.

An explorer is an anywidget: its look and its controls are ``explorers.js`` (with
d3), the same script on the website and in a notebook. In a notebook (JupyterLab,
Notebook 7, Colab) a slider move reaches the kernel, which recomputes the results
with the package's Python code and sends them back. On the website there is no
kernel: the page holds the explorer's state as JSON (the ``text/html`` form of the
cell's output), and the browser recomputes with its JavaScript port of the update
rules, fed every constant from here. ``tests/`` drive both from the same cases.
"""

from __future__ import annotations

import html
import json
import math
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import anywidget
import traitlets
from IPython import get_ipython

from .. import rules
from ..data import ArrayLoader
from ..divergence import DIVERGENCE_BOUND, DivergenceError, divergence_note
from ..leaky_average import effective_window, half_life, leaky_weights
from ..plotting import LABELS, STYLES
from ..quadratic import COEFFICIENTS, METHODS, path_2d
from ..seeding import set_seed
from ..training import EVAL_EVERY, eval_points
from ..validation import Function, InstanceOf, Integer, Real, validated

__all__ = [
    "ETA_GRID",
    "GAMMA_GRID",
    "TRAINING_ETA_GRID",
    "TrainingExplorer",
    "TrajectoryExplorer",
    "WeightsExplorer",
    "script_files",
]


def _grid(low_exponent: int, high_exponent: int, per_decade: int) -> list[float]:
    """Log-spaced values ``10**(k / per_decade)``, two significant digits."""
    ks = range(low_exponent * per_decade, high_exponent * per_decade + 1)
    return sorted({float(f"{10 ** (k / per_decade):.2g}") for k in ks})


#: Learning rates of the trajectory explorer: 20 per decade from 0.01 to 2 (0.4 is one).
ETA_GRID = [eta for eta in _grid(-2, 1, 20) if eta <= 2]
#: Decays: log-spaced in 1 - γ (20 per decade from 1 to 0.001), so 0.99 and 0.999 are
#: reachable with fine steps near 1, plus the values the text uses.
GAMMA_GRID = sorted(
    {round(1 - r, 6) for r in _grid(-3, 0, 20)} | {0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999}
)
#: Learning rates of the training explorer: 10 per decade from 0.001 to 3.2.
TRAINING_ETA_GRID = [eta for eta in _grid(-3, 1, 10) if eta <= 3.2]
#: The weights explorer draws at most this many lags (the window at γ = 0.999 is 1000).
MAX_LAGS = 1250


@cache
def _asset(name: str) -> str:
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


def script_files() -> dict[str, str]:
    """The browser side, by file name, as the website serves it (d3, the explorers, styles)."""
    return {
        "d3.v7.min.js": _asset("vendor/d3.v7.min.js"),
        "explorers.js": _asset("explorers.js"),
        "explorers.css": _asset("explorers.css"),
    }


@cache
def _esm() -> str:
    """The notebook's module: the website's two scripts, then anywidget's entry point."""
    files = script_files()
    return (
        files["d3.v7.min.js"]
        + "\n"
        + files["explorers.js"]
        + "\nexport default { render: (ctx) => globalThis.D2LExplorers.render(ctx) };\n"
    )


def _cell_key() -> str | None:
    """Which notebook cell is running: its id (JupyterLab sends one) or else its code."""
    shell = get_ipython()
    if shell is None:
        return None
    kernel = getattr(shell, "kernel", None)
    parent = kernel.get_parent() if kernel is not None else {}
    cell_id = (parent.get("metadata") or {}).get("cellId")
    history = shell.user_ns.get("_ih") or [None]
    return str(cell_id) if cell_id else history[-1]


def _snap(value: float, grid: list[float]) -> float:
    """The grid value nearest ``value`` (a slider set from anywhere lands on the grid)."""
    return min(grid, key=lambda g: abs(g - value))


class _Explorer(anywidget.AnyWidget):
    """What every explorer shares: the scripts, the state, the website's copy, one per cell.

    Subclasses name their ``CONTROLS`` (traits the reader moves) and compute their
    results in ``compute``. Running a cell that makes an explorer again closes the
    explorer that cell made before, so memory stays flat however often it is run.
    """

    _esm = traitlets.Unicode(_esm()).tag(sync=True)
    _css = traitlets.Unicode(_asset("explorers.css")).tag(sync=True)
    kind = traitlets.Unicode().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)

    CONTROLS: ClassVar[tuple[str, ...]] = ()
    _live: ClassVar[dict[str, _Explorer]] = {}

    def __init__(self, **traits: Any) -> None:
        key = _cell_key()
        if key is not None:
            previous = _Explorer._live.pop(key, None)
            if previous is not None:
                previous.close()
            _Explorer._live[key] = self
        super().__init__(**traits)
        self._update()
        self.observe(lambda _change: self._update(), names=list(self.CONTROLS))

    def close(self) -> None:
        """Close the explorer and its layout (a widget of its own), as a re-run cell does."""
        self.layout.close()
        super().close()

    def controls(self) -> dict[str, Any]:
        """The controls' current values."""
        return {name: getattr(self, name) for name in self.CONTROLS}

    def compute(self) -> dict[str, Any]:
        """The results for the current controls (the traits the browser draws)."""
        raise NotImplementedError

    def _update(self) -> None:
        with self.hold_sync():
            for name, value in self.compute().items():
                setattr(self, name, value)

    def web_config(self) -> dict[str, Any]:
        """The configuration the website's copy needs (everything it computes from)."""
        return dict(self.config)

    def state(self) -> dict[str, Any]:
        """The explorer as the website's page holds it: kind, configuration, controls, results."""
        return {
            "kind": self.kind,
            "config": self.web_config(),
            **self.controls(),
            **self.compute(),
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.controls().items())})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle, metadata = super()._repr_mimebundle_(**kwargs) or ({}, {})
        state = json.dumps(self.state(), allow_nan=False).replace("</", "<\\/")
        bundle["text/html"] = (
            f'<div class="d2l-explorer" data-kind="{html.escape(self.kind)}">'
            f'<script type="application/json" class="d2l-explorer-state">{state}</script>'
            '<p class="d2l-explorer-fallback">This explorer runs in the browser: open it on '
            "the book's website, or run the notebook.</p></div>"
        )
        return bundle, metadata


class WeightsExplorer(_Explorer):
    """The weights ``(1-γ)γ^t`` a leaky average gives the past, with window and half-life."""

    gamma = traitlets.Float(0.9).tag(sync=True)
    weights: traitlets.List[float] = traitlets.List().tag(sync=True)
    window = traitlets.Float(allow_none=True).tag(sync=True)
    half_life = traitlets.Float(allow_none=True).tag(sync=True)
    CONTROLS = ("gamma",)

    @validated(gamma=Real(0, 0.999))
    def __init__(self, gamma: float = 0.9) -> None:
        config = {
            "gamma_grid": GAMMA_GRID,
            "min_lags": 40,
            "max_lags": MAX_LAGS,
            "color": STYLES["adagrad"].color,
            "marker_styles": {
                name: {"color": STYLES[name].color, "dash": STYLES[name].dasharray}
                for name in ("window", "half_life")
            },
        }
        super().__init__(kind="weights", config=config, gamma=_snap(gamma, GAMMA_GRID))

    @traitlets.validate("gamma")
    def _on_the_grid(self, proposal: Any) -> float:
        return _snap(float(proposal["value"]), GAMMA_GRID)

    def compute(self) -> dict[str, Any]:
        window, half = effective_window(self.gamma), half_life(self.gamma)
        return {
            "weights": leaky_weights(self.gamma, MAX_LAGS).tolist(),
            "window": None if math.isinf(window) else window,
            "half_life": None if math.isinf(half) else half,
        }


#: Short prompts beside the trajectory explorer, each leading to one of the section's points.
PROMPTS = [
    {
        "id": "section",
        "title": "The section's run",
        "text": "η = 0.4, γ = 0.9, 20 steps from (−5, −2): RMSProp ends at x1 = −0.010599, "
        "x2 = 0.000000, the numbers printed above, and the best of the four.",
        "set": {"eta": 0.4, "gamma": 0.9, "steps": 20, "start": [-5.0, -2.0]},
    },
    {
        "id": "adagrad",
        "title": "Adagrad stalls",
        "text": "With the same η = 0.4, Adagrad's sum of squared gradients only grows, so its "
        "steps shrink like 1/√t and it is still far from the minimum after 20 steps; "
        "RMSProp's leaky average forgets, and its steps keep their size.",
        "set": {"eta": 0.4, "gamma": 0.9, "steps": 20},
    },
    {
        "id": "sgd-diverges",
        "title": "A step too large for SGD",
        "text": "SGD multiplies x2 by 1 − 4η at each step: past η = 0.5 that factor exceeds 1 in "
        "size and the run diverges. RMSProp's normalised steps stay bounded.",
        "set": {"eta": 0.56, "gamma": 0.9, "steps": 30},
    },
    {
        "id": "gamma-one",
        "title": "γ close to 1",
        "text": "Move γ towards 0.999: the average starts at zero and needs about 1/(1 − γ) "
        "steps to fill, so the first steps are up to 1/√(1 − γ) times too large and "
        "RMSProp overshoots before it settles (exercise 1).",
        "set": {"eta": 0.4, "gamma": 0.999, "steps": 40},
    },
    {
        "id": "climb-back",
        "title": "Why RMSProp climbs back at 100 steps",
        "text": "Near the minimum the gradients, and so s, shrink; the effective rate "
        "η/√(s + ε) then grows by about 1/√γ per step. A gradient step along x2 (curvature "
        "4) is stable only for rates below 2/4 = 0.5: once RMSProp's rate passes it, around "
        "step 25, the leftover error in x2 grows again and f climbs back to about 0.1.",
        "set": {"eta": 0.4, "gamma": 0.9, "steps": 100},
    },
]


class TrajectoryExplorer(_Explorer):
    """SGD, momentum, Adagrad and RMSProp on f(x) = 0.1 x1² + 2 x2², side by side."""

    eta = traitlets.Float(0.4).tag(sync=True)
    gamma = traitlets.Float(0.9).tag(sync=True)
    steps = traitlets.Int(20).tag(sync=True)
    start = traitlets.List([-5.0, -2.0]).tag(sync=True)
    paths = traitlets.Dict().tag(sync=True)
    CONTROLS = ("eta", "gamma", "steps", "start")
    MAX_STEPS = 100
    START_BOUNDS: ClassVar[dict[str, list[float]]] = {"x1": [-10.0, 10.0], "x2": [-8.0, 8.0]}

    @validated(
        eta=Real(ETA_GRID[0], ETA_GRID[-1]),
        gamma=Real(0, 1),
        steps=Integer(1, MAX_STEPS),
    )
    def __init__(self, eta: float = 0.4, gamma: float = 0.9, steps: int = 20) -> None:
        a, b = COEFFICIENTS
        config = {
            "methods": list(METHODS),
            "labels": {m: LABELS[m] for m in METHODS},
            "styles": {
                m: {"color": STYLES[m].color, "dash": STYLES[m].dasharray} for m in METHODS
            },
            "objective": {"a": a, "b": b},
            "eps": rules.EPS,
            "momentum_beta": rules.MOMENTUM_BETA,
            "divergence_bound": DIVERGENCE_BOUND,
            "eta_grid": ETA_GRID,
            "gamma_grid": GAMMA_GRID,
            "max_steps": self.MAX_STEPS,
            "contour_levels": [0.5, 2, 5, 10, 20],
            "start_bounds": self.START_BOUNDS,
            "default_view": {"x1": [-6.0, 6.0], "x2": [-4.0, 4.0]},
            "prompts": PROMPTS,
        }
        super().__init__(
            kind="trajectory",
            config=config,
            eta=_snap(eta, ETA_GRID),
            gamma=_snap(gamma, GAMMA_GRID),
            steps=steps,
        )

    @traitlets.validate("eta")
    def _eta_on_the_grid(self, proposal: Any) -> float:
        return _snap(float(proposal["value"]), ETA_GRID)

    @traitlets.validate("gamma")
    def _gamma_on_the_grid(self, proposal: Any) -> float:
        return _snap(float(proposal["value"]), GAMMA_GRID)

    @traitlets.validate("steps")
    def _steps_in_range(self, proposal: Any) -> int:
        return min(max(int(proposal["value"]), 1), self.MAX_STEPS)

    @traitlets.validate("start")
    def _start_in_bounds(self, proposal: Any) -> list[float]:
        point = []
        for value, (low, high) in zip(proposal["value"], self.START_BOUNDS.values(), strict=True):
            number = float(value)
            point.append(min(max(number if math.isfinite(number) else 0.0, low), high))
        return point

    def compute(self) -> dict[str, Any]:
        start = (self.start[0], self.start[1])
        return {"paths": {m: path_2d(m, self.eta, self.gamma, self.steps, start) for m in METHODS}}


class TrainingExplorer(_Explorer):
    """Retrain the airfoil regression with the reader's η and γ; the book's run for reference.

    ``trainer_fn``, ``init_states``, ``data_iter`` and ``feature_dim`` are those of
    the chapter's ``train_ch11`` call. Every run starts from the same seed, so the
    same initial weights and the same minibatch order: only η and γ differ. Each
    edition subclasses this with its ``edition`` (the module whose ``train_ch11``
    and ``init_linreg`` it uses).
    """

    eta = traitlets.Float(0.01).tag(sync=True)
    gamma = traitlets.Float(0.9).tag(sync=True)
    epochs_at: traitlets.List[float] = traitlets.List().tag(sync=True)
    curve: traitlets.List[float] = traitlets.List().tag(sync=True)
    diverged = traitlets.Unicode(allow_none=True).tag(sync=True)
    CONTROLS = ("eta", "gamma")
    edition: ClassVar[Any] = None
    EPOCHS = 2

    @validated(
        trainer_fn=Function("(params, states, hyperparams) -> None"),
        init_states=Function("feature_dim -> states"),
        data_iter=InstanceOf(ArrayLoader, "the iterator of d2l.get_data_ch11 or d2l.load_array"),
        feature_dim=Integer(low=1),
        eta=Real(TRAINING_ETA_GRID[0], TRAINING_ETA_GRID[-1]),
        gamma=Real(0, 1),
        seed=Integer(0, 2**32 - 1),
    )
    def __init__(
        self,
        trainer_fn: Any,
        init_states: Any,
        data_iter: Any,
        feature_dim: int,
        eta: float = 0.01,
        gamma: float = 0.9,
        seed: int = 0,
    ) -> None:
        self._run = (trainer_fn, init_states, data_iter, feature_dim, seed)
        self._start = self._starting_weights()
        try:  # the first run tells whether trainer_fn and init_states work together
            book = self._train(0.01, 0.9)
        except (TypeError, ValueError) as error:
            raise type(error)(
                f"trainer_fn could not train from init_states(feature_dim): {error}"
            ) from None
        top = max(book["curve"]) if book["curve"] else 1.0
        config = {
            "eta_grid": TRAINING_ETA_GRID,
            "gamma_grid": GAMMA_GRID,
            "epochs": self.EPOCHS,
            "batch_size": data_iter.batch_size,
            "eval_every": EVAL_EVERY,
            "eps": rules.EPS,
            "book": {"eta": 0.01, "gamma": 0.9, **book},
            "y_range": [0.2, max(0.6, 1.2 * top)],
            "color": STYLES["rmsprop"].color,
            "labels": {"x": "epoch", "y": "loss"},
        }
        super().__init__(
            kind="training",
            config=config,
            eta=_snap(eta, TRAINING_ETA_GRID),
            gamma=_snap(gamma, GAMMA_GRID),
        )

    @traitlets.validate("eta")
    def _eta_on_the_grid(self, proposal: Any) -> float:
        return _snap(float(proposal["value"]), TRAINING_ETA_GRID)

    @traitlets.validate("gamma")
    def _gamma_on_the_grid(self, proposal: Any) -> float:
        return _snap(float(proposal["value"]), GAMMA_GRID)

    def _train(self, eta: float, gamma: float) -> dict[str, Any]:
        trainer_fn, init_states, data_iter, feature_dim, seed = self._run
        set_seed(seed)
        points = eval_points(data_iter.num_examples, data_iter.batch_size, self.EPOCHS)
        positions = [p / len(data_iter) for p in points]
        try:
            _, curve = self.edition.train_ch11(
                trainer_fn,
                init_states(feature_dim),
                {"lr": eta, "gamma": gamma},
                data_iter,
                feature_dim,
                self.EPOCHS,
                show=False,
            )
        except DivergenceError as error:
            curve = list(error.trajectory)
            return {"epochs_at": positions[: len(curve)], "curve": curve, "diverged": str(error)}
        w0, b0 = self._start
        X, y = data_iter.host
        start_loss = float(((X @ w0 + b0 - y) ** 2 / 2).mean())
        note = divergence_note(start_loss, curve[-1])
        return {"epochs_at": positions, "curve": curve, "diverged": note}

    def _starting_weights(self) -> tuple[Any, float]:
        """The weights ``train_ch11`` starts from after the seed, as NumPy values."""
        _, _, _, feature_dim, seed = self._run
        set_seed(seed)
        w, b = self.edition.init_linreg(feature_dim)
        return self.edition.numpy(w).ravel().astype(float), float(self.edition.numpy(b).ravel()[0])

    def compute(self) -> dict[str, Any]:
        book = self.config["book"]
        if (self.eta, self.gamma) == (book["eta"], book["gamma"]):
            return {k: book[k] for k in ("epochs_at", "curve", "diverged")}
        return self._train(self.eta, self.gamma)

    def web_config(self) -> dict[str, Any]:
        """Everything the browser retrains from: the data, the start, the minibatch order."""
        _, _, data_iter, _, seed = self._run
        w0, b0 = self._start
        set_seed(seed)  # the orders train_ch11 draws, epoch by epoch, after the seed
        orders = [data_iter.epoch_order().tolist() for _ in range(self.EPOCHS)]
        X, y = data_iter.host
        data = {"X": X.astype(float).tolist(), "y": y.astype(float).tolist()}
        return {**self.config, "data": data, "w0": w0.tolist(), "b0": b0, "orders": orders}
