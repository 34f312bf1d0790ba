"""The admin's sign-in settings (kept with history like every lead-authority setting).

- ``mfa_required_roles``: roles that cannot sign in without a second factor
  (default: admin, finance); their users are sent to enrolment after the password.
- ``sso_only_for_staff``: when single sign-on is configured, lead staff must use it
  (client users keep their passwords).
- ``sso_new_user_domain``: an e-mail domain whose verified SSO users without an
  account get one as consultants; empty (the default) creates nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy.orm import Session

from tracker import results_cache
from tracker.access import Role
from tracker.cache_scope import NO_DAYS
from tracker.errors import ValidationFailed
from tracker.settings.services import SettingSpec, value_on


@dataclass(frozen=True)
class RolesSpec(SettingSpec):
    def parse(self, raw: str) -> str:
        names = [part.strip().lower() for part in (raw or "").replace(";", ",").split(",") if part.strip()]
        if names in (["none"], ["-"]):
            return ""
        unknown = [name for name in names if name not in {r.value for r in Role}]
        if unknown:
            raise ValidationFailed.for_field(
                "value", f"Unknown role {', '.join(unknown)}: use {', '.join(r.value for r in Role)}, or none.")
        return ", ".join(r.value for r in Role if r.value in names)


@dataclass(frozen=True)
class YesNoSpec(SettingSpec):
    def parse(self, raw: str) -> str:
        text = (raw or "").strip().lower()
        if text not in ("yes", "no"):
            raise ValidationFailed.for_field("value", f"{self.label}: answer yes or no.")
        return text


@dataclass(frozen=True)
class DomainSpec(SettingSpec):
    def parse(self, raw: str) -> str:
        text = (raw or "").strip().lower().lstrip("@")
        if text in ("", "none", "-"):
            return ""
        labels = text.split(".")
        if len(labels) < 2 or len(text) > 253 or not all(
            label and label.replace("-", "").isalnum() and label.isascii() for label in labels
        ):
            raise ValidationFailed.for_field("value", "Give one e-mail domain such as halton.gov.uk, or none.")
        return text


MFA_REQUIRED_ROLES = RolesSpec(
    "mfa_required_roles", "Require MFA for roles", "roles", "admin, finance",
    "Roles (comma-separated, or none) that must use a second factor or the council's single sign-on.",
)
SSO_ONLY_FOR_STAFF = YesNoSpec(
    "sso_only_for_staff", "Staff sign in only with single sign-on", "yes/no", "no",
    "yes: when single sign-on is configured, lead staff cannot use a password (client users still can).",
)
SSO_NEW_USER_DOMAIN = DomainSpec(
    "sso_new_user_domain", "Create consultants from this e-mail domain on first SSO sign-in", "domain", "",
    "One domain (e.g. halton.gov.uk) or none: anyone else needs an account made by an admin.",
)
#: Declared to the settings page by tracker.auth.feature.
SPECS = (MFA_REQUIRED_ROLES, SSO_ONLY_FOR_STAFF, SSO_NEW_USER_DOMAIN)


def mfa_required_roles(session: Session, today: date) -> frozenset[str]:
    """Asked on every page by a user without MFA: kept per worker until a change is recorded
    that is not a support day (a setting change is audited)."""
    raw = results_cache.cached(session, "setting", (MFA_REQUIRED_ROLES.key, today),
                               lambda: value_on(session, MFA_REQUIRED_ROLES.key, today), scope=NO_DAYS)
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def mfa_required(session: Session, user, today: date) -> bool:
    return getattr(user.role, "value", user.role) in mfa_required_roles(session, today)


def sso_configured() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def password_allowed(session: Session, user, today: date) -> bool:
    """False for lead staff when the admin has switched staff to single sign-on only."""
    if user is None or user.is_client or not sso_configured():
        return True
    return value_on(session, SSO_ONLY_FOR_STAFF.key, today) != "yes"


def sso_new_user_domain(session: Session, today: date) -> str:
    return value_on(session, SSO_NEW_USER_DOMAIN.key, today)
