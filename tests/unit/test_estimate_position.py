"""One rule and one vocabulary for an engagement's position against its high estimate."""

from decimal import Decimal as D

import pytest

from tracker.days.figures import EngagementFigures
from tracker.estimate_position import FORECAST, Position, estimate_position


@pytest.mark.parametrize(("delivered", "planned", "high", "position", "words"), [
    ("10", "0", "30", Position.WITHIN, "within estimate"),
    ("24", "0", "30", Position.WITHIN, "within estimate"),  # exactly 80% is not past it
    ("24", "0.25", "30", Position.NEAR, "near the high estimate (past 80%)"),
    ("28.25", "0", "30", Position.NEAR, "near the high estimate (past 80%)"),
    ("30", "0", "30", Position.NEAR, "near the high estimate (past 80%)"),  # at the high estimate, not over it
    ("28.25", "2", "30", Position.OVER, "over the high estimate"),
    ("5", "0", "0", Position.NONE, "no estimate set"),
])
def test_position_and_words(delivered, planned, high, position, words):
    p = estimate_position(D(delivered), D(planned), D(high))
    assert (p.position, p.words) == (position, words)


def test_the_sentence_says_what_counted():
    assert estimate_position(D("28.25"), D("2"), D("30")).sentence == (
        "Forecast (delivered + planned) 30.25 of 30 days: over the high estimate")
    assert estimate_position(D("28.25"), D("0"), D("30")).sentence == (
        "Delivered 28.25 of 30 days: near the high estimate (past 80%)")
    assert estimate_position(D("1"), D("1"), D("30")).basis == FORECAST


def test_engagement_figures_use_the_same_rule():
    f = EngagementFigures(D("28.25"), D("2"), D("28.25"), D("14125"), D("20"), D("30"), D("500"))
    assert f.flag == "red" and f.estimate.words == "over the high estimate"
