"""A small stopwatch that keeps every interval it measured (the book's ``Timer``)."""

from __future__ import annotations

import time


class Timer:
    """Record several running times; starts on creation."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        """Start (or restart) the stopwatch."""
        self._tik = time.perf_counter()

    def stop(self) -> float:
        """Stop the stopwatch, record the interval and return it in seconds."""
        self.times.append(time.perf_counter() - self._tik)
        return self.times[-1]

    def avg(self) -> float:
        """Mean of the recorded intervals (the book's minibatch-SGD section prints it)."""
        return sum(self.times) / len(self.times) if self.times else 0.0

    def sum(self) -> float:
        """Total of the recorded intervals."""
        return sum(self.times)

    def cumsum(self) -> list[float]:
        """Running totals of the recorded intervals."""
        totals, running = [], 0.0
        for t in self.times:
            running += t
            totals.append(running)
        return totals
