"""The DomainError family, and the 400/403/404/405/413/500 handlers.

Services raise DomainError subclasses; pages show them beside the form field
they name; the API answers with docs/api.md's error shape and the class's status.
No handler ever shows a stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from tracker.extension_points import extension_points
from tracker.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no. ``fields`` maps a field name to why."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, fields: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        self.extra = extra

    @classmethod
    def for_field(cls, field: str, message: str, **extra) -> DomainError:
        return cls(message, {field: message}, **extra)

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        body.update(self.extra)
        return {"error": body}


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    """Missing, or outside the caller's authority: the two look the same."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", fields=None, **extra):
        super().__init__(message, fields, **extra)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """Valid input that clashes with the state of things."""

    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class Locked(Conflict):
    code = "locked"


def translate(error: Exception) -> DomainError | None:
    """A database error a feature recognises (e.g. a PostgreSQL trigger's refusal)
    as a DomainError; the translators are declared in the features' init_app."""
    for translator in extension_points().error_translators:
        found = translator(error)
        if found is not None:
            return found
    return None


def api_error(status: int, code: str, message: str, fields: dict | None = None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        db.session.rollback()
        if wants_json():
            response = jsonify(error.to_dict())
            response.status_code = error.status
            return response
        template = "errors/404.html" if error.status == 404 else "errors/domain.html"
        return render_template(template, error=error), error.status

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        if status >= 500:
            db.session.rollback()
        if wants_json():
            message = error.description or error.name
            if status == 413:
                message = "The upload is larger than the limit."
            return api_error(status, _HTTP_CODES.get(status, "error"), message)
        page = status if status in (400, 403, 404, 405, 413, 429) else "generic"
        return render_template(f"errors/{page}.html", error=error), status

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(error: IntegrityError):
        # The database refused a write a service should have caught first (e.g. two
        # requests racing for the same unique name): nothing was saved.
        log.warning("Integrity error on %s %s: %s", request.method, request.path, error.orig)
        db.session.rollback()
        message = "That conflicts with data saved a moment ago; nothing was saved. Reload and try again."
        if wants_json():
            return api_error(409, "conflict", message)
        return render_template("errors/domain.html", error=Conflict(message)), 409

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def handle_out_of_range(error: Exception):
        # A value the database cannot hold (a 40-digit id, an over-long text that
        # slipped past a form): refuse it, roll back, and log it to be tightened.
        log.warning("Out-of-range value on %s %s: %s", request.method, request.path, error)
        db.session.rollback()
        if wants_json():
            return api_error(422, "validation_failed", "A value is out of range or too long.")
        return render_template("errors/domain.html", error=DomainError("A value was out of range or too long.")), 422

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        known = translate(error)
        if known is not None:
            return handle_domain_error(known)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        if wants_json():
            return api_error(500, "server_error", "Something went wrong on our side; it has been logged.")
        return render_template("errors/500.html"), 500
