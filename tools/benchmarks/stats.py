"""Medians, spreads, the goals' verdicts and a word on how noisy the machine was."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

#: A spread (max - min) above this fraction of the median marks a figure as noisy.
NOISY_SPREAD = 0.25


def median(samples: Sequence[float]) -> float:
    """The median of ``samples`` (at least one)."""
    return statistics.median(samples)


def spread(samples: Sequence[float]) -> float:
    """``(max - min) / median``: 0 for a steady measurement, 0.25 means ±12 % around it."""
    middle = median(samples)
    return (max(samples) - min(samples)) / middle if middle else 0.0


def paired_ratio(ours: Sequence[float], reference: Sequence[float]) -> float:
    """The median of ``ours[i] / reference[i]``, the two calls of round ``i`` run back to back.

    A change of the machine's load between rounds moves both calls of a round
    alike, so the ratio of a pair is steadier than the ratio of two medians.
    """
    return median([a / b for a, b in zip(ours, reference, strict=True)])


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile (nearest rank: the smallest sample with 95 % at or below it)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def describe(samples: Sequence[float], unit: str = "s", digits: int = 3) -> str:
    """``median ± spread`` of ``samples``, e.g. ``0.190 s (spread 8 %, n=5)``."""
    text = f"{median(samples):.{digits}f} {unit}"
    if len(samples) > 1:
        text += f" (spread {100 * spread(samples):.0f} %, n={len(samples)})"
    return text


def machine_load() -> str:
    """The load average against the number of cores, e.g. ``load 1.2 on 2 cores``."""
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5-min {five:.1f}) on {os.cpu_count()} cores"


def noise_verdict(spreads: Sequence[float], load_before: float) -> str:
    """One line on how far the figures of this run can be trusted."""
    worst = max(spreads, default=0.0)
    cores = os.cpu_count() or 1
    busy = load_before > 0.5 * cores
    if worst <= NOISY_SPREAD and not busy:
        return f"quiet run: every figure within {100 * worst:.0f} % of its median"
    reasons = []
    if worst > NOISY_SPREAD:
        reasons.append(f"the widest spread is {100 * worst:.0f} % of its median")
    if busy:
        reasons.append(f"the machine was busy before the run (load {load_before:.1f})")
    return "NOISY run: " + " and ".join(reasons) + "; repeat on a quiet machine"


@dataclass(frozen=True)
class Goal:
    """One figure of the issue's goals against its target; ``ok`` is None when not measured."""

    number: int
    name: str
    measured: str
    target: str
    ok: bool | None

    def line(self) -> str:
        verdict = {True: "PASS", False: "FAIL", None: "----"}[self.ok]
        return f"  {verdict}  {self.name}: {self.measured} (target {self.target})"


def at_most(
    number: int, name: str, value: float, limit: float, unit: str, digits: int = 0
) -> Goal:
    """The goal ``value <= limit``, both shown in ``unit`` (e.g. " ms", "x")."""
    return Goal(number, name, f"{value:.{digits}f}{unit}", f"<= {limit:g}{unit}", value <= limit)
