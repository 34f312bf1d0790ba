"""The pieces every API module uses: the blueprint, ``@operation`` (which
documents a view for OpenAPI), body parsing and list responses."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, request

from tracker.api.schema import Field, Int, Schema
from tracker.errors import DomainError, ValidationFailed
from tracker.json_depth import MAX_JSON_DEPTH, JSONTooDeep, check_depth
from tracker.pagination import Page, page_args

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

OPENAPI_ATTR = "_openapi"


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


@dataclass
class Param:
    name: str
    field: Field
    description: str = ""
    required: bool = False


@dataclass
class Operation:
    summary: str
    tags: list[str]
    request: Schema | None = None
    partial: bool = False
    response: Schema | None = None
    list_of: Schema | None = None
    status: int = 200
    query: list[Param] = field(default_factory=list)
    content_type: str | None = None  # a non-JSON response (PDF, CSV)
    downloads: bool = False  # ?format=csv|xlsx may answer with a file instead of JSON
    upload: bool = False  # multipart with a `file` field
    errors: tuple[int, ...] = (400, 401, 403, 404, 409, 422)
    description: str = ""


PAGING = [
    Param("page", Int(minimum=1), "Page number, from 1."),
    Param("per_page", Int(minimum=1, maximum=500), "Items per page (at most 500)."),
]


def operation(summary: str, *, tags: list[str], **kwargs):
    """Attach OpenAPI metadata to a view; openapi.py reads it."""
    op = Operation(summary=summary, tags=tags, **kwargs)
    if op.list_of is not None:
        op.query = list(PAGING) + list(op.query)

    def decorate(view):
        setattr(view, OPENAPI_ATTR, op)
        return view

    return decorate


def json_body() -> object:
    """The parsed JSON body; 400 when it is not JSON."""
    if not request.is_json:
        raise BadRequest("Send a JSON body with Content-Type: application/json.")
    try:
        check_depth(request.get_data(cache=True))
    except JSONTooDeep as exc:
        raise BadRequest(str(exc), {"body": f"nested more than {MAX_JSON_DEPTH} levels"}) from None
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("The body is not valid JSON.")
    return data


def load(schema: Schema, *, partial: bool = False) -> dict:
    return schema.load(json_body(), partial=partial)


def query_values(params: list[Param]) -> dict:
    """Parse declared query parameters; 422 naming each bad one."""
    out, errors = {}, {}
    for param in params:
        raw = request.args.get(param.name)
        if raw is None or raw == "":
            if param.required:
                errors[param.name] = "is required"
            continue
        try:
            out[param.name] = param.field.load(raw)
        except ValueError as exc:
            errors[param.name] = f"{param.name} {exc}"
    if errors:
        raise ValidationFailed("Some query parameters are not valid.", errors)
    return out


def paging() -> tuple[int, int]:
    return page_args(request.args)


def list_response(schema: Schema, page: Page, dump=None) -> dict:
    dump = dump or schema.dump
    return {"items": [dump(item) for item in page.items], "total": page.total, "page": page.page, "per_page": page.per_page}
