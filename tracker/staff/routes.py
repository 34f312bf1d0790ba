from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.access import MANAGERS, roles
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.pagination import page_args
from tracker.staff import services
from tracker.staff.forms import StaffForm
from tracker.web import apply_errors

bp = Blueprint("staff", __name__, url_prefix="/staff")



def _input(form: StaffForm) -> services.StaffInput:
    # The form asks for a percentage; the service stores a share (20 → 0.20).
    share = form.external_cap_share.data
    return services.StaffInput(
        name=form.name.data, email=form.email.data, job_title=form.job_title.data, team=form.team.data or "",
        monthly_capacity_days=form.monthly_capacity_days.data,
        external_cap_share=(share / 100) if share is not None else None,
        active=form.active.data,
    )


@roles(*MANAGERS)
@bp.get("/")
def list_staff():
    page, per_page = page_args(request.args)
    result = services.list_staff(db.session, page, per_page)
    return render_template("staff/list.html", page=result)


@roles(*MANAGERS)
@bp.route("/new", methods=["GET", "POST"])
def create_staff():
    form = StaffForm()
    if request.method == "GET":
        form.monthly_capacity_days.data = Decimal("18")
        form.external_cap_share.data = Decimal("20")
    if form.validate_on_submit():
        try:
            member = services.create_staff(db.session, current_user, _input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{member.name} added.", "success")
            return redirect(url_for("staff.list_staff"))
    return render_template("staff/form.html", form=form, member=None)


@roles(*MANAGERS)
@bp.route("/<int:staff_id>/edit", methods=["GET", "POST"])
def edit_staff(staff_id: int):
    member = services.get_staff(db.session, staff_id)
    form = StaffForm(obj=member)
    if request.method == "GET":
        form.external_cap_share.data = (member.external_cap_share * 100).normalize()
    if form.validate_on_submit():
        try:
            services.update_staff(db.session, current_user, member, _input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{member.name} saved.", "success")
            return redirect(url_for("staff.list_staff"))
    return render_template("staff/form.html", form=form, member=member)
