"""Build the OpenAPI 3.1 document from the registered API views.

Every rule under the ``api`` blueprint must carry ``@operation`` metadata; a
view without it makes the document (and its test) fail, so nothing is served
undocumented.
"""

from __future__ import annotations

import re

from flask import Flask

from tracker.access import ACCESS_ATTR, PUBLIC
from tracker.api.core import OPENAPI_ATTR, Operation
from tracker.api.schema import Schema

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {}},
            },
        }
    },
}

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_REASONS = {
    400: "Malformed request", 401: "No valid token", 403: "Role not allowed", 404: "Not found (or not yours)",
    409: "Conflicts with the current state", 413: "Upload too large", 422: "Invalid values",
}


class UndocumentedOperation(RuntimeError):
    pass


def _path_and_params(rule) -> tuple[str, list[dict]]:
    params = []

    def repl(match):
        converter, name = match.group(1) or "string", match.group(2)
        schema = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1} if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _CONVERTER.sub(repl, rule.rule), params


def _json_ref(name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _collect_schemas(op: Operation, used: set[str]) -> None:
    for schema in (op.request, op.response, op.list_of):
        if schema is not None:
            used.add(schema.name)


def _operation_doc(op: Operation, path_params: list[dict], view) -> dict:
    doc: dict = {"summary": op.summary, "tags": op.tags, "operationId": view.__name__}
    if op.description:
        doc["description"] = op.description
    rule = getattr(view, ACCESS_ATTR, None)
    if rule == PUBLIC:
        doc["security"] = []
    elif rule:
        doc["description"] = (doc.get("description", "") + f"\n\nRoles: {', '.join(sorted(rule))}.").strip()
    parameters = list(path_params)
    for param in op.query:
        parameters.append(
            {"name": param.name, "in": "query", "required": param.required,
             "schema": param.field.json_schema("in"), "description": param.description}
        )
    if parameters:
        doc["parameters"] = parameters
    if op.request is not None:
        name = op.request.component_name("in") + ("Patch" if op.partial else "")
        doc["requestBody"] = {"required": True, "content": _json_ref(name)}
    elif op.upload:
        doc["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}}},
        }
    responses: dict = {}
    if op.content_type:
        responses[str(op.status)] = {"description": "The file", "content": {op.content_type: {"schema": {"type": "string", "format": "binary"}}}}
    elif op.list_of is not None:
        responses[str(op.status)] = {"description": "A page of items", "content": {"application/json": {"schema": {
            "type": "object", "required": ["items", "total", "page", "per_page"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{op.list_of.name}"}},
                "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            }}}}}
    elif op.response is not None:
        responses[str(op.status)] = {"description": "OK", "content": _json_ref(op.response.name)}
    else:
        responses[str(op.status)] = {"description": "Done"}
    if op.downloads:
        binary = {"schema": {"type": "string", "format": "binary"}}
        responses[str(op.status)].setdefault("content", {}).update({
            "text/csv": binary,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": binary,
        })
    errors = set(op.errors)
    if rule != PUBLIC:
        errors |= {401, 403}
    if op.upload:
        errors.add(413)
    for status in sorted(errors):
        responses[str(status)] = {"description": _REASONS.get(status, "Error"), "content": _json_ref("Error")}
    doc["responses"] = responses
    return doc


def build_openapi(app: Flask) -> dict:
    paths: dict = {}
    used: set[str] = set()
    partial_inputs: set[str] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, OPENAPI_ATTR, None)
        if op is None:
            raise UndocumentedOperation(f"API endpoint {rule.endpoint} ({rule.rule}) has no @operation")
        path, params = _path_and_params(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation_doc(op, params, view)
        _collect_schemas(op, used)
        if op.request is not None and op.partial:
            partial_inputs.add(op.request.name)
    components = {"Error": ERROR_SCHEMA}
    for name in sorted(used):
        schema = Schema.registry[name]
        components[name] = schema.json_schema("out")
        components[schema.component_name("in")] = schema.json_schema("in")
        if name in partial_inputs:
            components[schema.component_name("in") + "Patch"] = schema.json_schema("in", partial=True)
    # Nested schemas referenced from fields
    for schema in list(Schema.registry.values()):
        if schema.name not in components:
            components[schema.name] = schema.json_schema("out")
            components[schema.component_name("in")] = schema.json_schema("in")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Commissioning Support Tracker API",
            "version": "1.0.0",
            "description": "Money and days are strings with fixed places; dates are YYYY-MM-DD. "
            "Authenticate with POST /api/v1/tokens, then send Authorization: Bearer <token>.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
