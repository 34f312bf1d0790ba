"""The "Send to client" button of an issued invoice or credit note."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from tracker.access import FINANCE_ROLES, roles
from tracker.billing import mailing
from tracker.billing import services as billing
from tracker.billing.forms import ConfirmForm
from tracker.errors import DomainError
from tracker.extensions import db

bp = Blueprint("invoice_mail", __name__, url_prefix="/invoices")


@roles(*FINANCE_ROLES)
@bp.post("/<int:invoice_id>/send")
def send_invoice(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    if ConfirmForm().validate_on_submit():
        try:
            message = mailing.send_invoice(db.session, current_user, invoice)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"{invoice.number} queued to {message.to_address} with its PDF.", "success")
    return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))


def invoice_sends(invoice):
    """For the invoice page: when and to whom it was sent (newest first)."""
    return mailing.sends_of(db.session, invoice)

