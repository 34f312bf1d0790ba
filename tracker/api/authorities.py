from flask_login import current_user

from tracker.access import FINANCE_ROLES, roles, signed_in
from tracker.addresses import EMAIL_MAX
from tracker.api.core import Param, api_bp, list_response, load, operation, paging, query_values
from tracker.api.schema import Bool, Int, Schema, Str
from tracker.authorities import services
from tracker.authorities.models import Authority, AuthorityKind
from tracker.authorities.services import ADDRESS_MAX, FINANCE_CONTACT_MAX, NAME_MAX, VAT_NUMBER_MAX
from tracker.extensions import db

AuthoritySchema = Schema("Authority", {
    "id": Int(read_only=True),
    "name": Str(required=True, min_length=1, max_length=NAME_MAX),
    "kind": Str(enum=[k.value for k in AuthorityKind], default=AuthorityKind.COUNCIL.value),
    "is_lead": Bool(default=False),
    "address": Str(max_length=ADDRESS_MAX, default=""),
    "vat_number": Str(max_length=VAT_NUMBER_MAX, default=""),
    "finance_contact": Str(max_length=FINANCE_CONTACT_MAX, default=""),
    "finance_email": Str(max_length=EMAIL_MAX, default=""),
})

FILTERS = [Param("is_lead", Bool(), "Only the lead (true) or only clients (false).")]


def _input(data: dict, base: Authority | None = None) -> services.AuthorityInput:
    current = AuthoritySchema.dump(base) if base is not None else {}
    merged = {k: v for k, v in current.items() if k != "id"} | data
    return services.AuthorityInput(**{k: merged.get(k, "") for k in services.AuthorityInput.__dataclass_fields__})


@signed_in
@api_bp.get("/authorities")
@operation("List authorities (a client user sees only their own)", tags=["authorities"], list_of=AuthoritySchema, query=FILTERS)
def list_authorities():
    page, per_page = paging()
    filters = query_values(FILTERS)
    result = services.list_authorities(db.session, current_user, page, per_page, is_lead=filters.get("is_lead"), by_id=True)
    return list_response(AuthoritySchema, result)


@roles(*FINANCE_ROLES)
@api_bp.post("/authorities")
@operation("Add an authority", tags=["authorities"], request=AuthoritySchema, response=AuthoritySchema, status=201)
def create_authority():
    data = load(AuthoritySchema)
    authority = services.create_authority(db.session, current_user, _input(data))
    return AuthoritySchema.dump(authority), 201


@signed_in
@api_bp.get("/authorities/<int:authority_id>")
@operation("One authority", tags=["authorities"], response=AuthoritySchema)
def get_authority(authority_id: int):
    return AuthoritySchema.dump(services.get_authority(db.session, current_user, authority_id))


@roles(*FINANCE_ROLES)
@api_bp.patch("/authorities/<int:authority_id>")
@operation("Change an authority", tags=["authorities"], request=AuthoritySchema, partial=True, response=AuthoritySchema)
def update_authority(authority_id: int):
    authority = services.get_authority(db.session, current_user, authority_id)
    data = load(AuthoritySchema, partial=True)
    services.update_authority(db.session, current_user, authority, _input(data, authority))
    return AuthoritySchema.dump(authority)


