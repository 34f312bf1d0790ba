"""One pricing rule (docs/finance.md): the same days give the same pounds on the
engagement page, in every income grouping, the progress report, uninvoiced
work and the invoice, with odd rates (£333.33, £487.50) and quarter days."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import ACTOR, TODAY, day, draft, engagement, issued, remittance
from tracker.billing import services as billing
from tracker.billing.pricing import line_key
from tracker.days.figures import figures_of
from tracker.money import line_net
from tracker.reports.income.report import GROUPINGS, income_report
from tracker.reports.progress.report import activity_rows

START, END = date(2026, 9, 1), date(2026, 11, 30)


@pytest.fixture
def odd(session, world):
    s1, s2 = world.staff["s1"], world.staff["s2"]
    thirds = engagement(session, world.client_a, "Thirds", day_rate=Decimal("333.33"), staff_ids=[s1.id, s2.id])
    halves = engagement(session, world.client_a, "Halves", day_rate=Decimal("487.50"), staff_ids=[s1.id, s2.id])
    recorded = [
        # Four quarter days at £333.33: one day, £333.33 (not 4 × £83.33 = £333.32).
        *(day(session, thirds, s1, date(2026, 9, d), "0.25", "scoping") for d in (1, 2, 3, 4)),
        day(session, thirds, s2, date(2026, 9, 1), "0.75", "training"),
        day(session, thirds, s2, date(2026, 10, 1), "0.5", "training"),
        day(session, thirds, s1, date(2026, 10, 1), "0.25", "mentoring"),
        *(day(session, halves, s2, date(2026, 10, d), "0.25", "tools") for d in (5, 6, 7)),
        day(session, halves, s1, date(2026, 11, 2), "0.75", "scoping"),
        day(session, world.engagement_b, world.staff["s2"], date(2026, 11, 3), "0.25", "mentoring"),
    ]
    return thirds, halves, recorded


def expected(days, engagements) -> dict[int, Decimal]:
    """Per engagement: the sum over pricing lines of days × rate, half-up once per line."""
    rates = {e.id: e.day_rate for e in engagements}
    lines: dict[tuple, Decimal] = {}
    for d in days:
        if d.engagement_id in rates:
            lines[line_key(d)] = lines.get(line_key(d), Decimal("0")) + d.days
    out: dict[int, Decimal] = {}
    for key, total in lines.items():
        out[key[0]] = out.get(key[0], Decimal("0.00")) + line_net(total, rates[key[0]])
    return out


def test_four_quarter_days_at_333_33_are_333_33_everywhere(session, world, odd):
    thirds, halves, recorded = odd
    want = expected(recorded, [thirds, halves])
    assert want[thirds.id] == Decimal("333.33") + line_net(Decimal("0.75"), thirds.day_rate) \
        + line_net(Decimal("0.5"), thirds.day_rate) + line_net(Decimal("0.25"), thirds.day_rate)
    assert want[halves.id] == Decimal("365.63") + Decimal("365.63")  # 0.75 × £487.50 = £365.625, twice
    total_a = want[thirds.id] + want[halves.id]

    # The engagement page's figure.
    assert figures_of(session, thirds).income_delivered == want[thirds.id]
    assert figures_of(session, halves).income_delivered == want[halves.id]
    # The progress report's rows add up to it.
    assert sum((r.income_delivered for r in activity_rows(session, thirds)), Decimal("0")) == want[thirds.id]
    # Uninvoiced work.
    waiting = {w.engagement.id: w.net for c in billing.uninvoiced(session, TODAY) for w in c.engagements}
    assert waiting[thirds.id] == want[thirds.id] and waiting[halves.id] == want[halves.id]
    # Every grouping of the income report: same total, rows add up.
    b_net = line_net(Decimal("0.25"), world.engagement_b.day_rate)
    for by in GROUPINGS:
        report = income_report(session, START, END, by)
        assert report.totals.net_delivered == total_a + b_net, by
        assert sum((r.net_delivered for r in report.rows), Decimal("0")) == total_a + b_net, by
        assert report.totals.wip == report.totals.net_delivered, by
    by_engagement = {r.key: r.net_delivered for r in income_report(session, START, END, "engagement").rows}
    assert by_engagement[str(thirds.id)] == want[thirds.id]

    # The invoice: one line per pricing line, nets equal to the figures above.
    invoice = draft(session, world.client_a)
    assert invoice.net == total_a
    per_engagement: dict[int, Decimal] = {}
    for line in invoice.lines:
        assert line.net == line_net(line.days, line.rate)
        assert (line.first_day.year, line.first_day.month) == (line.last_day.year, line.last_day.month)
        per_engagement[line.engagement_id] = per_engagement.get(line.engagement_id, Decimal("0")) + line.net
    assert per_engagement == want
    remittance(session)
    billing.issue_invoice(session, ACTOR, invoice, TODAY)
    for by in GROUPINGS:
        report = income_report(session, START, END, by)
        assert report.totals.wip == b_net, by
        assert report.totals.net_delivered == total_a + b_net, by
    report = income_report(session, START, END, "engagement")
    rows = {r.key: r for r in report.rows}
    for e in (thirds, halves):
        assert rows[str(e.id)].net_invoiced == rows[str(e.id)].net_delivered == want[e.id]
    assert figures_of(session, thirds).income_delivered == want[thirds.id]


def test_a_line_split_over_months_is_priced_per_month(session, world):
    """Days of one person and activity in two months are two lines on the
    invoice and two pricing lines in every report."""
    e = engagement(session, world.client_a, "Thirds", day_rate=Decimal("333.33"), staff_ids=[world.staff["s1"].id])
    day(session, e, world.staff["s1"], date(2026, 9, 30), "0.25")
    day(session, e, world.staff["s1"], date(2026, 10, 1), "0.25")
    invoice = issued(session, world.client_a)
    assert [line.net for line in invoice.lines] == [Decimal("83.33"), Decimal("83.33")]
    report = income_report(session, START, END, "month")
    assert [r.net_delivered for r in report.rows if r.net_delivered] == [Decimal("83.33"), Decimal("83.33")]
    assert report.totals.net_invoiced == invoice.net == figures_of(session, e).income_delivered
