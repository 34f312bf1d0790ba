"""Pages for support days: the week view, an engagement's day list, single
days, planning ahead and marking planned days delivered. Routes are glue."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import clock, results_cache
from tracker.access import DELIVERERS, LEAD_STAFF, MANAGERS, Role, roles
from tracker.cache_scope import Scope
from tracker.dates import parse_month
from tracker.days import planning, services
from tracker.days.figures import shared_figures_of
from tracker.days.forms import DayFilterForm, DayForm, DeliverForm, PlanForm
from tracker.days.models import SupportDay
from tracker.engagements.services import check_engagement_visible, get_engagement
from tracker.errors import DomainError, ValidationFailed
from tracker.extensions import db
from tracker.page_cache import cached_page
from tracker.pagination import page_args
from tracker.read_only import read_only
from tracker.staff.services import staff_choices, team_choices
from tracker.web import apply_errors, id_arg, options

bp = Blueprint("days", __name__)


def today() -> date:
    return clock.today()


def staff_options_for(user) -> list[tuple[int, str]]:
    """Managers choose anyone; a consultant only themselves."""
    if user.role == Role.CONSULTANT:
        return [(user.staff.id, user.staff.name)] if user.staff else []
    return staff_choices(db.session)


@read_only
@roles(*LEAD_STAFF)
@bp.get("/engagements/<int:engagement_id>/days")
def list_days(engagement_id: int):
    check_engagement_visible(db.session, current_user, engagement_id)  # every request; the engagement only to build
    page, per_page = page_args(request.args)
    return cached_page("days/list.html",
                       lambda: _day_list(get_engagement(db.session, current_user, engagement_id), page, per_page),
                       scope=Scope.of_engagements([engagement_id]))  # other engagements' days do not show


def _day_list(engagement, page: int, per_page: int) -> dict:
    filters = DayFilterForm(request.args)
    filters.staff_id.choices = options([(0, "Anyone"), *team_choices(db.session, engagement.id,
                                                                      id_arg(request.args.get("staff_id")))])
    filters.validate()
    try:
        month = parse_month(filters.month.data)
    except ValidationFailed as error:
        filters.month.errors = [error.fields["month"]]
        month = None
    chosen = services.DayFilters(
        staff_id=id_arg(request.args.get("staff_id")), activity=None if filters.activity.errors else filters.activity.data or None,
        state=None if filters.state.errors else filters.state.data or None, month=month,
    )
    services.confine_to_own_days(current_user, chosen)  # before the cache key is made of it
    result = services.list_days(db.session, current_user, engagement.id, chosen, page, per_page,
                                count=lambda counted: results_cache.cached(
                                    db.session, "day-list-count", (engagement.id, *astuple(chosen)), counted,
                                    scope=Scope.of_engagements([engagement.id])))
    return {"engagement": engagement, "page": result, "filters": filters, "deliver": DeliverForm(),
            "figures": shared_figures_of(db.session, engagement), "can_manage": current_user.role in MANAGERS,
            "can_log": current_user.role in DELIVERERS, "today": today()}


def _day_input(form: DayForm, engagement_id: int) -> services.DayInput:
    return services.DayInput(
        engagement_id=engagement_id, staff_id=form.staff_id.data, worked_on=form.worked_on.data,
        activity=form.activity.data, days=form.days.data, billable=form.billable.data, state=form.state.data,
        notes=form.notes.data,
    )


@roles(*DELIVERERS)
@bp.route("/engagements/<int:engagement_id>/days/new", methods=["GET", "POST"])
def create_day(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    form = DayForm()
    form.staff_id.choices = options(staff_options_for(current_user))
    if request.method == "GET":
        form.worked_on.data = today()
        form.billable.data = engagement.is_billable_kind
    if form.validate_on_submit():
        try:
            services.record_support_day(db.session, current_user, _day_input(form, engagement.id), today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Day recorded.", "success")
            return redirect(url_for("days.list_days", engagement_id=engagement.id))
    return render_template("days/form.html", form=form, engagement=engagement, day=None)


def _get_day(day_id: int) -> SupportDay:
    return services.get_day(db.session, current_user, day_id)  # 404 outside the days rule


@roles(*DELIVERERS)
@bp.route("/days/<int:day_id>/edit", methods=["GET", "POST"])
def edit_day(day_id: int):
    day = _get_day(day_id)
    form = DayForm(obj=day)
    form.staff_id.choices = options(staff_options_for(current_user) or [(day.staff_id, day.staff.name)])
    if request.method == "GET":
        form.activity.data = day.activity.value
        form.state.data = day.state.value if day.state.value != "invoiced" else "delivered"
    locked = services.lock_reason(day)
    if form.validate_on_submit():
        try:
            services.update_support_day(db.session, current_user, day, _day_input(form, day.engagement_id), today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Day saved.", "success")
            return redirect(url_for("days.list_days", engagement_id=day.engagement_id))
    return render_template("days/form.html", form=form, engagement=day.engagement, day=day, locked=locked)


@roles(*DELIVERERS)
@bp.post("/days/<int:day_id>/delete")
def delete_day(day_id: int):
    day = _get_day(day_id)
    engagement_id = day.engagement_id
    form = DeliverForm()  # only for its CSRF token
    if form.validate_on_submit():
        try:
            services.delete_support_day(db.session, current_user, day)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Day deleted.", "success")
    return redirect(url_for("days.list_days", engagement_id=engagement_id))


@roles(*MANAGERS)
@bp.route("/engagements/<int:engagement_id>/days/plan", methods=["GET", "POST"])
def plan_days(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    form = PlanForm()
    form.staff_id.choices = options(staff_choices(db.session))
    if request.method == "GET":
        form.first.data = today() + timedelta(days=7)
    if form.validate_on_submit():
        try:
            booked = planning.book_planned_days(
                db.session, current_user, engagement_id=engagement.id, staff_id=form.staff_id.data,
                first=form.first.data, count=form.count.data, days_each=form.days_each.data,
                activity=form.activity.data, notes=form.notes.data, today=today(),
            )
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{len(booked)} planned day{'s' if len(booked) != 1 else ''} booked.", "success")
            return redirect(url_for("days.list_days", engagement_id=engagement.id, state="planned"))
    return render_template("days/plan.html", form=form, engagement=engagement)


@roles(*MANAGERS)
@bp.post("/engagements/<int:engagement_id>/days/deliver")
def deliver_days(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    form = DeliverForm()
    if form.validate_on_submit():
        ids = [i for i in (id_arg(v) for v in request.form.getlist("day_id")) if i]
        chosen = [d for d in (db.session.get(SupportDay, i) for i in ids) if d and d.engagement_id == engagement.id]
        if not chosen:
            flash("Tick the planned days that happened.", "error")
        else:
            try:
                count = planning.mark_delivered(db.session, current_user, chosen, today())
            except DomainError as error:
                flash(error.message + " " + " ".join(error.fields.values()), "error")
            else:
                flash(f"{count} day{'s' if count != 1 else ''} marked delivered.", "success")
    return redirect(request.referrer if _same_site(request.referrer) else
                    url_for("days.list_days", engagement_id=engagement.id))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
