"""JSON API v1 (see docs/api.md): one module per resource, all on api_bp.
create_app calls init_app."""

from flask import Flask

from tracker.api import (  # noqa: F401  (each module's views are on api_bp)
    assessments,
    authorities,
    days,
    docs,
    engagements,
    finance,
    income,
    invoice_mail,
    invoices,
    mfa,
    plans,
    progress,
    reports,
    staff,
    statement_mail,
    tokens,
)
from tracker.api.core import api_bp
from tracker.extensions import csrf


def init_app(app: Flask) -> None:
    csrf.exempt(api_bp)  # the API takes bearer tokens only, never the session cookie
    app.register_blueprint(api_bp)
