"""The book's colours and line styles: one palette, one look per curve, everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PALETTE", "Style"]

#: Okabe-Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")


@dataclass(frozen=True)
class Style:
    """A line's colour and dash pattern (on/off lengths in line widths; empty: solid)."""

    color: str
    dash: tuple[float, ...] = ()

    @property
    def linestyle(self) -> Any:
        """The dash pattern as matplotlib takes it."""
        return "-" if not self.dash else (0, self.dash)

    @property
    def dasharray(self) -> str:
        """The dash pattern as SVG's ``stroke-dasharray`` takes it (for a 2 px line)."""
        return " ".join(f"{2 * d:g}" for d in self.dash)

    def web(self) -> dict[str, str]:
        """The style as the browser's explorers draw it."""
        return {"color": self.color, "dash": self.dasharray}
