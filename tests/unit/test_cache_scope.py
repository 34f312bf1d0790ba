"""Kept answers that say what they depend on (tracker/cache_scope.py): kept while the
changes recorded since do not touch them, brought up to date or recomputed when they
do — and, whatever the order of changes, always equal to computing afresh."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import day, engagement
from tracker import cache_scope, results_cache
from tracker.audit import services as audit
from tracker.audit.models import AuditLog
from tracker.cache_scope import ALL_DATA, Scope
from tracker.days import services as days
from tracker.days.figures import figures_for, shared_figures_for
from tracker.reports.capacity.report import capacity_report
from tracker.reports.capacity.view import live_report
from tracker.reports.income import estimates
from tracker.reports.income import report as income

ACTOR = None  # the audit rows' actor does not matter here


def kept_or_computed(session, scope):
    """How many times the answer with this scope was computed, after asking once more."""
    calls = kept_or_computed.calls.setdefault(scope, [])
    results_cache.cached(session, "answer", repr(scope), lambda: calls.append(1), scope=scope)
    return len(calls)


kept_or_computed.calls = {}


@pytest.fixture(autouse=True)
def _fresh_counts():
    kept_or_computed.calls.clear()


def sign_in_row(session, world):
    audit.record(session, world.users["manager"], "auth.sign_in", "user", world.users["manager"].id, None, {"address": "x"})
    session.commit()


def test_what_each_recorded_change_touches(session, world):
    a, s1 = world.engagement_a, world.staff["s1"]
    start = results_cache.data_stamp(session)
    planned = day(session, a, s1, date(2026, 11, 25), "1", "training", state="planned")
    after_create = results_cache.data_stamp(session)
    [created] = cache_scope.changes_between(session, start, after_create)
    assert (created.entity, created.engagements, created.planned_only) == ("support_day", frozenset({a.id}), True)

    # An update's row holds only what changed (here the notes): the day's engagement and state are looked up.
    data = days.DayInput(engagement_id=a.id, staff_id=s1.id, worked_on=planned.worked_on, activity="training",
                         days=Decimal("1"), state="planned", notes="agenda sent")
    days.change_day(session, world.users["manager"], planned, data, date(2026, 11, 23))
    session.commit()
    after_notes = results_cache.data_stamp(session)
    [noted] = cache_scope.changes_between(session, after_create, after_notes)
    assert (noted.action, noted.engagements, noted.planned_only) == ("update", frozenset({a.id}), True)

    delivered = day(session, a, s1, date(2026, 11, 2), "1")
    sign_in_row(session, world)
    moved, signed_in = cache_scope.changes_between(session, after_notes, results_cache.data_stamp(session))
    assert moved.planned_only is False and moved.engagements == frozenset({a.id})
    assert signed_in.touches_no_data and not ALL_DATA.touched_by(signed_in)
    assert delivered.state.value == "delivered"


def test_an_answer_is_kept_while_the_changes_miss_its_scope(session, world, caching):
    a, b, s1 = world.engagement_a, world.engagement_b, world.staff["s1"]
    only_b, delivered_only = Scope.of_engagements([b.id]), Scope(planned_days=False)
    for scope in (only_b, delivered_only, ALL_DATA, None):
        assert kept_or_computed(session, scope) == 1

    sign_in_row(session, world)  # touches no data: only the answer without a scope is recomputed
    assert [kept_or_computed(session, s) for s in (only_b, delivered_only, ALL_DATA, None)] == [1, 1, 1, 2]

    day(session, a, s1, date(2026, 11, 25), "1", "training", state="planned")  # a planned day on A
    assert [kept_or_computed(session, s) for s in (only_b, delivered_only, ALL_DATA, None)] == [1, 1, 2, 3]

    day(session, a, s1, date(2026, 11, 2), "1")  # a delivered day on A
    assert [kept_or_computed(session, s) for s in (only_b, delivered_only, ALL_DATA, None)] == [1, 2, 3, 4]

    day(session, b, s1, date(2026, 11, 3), "1")  # a day on B
    assert kept_or_computed(session, only_b) == 2

    engagement(session, world.client_a, "Anything but a day")  # not a day: touches every scope
    assert [kept_or_computed(session, s) for s in (only_b, delivered_only, ALL_DATA, None)] == [3, 3, 4, 5]


def test_a_change_that_commits_late_below_the_kept_stamp_means_recompute(session, world, caching):
    """Ids 100 and 101, 101 committed first: the kept answer saw 101 only. When 100 lands it
    cannot be read as 'since the stamp', so the answer is recomputed, even for a narrow scope."""
    newest = session.scalar(sa.select(sa.func.max(AuditLog.id)))
    row = {"at": datetime.now(UTC), "actor_label": "test", "action": "auth.sign_in", "entity": "user", "entity_id": "1"}
    session.execute(sa.insert(AuditLog), [{**row, "id": newest + 2}])
    session.commit()
    narrow = Scope.of_engagements([])
    assert kept_or_computed(session, narrow) == 1
    session.execute(sa.insert(AuditLog), [{**row, "id": newest + 1}])  # the late one
    session.commit()
    assert kept_or_computed(session, narrow) == 2
    session.execute(sa.insert(AuditLog), [{**row, "id": newest + 3}])  # an ordinary change after it: kept again
    session.commit()
    assert kept_or_computed(session, narrow) == 2


def test_too_many_changes_since_mean_recompute(session, world, caching, monkeypatch):
    monkeypatch.setattr(cache_scope, "MAX_CHANGES", 2)
    narrow = Scope.of_engagements([])
    assert kept_or_computed(session, narrow) == 1
    for _ in range(3):
        sign_in_row(session, world)
    assert kept_or_computed(session, narrow) == 2


def test_bands_are_brought_up_to_date_for_the_engagements_that_changed(session, world, caching, monkeypatch):
    a, s1 = world.engagement_a, world.staff["s1"]
    period = (date(2026, 4, 1), date(2027, 3, 31))
    day(session, a, s1, date(2026, 10, 1), "1")
    first = estimates.cached_estimate_bands(session, *period)
    asked = []
    real = estimates.estimate_bands
    monkeypatch.setattr(estimates, "estimate_bands", lambda *args, **kw: asked.append(kw.get("only")) or real(*args, **kw))
    day(session, a, s1, date(2026, 11, 25), "0.5", "training", state="planned")
    again = estimates.cached_estimate_bands(session, *period)
    assert asked == [frozenset({a.id})]  # only A's band was recomputed
    assert again == real(session, *period) != first


def _deliver(session, world, the_day):
    data = days.DayInput(engagement_id=the_day.engagement_id, staff_id=the_day.staff_id, worked_on=the_day.worked_on,
                         activity=the_day.activity.value, days=the_day.days, state="delivered", notes=the_day.notes)
    days.change_day(session, world.users["manager"], the_day, data, date(2026, 11, 30))
    session.commit()


def _notes(session, world, the_day, notes):
    data = days.DayInput(engagement_id=the_day.engagement_id, staff_id=the_day.staff_id, worked_on=the_day.worked_on,
                         activity=the_day.activity.value, days=the_day.days, state=the_day.state.value, notes=notes)
    days.change_day(session, world.users["manager"], the_day, data, date(2026, 11, 30))
    session.commit()


def _move_to(session, world, the_day, person):
    data = days.DayInput(engagement_id=the_day.engagement_id, staff_id=person.id, worked_on=the_day.worked_on,
                         activity=the_day.activity.value, days=the_day.days, state=the_day.state.value, notes=the_day.notes)
    days.change_day(session, world.users["manager"], the_day, data, date(2026, 11, 30))
    session.commit()


def test_kept_answers_always_equal_computing_afresh(session, world, caching):
    """A run of every kind of day change, each followed by the cached answers compared with fresh ones."""
    a, b, s1, s2 = world.engagement_a, world.engagement_b, world.staff["s1"], world.staff["s2"]
    period = (date(2026, 4, 1), date(2027, 3, 31))
    on_a = day(session, a, s1, date(2026, 11, 25), "1", "training", state="planned")
    on_b = day(session, b, s2, date(2026, 11, 26), "0.5", "mentoring", state="planned")
    steps = [
        lambda: day(session, a, s1, date(2026, 10, 1), "1"),
        lambda: day(session, b, s2, date(2026, 10, 2), "0.25", "tools", state="planned"),
        lambda: _notes(session, world, on_a, "agenda sent"),
        lambda: _deliver(session, world, on_b),
        lambda: sign_in_row(session, world),
        lambda: _deliver(session, world, on_a),
        lambda: _notes(session, world, on_a, "report written"),
        lambda: days.remove_day(session, world.users["manager"], on_b) or session.commit(),
        lambda: day(session, b, s1, date(2026, 10, 5), "1", "scoping", billable=False),
        lambda: day(session, a, s2, date(2026, 12, 7), "1", "training", state="planned"),  # the forward look
        lambda: _move_to(session, world, on_a, s2),  # another person's row
        lambda: day(session, b, s1, date(2027, 1, 11), "0.5", "mentoring", state="planned"),
    ]
    for step in [lambda: None, *steps]:
        step()
        session.expire_all()
        assert income.cached_income_report(session, *period, "client") == income.income_report(session, *period, "client")
        assert estimates.cached_estimate_bands(session, *period) == estimates.estimate_bands(session, *period)
        assert shared_figures_for(session, [a, b]) == figures_for(session, [a, b])
        kept = live_report(session, date(2026, 11, 1))
        assert kept == capacity_report(session, date(2026, 11, 1)) and len(kept.forward) == 3
