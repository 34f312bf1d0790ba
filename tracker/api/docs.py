from flask import current_app, jsonify

from tracker.access import public
from tracker.api.core import api_bp, operation
from tracker.api.openapi import build_openapi


@public
@api_bp.get("/openapi.json")
@operation("The OpenAPI document of this API", tags=["meta"], errors=())
def openapi_document():
    return jsonify(build_openapi(current_app))
