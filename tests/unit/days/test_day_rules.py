"""Each rule of support days, tested against the services directly."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, engagement
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.days import planning, services
from tracker.days.models import DayState, SupportDay
from tracker.errors import Forbidden, Locked, ValidationFailed


def _input(world, **kw):
    values = {"engagement_id": world.engagement_a.id, "staff_id": world.staff["s1"].id,
              "worked_on": date(2026, 11, 2), "activity": "scoping", "days": "0.5"}
    return services.DayInput(**(values | kw))


@pytest.mark.parametrize("amount,ok", [("0.25", True), ("0.5", True), ("0.75", True), ("1", True),
                                       ("0", False), ("-0.25", False), ("1.25", False), ("0.3", False),
                                       ("7.5", False), ("abc", False)])
def test_days_are_quarter_steps_above_zero_and_at_most_one(session, world, amount, ok):
    if ok:
        assert services.record_support_day(session, SystemActor("test"), _input(world, days=amount), TODAY).days == Decimal(amount)
    else:
        with pytest.raises(ValidationFailed) as err:
            services.record_support_day(session, SystemActor("test"), _input(world, days=amount), TODAY)
        assert "days" in err.value.fields


def test_one_day_per_person_per_date_across_engagements_names_the_other_booking(session, world):
    other = engagement(session, world.client_b, "Another package")
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "0.75", "mentoring")
    with pytest.raises(services.DoubleBooked) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=other.id, days="0.5"), TODAY)
    assert err.value.status == 409
    assert "A support package" in err.value.fields["days"] and "0.75" in err.value.fields["days"]
    ok = services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=other.id, days="0.25"), TODAY)
    assert ok.days == Decimal("0.25")
    # another person on the same date is unaffected
    services.record_support_day(session, SystemActor("test"), _input(world, staff_id=world.staff["s2"].id, days="1"), TODAY)


def test_planned_days_count_towards_the_one_day_limit(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 12, 7), "1", "training_programme", state="planned")
    with pytest.raises(services.DoubleBooked):
        day(session, world.engagement_b, world.staff["s1"], date(2026, 12, 7), "0.25", state="planned")


def test_changing_a_day_checks_the_limit_without_counting_itself(session, world):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "0.5")
    services.update_support_day(session, SystemActor("test"), d, services.input_from(d, days="1"), TODAY)
    assert d.days == Decimal("1.00")


def test_delivered_days_need_an_approved_or_active_engagement(session, world):
    proposed = engagement(session, world.client_a, "Proposed", status="proposed")
    closed = engagement(session, world.client_a, "Closed", status="closed")
    with pytest.raises(ValidationFailed) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=proposed.id), TODAY)
    assert "engagement_id" in err.value.fields
    planned = services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=proposed.id,
                                                                       worked_on=date(2026, 12, 1), state="planned"), TODAY)
    assert planned.state == DayState.PLANNED
    with pytest.raises(ValidationFailed) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=closed.id, state="planned"), TODAY)
    assert "closed" in err.value.fields["engagement_id"]


def test_dates_within_the_engagement_and_delivered_not_in_the_future(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, worked_on=date(2026, 5, 31)), TODAY)
    assert "outside the engagement" in err.value.fields["worked_on"]
    with pytest.raises(ValidationFailed) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, worked_on=TODAY + timedelta(days=1)), TODAY)
    assert "future" in err.value.fields["worked_on"]
    future = services.record_support_day(session, SystemActor("test"), _input(world, worked_on=TODAY + timedelta(days=7),
                                                                     state="planned"), TODAY)
    assert future.state == DayState.PLANNED


def test_invoiced_days_cannot_be_changed_or_deleted(session, world):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    d.state = DayState.INVOICED  # as billing would
    session.commit()
    with pytest.raises(Locked) as err:
        services.update_support_day(session, SystemActor("test"), d, services.input_from(d, days="0.5"), TODAY)
    assert err.value.status == 409
    with pytest.raises(Locked):
        services.delete_support_day(session, SystemActor("test"), d)
    assert session.get(SupportDay, d.id).days == Decimal("1.00")


def test_state_cannot_be_set_to_invoiced_directly(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, state="invoiced"), TODAY)
    assert "state" in err.value.fields


def test_shared_service_engagements_are_never_billable(session, world):
    shared = engagement(session, world.client_a, "Shared service", kind="shared_service", vat_rate=None, vat_note="n/a")
    d = services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=shared.id, activity="shared_service"), TODAY)
    assert d.billable is False
    with pytest.raises(ValidationFailed) as err:
        services.record_support_day(session, SystemActor("test"), _input(world, engagement_id=shared.id, billable=True,
                                                             worked_on=date(2026, 11, 3)), TODAY)
    assert "billable" in err.value.fields
    assert services.record_support_day(session, SystemActor("test"), _input(world), TODAY).billable is True


def test_consultants_touch_only_their_own_days(session, world):
    consultant = world.users["consultant"]  # linked to s1
    mine = services.record_support_day(session, consultant, _input(world), TODAY)
    with pytest.raises(Forbidden):
        services.record_support_day(session, consultant, _input(world, staff_id=world.staff["s2"].id), TODAY)
    theirs = day(session, world.engagement_b, world.staff["s2"], date(2026, 11, 2), "0.5")
    with pytest.raises(Forbidden):
        services.delete_support_day(session, consultant, theirs)
    with pytest.raises(Forbidden):
        services.record_support_day(session, world.users["finance"], _input(world, worked_on=date(2026, 11, 5)), TODAY)
    services.delete_support_day(session, consultant, mine)


def test_every_create_change_and_delete_is_audited(session, world):
    manager = world.users["manager"]
    d = services.record_support_day(session, manager, _input(world), TODAY)
    services.update_support_day(session, manager, d, services.input_from(d, days="0.75", notes="Workshop"), TODAY)
    day_id = d.id
    services.delete_support_day(session, manager, d)
    rows = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "support_day", AuditLog.entity_id == str(day_id))
                           .order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[1].before == {"days": "0.50", "notes": ""} and rows[1].after == {"days": "0.75", "notes": "Workshop"}
    assert rows[2].before["days"] == "0.75" and rows[2].after is None
    assert all(r.actor_id == manager.id for r in rows)


def test_the_same_cell_twice_is_a_conflict_not_a_second_row(session, world):
    services.record_support_day(session, SystemActor("test"), _input(world, days="0.25"), TODAY)
    with pytest.raises(services.DuplicateDay):
        services.record_support_day(session, SystemActor("test"), _input(world, days="0.25"), TODAY)


def test_mark_delivered_is_all_or_nothing(session, world):
    past = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 16), "1", state="planned")
    future = day(session, world.engagement_a, world.staff["s1"], date(2026, 12, 16), "1", state="planned")
    with pytest.raises(ValidationFailed) as err:
        planning.mark_delivered(session, SystemActor("test"), [past, future], TODAY)
    assert str(future.id) in err.value.fields
    session.expire_all()
    assert session.get(SupportDay, past.id).state == DayState.PLANNED
    assert planning.mark_delivered(session, SystemActor("test"), [session.get(SupportDay, past.id)], TODAY) == 1
    assert session.get(SupportDay, past.id).state == DayState.DELIVERED


def test_database_refuses_what_the_service_would_refuse(session, world):
    """The CHECK constraints hold even for code that skips the service."""
    bad = SupportDay(engagement_id=world.engagement_a.id, staff_id=world.staff["s1"].id, worked_on=date(2026, 11, 2),
                     activity="scoping", days=Decimal("0.3"), billable=True, state="delivered")
    session.add(bad)
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()
