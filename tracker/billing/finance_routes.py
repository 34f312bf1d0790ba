"""Pages of the finance corrections: recording a refund, statements of account
(page and PDF), and the lead authority's logo in Settings. Aged debt's page
and download live with the other invoice pages (routes.py)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import clock
from tracker.access import FINANCE_ROLES, INVOICE_READERS, Role, roles
from tracker.authorities.services import client_choices
from tracker.billing import logo, statement_mail, statements
from tracker.billing import services as billing
from tracker.billing.finance_forms import LogoForm, RefundForm
from tracker.billing.forms import ConfirmForm
from tracker.billing.routes import show_page
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.money import fmt_money
from tracker.web import apply_errors

bp = Blueprint("finance", __name__)

@roles(*FINANCE_ROLES)
@bp.post("/invoices/<int:invoice_id>/refunds")
def record_refund(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    form = RefundForm()
    if form.validate_on_submit():
        try:
            billing.record_refund(db.session, current_user, invoice, form.amount.data, form.paid_on.data,
                                  form.reference.data, clock.today())
        except DomainError as error:
            if not error.fields:
                flash(error.message, "error")
                return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))
            apply_errors(form, error)
        else:
            flash(f"Refund recorded. {invoice.number} balance is now £{fmt_money(invoice.balance)}.", "success")
            return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))
    return show_page(invoice, refund_form=form)  # 200 with errors beside the fields, as the payment form


@roles(*FINANCE_ROLES)
@bp.get("/statements")
def choose_statement():
    return render_template("billing/statements.html", clients=client_choices(db.session))


@roles(*INVOICE_READERS)
@bp.get("/authorities/<int:authority_id>/statement")
def show_statement(authority_id: int):
    client = statements.get_client(db.session, current_user, authority_id)
    st = statements.statement(db.session, client, clock.today())
    can_send = current_user.role in FINANCE_ROLES
    return render_template("billing/statement.html", statement=st, can_send=can_send,
                           confirm_form=ConfirmForm() if can_send else None,
                           sends=statement_mail.sends_of(db.session, client) if can_send else [])


@roles(*FINANCE_ROLES)
@bp.post("/authorities/<int:authority_id>/statement/send")
def send_statement(authority_id: int):
    client = statements.get_client(db.session, current_user, authority_id)
    if ConfirmForm().validate_on_submit():
        try:
            message = statement_mail.send_statement(db.session, current_user, client, clock.today())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Statement queued to {message.to_address} with its PDF.", "success")
    return redirect(url_for("finance.show_statement", authority_id=authority_id))


@roles(*INVOICE_READERS)
@bp.get("/authorities/<int:authority_id>/statement.pdf")
def statement_pdf(authority_id: int):
    client = statements.get_client(db.session, current_user, authority_id)
    st = statements.statement(db.session, client, clock.today())
    return Response(statements.render_pdf(st, db.session), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{statements.filename(st)}"'})


@roles(Role.ADMIN)
@bp.route("/settings/logo", methods=["GET", "POST"])
def edit_logo():
    form = LogoForm()
    if not form.is_submitted():
        form.effective_from.data = clock.today()
    if form.validate_on_submit():
        upload = request.files.get("logo")
        try:
            if "remove" in request.form:
                logo.remove_logo(db.session, current_user, form.effective_from.data)
                flash("The logo is no longer printed.", "success")
            else:
                logo.save_logo(db.session, current_user, upload.read(logo.MAX_BYTES + 1) if upload else b"",
                               form.effective_from.data)
                flash("Logo saved: it is printed on invoices, credit notes and statements.", "success")
        except DomainError as error:
            apply_errors(form, error)
        else:
            return redirect(url_for("finance.edit_logo"))
    current = logo.data_uri(db.session, clock.today())
    return render_template("settings/logo.html", form=form, current=current)
