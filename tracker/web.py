"""Glue shared by the page routes: template filters, navigation, form errors."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, flash, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import IntegerConverter
from wtforms.fields.choices import SelectChoice

from tracker.access import DELIVERERS, FINANCE_ROLES, INVOICE_READERS, LEAD_STAFF, MANAGERS, Role
from tracker.errors import DomainError
from tracker.estimate_position import estimate_position
from tracker.money import fmt_days, fmt_money

#: (label, endpoint, roles that see it). Hiding a link is a courtesy; the
#: server checks every route (tracker.access).
NAVIGATION = [
    ("Home", "dashboard.home", set(Role)),
    ("My week", "days.week_view", DELIVERERS),
    ("My days", "days.my_days", {Role.MANAGER, Role.CONSULTANT}),  # people with days of their own
    ("Engagements", "engagements.list_engagements", set(Role)),
    ("Authorities", "authorities.list_authorities", LEAD_STAFF),
    ("Staff", "staff.list_staff", MANAGERS),
    ("Capacity", "reports.capacity_review", MANAGERS),
    ("Income", "reports.income_report", FINANCE_ROLES),
    # Client users get the same list, confined to their own authority's issued documents.
    ("Progress", "reports.progress_index", {Role.CLIENT}),  # lead staff open it from the engagement page
    ("Invoices", "billing.list_invoices", INVOICE_READERS),
    ("Settings", "settings.show_settings", FINANCE_ROLES),
    ("Users", "auth.list_users", {Role.ADMIN}),
    ("Audit", "audit.list_audit", {Role.ADMIN}),
    ("Outbox", "mail.outbox", {Role.ADMIN}),
]


_NAV_BY_ROLE: dict[Role, list[tuple[str, str]]] = {}


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    role = current_user.role
    items = _NAV_BY_ROLE.get(role)
    if items is None:  # the same for everyone in a role: worked out once
        items = _NAV_BY_ROLE[role] = [(label, endpoint) for label, endpoint, allowed in NAVIGATION if role in allowed]
    return items


#: Which navigation item a page belongs to, when that is not its blueprint's item.
#: Keys are endpoints, or blueprint names (first match wins: endpoint, then blueprint).
NAV_SECTION = {
    "days.week_view": "days.week_view",
    "days.my_days": "days.my_days",
    "days": "engagements.list_engagements",  # an engagement's day list, plan, day forms
    "plans": "engagements.list_engagements",
    "assessments": "engagements.list_engagements",
    "assessments.show_framework": "settings.show_settings",
    "assessments.edit_framework": "settings.show_settings",
    "reports.capacity_review": "reports.capacity_review",
    "reports.review_trend": "reports.capacity_review",
    "reports.export_capacity": "reports.capacity_review",
    "reports.income_report": "reports.income_report",
    "reports.progress_index": "reports.progress_index",
    "reports.progress_report": "reports.progress_index",
    "reports": "",  # no other report page belongs to Capacity or Income by default
    "auth": "",  # the account pages sit outside the menu (their own link is marked)
    "auth.list_users": "auth.list_users",
    "auth.reset_password": "auth.list_users",
    "auth.create_user": "auth.list_users",
    "auth.edit_user": "auth.list_users",
}
#: Where a page goes when the section above is not in this user's menu.
NAV_FALLBACK = {"reports.progress_index": "engagements.list_engagements"}


def current_nav(endpoint: str | None = None) -> str | None:
    """The one main-navigation endpoint to mark aria-current="page" on this page
    (None on pages outside the menu, e.g. the password page)."""
    endpoint = endpoint if endpoint is not None else request.endpoint
    if not endpoint:
        return None
    shown = {item for _, item in nav_items()}
    blueprint = endpoint.rsplit(".", 1)[0]
    section = NAV_SECTION.get(endpoint) or NAV_SECTION.get(blueprint)
    if section is None:
        section = next((item for item in shown if item.rsplit(".", 1)[0] == blueprint), None)
    if section not in shown:
        section = NAV_FALLBACK.get(section)
    return section if section in shown else None


def apply_errors(form, error: DomainError) -> None:
    """Put a service's field errors beside the form's fields; flash the rest."""
    unplaced = []
    for name, message in error.fields.items():
        field = getattr(form, name, None) if form is not None else None
        if field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, tuple):
                field.errors = list(field.errors)
            field.errors.append(message)
        else:
            unplaced.append(message)
    if unplaced or not error.fields:
        # Errors beside fields are listed by the form's error summary already.
        flash(" ".join(unplaced) or error.message, "error")


LONDON = ZoneInfo("Europe/London")


def in_london(value: datetime) -> datetime:
    """A stored timestamp (UTC; naive ones are UTC too) as London's clock shows it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(LONDON)


def fmt_datetime(value) -> str:
    """Times are shown on London's clock (GMT or BST), e.g. "1 Jul 2026 15:30 BST"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = in_london(value)
        return local.strftime("%-d %b %Y %H:%M ") + (local.tzname() or "")
    return fmt_date(value)


def fmt_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return fmt_datetime(value)
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    return str(value)


def fmt_share(value) -> str:
    """0.2000 → '20%'; 0.125 → '12.5%'."""
    if value is None:
        return ""
    pct = (value * 100).normalize()
    return f"{pct:f}%"


_fixed_urls: dict[tuple, str] = {}


def fixed_url(endpoint: str, **values) -> str:
    """url_for for the links every page repeats (the menu, the stylesheet): they do not
    change while the app runs, so each is built once per mount point. About half a
    millisecond a page, a sixth of a kept page's cost."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = _fixed_urls.get(key)
    if url is None:
        url = _fixed_urls[key] = url_for(endpoint, **values)
    return url


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["money"] = lambda v: Markup("&pound;") + fmt_money(v) if v is not None else ""
    app.jinja_env.filters["days"] = fmt_days
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["datetime"] = fmt_datetime
    app.jinja_env.filters["share"] = fmt_share
    app.jinja_env.globals["fixed_url"] = fixed_url
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["current_nav"] = current_nav
    app.jinja_env.globals["estimate_position"] = estimate_position
    app.jinja_env.globals["Role"] = Role


def options(pairs) -> list:
    """(value, label) pairs as WTForms SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; larger numbers cannot name a row


def id_arg(raw) -> int | None:
    """A row id from a query string or form value; None unless 1..MAX_ID."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= MAX_ID else None


def register_converters(app: Flask) -> None:
    """`<int:...>` in routes stops at MAX_ID, so an absurd id is a 404, not a database error."""
    class BoundedInt(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedInt
