"""Where an engagement's days stand against its high estimate, and the words
every page uses for it (engagement page and list, dashboards, income report,
progress report): one rule, one vocabulary.

The position is judged on the forecast — delivered + planned days — so pages
that show it say "forecast (delivered + planned)"; where only delivered days
count they say "delivered".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

NEAR_FROM = Decimal("0.80")  # of the high estimate


class Position(StrEnum):
    NONE = "none"  # no estimate set (e.g. shared-service development)
    WITHIN = "within"
    NEAR = "near"
    OVER = "over"


WORDS = {
    Position.NONE: "no estimate set",
    Position.WITHIN: "within estimate",
    Position.NEAR: "near the high estimate (past 80%)",
    Position.OVER: "over the high estimate",
}
#: The traffic-light colour of each position (badge and bar classes).
COLOURS = {Position.NONE: "none", Position.WITHIN: "green", Position.NEAR: "amber", Position.OVER: "red"}
FORECAST = "forecast (delivered + planned)"
DELIVERED = "delivered"


@dataclass(frozen=True)
class EstimatePosition:
    position: Position
    days: Decimal
    high_days: Decimal
    basis: str  # FORECAST or DELIVERED

    @property
    def words(self) -> str:
        return WORDS[self.position]

    @property
    def colour(self) -> str:
        return COLOURS[self.position]

    @property
    def sentence(self) -> str:
        """e.g. "Forecast (delivered + planned) 28.25 of 30 days: near the high estimate (past 80%)"."""
        if self.position == Position.NONE:
            return WORDS[Position.NONE].capitalize()
        return f"{self.basis.capitalize()} {self.days.normalize():f} of {self.high_days.normalize():f} days: {self.words}"


def estimate_position(delivered_days, planned_days, high_days) -> EstimatePosition:
    """The position of delivered + planned days against the high estimate: over
    it, past 80% of it (near), or within. Planned days of 0 (or None) make the
    basis "delivered"."""
    delivered = Decimal(delivered_days or 0)
    planned = Decimal(planned_days or 0)
    high = Decimal(high_days or 0)
    days = delivered + planned
    basis = FORECAST if planned else DELIVERED
    if high <= 0:
        position = Position.NONE
    elif days > high:
        position = Position.OVER
    elif days > high * NEAR_FROM:
        position = Position.NEAR
    else:
        position = Position.WITHIN
    return EstimatePosition(position, days, high, basis)
