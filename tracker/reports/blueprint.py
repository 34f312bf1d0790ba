"""The reports blueprint (/reports/...) that the capacity, income and progress
pages share, and the helpers their downloads share."""

from __future__ import annotations

from flask import Blueprint, Response

from tracker.errors import ValidationFailed

bp = Blueprint("reports", __name__, url_prefix="/reports")


def export_format(raw: str | None) -> str:
    if raw not in ("csv", "xlsx"):
        raise ValidationFailed.for_field("format", "format must be csv or xlsx.")
    return raw


def download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
