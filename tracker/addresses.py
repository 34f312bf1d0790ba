"""E-mail addresses in one normal form (users, staff and finance contacts alike)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from tracker.errors import ValidationFailed

#: The longest address (RFC 5321); forms and API schemas take it from here.
EMAIL_MAX = 254


def normalise_email(raw: str, field: str = "email") -> str:
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed.for_field(field, f"Enter a valid e-mail address ({exc}).") from None
