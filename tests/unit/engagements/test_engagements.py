from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, engagement
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.engagements import services
from tracker.engagements.models import EngagementStatusChange
from tracker.errors import InvalidTransition, Locked, NotFound, ValidationFailed
from tracker.settings import services as settings


def _input(world, **kw):
    base = {"client_id": world.client_a.id, "title": "New package", "start_date": date(2026, 9, 1),
                "estimated_days_low": Decimal("20"), "estimated_days_high": Decimal("30")}
    return services.EngagementInput(**(base | kw))


def test_day_rate_is_copied_from_the_rate_in_force_and_keeps_its_history(session, world):
    e1 = services.create_engagement(session, SystemActor("test"), _input(world), TODAY)
    assert e1.day_rate == Decimal("500.00")
    settings.set_value(session, "day_rate", "550", date(2026, 10, 1), SystemActor("test"), "Board minute 42")
    e2 = services.create_engagement(session, SystemActor("test"), _input(world, start_date=date(2026, 11, 1)), TODAY)
    e3 = services.create_engagement(session, SystemActor("test"), _input(world, start_date=date(2026, 9, 1)), TODAY)
    assert e2.day_rate == Decimal("550.00")
    assert e3.day_rate == Decimal("500.00")  # the rate in force at its start
    session.refresh(e1)
    assert e1.day_rate == Decimal("500.00")  # a new rate never rewrites old engagements


def test_estimate_band_in_pounds_matches_the_seed_figures(session, world):
    e = services.create_engagement(session, SystemActor("test"), _input(world), TODAY)
    assert (e.estimate_low_value, e.estimate_high_value) == (Decimal("10000.00"), Decimal("15000.00"))


def test_validation_names_every_bad_field_and_saves_nothing(session, world):
    before = session.scalar(sa.select(sa.func.count()).select_from(services.Engagement))
    with pytest.raises(ValidationFailed) as err:
        services.create_engagement(session, SystemActor("test"), services.EngagementInput(
            client_id=world.lead.id, title="", start_date=date(2026, 9, 1), end_date=date(2026, 8, 1),
            estimated_days_low="30", estimated_days_high="20", vat_rate="2.5", day_rate="abc"), TODAY)
    assert set(err.value.fields) >= {"client_id", "title", "end_date", "estimated_days_high", "vat_rate", "day_rate"}
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(services.Engagement)) == before


def test_outside_scope_of_vat_needs_a_reason(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.create_engagement(session, SystemActor("test"), _input(world, vat_rate=None), TODAY)
    assert "vat_note" in err.value.fields
    e = services.create_engagement(session, SystemActor("test"), _input(world, vat_rate=None, vat_note="s.33 body"), TODAY)
    assert e.vat_rate is None


def test_status_moves_along_its_path_and_records_who_and_when(session, world):
    e = services.create_engagement(session, SystemActor("test"), _input(world), TODAY)
    manager = world.users["manager"]
    with pytest.raises(InvalidTransition):
        services.change_status(session, manager, e, "active")  # must be approved first
    services.change_status(session, manager, e, "approved", "Executive Board minute 12")
    services.change_status(session, manager, e, "active")
    changes = session.scalars(sa.select(EngagementStatusChange).where(EngagementStatusChange.engagement_id == e.id)
                              .order_by(EngagementStatusChange.id)).all()
    assert [c.to_status for c in changes] == ["proposed", "approved", "active"]
    assert changes[1].changed_by_id == manager.id and changes[1].note == "Executive Board minute 12"
    audit_rows = session.scalars(sa.select(AuditLog).where(
        AuditLog.entity == "engagement", AuditLog.entity_id == str(e.id), AuditLog.action == "status")).all()
    assert [r.after["status"] for r in audit_rows] == ["approved", "active"]


def test_the_day_rate_is_fixed_once_invoiced(session, world):
    e = world.engagement_a
    e.rate_locked_at = datetime(2026, 10, 1, tzinfo=UTC)
    session.commit()
    data = _input(world, title=e.title, day_rate="600")
    with pytest.raises(Locked):
        services.update_engagement(session, SystemActor("test"), e, data, TODAY)
    session.rollback()
    services.update_engagement(session, SystemActor("test"), e, _input(world, title="Renamed", day_rate="500.00"), TODAY)
    assert e.title == "Renamed"


def test_update_is_audited_with_team_changes(session, world):
    e = world.engagement_a
    services.update_engagement(session, world.users["manager"], e, _input(
        world, title=e.title, start_date=e.start_date, end_date=e.end_date,
        staff_ids=[world.staff["s1"].id, world.staff["s2"].id]), TODAY)
    row = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "engagement", AuditLog.action == "update")).one()
    assert row.after["staff_ids"] == sorted([world.staff["s1"].id, world.staff["s2"].id])
    assert services.member_ids(session, e.id) == sorted([world.staff["s1"].id, world.staff["s2"].id])


def test_client_users_reach_only_their_authoritys_engagements(session, world):
    client = world.users["client"]
    ids = [e.id for e in session.scalars(services.filtered_engagements(client))]
    assert ids == [world.engagement_a.id]
    with pytest.raises(NotFound):
        services.get_engagement(session, client, world.engagement_b.id)
    assert services.get_engagement(session, world.users["consultant"], world.engagement_b.id) is world.engagement_b


def test_filters(session, world):
    engagement(session, world.client_a, "Closed one", status="closed")
    manager = world.users["manager"]
    titles = {e.title for e in session.scalars(services.filtered_engagements(manager, status="closed"))}
    assert titles == {"Closed one"}
    titles = {e.title for e in session.scalars(services.filtered_engagements(manager, client_id=world.client_b.id))}
    assert titles == {"B support package"}
