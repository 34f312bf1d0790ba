import sqlalchemy as sa

from tracker.auth.models import User
from tracker.authorities.models import Authority
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement
from tracker.mail.models import MessageKind, OutboxMessage


def test_users_create_with_a_given_password(runner, session):
    result = runner.invoke(args=["users", "create", "boss@lead.example.org", "--role", "admin", "--password", "a long passphrase"])
    assert result.exit_code == 0, result.output
    assert "Created admin boss@lead.example.org" in result.output
    assert session.scalar(sa.select(User).where(User.email == "boss@lead.example.org")).role == "admin"


def test_users_create_without_a_password_queues_an_invitation(runner, session):
    result = runner.invoke(args=["users", "create", "m@lead.example.org", "--role", "manager"])
    assert result.exit_code == 0 and "Invitation queued" in result.output and "Password: " not in result.output
    message = session.scalars(sa.select(OutboxMessage)).one()
    assert message.kind == MessageKind.INVITATION and message.to_address == "m@lead.example.org"
    assert "/password/reset/" in message.body_text


def test_users_create_refuses_a_client_without_authority(runner, session):
    result = runner.invoke(args=["users", "create", "c@a.example.org", "--role", "client", "--password", "a long passphrase"])
    assert result.exit_code != 0
    assert "authority_id" in result.output


def test_users_create_client_with_authority(runner, session, world):
    result = runner.invoke(args=["users", "create", "c2@a.example.org", "--role", "client",
                                 "--authority-id", str(world.client_a.id), "--password", "a long passphrase"])
    assert result.exit_code == 0, result.output


def test_demo_load_builds_the_seed_world_and_prints_the_admin_login(runner, session):
    result = runner.invoke(args=["demo", "load", "--today", "2026-11-23", "--password", "demo passphrase 1"])
    assert result.exit_code == 0, result.output
    assert "admin@halton.example.org" in result.output and "demo passphrase 1" in result.output
    lead = session.scalar(sa.select(Authority).where(Authority.is_lead.is_(True)))
    assert lead.name == "Halton Borough Council"
    names = set(session.scalars(sa.select(Authority.name)))
    assert {"Cheshire West and Chester Council", "Wirral Council", "Medway Council"} <= names
    cwac = session.scalar(sa.select(Engagement).where(Engagement.title.like("Commissioning support package%")))
    assert cwac.day_rate == 500 and (cwac.estimated_days_low, cwac.estimated_days_high) == (20, 30)
    assert cwac.status == "active"
    from tracker.days.figures import figures_of

    figures = figures_of(session, cwac)
    assert 20 <= figures.days_delivered <= 30 and figures.days_planned > 0  # "about 25 days" in the seed's band
    staff_on_cwac = set(session.scalars(sa.select(SupportDay.staff_id).where(SupportDay.engagement_id == cwac.id)))
    assert len(staff_on_cwac) >= 3
    activities = set(session.scalars(sa.select(SupportDay.activity).where(SupportDay.engagement_id == cwac.id)))
    assert {"scoping", "self_assessment", "training_programme", "mentoring"} <= {a.value for a in activities}
    # The outbox shows what would be sent today (no SMTP_URL): at least the demo's overdue invoice's reminder.
    kinds = set(session.scalars(sa.select(OutboxMessage.kind)))
    assert MessageKind.OVERDUE_REMINDER in kinds and "queued for today" in result.output
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and "already holds data" in again.output and "admin@halton.example.org" in again.output
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code != 0
