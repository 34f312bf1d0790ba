from datetime import date

from flask import request
from flask_login import current_user

from tracker import clock
from tracker.access import DELIVERERS, LEAD_STAFF, roles
from tracker.api.core import BadRequest, Param, api_bp, list_response, load, operation, paging, query_values
from tracker.api.schema import Bool, Date, Dec, Int, Schema, Str
from tracker.cache_scope import Scope
from tracker.dates import parse_month
from tracker.days import importer, services
from tracker.days.models import Activity, DayState
from tracker.days.services import NOTES_MAX
from tracker.engagements.services import check_engagement_visible, get_engagement
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.page_cache import cached_json
from tracker.read_only import read_only

DaySchema = Schema("SupportDay", {
    "id": Int(read_only=True),
    "engagement_id": Int(read_only=True),
    "staff_id": Int(required=True, minimum=1),
    "worked_on": Date(required=True),
    "activity": Str(required=True, enum=[a.value for a in Activity]),
    "days": Dec(2, required=True, minimum=0, maximum=1, description="Quarter days: \"0.25\" to \"1.00\"."),
    "billable": Bool(nullable=True, description="Omit for the engagement's default; shared-service work is never billable."),
    "state": Str(enum=[s.value for s in DayState], default=DayState.DELIVERED.value,
                 description="planned or delivered on input; invoiced is set by invoicing."),
    "goal_id": Int(nullable=True, minimum=1, description="The action-plan goal the day served."),
    "notes": Str(max_length=NOTES_MAX, default=""),
    "written_off": Bool(read_only=True, description="Credited and written off: stays invoiced, never billable again."),
})

ImportResult = Schema("DayImportResult", {"imported": Int(read_only=True)})

FILTERS = [
    Param("staff_id", Int(minimum=1), "Only this person's days."),
    Param("activity", Str(enum=[a.value for a in Activity])),
    Param("state", Str(enum=[s.value for s in DayState])),
    Param("month", Str(max_length=7), "YYYY-MM"),
]


def _today() -> date:
    return clock.today()


def _input(engagement_id: int, data: dict) -> services.DayInput:
    extra = {"goal_id": data["goal_id"]} if "goal_id" in data else {}
    return services.DayInput(
        engagement_id=engagement_id, staff_id=data["staff_id"], worked_on=data["worked_on"],
        activity=data["activity"], days=data["days"], billable=data.get("billable"),
        state=data.get("state", DayState.DELIVERED.value), notes=data.get("notes", ""), extra=extra,
    )


@read_only
@roles(*LEAD_STAFF)
@api_bp.get("/engagements/<int:engagement_id>/days")
@operation("An engagement's support days (consultants see their own)", tags=["days"], list_of=DaySchema, query=FILTERS)
def list_days(engagement_id: int):
    check_engagement_visible(db.session, current_user, engagement_id)
    page, per_page = paging()
    q = query_values(FILTERS)
    try:
        month = parse_month(q.get("month"))
    except ValidationFailed as error:
        raise ValidationFailed("Some query parameters are not valid.", error.fields) from None
    filters = services.DayFilters(staff_id=q.get("staff_id"), activity=q.get("activity"), state=q.get("state"), month=month)
    return cached_json(lambda: list_response(
        DaySchema, services.list_days(db.session, current_user, engagement_id, filters, page, per_page)),
        scope=Scope.of_engagements([engagement_id]))


@roles(*DELIVERERS)
@api_bp.post("/engagements/<int:engagement_id>/days")
@operation("Record a support day", tags=["days"], request=DaySchema, response=DaySchema, status=201)
def create_day(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    data = load(DaySchema)
    day = services.record_support_day(db.session, current_user, _input(engagement.id, data), _today())
    return DaySchema.dump(day), 201


def _visible_day(day_id: int):
    return services.get_day(db.session, current_user, day_id)  # 404 outside the days rule


@roles(*LEAD_STAFF)
@api_bp.get("/days/<int:day_id>")
@operation("One support day", tags=["days"], response=DaySchema)
def get_day(day_id: int):
    return DaySchema.dump(_visible_day(day_id))


@roles(*DELIVERERS)
@api_bp.patch("/days/<int:day_id>")
@operation("Change a support day (409 once invoiced or on a draft invoice)", tags=["days"],
           request=DaySchema, partial=True, response=DaySchema)
def update_day(day_id: int):
    day = _visible_day(day_id)
    data = load(DaySchema, partial=True)
    extra = {"extra": {"goal_id": data.pop("goal_id")}} if "goal_id" in data else {}
    changes = {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}
    services.update_support_day(db.session, current_user, day, services.input_from(day, **changes, **extra), _today())
    return DaySchema.dump(day)


@roles(*DELIVERERS)
@api_bp.delete("/days/<int:day_id>")
@operation("Delete a support day (409 once invoiced or on a draft invoice)", tags=["days"], status=204)
def delete_day(day_id: int):
    services.delete_support_day(db.session, current_user, _visible_day(day_id))
    return "", 204


@roles(*DELIVERERS)
@api_bp.post("/days/import")
@operation("Import days from CSV or XLSX: all rows or none; 422 lists every bad row", tags=["days"],
           upload=True, response=ImportResult, status=201,
           description="Columns: engagement_id, staff_email, worked_on, activity, days, billable, notes. "
                       "A 422 carries error.rows = [{row, fields}].")
def import_days():
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("Send the file as multipart/form-data in a field called file.", {"file": "is required"})
    count = importer.import_file(db.session, current_user, upload.filename or "", upload.read(), _today())
    return ImportResult.dump({"imported": count}), 201
