from decimal import Decimal

from flask_login import current_user

from tracker.access import MANAGERS, roles
from tracker.addresses import EMAIL_MAX
from tracker.api.core import api_bp, list_response, load, operation, paging
from tracker.api.schema import Bool, Dec, Int, Schema, Str
from tracker.extensions import db
from tracker.staff import services
from tracker.staff.models import StaffMember
from tracker.staff.services import JOB_TITLE_MAX, NAME_MAX

StaffSchema = Schema("StaffMember", {
    "id": Int(read_only=True),
    "name": Str(required=True, min_length=1, max_length=NAME_MAX),
    "job_title": Str(max_length=JOB_TITLE_MAX, default=""),
    "team": Str(max_length=services.TEAM_MAX, default="", description="The team or service, e.g. \"Early Help\"; \"\" for none."),
    "email": Str(required=True, max_length=EMAIL_MAX),
    "monthly_capacity_days": Dec(2, minimum=0, maximum=31, default=Decimal("18")),
    "external_cap_share": Dec(2, minimum=0, maximum=1, default=Decimal("0.20"),
                              description="Share of capacity that may go to outside work, e.g. \"0.20\"."),
    "active": Bool(default=True),
})



def _input(data: dict, base: StaffMember | None = None) -> services.StaffInput:
    merged = ({k: getattr(base, k) for k in services.StaffInput.__dataclass_fields__} if base else {}) | data
    return services.StaffInput(**merged)


@roles(*MANAGERS)
@api_bp.get("/staff")
@operation("List the lead authority's staff", tags=["staff"], list_of=StaffSchema)
def list_staff():
    page, per_page = paging()
    return list_response(StaffSchema, services.list_staff(db.session, page, per_page, by_id=True))


@roles(*MANAGERS)
@api_bp.post("/staff")
@operation("Add a staff member", tags=["staff"], request=StaffSchema, response=StaffSchema, status=201)
def create_staff():
    member = services.create_staff(db.session, current_user, _input(load(StaffSchema)))
    return StaffSchema.dump(member), 201


@roles(*MANAGERS)
@api_bp.get("/staff/<int:staff_id>")
@operation("One staff member", tags=["staff"], response=StaffSchema)
def get_staff(staff_id: int):
    return StaffSchema.dump(services.get_staff(db.session, staff_id))


@roles(*MANAGERS)
@api_bp.patch("/staff/<int:staff_id>")
@operation("Change a staff member", tags=["staff"], request=StaffSchema, partial=True, response=StaffSchema)
def update_staff(staff_id: int):
    member = services.get_staff(db.session, staff_id)
    services.update_staff(db.session, current_user, member, _input(load(StaffSchema, partial=True), member))
    return StaffSchema.dump(member)
