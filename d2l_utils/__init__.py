"""Helpers for the RMSProp chapter, call-compatible with the book's ``d2l`` package.

``import d2l_utils as d2l`` lets the section's code cells run unchanged.
"""

from .agreement import GluonLinreg, LinregRun, ScratchLinreg, lockstep_gaps
from .checks import DivergenceError
from .data import DATA_HUB, DATA_URL, download, get_data_ch11, load_array
from .leaky_average import leaky_running_average
from .mx_optimizers import (
    adagrad,
    adam,
    init_adagrad_states,
    init_adam_states,
    init_momentum_states,
    init_rmsprop_centered_states,
    init_rmsprop_states,
    rmsprop,
    rmsprop_centered,
    sgd,
    sgd_momentum,
)
from .optim2d import show_trace_2d, train_2d
from .optimizers import (
    f_2d,
    f_2d_grad,
    make_trainer_2d,
    rmsprop_update,
    train_adam_2d,
    train_rmsprop_centered_2d,
)
from .plotting import Animator, plot, plt, set_axes, set_figsize, use_svg_display
from .seeding import set_seed
from .timing import Timer
from .training import (
    evaluate_loss,
    linreg,
    squared_loss,
    train_ch11,
    train_concise_ch11,
    train_gluon_ch11,
)
from .web_explorers import show_web, trajectory_explorer_web, weights_explorer_web
from .widgets import TrainingExplorer, TrajectoryExplorer, WeightsExplorer

__all__ = [
    "DATA_HUB",
    "DATA_URL",
    "Animator",
    "DivergenceError",
    "GluonLinreg",
    "LinregRun",
    "ScratchLinreg",
    "Timer",
    "TrainingExplorer",
    "TrajectoryExplorer",
    "WeightsExplorer",
    "adagrad",
    "adam",
    "download",
    "evaluate_loss",
    "f_2d",
    "f_2d_grad",
    "get_data_ch11",
    "init_adagrad_states",
    "init_adam_states",
    "init_momentum_states",
    "init_rmsprop_centered_states",
    "init_rmsprop_states",
    "leaky_running_average",
    "linreg",
    "load_array",
    "lockstep_gaps",
    "make_trainer_2d",
    "plot",
    "plt",
    "rmsprop",
    "rmsprop_centered",
    "rmsprop_update",
    "set_axes",
    "set_figsize",
    "set_seed",
    "sgd",
    "sgd_momentum",
    "show_trace_2d",
    "show_web",
    "squared_loss",
    "train_2d",
    "train_adam_2d",
    "train_ch11",
    "train_concise_ch11",
    "train_gluon_ch11",
    "train_rmsprop_centered_2d",
    "trajectory_explorer_web",
    "use_svg_display",
    "weights_explorer_web",
]
