"""The seed documents' world: Halton Borough Council (lead, rated Outstanding)
selling commissioning support to Cheshire West and Chester, Wirral and Medway.

Dates are relative to ``today`` so the demo always shows a live picture.
Every record goes through the same services the pages use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import DEMO, Role
from tracker.auth import services as auth
from tracker.auth.models import User
from tracker.authorities import services as authorities
from tracker.authorities.models import Authority
from tracker.billing.demo import build
from tracker.dates import add_months
from tracker.days import services as days
from tracker.demo.sap import build_sap
from tracker.engagements import services as engagements
from tracker.settings import services as settings
from tracker.settings.models import Setting
from tracker.staff import services as staff

ACTOR = DEMO


@dataclass
class DemoWorld:
    today: date
    password: str
    lead: Authority | None = None
    clients: dict[str, Authority] = field(default_factory=dict)
    staff: dict[str, object] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    engagements: dict[str, object] = field(default_factory=dict)

    def logins(self) -> list[tuple[str, str, str]]:
        return [(u.email, u.role.value, u.display_name) for u in self.users.values()]


def is_empty(session: Session) -> bool:
    return not session.scalar(sa.select(sa.func.count()).select_from(Authority))


def build_world(session: Session, today: date, password: str) -> DemoWorld:
    world = DemoWorld(today=today, password=password)
    settings.ensure_defaults(session)
    _sign_in_settings(session)
    _authorities(session, world)
    _staff(session, world)
    _users(session, world)
    _engagements(session, world)
    _days(session, world)
    build_sap(session, world)
    _billing(session, world)
    return world


def _sign_in_settings(session: Session) -> None:
    """The demo's printed logins work with a password alone: MFA is not required here
    (production's default requires it for admin and finance)."""
    session.add(Setting(key="mfa_required_roles", value="", effective_from=date(2011, 12, 15),
                        note="Demo: not required so that the printed logins work; set admin, finance for real use."))
    session.commit()


def _authorities(session: Session, world: DemoWorld) -> None:
    A = authorities.AuthorityInput
    world.lead = authorities.create_authority(session, ACTOR, A(
        name="Halton Borough Council", kind="council", is_lead=True,
        address="Municipal Building\nKingsway\nWidnes\nWA8 7QF",
        vat_number="GB999999973", finance_contact="Income Team, Financial Management",
        finance_email="income.team@halton.example.org",
    ))
    for key, data in {
        "cwac": A(name="Cheshire West and Chester Council", kind="council",
                  address="HQ, 58 Nicholas Street\nChester\nCH1 2NP",
                  finance_contact="Accounts Payable", finance_email="accounts.payable@cwac.example.org"),
        "wirral": A(name="Wirral Council", kind="council",
                    address="Wallasey Town Hall\nBrighton Street\nWallasey\nCH44 8ED",
                    finance_contact="Creditor Payments", finance_email="creditors@wirral.example.org"),
        "medway": A(name="Medway Council", kind="council",
                    address="Gun Wharf\nDock Road\nChatham\nME4 4TR",
                    finance_contact="Accounts Payable", finance_email="ap@medway.example.org"),
        "knowsley": A(name="Knowsley Metropolitan Borough Council", kind="council",
                      address="Municipal Buildings\nArcher Way\nHuyton\nL36 9YU"),
    }.items():
        world.clients[key] = authorities.create_authority(session, ACTOR, data)


def _staff(session: Session, world: DemoWorld) -> None:
    S = staff.StaffInput
    for key, data in {
        "od": S(name="Ann McIntyre", job_title="Operational Director, Children's Organisation and Provision",
                email="ann.mcintyre@halton.example.org", team="Leadership", monthly_capacity_days=Decimal("18"),
                external_cap_share=Decimal("0.10")),
        "dm": S(name="Helen Ashworth", job_title="Divisional Manager, Commissioning",
                email="helen.ashworth@halton.example.org", team="Leadership", monthly_capacity_days=Decimal("18"),
                external_cap_share=Decimal("0.20")),
        "c1": S(name="Mark Dobson", job_title="Commissioner (CSP-qualified trainer)",
                email="mark.dobson@halton.example.org", team="Children's Commissioning", monthly_capacity_days=Decimal("18"),
                external_cap_share=Decimal("0.20")),
        "c2": S(name="Priya Shah", job_title="Commissioner",
                email="priya.shah@halton.example.org", team="Children's Commissioning", monthly_capacity_days=Decimal("15"),
                external_cap_share=Decimal("0.20")),
        "c3": S(name="Tom Reilly", job_title="Commissioner",
                email="tom.reilly@halton.example.org", team="Children's Commissioning", monthly_capacity_days=Decimal("18"),
                external_cap_share=Decimal("0.15")),
    }.items():
        world.staff[key] = staff.create_staff(session, ACTOR, data)


def _users(session: Session, world: DemoWorld) -> None:
    pw = world.password
    people = [
        ("admin", "admin@halton.example.org", Role.ADMIN, "Demo Administrator", None, None),
        ("manager", "helen.ashworth@halton.example.org", Role.MANAGER, "Helen Ashworth", None, "dm"),
        ("director", "ann.mcintyre@halton.example.org", Role.MANAGER, "Ann McIntyre", None, "od"),
        ("consultant", "mark.dobson@halton.example.org", Role.CONSULTANT, "Mark Dobson", None, "c1"),
        ("consultant2", "priya.shah@halton.example.org", Role.CONSULTANT, "Priya Shah", None, "c2"),
        ("finance", "finance@halton.example.org", Role.FINANCE, "Income Officer", None, None),
        ("client", "commissioning@cwac.example.org", Role.CLIENT, "CWAC Commissioning Lead", "cwac", None),
        ("client_wirral", "trust@wirral.example.org", Role.CLIENT, "Wirral Children's Trust", "wirral", None),
    ]
    for key, email, role, name, client, staff_key in people:
        world.users[key] = auth.create_user(
            session, ACTOR, email, pw, role, name=name,
            authority_id=world.clients[client].id if client else None,
            staff_id=world.staff[staff_key].id if staff_key else None,
        )


def _engagements(session: Session, world: DemoWorld) -> None:
    E = engagements.EngagementInput
    today = world.today
    cwac_start = add_months(today, -5) + timedelta(days=8)
    team = lambda *keys: [world.staff[k].id for k in keys]  # noqa: E731
    plans = {
        "cwac": (E(
            client_id=world.clients["cwac"].id, title="Commissioning support package 2026–27",
            kind="support_package", start_date=cwac_start, end_date=cwac_start + timedelta(days=364),
            estimated_days_low=Decimal("20"), estimated_days_high=Decimal("30"), purchase_order="CWAC-PO-104471",
            approval_reference="Executive Board, 15 December 2011: Commissioning Support for Cheshire West and Chester",
            description="Scoping of current practice, the SAP self-assessment, bespoke commissioning training, "
                        "the four-day commissioning development programme, mentoring and practical tools.",
            staff_ids=team("od", "dm", "c1", "c2"),
        ), ["approved", "active"]),
        "cwac_shared": (E(
            client_id=world.clients["cwac"].id, title="Exploring a shared children's commissioning service",
            kind="shared_service", start_date=cwac_start, end_date=None,
            estimated_days_low=Decimal("0"), estimated_days_high=Decimal("0"), vat_rate=None,
            vat_note="Not charged: joint development between the two authorities.",
            approval_reference="Executive Board, 15 December 2011, recommendation 2.3",
            staff_ids=team("od", "dm"),
        ), ["approved", "active"]),
        "wirral": (E(
            client_id=world.clients["wirral"].id, title="SAP facilitation and deep dives for Wirral Children's Trust",
            kind="support_package", start_date=add_months(today, -3), end_date=add_months(today, -3) + timedelta(days=364),
            estimated_days_low=Decimal("8"), estimated_days_high=Decimal("12"), purchase_order="WIR-7781",
            vat_rate=None, vat_note="Outside the scope of VAT: services between local authorities under s.33 VATA 1994.",
            approval_reference="Operational Director delegated decision",
            staff_ids=team("dm", "c1", "c2"),
        ), ["approved", "active"]),
        "medway": (E(
            client_id=world.clients["medway"].id, title="Trust Board self-analysis session",
            kind="support_package", start_date=today + timedelta(days=21), end_date=today + timedelta(days=120),
            estimated_days_low=Decimal("5"), estimated_days_high=Decimal("8"),
            approval_reference="Awaiting Executive Board",
            staff_ids=team("dm", "c1"),
        ), []),
    }
    for key, (data, statuses) in plans.items():
        engagement = engagements.create_engagement(session, ACTOR, data, today)
        for status in statuses:
            engagements.change_status(session, ACTOR, engagement, status, "Demo world")
        world.engagements[key] = engagement


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _days(session: Session, world: DemoWorld) -> None:
    """About 25 days on the CWAC package (scoping, the SAP workshop, the
    four-day programme for two trainers, mentoring, tools, action planning),
    a lighter Wirral package, shared-service exploration, and planned days."""

    today = world.today
    booked: dict[tuple[int, date], Decimal] = {}

    def log(engagement_key, staff_key, start, offset_days, amount, activity, notes="", state=None):
        engagement = world.engagements[engagement_key]
        staff_member = world.staff[staff_key]
        on = _weekday_on_or_after(start + timedelta(days=offset_days))
        while booked.get((staff_member.id, on), Decimal(0)) + Decimal(amount) > 1:
            on = _weekday_on_or_after(on + timedelta(days=1))
        if state is None:
            state = "delivered" if on <= today else "planned"
        if state == "delivered" and on > today:
            return
        booked[(staff_member.id, on)] = booked.get((staff_member.id, on), Decimal(0)) + Decimal(amount)
        days.record_support_day(session, ACTOR, days.DayInput(
            engagement_id=engagement.id, staff_id=staff_member.id, worked_on=on, activity=activity,
            days=Decimal(amount), state=state, notes=notes,
        ), today)

    cwac = world.engagements["cwac"].start_date
    # Month 1: scoping of current practice and services (Operational Director and Divisional Manager)
    log("cwac", "od", cwac, 1, "1", "scoping", "Scoping meeting with CWAC lead officers")
    log("cwac", "dm", cwac, 1, "1", "scoping", "Scoping meeting with CWAC lead officers")
    log("cwac", "dm", cwac, 8, "1", "scoping", "Mapping of current commissioning practice")
    # Month 2: the facilitated SAP self-assessment
    log("cwac", "c2", cwac, 27, "0.5", "self_assessment", "Workshop preparation")
    log("cwac", "dm", cwac, 29, "1", "self_assessment", "SAP workshop with the Trust Executive")
    log("cwac", "c1", cwac, 29, "1", "self_assessment", "SAP workshop with the Trust Executive")
    # Month 3: the four-day commissioning development programme, two trainers
    for offset in (56, 57, 63, 64):
        log("cwac", "c1", cwac, offset, "1", "training_programme", "Commissioning development programme")
        log("cwac", "c2", cwac, offset, "1", "training_programme", "Commissioning development programme")
    log("cwac", "c1", cwac, 70, "1", "training", "Bespoke training: outcome-based commissioning")
    # Months 3-5: mentoring, tools and action planning
    for offset in (45, 75, 90, 105, 120, 135):
        log("cwac", "dm", cwac, offset, "0.5", "mentoring", "Mentoring the CWAC commissioning manager")
    for offset in (80, 110, 140, 150):
        log("cwac", "c2", cwac, offset, "0.5", "mentoring", "Mentoring commissioners")
    for offset in (85, 115, 145):
        log("cwac", "c2", cwac, offset, "0.5", "tools", "Sharing needs-analysis and contract templates")
    log("cwac", "dm", cwac, 100, "1", "action_planning", "12-month change plan drafting")
    log("cwac", "c1", cwac, 101, "1", "action_planning", "12-month change plan drafting")
    # This week and the coming weeks: what the consultant sees first
    monday = today - timedelta(days=today.weekday())
    log("cwac", "c1", monday, 0, "0.5", "mentoring", "Mentoring session", state="delivered" if monday <= today else "planned")
    log("cwac", "dm", today, 10, "0.5", "mentoring", "Mentoring (booked)", state="planned")
    log("cwac", "c1", today, 14, "1", "action_planning", "Six-month review of the change plan", state="planned")
    log("cwac", "c2", today, 21, "0.5", "tools", "Market-position statement template", state="planned")

    # This month's load, for the capacity review: Priya Shah is over her 20% cap
    # (red), Mark Dobson past 80% of it (amber).
    first = today.replace(day=1)
    for offset, amount in ((2, "1"), (3, "1"), (9, "1"), (16, "0.5")):
        log("wirral", "c2", first, offset, amount, "mentoring", "Deep dive: children at risk of poor outcomes")
    for offset, amount in ((1, "1"), (8, "1"), (15, "0.5")):
        log("cwac", "c1", first, offset, amount, "training", "Commissioning skills clinic")

    shared = world.engagements["cwac_shared"].start_date
    for offset in (20, 50, 95):
        log("cwac_shared", "od", shared, offset, "0.5", "shared_service", "Options for a shared commissioning service")
    log("cwac_shared", "dm", shared, 96, "0.5", "shared_service", "Shared-service options paper")

    wirral = world.engagements["wirral"].start_date
    log("wirral", "dm", wirral, 12, "1", "self_assessment", "SAP exercise with the Children's Trust Executive")
    log("wirral", "c2", wirral, 12, "1", "self_assessment", "SAP exercise with the Children's Trust Executive")
    for offset in (30, 45, 60):
        log("wirral", "c2", wirral, offset, "0.5", "mentoring", "Deep dive support: early intervention")
    log("wirral", "dm", today, 16, "1", "action_planning", "Deep-dive findings workshop", state="planned")
    log("wirral", "c2", today, 16, "1", "action_planning", "Deep-dive findings workshop", state="planned")


def _billing(session: Session, world: DemoWorld) -> None:
    """Invoices for the CWAC package's first months (paid, one credited), an
    overdue one, and a Wirral invoice outside the scope of VAT (after days exist)."""

    build(session, world, ACTOR)
