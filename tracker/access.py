"""Who may reach which route: every view declares it, one hook enforces it.

``@roles(...)`` (or ``@public``) records the rule on the view function; the
``before_request`` hook installed by :func:`register_access` checks it for every
request, pages and API alike, and refuses any endpoint that declares nothing.
Object-level confinement (a client user sees only their own authority) lives in
the services, which answer NotFound for other authorities' objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CONSULTANT = "consultant"
    FINANCE = "finance"
    CLIENT = "client"


ALL_ROLES = frozenset(Role)
LEAD_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.CONSULTANT, Role.FINANCE})

# The named role sets, defined once (use as ``@roles(*MANAGERS)`` or ``role in MANAGERS``).
#: Run the team: staff, engagements, the capacity review.
MANAGERS = (Role.ADMIN, Role.MANAGER)
#: Deliver support: log days, edit self-assessments and action plans.
DELIVERERS = (Role.ADMIN, Role.MANAGER, Role.CONSULTANT)
#: Every lead-authority role (read days and engagements).
LEAD_STAFF = (Role.ADMIN, Role.MANAGER, Role.CONSULTANT, Role.FINANCE)
#: Handle money: invoices, payments, authorities' finance details, settings, income.
FINANCE_ROLES = (Role.ADMIN, Role.MANAGER, Role.FINANCE)
#: Read invoices: the finance roles, and a client user their own authority's.
INVOICE_READERS = (*FINANCE_ROLES, Role.CLIENT)
#: Read an engagement's progress report: those who deliver it, and its client.
PROGRESS_READERS = (*DELIVERERS, Role.CLIENT)


@dataclass(frozen=True)
class SystemActor:
    """Who acts when no user does: a CLI command, the demo, a test. It has no
    role, staff record or authority; the engagement policy lets it do what the
    rules allow, and the audit log records it under its name."""

    name: str
    role = None
    staff_id = None
    authority_id = None
    id = None

    @property
    def email(self) -> str:
        return self.name


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


#: CLI commands, and the demo and its synthetic data.
CLI = SystemActor("cli")
DEMO = SystemActor("demo")
SYSTEM = SystemActor("system")

PUBLIC = "public"
ACCESS_ATTR = "_access"


def roles(*allowed: Role):
    """Only signed-in users with one of these roles may call the view."""
    allowed_set = frozenset(Role(r) for r in allowed)
    if not allowed_set:
        raise ValueError("roles() needs at least one role")

    def decorate(view):
        setattr(view, ACCESS_ATTR, allowed_set)
        return view

    return decorate


def signed_in(view):
    """Any signed-in user; the view's services confine what they see."""
    setattr(view, ACCESS_ATTR, ALL_ROLES)
    return view


def public(view):
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def access_rule(app: Flask, endpoint: str):
    """The rule a view declares, or None when it declares none."""
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    return getattr(view, ACCESS_ATTR, None)


def has_role(user, *allowed: Role) -> bool:
    return bool(user and user.is_authenticated and user.role in allowed)


def register_access(app: Flask) -> None:
    @app.before_request
    def enforce_access():
        if request.endpoint is None:
            return None  # 404/405 answer by themselves
        rule = access_rule(current_app, request.endpoint)
        if rule == PUBLIC:
            return None
        is_api = request.blueprint == "api"
        if rule is None:
            current_app.logger.error("Endpoint %s declares no access rule", request.endpoint)
            abort(403)
        if not current_user.is_authenticated:
            if is_api:
                abort(401, description="Send a token: Authorization: Bearer <token>.")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in rule:
            abort(403)
        return None

