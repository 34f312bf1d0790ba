from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import clock
from tracker.access import MANAGERS, Role, roles, signed_in
from tracker.audit.services import history
from tracker.authorities.services import client_choices, client_filter_options
from tracker.cache_scope import Scope
from tracker.days.figures import shared_figures_for
from tracker.engagements import services, status_actions
from tracker.engagements.forms import VAT_CHOICES, EngagementFilterForm, EngagementForm, StatusForm
from tracker.engagements.panels import render_panels
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.page_cache import cached_page
from tracker.pagination import page_args
from tracker.read_only import read_only
from tracker.staff.services import staff_choices
from tracker.web import apply_errors, id_arg, options

bp = Blueprint("engagements", __name__, url_prefix="/engagements")



def _form(obj=None) -> EngagementForm:
    form = EngagementForm(obj=obj)
    form.client_id.choices = options([(0, "Choose…"), *client_choices(db.session)])
    form.staff_ids.choices = options(staff_choices(db.session))
    return form


def _input(form: EngagementForm) -> services.EngagementInput:
    vat = form.vat.data
    return services.EngagementInput(
        client_id=form.client_id.data, title=form.title.data, kind=form.kind.data,
        start_date=form.start_date.data, end_date=form.end_date.data,
        estimated_days_low=form.estimated_days_low.data, estimated_days_high=form.estimated_days_high.data,
        purchase_order=form.purchase_order.data, vat_rate=None if vat == "outside" else vat,
        vat_note=form.vat_note.data, approval_reference=form.approval_reference.data,
        description=form.description.data, day_rate=form.day_rate.data, staff_ids=form.staff_ids.data,
    )


@read_only
@signed_in
@bp.get("/")
def list_engagements():
    page, per_page = page_args(request.args)

    def build() -> dict:
        filters = EngagementFilterForm(request.args)
        filters.client_id.choices = (options([(0, "Any client")]) if current_user.role == Role.CLIENT
                                     else client_filter_options(db.session))
        filters.validate()
        client_id = id_arg(request.args.get("client_id"))
        status = None if filters.status.errors else filters.status.data or None
        result = services.list_engagements(db.session, current_user, page, per_page, client_id=client_id, status=status)
        return {"page": result, "filters": filters, "can_manage": services.can_manage(current_user),
                "figures": shared_figures_for(db.session, result.items),  # one query for the rows not kept
                # Which engagements a page lists, and in what order, does not depend on their days.
                "cache_scope": Scope.of_engagements(e.id for e in result.items)}

    return cached_page("engagements/list.html", build)


@roles(*MANAGERS)
@bp.route("/new", methods=["GET", "POST"])
def create_engagement():
    form = _form()
    if request.method == "GET":
        form.client_id.data = id_arg(request.args.get("client_id")) or 0
        form.vat.data = "0.20"
    if form.validate_on_submit():
        try:
            engagement = services.create_engagement(db.session, current_user, _input(form), clock.today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Engagement “{engagement.title}” created at £{engagement.day_rate} a day.", "success")
            return redirect(url_for("engagements.show_engagement", engagement_id=engagement.id))
    return render_template("engagements/form.html", form=form, engagement=None)


@signed_in
@bp.get("/<int:engagement_id>")
def show_engagement(engagement_id: int):
    engagement = services.get_engagement(db.session, current_user, engagement_id)
    status_form = StatusForm()
    changes = history(db.session, "engagement", engagement.id) if current_user.is_lead_staff else []
    return render_template(
        "engagements/show.html", engagement=engagement, status_form=status_form,
        status_actions=status_actions.available(engagement),
        can_manage=services.can_manage(current_user), audit_rows=changes[:20],
        panels=render_panels(engagement, current_user),
    )


@roles(*MANAGERS)
@bp.route("/<int:engagement_id>/edit", methods=["GET", "POST"])
def edit_engagement(engagement_id: int):
    engagement = services.get_engagement(db.session, current_user, engagement_id)
    form = _form(obj=engagement)
    if request.method == "GET":
        form.vat.data = "outside" if engagement.vat_rate is None else _vat_choice(engagement.vat_rate)
        form.staff_ids.data = services.member_ids(db.session, engagement.id)
    if form.validate_on_submit():
        try:
            services.update_engagement(db.session, current_user, engagement, _input(form), clock.today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Engagement saved.", "success")
            return redirect(url_for("engagements.show_engagement", engagement_id=engagement.id))
    return render_template("engagements/form.html", form=form, engagement=engagement)


def _vat_choice(rate: Decimal) -> str:
    """The VAT select's option for a stored rate (0.2000 → "0.20")."""
    for value, _label in VAT_CHOICES:
        if value != "outside" and rate == Decimal(value):
            return value
    return "0.20"


@roles(*MANAGERS)
@bp.post("/<int:engagement_id>/status")
def change_status(engagement_id: int):
    engagement = services.get_engagement(db.session, current_user, engagement_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            action = status_actions.action_for(engagement, form.action.data)
            if action.needs_reason and form.confirmed.data != "yes":
                return render_template("engagements/status_confirm.html", engagement=engagement, action=action,
                                       form=form)
            status_actions.apply(db.session, current_user, engagement, action.name, form.note.data)
        except DomainError as error:
            if "reason" in error.fields:
                apply_errors(form, error)
                return render_template("engagements/status_confirm.html", engagement=engagement,
                                       action=status_actions.ACTIONS[form.action.data], form=form), 422
            flash(error.message, "error")
        else:
            flash(f"Status is now {engagement.status.label}.", "success")
    else:
        flash("Choose one of the status buttons.", "error")
    return redirect(url_for("engagements.show_engagement", engagement_id=engagement.id))
