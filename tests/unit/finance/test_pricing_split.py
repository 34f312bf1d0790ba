"""tracker/billing/rule.py sums whole-penny rates (multiples of 4 pennies) by day and
groups only the other rates into pricing lines: the pennies, WIP and write-offs must
be exactly those of grouping everything into pricing lines, for any mix of rates,
days and keys, and with days on a live invoice."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from tests.factories import ACTOR, TODAY, day, draft, engagement, issued, staff_member
from tracker.billing import credits, rule
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement

KEYS = {
    "month": {"month": rule.month_number(SupportDay.worked_on)},
    "client": {"client": Engagement.client_id},
    "engagement": {"engagement_id": SupportDay.engagement_id},
    "month and client": {"month": rule.month_number(SupportDay.worked_on), "client": Engagement.client_id},
    "activity": {"activity": SupportDay.activity},
    "staff, engagement and client": {"staff": SupportDay.staff_id, "engagement_id": SupportDay.engagement_id,
                                     "client": Engagement.client_id},
}


def every_line_rounded(keys: dict, *where) -> sa.Select:
    """The rule without the whole-penny short cut: every day grouped into pricing lines."""
    lines = rule.pricing_lines(keys, *where)
    key_columns = [lines.c[name] for name in keys]
    return sa.select(*key_columns, sa.func.sum(lines.c.quarters), sa.func.sum(lines.c.pennies),
                     sa.func.sum(lines.c.wip), sa.func.sum(lines.c.written_off)).group_by(*key_columns)


def as_set(session, stmt) -> set:
    return {tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in session.execute(stmt)}


def test_whole_penny_rates_summed_by_day_equal_pricing_lines(session, world):
    staff = [world.staff["s1"], world.staff["s2"], staff_member(session, "Pat Three")]
    # £500 and £450.04 are whole pennies a quarter day; £333.33, £487.50 and £0.01 are not.
    packages = [world.engagement_a] + [
        engagement(session, client, f"At £{rate}", day_rate=Decimal(rate))
        for client, rate in ((world.client_a, "450.04"), (world.client_b, "333.33"), (world.client_b, "487.50"),
                             (world.client_a, "0.01"))]
    amounts = ["0.25", "0.5", "0.75", "1"]
    activities = ["scoping", "mentoring", "training"]
    n = 0
    for p_index, package in enumerate(packages):
        # A week apart per package: a person's days on one date stay within one day.
        for worked_on in (d + timedelta(weeks=p_index) for d in (date(2026, 9, 1), date(2026, 9, 2), date(2026, 10, 6))):
            for s_index, person in enumerate(staff):
                n += 1
                if n % 5 == 0:
                    continue  # some people not every day
                day(session, package, person, worked_on, amounts[(n + p_index) % 4],
                    activities[(s_index + worked_on.day) % 3])
    # Every state a delivered day can be in: issued (invoiced), issued then credited and written
    # off, credited back to delivered, on a draft (claimed), and on nothing (WIP).
    first = issued(session, world.client_b, up_to=date(2026, 9, 30))
    credits.credit_invoice(session, ACTOR, first, "wrong person", TODAY, line_ids=[first.lines[0].id], write_off=True)
    credits.credit_invoice(session, ACTOR, first, "wrong month", TODAY, line_ids=[first.lines[1].id], write_off=False)
    issued(session, world.client_a, up_to=date(2026, 9, 30))
    draft(session, world.client_a, up_to=date(2026, 10, 31))
    where = (SupportDay.worked_on >= date(2026, 9, 1), SupportDay.worked_on <= date(2026, 11, 30))
    for (name, keys), dates_first in itertools.product(KEYS.items(), (False, True)):
        fast = as_set(session, rule.priced(keys, *where, dates_first=dates_first))
        assert fast == as_set(session, every_line_rounded(keys, *where)), (name, dates_first)
        assert len(fast) > 1, name
        # A filter on the engagement (one client) as well as on the days.
        one_client = (*where, Engagement.client_id == world.client_a.id)
        fast = as_set(session, rule.priced(keys, *one_client, dates_first=dates_first))
        assert fast == as_set(session, every_line_rounded(keys, *one_client)), (name, dates_first)
        assert fast and fast != as_set(session, rule.priced(keys, *where)), name
        # Without WIP (the engagement figures): no WIP at all, every other column the same.
        no_wip = as_set(session, rule.priced(keys, *where, dates_first=dates_first, with_wip=False))
        assert {row[-2] for row in no_wip} == {None}, (name, dates_first)
        assert {row[:-2] + row[-1:] for row in no_wip} == {row[:-2] + row[-1:] for row in as_set(
            session, rule.priced(keys, *where, dates_first=dates_first))}, (name, dates_first)
    # A condition reading the day and the engagement together cannot be split between the
    # day sums and the engagement join: the rule prices such a query by pricing lines.
    mixed = sa.or_(SupportDay.worked_on >= date(2026, 10, 1), Engagement.client_id == world.client_b.id)
    for name, keys in KEYS.items():
        fast = as_set(session, rule.priced(keys, *where, mixed))
        assert fast == as_set(session, every_line_rounded(keys, *where, mixed)), name
        assert fast != as_set(session, rule.priced(keys, *where)), name
    total = session.execute(rule.priced({"client": Engagement.client_id}, *where)).all()
    assert 0 < sum(r.wip for r in total) < sum(r.pennies for r in total)  # claimed days are not WIP
    assert sum(r.written_off for r in total) > 0
