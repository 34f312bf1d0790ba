"""Build test data through the same services the app uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from tracker.access import SystemActor
from tracker.assessments import framework
from tracker.auth import services as auth
from tracker.authorities import services as authorities
from tracker.engagements import services as engagements
from tracker.settings import services as settings
from tracker.settings.models import Setting
from tracker.staff import services as staff

PASSWORD = "correct horse battery staple"
TODAY = date(2026, 11, 23)
ACTOR = SystemActor("test")


@dataclass
class World:
    lead: object = None
    client_a: object = None
    client_b: object = None
    staff: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    engagement_a: object = None
    engagement_b: object = None
    sap: dict = field(default_factory=dict)  # filled on demand by sap_objects()
    invoices: dict = field(default_factory=dict)  # billing_samples() fills it on demand


def authority(session, name, **kw):
    return authorities.create_authority(session, ACTOR, authorities.AuthorityInput(name=name, **kw))


def staff_member(session, name, email=None, **kw):
    email = email or name.lower().replace(" ", ".") + "@lead.example.org"
    return staff.create_staff(session, ACTOR, staff.StaffInput(name=name, email=email, **kw))


def user(session, email, role, **kw):
    return auth.create_user(session, ACTOR, email, PASSWORD, role, **kw)


def engagement(session, client, title="Support package", status="active", **kw):
    data = engagements.EngagementInput(
        client_id=client.id, title=title, start_date=kw.pop("start_date", date(2026, 6, 1)),
        end_date=kw.pop("end_date", date(2027, 5, 31)),
        estimated_days_low=kw.pop("estimated_days_low", Decimal("20")),
        estimated_days_high=kw.pop("estimated_days_high", Decimal("30")), **kw,
    )
    e = engagements.create_engagement(session, ACTOR, data, TODAY)
    path = {"proposed": [], "approved": ["approved"], "active": ["approved", "active"],
            "closed": ["approved", "active", "closed"]}[status]
    for step in path:
        engagements.change_status(session, ACTOR, e, step)
    return e


def mfa_not_required(session) -> None:
    """The suite's users sign in with passwords alone; MFA tests turn the requirement back on."""
    session.add(Setting(key="mfa_required_roles", value="", effective_from=date(2000, 1, 1),
                        note="tests: MFA not required unless a test says so"))
    session.commit()


def build_world(session) -> World:
    settings.ensure_defaults(session)
    mfa_not_required(session)
    framework.ensure_framework(session)
    w = World()
    w.lead = authority(session, "Lead Borough Council", is_lead=True, address="Town Hall\nLeadtown\nLD1 1AA",
                       vat_number="GB999999973", finance_email="income@lead.example.org")
    w.client_a = authority(session, "Client A Council", address="A House\nAtown\nAA1 1AA", finance_email="ap@a.example.org")
    w.client_b = authority(session, "Client B Council", address="B House\nBtown\nBB1 1BB")
    w.staff["s1"] = staff_member(session, "Sam One", job_title="Commissioner", monthly_capacity_days=Decimal("18"))
    w.staff["s2"] = staff_member(session, "Kim Two", job_title="Divisional Manager", monthly_capacity_days=Decimal("15"))
    w.users["admin"] = user(session, "admin@lead.example.org", "admin", name="Ada Admin")
    w.users["manager"] = user(session, "manager@lead.example.org", "manager", name="Max Manager")
    w.users["consultant"] = user(session, "consultant@lead.example.org", "consultant", name="Sam One",
                                 staff_id=w.staff["s1"].id)
    w.users["finance"] = user(session, "finance@lead.example.org", "finance", name="Fin Officer")
    w.users["client"] = user(session, "user@a.example.org", "client", name="Alex of A", authority_id=w.client_a.id)
    w.users["client_b"] = user(session, "user@b.example.org", "client", name="Bo of B", authority_id=w.client_b.id)
    w.engagement_a = engagement(session, w.client_a, "A support package", staff_ids=[w.staff["s1"].id])
    w.engagement_b = engagement(session, w.client_b, "B support package", staff_ids=[w.staff["s2"].id])
    return w


def day(session, engagement, staff, worked_on, days="1", activity="scoping", state="delivered", actor=ACTOR, **kw):
    from tracker.days import services as days_services

    data = days_services.DayInput(
        engagement_id=engagement.id, staff_id=staff.id, worked_on=worked_on, activity=activity,
        days=Decimal(days), state=state, **kw,
    )
    return days_services.record_support_day(session, actor, data, kw.pop("today", TODAY))


def add_capacity_days(session, w: World) -> World:
    """November 2026 workload for the capacity review; figures worked by hand in
    tests/unit/reports/test_capacity.py."""
    s1, s2 = w.staff["s1"], w.staff["s2"]
    w.staff["s3"] = staff_member(session, "Lee Three", monthly_capacity_days=Decimal("10"),
                                 external_cap_share=Decimal("0.10"))
    a, b = w.engagement_a, w.engagement_b
    day(session, a, s1, date(2026, 10, 30), "1")  # October: not counted
    day(session, a, s1, date(2026, 11, 2), "1")
    day(session, a, s1, date(2026, 11, 3), "1")
    day(session, a, s1, date(2026, 11, 4), "0.5", "mentoring")
    day(session, a, s1, date(2026, 11, 25), "1", "training", state="planned")
    day(session, a, s1, date(2026, 11, 26), "0.25", "tools", state="planned")
    day(session, a, s1, date(2026, 12, 7), "1", "training", state="planned")  # December: forward look
    day(session, b, s2, date(2026, 11, 9), "1")
    day(session, b, s2, date(2026, 11, 10), "1")
    day(session, b, s2, date(2026, 11, 27), "0.5", state="planned")
    return w


def sap_round(session, engagement, label="Baseline", assessed_on=date(2026, 7, 1), key_areas=(), actor=ACTOR):
    from tracker.assessments import services as sap

    return sap.create_assessment(session, actor, engagement, sap.AssessmentInput(label, assessed_on, list(key_areas)))


def sap_response(session, assessment, group, scores, evidence=None, actor=ACTOR):
    from tracker.assessments import services as sap

    return sap.record_response(session, actor, assessment, sap.ResponseInput(group, dict(scores), dict(evidence or {})))


def goal(session, engagement, title="Joint needs assessment refreshed", standard_codes=("1.3",), key_area="", actor=ACTOR):
    from tracker.plans import services as plans

    return plans.create_goal(session, actor, engagement, plans.GoalInput(title, "", list(standard_codes), key_area))


def milestone(session, goal_, title="Data sources agreed", owner="Head of Commissioning", due_on=date(2026, 12, 31),
              status="not_started", evidence="", actor=ACTOR):
    from tracker.plans import services as plans

    return plans.add_milestone(session, actor, goal_, plans.MilestoneInput(title, owner, due_on, status, evidence), TODAY)


def sap_objects(session, world) -> dict:
    """A round with one response, a goal and a milestone on engagement A ("a")
    and on engagement B ("b"); made once per world, on demand."""
    if not world.sap:
        for key, e in (("a", world.engagement_a), ("b", world.engagement_b)):
            a = sap_round(session, e, key_areas=["Early intervention and prevention"])
            r = sap_response(session, a, "Children's Trust Board", {"1.1": 2, "2.1": 3})
            g = goal(session, e, standard_codes=["1.1"])
            m = milestone(session, g)
            world.sap[key] = SimpleNamespace(assessment=a, response=r, goal=g, milestone=m)
    return world.sap


# --- billing ------------------------------------------------------------------------

REMITTANCE = "BACS to Lead Borough Council, sort code 12-34-56, account 12345678. Quote the invoice number."


def remittance(session, text=REMITTANCE):
    """Invoices cannot be issued until the remittance details are set."""
    settings.set_value(session, "remittance_details", text, settings.DAY_RATE_APPROVED_ON, ACTOR)


def weekdays(start, count):
    """The first `count` weekdays from `start` (a person's days, one per date)."""
    from tracker.days.planning import working_dates

    return working_dates(start, count)


def seed_days(session, world):
    """The seed's package: 20 delivered days at £500 = £10,000.00 net for client A.

    Kim Two: 6 training + 4 mentoring days; Sam One: 10 scoping days (September–October 2026).
    """
    s1, s2, e = world.staff["s1"], world.staff["s2"], world.engagement_a
    recorded = []
    for index, worked_on in enumerate(weekdays(date(2026, 9, 1), 10)):
        recorded.append(day(session, e, s1, worked_on, "1", "scoping"))
        recorded.append(day(session, e, s2, worked_on, "1", "training" if index < 6 else "mentoring"))
    return recorded


def draft(session, client, up_to=TODAY, engagement=None, actor=ACTOR, today=TODAY):
    from tracker.billing import services as billing

    return billing.build_invoice(session, actor, client.id, up_to, today, engagement.id if engagement else None)


def issued(session, client, up_to=TODAY, engagement=None, actor=ACTOR, today=TODAY):
    from tracker.billing import services as billing

    remittance(session)
    return billing.issue_invoice(session, actor, draft(session, client, up_to, engagement, actor, today), today)


def billing_samples(session, world) -> dict:
    """An issued invoice for client A (the `client` user's) and one for client B."""
    if not world.invoices:
        day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1", "scoping")
        day(session, world.engagement_b, world.staff["s2"], date(2026, 10, 5), "0.5", "mentoring")
        world.invoices["a"] = issued(session, world.client_a)
        world.invoices["b"] = issued(session, world.client_b)
    return world.invoices


def income_sample(session, world):
    """The seed's 20 days for client A, invoiced to 30 Sep (£10,000 net) and £6,000
    paid on 20 Oct, plus half a mentoring day for client B not yet invoiced."""
    from tracker.billing import services as billing

    seed_days(session, world)
    invoice = issued(session, world.client_a, up_to=date(2026, 9, 30), today=date(2026, 10, 1))
    billing.record_payment(session, ACTOR, invoice, "6000.00", date(2026, 10, 20), "BACS 1", TODAY)
    day(session, world.engagement_b, world.staff["s2"], date(2026, 10, 5), "0.5", "mentoring")
    return world
