"""Round summaries against figures worked out by hand.

Baseline (1 Jul 2026), three groups; the Board scored six standards:

    code   Board  Exec  Team   n  sum  mean  min max
    1.1      2     3     4     3   9   3.00   2   4   (spread 2: they disagree)
    1.2      1     2     2     3   5   1.67   1   2
    1.3      2     1     2     3   5   1.67   1   2
    1.4      -     2     3     2   5   2.50   2   3
    2.1      3     3     2     3   8   2.67   2   3
    2.2      -     2     3     2   5   2.50   2   3
    2.3      1     2     1     3   4   1.33   1   2
    2.4      -     1     2     2   3   1.50   1   2
    3.1      -     2     3     2   5   2.50   2   3
    3.2      2     3     2     3   7   2.33   2   3
    3.3      -     1     1     2   2   1.00   1   1
    3.4      -     2     1     2   3   1.50   1   2

Sections pool every score: 1 → 24/11 = 2.1818 → 2.18; 2 → 20/10 = 2.00;
3 → 17/9 = 1.888 → 1.89; n = 3 groups each; min 1 and max 4, 3, 3.
Lowest: 3.3 (1.00), 2.3 (1.33), then 2.4 and 3.4 tied at 1.50 → four suggested.

6-month review (10 Jan 2027), two groups, recorded *before* the baseline so
that "previous" must follow the dates, not the ids:

    1.1: 3, 4 → 3.50 (+0.50)   1.3: 3, 2 → 2.50 (+0.83)
    2.1: 3, 3 → 3.00 (+0.33)   2.2: 3, 3 → 3.00 (+0.50)
    2.3: 3, 2 → 2.50 (+1.17)   2.4: 2, 2 → 2.00 (+0.50)

Section 2 holds 8 scores summing 21 → 2.625, which rounds half-up to 2.63
(banker's rounding would give 2.62); change 2.63 − 2.00 = 0.63. Section 1:
12/4 = 3.00, change 3.00 − 2.18 = 0.82. Section 3: nothing scored.
"""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import sap_response, sap_round
from tracker.assessments.summary import chart_series, section_means_by_round, summarise
from tracker.extensions import db

D = Decimal


@pytest.fixture
def rounds(session, world):
    e = world.engagement_a
    later = sap_round(session, e, "6-month review", date(2027, 1, 10))
    sap_response(session, later, "Trust Executive", {"1.1": 3, "1.3": 3, "2.1": 3, "2.2": 3, "2.3": 3, "2.4": 2})
    sap_response(session, later, "Commissioning team", {"1.1": 4, "1.3": 2, "2.1": 3, "2.2": 3, "2.3": 2, "2.4": 2})
    base = sap_round(session, e, "Baseline", date(2026, 7, 1))
    sap_response(session, base, "Children's Trust Board", {"1.1": 2, "1.2": 1, "1.3": 2, "2.1": 3, "2.3": 1, "3.2": 2})
    sap_response(session, base, "Trust Executive", {"1.1": 3, "1.2": 2, "1.3": 1, "1.4": 2, "2.1": 3, "2.2": 2,
                                                     "2.3": 2, "2.4": 1, "3.1": 2, "3.2": 3, "3.3": 1, "3.4": 2})
    sap_response(session, base, "Commissioning team", {"1.1": 4, "1.2": 2, "1.3": 2, "1.4": 3, "2.1": 2, "2.2": 3,
                                                        "2.3": 1, "2.4": 2, "3.1": 3, "3.2": 2, "3.3": 1, "3.4": 1})
    return base, later


BASELINE = {  # code: (n, mean, min, max)
    "1.1": (3, "3.00", 2, 4), "1.2": (3, "1.67", 1, 2), "1.3": (3, "1.67", 1, 2), "1.4": (2, "2.50", 2, 3),
    "2.1": (3, "2.67", 2, 3), "2.2": (2, "2.50", 2, 3), "2.3": (3, "1.33", 1, 2), "2.4": (2, "1.50", 1, 2),
    "3.1": (2, "2.50", 2, 3), "3.2": (3, "2.33", 2, 3), "3.3": (2, "1.00", 1, 1), "3.4": (2, "1.50", 1, 2),
}


def test_baseline_figures_per_standard(session, rounds):
    summary = summarise(session, rounds[0])
    got = {s.code: (s.figures.n, str(s.figures.mean), s.figures.lowest, s.figures.highest) for s in summary.standards}
    assert got == BASELINE
    assert summary.previous is None
    assert all(s.change is None for s in summary.standards)


def test_baseline_figures_per_section_pool_every_score(session, rounds):
    sections = summarise(session, rounds[0]).sections
    assert [(s.number, s.figures.count, s.figures.n, s.figures.mean, s.figures.lowest, s.figures.highest)
            for s in sections] == [(1, 11, 3, D("2.18"), 1, 4), (2, 10, 3, D("2.00"), 1, 3), (3, 9, 3, D("1.89"), 1, 3)]


def test_the_spread_shows_where_groups_disagree(session, rounds):
    by_code = {s.code: s for s in summarise(session, rounds[0]).standards}
    assert by_code["1.1"].by_group == {"Children's Trust Board": 2, "Trust Executive": 3, "Commissioning team": 4}
    assert by_code["1.1"].figures.spread == 2 and by_code["1.1"].figures.disagreement
    assert by_code["3.3"].figures.spread == 0 and not by_code["3.3"].figures.disagreement
    assert "Children's Trust Board" not in by_code["3.3"].by_group


def test_the_lowest_standards_are_suggested_as_key_areas_with_ties(session, rounds):
    assert [s.code for s in summarise(session, rounds[0]).suggested] == ["3.3", "2.3", "2.4", "3.4"]
    assert [s.code for s in summarise(session, rounds[1]).suggested] == ["2.4", "1.3", "2.3"]


def test_change_since_the_previous_round_by_date(session, rounds):
    summary = summarise(session, rounds[1])
    assert summary.previous.label == "Baseline"
    changes = {s.code: (s.figures.mean, s.previous_mean, s.change) for s in summary.standards if s.figures.count}
    assert changes == {
        "1.1": (D("3.50"), D("3.00"), D("0.50")), "1.3": (D("2.50"), D("1.67"), D("0.83")),
        "2.1": (D("3.00"), D("2.67"), D("0.33")), "2.2": (D("3.00"), D("2.50"), D("0.50")),
        "2.3": (D("2.50"), D("1.33"), D("1.17")), "2.4": (D("2.00"), D("1.50"), D("0.50")),
    }
    unscored = {s.code: s for s in summary.standards}["1.2"]
    assert unscored.figures.mean is None and unscored.previous_mean == D("1.67") and unscored.change is None


def test_section_means_round_half_up_and_change(session, rounds):
    sections = {s.number: s for s in summarise(session, rounds[1]).sections}
    assert (sections[2].figures.count, sections[2].figures.total) == (8, 21)
    assert sections[2].figures.mean == D("2.63")  # 2.625, half-up
    assert sections[2].change == D("0.63")
    assert sections[1].figures.mean == D("3.00") and sections[1].change == D("0.82")
    assert sections[3].figures.mean is None and sections[3].figures.n == 0 and sections[3].change is None


def test_chart_series_and_progress_follow_the_dates(session, rounds):
    base, later = rounds
    assert [s.label for s in chart_series(session, later)] == ["Baseline", "6-month review"]
    assert [s.label for s in chart_series(session, base)] == ["Baseline"]
    progress = section_means_by_round(session, base.engagement_id)
    assert [(r.label, {n: f.mean for n, f in figures.items()}) for r, figures in progress] == [
        ("Baseline", {1: D("2.18"), 2: D("2.00"), 3: D("1.89")}),
        ("6-month review", {1: D("3.00"), 2: D("2.63")}),
    ]



def test_progress_figures_of_every_round_in_one_statement(session, world, rounds):
    """The progress report's section figures are each round's own summary (n, count,
    total, lowest, highest), another engagement's scores stay out, a round with no
    scores has none, and more rounds cost no more statements."""
    other = sap_round(session, world.engagement_b, "Baseline", date(2026, 7, 1))
    sap_response(session, other, "Board", {"1.1": 1, "2.1": 1, "3.1": 1})
    engagement_id = world.engagement_a.id

    def figures_and_statements():
        statements = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().startswith("SELECT"):  # not a transaction's BEGIN
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            return section_means_by_round(session, engagement_id), statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)

    progress, before = figures_and_statements()
    for assessment, figures in progress:
        assert figures == {s.number: s.figures for s in summarise(session, assessment).sections if s.figures.count}
    sap_round(session, world.engagement_a, "12-month review", date(2027, 7, 1))
    progress, after = figures_and_statements()
    assert [(r.label, figures) for r, figures in progress][-1] == ("12-month review", {})
    assert len(after) == len(before) == 2, after  # the rounds, then the figures of all of them
