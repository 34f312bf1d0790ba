"""Income report figures against hand-computed values.

The data set (`income_world`), at £500 a day, VAT 20%:

- client A: the seed's 20 days in September 2026 (Sam One 10 scoping; Kim Two
  6 training + 4 mentoring) = £10,000.00, invoiced on 1 Oct 2026 (gross
  £12,000.00), £6,000.00 paid on 20 Oct; 1 Nov day (Sam, tools) on a draft;
  0.25 day on 3 Nov (Sam, tools) waiting; a non-billable day on 4 Nov; 1 day
  planned on 1 Dec.
- client B: 1.5 days in October (Kim: 5 Oct 0.5 mentoring, 6 Oct 1 scoping) =
  £750.00, invoiced on 2 Nov and wholly credited on 10 Nov (its days are
  waiting again).
"""

from datetime import date
from decimal import Decimal as D

import pytest

from tests.factories import ACTOR, TODAY, day, draft, issued, seed_days
from tracker.billing import services as billing
from tracker.errors import ValidationFailed
from tracker.reports.income.estimates import estimate_bands
from tracker.reports.income.report import financial_year_start, income_report

FY = date(2026, 4, 1)


@pytest.fixture
def income_world(session, world):
    a, b, s1, s2 = world.engagement_a, world.engagement_b, world.staff["s1"], world.staff["s2"]
    seed_days(session, world)
    inv_a = issued(session, world.client_a, up_to=date(2026, 9, 30), today=date(2026, 10, 1))
    billing.record_payment(session, ACTOR, inv_a, "6000.00", date(2026, 10, 20), "BACS 1", TODAY)
    day(session, b, s2, date(2026, 10, 5), "0.5", "mentoring")
    day(session, b, s2, date(2026, 10, 6), "1", "scoping")
    inv_b = issued(session, world.client_b, up_to=date(2026, 10, 31), today=date(2026, 11, 2))
    billing.credit_invoice(session, ACTOR, inv_b, "Wrong purchase order", date(2026, 11, 10))
    day(session, a, s1, date(2026, 11, 2), "1", "tools")
    draft(session, world.client_a, up_to=date(2026, 11, 2))
    day(session, a, s1, date(2026, 11, 3), "0.25", "tools")
    day(session, a, s2, date(2026, 11, 4), "1", "training", billable=False)
    day(session, a, s1, date(2026, 12, 1), "1", "training", state="planned")
    world.invoices.update(a=inv_a, b=inv_b)
    return world


def figures(row):
    return (row.days, row.net_delivered, row.net_invoiced, row.net_paid, row.outstanding, row.wip)


def test_the_financial_year_runs_april_to_march():
    assert financial_year_start(date(2026, 11, 23)) == date(2026, 4, 1)
    assert financial_year_start(date(2027, 3, 31)) == date(2026, 4, 1)
    assert financial_year_start(date(2027, 4, 1)) == date(2027, 4, 1)


def test_seed_package_delivers_ten_thousand_pounds_within_its_band(session, world):
    seed_days(session, world)
    report = income_report(session, FY, TODAY, "client")
    assert [(r.label, r.days, r.net_delivered, r.wip) for r in report.rows] == [
        ("Client A Council", D("20.00"), D("10000.00"), D("10000.00"))]
    band = next(b for b in estimate_bands(session, FY, TODAY) if b.engagement_id == world.engagement_a.id)
    assert (band.low_days, band.high_days, band.low_value, band.high_value) == (
        D("20.00"), D("30.00"), D("10000.00"), D("15000.00"))
    assert (band.delivered_days, band.delivered_value, band.forecast_value, band.position) == (
        D("20.00"), D("10000.00"), D("10000.00"), "within")


def test_by_month_lists_every_month_of_the_period(session, income_world):
    report = income_report(session, FY, TODAY, "month")
    rows = {r.key: r for r in report.rows}
    assert list(rows) == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert rows["2026-04"].label == "April 2026"
    assert figures(rows["2026-04"]) == (0, 0, 0, 0, None, 0)
    # September: 20 days delivered, all on the issued invoice (nothing waiting).
    assert figures(rows["2026-09"]) == (D("20.00"), D("10000.00"), 0, 0, None, 0)
    # October: B's 1.5 days (credited, so waiting again); A's invoice issued; A paid £6,000.
    assert figures(rows["2026-10"]) == (D("1.50"), D("750.00"), D("10000.00"), D("6000.00"), None, D("750.00"))
    # November: 1.25 billable days, 1 of them on a draft; B's invoice and its credit note net to nil.
    assert figures(rows["2026-11"]) == (D("1.25"), D("625.00"), D("0.00"), 0, None, D("125.00"))


def test_totals_are_the_same_whatever_the_grouping(session, income_world):
    expected = (D("22.75"), D("11375.00"), D("10000.00"), D("6000.00"), D("6000.00"), D("875.00"))
    for by in ("month", "client", "engagement", "activity", "staff"):
        report = income_report(session, FY, TODAY, by)
        assert figures(report.totals) == expected, by
        assert sum(r.net_delivered for r in report.rows) == D("11375.00"), by
        assert sum(r.net_invoiced for r in report.rows) == D("10000.00"), by


def test_by_client_attributes_payments_and_balances(session, income_world):
    rows = income_report(session, FY, TODAY, "client").rows
    assert [(r.label, *figures(r)) for r in rows] == [
        # A: gross £12,000 less £6,000 paid = £6,000 owed; the 0.25 day of 3 Nov is waiting (£125).
        ("Client A Council", D("21.25"), D("10625.00"), D("10000.00"), D("6000.00"), D("6000.00"), D("125.00")),
        # B: £750 invoiced and credited in the period; owes nothing; its days wait again.
        ("Client B Council", D("1.50"), D("750.00"), D("0.00"), 0, 0, D("750.00")),
    ]


def test_by_engagement(session, income_world):
    rows = income_report(session, FY, TODAY, "engagement").rows
    assert [r.label for r in rows] == ["A support package (Client A Council)", "B support package (Client B Council)"]
    assert figures(rows[0]) == (D("21.25"), D("10625.00"), D("10000.00"), D("6000.00"), D("6000.00"), D("125.00"))


def test_by_activity_shows_no_payments_per_row(session, income_world):
    rows = income_report(session, FY, TODAY, "activity").rows
    assert [(r.label, *figures(r)) for r in rows] == [
        ("Bespoke commissioning training", D("6.00"), D("3000.00"), D("3000.00"), None, None, 0),
        ("Mentoring", D("4.50"), D("2250.00"), D("2000.00"), None, None, D("250.00")),
        ("Scoping of current practice", D("11.00"), D("5500.00"), D("5000.00"), None, None, D("500.00")),
        ("Sharing practical tools", D("1.25"), D("625.00"), 0, None, None, D("125.00")),
    ]


def test_by_staff(session, income_world):
    rows = income_report(session, FY, TODAY, "staff").rows
    assert [(r.label, *figures(r)) for r in rows] == [
        ("Kim Two", D("11.50"), D("5750.00"), D("5000.00"), None, None, D("750.00")),
        ("Sam One", D("11.25"), D("5625.00"), D("5000.00"), None, None, D("125.00")),
    ]


def test_outstanding_is_as_at_the_end_of_the_period(session, income_world):
    assert income_report(session, FY, date(2026, 10, 15), "client").totals.outstanding == D("12000.00")
    assert income_report(session, FY, date(2026, 10, 31), "client").totals.outstanding == D("6000.00")
    # B's invoice issued 2 Nov, credited 10 Nov: owed £900 in between.
    assert income_report(session, FY, date(2026, 11, 5), "client").totals.outstanding == D("6900.00")


def test_a_one_month_period(session, income_world):
    report = income_report(session, date(2026, 10, 1), date(2026, 10, 31), "month")
    assert [r.key for r in report.rows] == ["2026-10"]
    assert figures(report.totals) == (D("1.50"), D("750.00"), D("10000.00"), D("6000.00"), D("6000.00"), D("750.00"))


def test_one_client_only(session, income_world):
    report = income_report(session, FY, TODAY, "month", client_id=income_world.client_b.id)
    assert figures(report.totals) == (D("1.50"), D("750.00"), D("0.00"), 0, 0, D("750.00"))


def test_chart_stacks_delivered_income_by_client(session, income_world):
    chart = dict(income_report(session, FY, TODAY, "client").chart)
    assert chart[date(2026, 9, 1)] == [("Client A Council", D("10000.00")), ("Client B Council", 0)]
    assert chart[date(2026, 10, 1)] == [("Client A Council", 0), ("Client B Council", D("750.00"))]
    assert len(chart) == 8


def test_estimate_bands_forecast_delivered_plus_planned(session, income_world):
    bands = {b.client_name: b for b in estimate_bands(session, FY, TODAY)}
    a = bands["Client A Council"]
    # 20 + 1 + 0.25 billable delivered (the non-billable day is not income), 1 planned.
    assert (a.delivered_days, a.planned_days, a.forecast_days, a.forecast_value) == (
        D("21.25"), D("1.00"), D("22.25"), D("11125.00"))
    assert a.position == "within"
    assert (bands["Client B Council"].forecast_value, bands["Client B Council"].position) == (D("750.00"), "below")


def test_money_is_decimal_everywhere(session, income_world):
    report = income_report(session, FY, TODAY, "client")
    for row in [*report.rows, report.totals]:
        for value in figures(row):
            assert value is None or isinstance(value, D), (row.label, value)


@pytest.mark.parametrize(("start", "end", "by", "field"), [
    (date(2026, 5, 1), date(2026, 4, 1), "month", "end"),
    (date(2000, 1, 1), date(2026, 4, 1), "month", "end"),
    (FY, TODAY, "weekday", "by"),
])
def test_bad_options_name_the_field(session, world, start, end, by, field):
    with pytest.raises(ValidationFailed) as raised:
        income_report(session, start, end, by)
    assert field in raised.value.fields


def test_agrees_with_the_billing_queries(session, income_world):
    """WIP is what billing's `uninvoiced` would draft; invoiced by engagement is
    billing's `income_invoiced` when the period covers every document."""
    everything = income_report(session, date(2020, 1, 1), date(2027, 12, 31), "engagement")
    waiting = billing.uninvoiced(session, date(2027, 12, 31))
    assert everything.totals.wip == sum(w.net for w in waiting) == D("875.00")
    ids = [income_world.engagement_a.id, income_world.engagement_b.id]
    by_engagement = {r.key: r.net_invoiced for r in everything.rows}
    assert {int(k): v for k, v in by_engagement.items()} == billing.income_invoiced(session, ids)


def test_an_invoice_covering_two_engagements_gets_its_own_row_by_engagement(session, world):
    from tests.factories import engagement

    second = engagement(session, world.client_a, "A second package")
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    day(session, second, world.staff["s1"], date(2026, 10, 2), "0.5")
    invoice = issued(session, world.client_a, up_to=date(2026, 10, 31), today=date(2026, 11, 2))
    billing.record_payment(session, ACTOR, invoice, "300.00", date(2026, 11, 9), "part", TODAY)
    rows = {r.label: r for r in income_report(session, FY, TODAY, "engagement").rows}
    several = rows["Invoices covering several engagements"]
    # gross 1.5 days × £500 × 1.2 = £900; £300 paid
    assert (several.days, several.net_invoiced, several.net_paid, several.outstanding) == (0, 0, D("300.00"), D("600.00"))
    assert rows["A second package (Client A Council)"].net_invoiced == D("250.00")
    assert list(rows)[-1] == "Invoices covering several engagements"
