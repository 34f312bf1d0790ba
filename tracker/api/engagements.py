from decimal import Decimal

import sqlalchemy as sa
from flask_login import current_user

from tracker import clock, results_cache
from tracker.access import MANAGERS, roles, signed_in
from tracker.api.core import Param, api_bp, list_response, load, operation, paging, query_values
from tracker.api.schema import Date, Dec, Int, ListOf, Schema, Str
from tracker.billing.queries import income_invoiced
from tracker.cache_scope import Scope
from tracker.days.figures import shared_figures_for
from tracker.engagements import services
from tracker.engagements.models import Engagement, EngagementKind, EngagementMember, EngagementStatus
from tracker.engagements.services import DESCRIPTION_MAX, NOTE_MAX, PURCHASE_ORDER_MAX, TITLE_MAX
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.page_cache import cached_json
from tracker.read_only import read_only
from tracker.staff.models import StaffMember

EngagementSchema = Schema("Engagement", {
    "id": Int(read_only=True),
    "client_id": Int(required=True, minimum=1),
    "title": Str(required=True, min_length=1, max_length=TITLE_MAX),
    "kind": Str(enum=[k.value for k in EngagementKind], default=EngagementKind.SUPPORT_PACKAGE.value),
    "status": Str(enum=[s.value for s in EngagementStatus],
                  description="New engagements are proposed; PATCH moves them along proposed → approved → active → closed."),
    "day_rate": Dec(2, minimum=0, nullable=True, description="Copied from the current default rate when omitted."),
    "estimated_days_low": Dec(2, minimum=0, default=Decimal("0")),
    "estimated_days_high": Dec(2, minimum=0, default=Decimal("0")),
    "start_date": Date(required=True),
    "end_date": Date(nullable=True, default=None),
    "purchase_order": Str(max_length=PURCHASE_ORDER_MAX, default=""),
    "vat_rate": Dec(2, minimum=0, maximum=1, nullable=True, default=Decimal("0.20"),
                    description="\"0.20\" standard; null = outside the scope of VAT (give vat_note)."),
    "vat_note": Str(max_length=NOTE_MAX, default=""),
    "approval_reference": Str(max_length=NOTE_MAX, default=""),
    "description": Str(max_length=DESCRIPTION_MAX, default=""),
    "staff_ids": ListOf(Int(minimum=1), write_only=True, description="The team: staff ids."),
    "team": ListOf(Int(), read_only=True, description="Staff ids on the team."),
    "days_delivered": Dec(2, read_only=True, description="Delivered and invoiced days."),
    "days_planned": Dec(2, read_only=True),
    "income_delivered": Dec(2, read_only=True, description="Billable delivered days × day rate."),
    "income_invoiced": Dec(2, read_only=True, description="Net on issued invoices less credit notes."),
})

FILTERS = [
    Param("client_id", Int(minimum=1), "Only this client's engagements."),
    Param("status", Str(enum=[s.value for s in EngagementStatus]), "Only engagements in this status."),
    Param("kind", Str(enum=[k.value for k in EngagementKind]), "Only this kind."),
]


def dump_engagements(engagements: list[Engagement]) -> list[dict]:
    """Engagements with their teams, days and income: three queries for the lot,
    the two aggregates served again while no data has changed (results_cache)."""
    ids = tuple(e.id for e in engagements)
    figures = shared_figures_for(db.session, engagements)
    invoiced = results_cache.cached(db.session, "engagement-invoiced", ids,  # invoices and credits, not days
                                    lambda: income_invoiced(db.session, list(ids)), scope=Scope.of_engagements([]))
    teams: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        rows = db.session.execute(sa.select(EngagementMember.engagement_id, EngagementMember.staff_id)
                                  .join(StaffMember, StaffMember.id == EngagementMember.staff_id)
                                  .where(EngagementMember.engagement_id.in_(ids))
                                  .order_by(EngagementMember.engagement_id, StaffMember.name))  # as Engagement.members
        for engagement_id, staff_id in rows:
            teams[engagement_id].append(staff_id)
    return [
        EngagementSchema.dump(
            e, team=teams[e.id], days_delivered=figures[e.id].days_delivered,
            days_planned=figures[e.id].days_planned, income_delivered=figures[e.id].income_delivered,
            income_invoiced=invoiced[e.id],
        )
        for e in engagements
    ]


def dump_engagement(engagement: Engagement) -> dict:
    return dump_engagements([engagement])[0]


def _input(data: dict, base: Engagement | None = None) -> services.EngagementInput:
    fields = services.EngagementInput.__dataclass_fields__
    merged = {k: getattr(base, k) for k in fields if k != "staff_ids"} if base else {}
    if base is not None:
        merged["day_rate"] = base.day_rate
    merged |= {k: v for k, v in data.items() if k in fields}
    if "day_rate" in data and data["day_rate"] is None:
        merged["day_rate"] = None if base is None else base.day_rate
    return services.EngagementInput(**merged)


@read_only
@signed_in
@api_bp.get("/engagements")
@operation("List engagements (a client user sees only their own)", tags=["engagements"], list_of=EngagementSchema, query=FILTERS)
def list_engagements():
    page, per_page = paging()
    filters = query_values(FILTERS)

    def build() -> dict:
        result = services.list_engagements(db.session, current_user, page, per_page, **filters, by_id=True)
        return {**list_response(EngagementSchema, result), "items": dump_engagements(result.items)}

    return cached_json(build, scope=lambda body: Scope.of_engagements(item["id"] for item in body["items"]))


@roles(*MANAGERS)
@api_bp.post("/engagements")
@operation("Set up an engagement (status proposed)", tags=["engagements"], request=EngagementSchema, response=EngagementSchema, status=201)
def create_engagement():
    data = load(EngagementSchema)
    if "status" in data and data["status"] != EngagementStatus.PROPOSED.value:
        raise ValidationFailed("New engagements start as proposed.", {"status": "must be proposed (or omitted) on create"})
    engagement = services.create_engagement(db.session, current_user, _input(data), clock.today())
    return dump_engagement(engagement), 201


@signed_in
@api_bp.get("/engagements/<int:engagement_id>")
@operation("One engagement", tags=["engagements"], response=EngagementSchema)
def get_engagement(engagement_id: int):
    return dump_engagement(services.get_engagement(db.session, current_user, engagement_id))


@roles(*MANAGERS)
@api_bp.patch("/engagements/<int:engagement_id>")
@operation("Change an engagement or move its status", tags=["engagements"], request=EngagementSchema, partial=True, response=EngagementSchema)
def update_engagement(engagement_id: int):
    engagement = services.get_engagement(db.session, current_user, engagement_id)
    data = load(EngagementSchema, partial=True)
    status = data.pop("status", None)
    if data:
        services.update_engagement(db.session, current_user, engagement, _input(data, engagement), clock.today())
    if status is not None:
        services.change_status(db.session, current_user, engagement, status)
    return dump_engagement(engagement)


