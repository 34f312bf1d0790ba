from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.access import FINANCE_ROLES, LEAD_ROLES, roles
from tracker.authorities import services
from tracker.authorities.forms import KIND_LABELS, AuthorityForm
from tracker.engagements.services import filtered_engagements
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.pagination import page_args
from tracker.web import apply_errors

bp = Blueprint("authorities", __name__, url_prefix="/authorities")



def _input(form: AuthorityForm) -> services.AuthorityInput:
    return services.AuthorityInput(
        name=form.name.data, kind=form.kind.data, is_lead=form.is_lead.data, address=form.address.data,
        vat_number=form.vat_number.data, finance_contact=form.finance_contact.data,
        finance_email=form.finance_email.data,
    )


@roles(*LEAD_ROLES)
@bp.get("/")
def list_authorities():
    page, per_page = page_args(request.args)
    result = services.list_authorities(db.session, current_user, page, per_page)
    return render_template("authorities/list.html", page=result, kinds=KIND_LABELS, can_edit=current_user.role in FINANCE_ROLES)


@roles(*FINANCE_ROLES)
@bp.route("/new", methods=["GET", "POST"])
def create_authority():
    form = AuthorityForm()
    if form.validate_on_submit():
        try:
            authority = services.create_authority(db.session, current_user, _input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{authority.name} added.", "success")
            return redirect(url_for("authorities.show_authority", authority_id=authority.id))
    return render_template("authorities/form.html", form=form, authority=None)


@roles(*LEAD_ROLES)
@bp.get("/<int:authority_id>")
def show_authority(authority_id: int):
    authority = services.get_authority(db.session, current_user, authority_id)
    engagements = db.session.scalars(filtered_engagements(current_user, client_id=authority.id)).all()
    return render_template(
        "authorities/show.html", authority=authority, engagements=engagements, kinds=KIND_LABELS,
        can_edit=current_user.role in FINANCE_ROLES,
    )


@roles(*FINANCE_ROLES)
@bp.route("/<int:authority_id>/edit", methods=["GET", "POST"])
def edit_authority(authority_id: int):
    authority = services.get_authority(db.session, current_user, authority_id)
    form = AuthorityForm(obj=authority)
    if form.validate_on_submit():
        try:
            services.update_authority(db.session, current_user, authority, _input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{authority.name} saved.", "success")
            return redirect(url_for("authorities.show_authority", authority_id=authority.id))
    return render_template("authorities/form.html", form=form, authority=authority)
