"""Invoice pages: work waiting, drafts, review, issue, credit, payments, the
PDF, the ledger export and aged debt. Finance, managers and admins manage
invoices; a client user reads their own authority's issued documents only
(the same list, confined); consultants have no invoice pages."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from tracker import clock
from tracker.access import FINANCE_ROLES, INVOICE_READERS, Role, roles
from tracker.audit.services import history
from tracker.authorities.services import client_choices, client_filter_options
from tracker.billing import exports, pdf
from tracker.billing import services as billing
from tracker.billing.aged_table import aged_filename, aged_table, aged_title
from tracker.billing.finance_forms import RefundForm
from tracker.billing.forms import (
    ConfirmForm,
    CreditForm,
    DraftForm,
    ExportForm,
    InvoiceFilterForm,
    PaymentForm,
)
from tracker.billing.models import Invoice
from tracker.engagements.models import Engagement, EngagementKind
from tracker.errors import DomainError
from tracker.exports import export as export_table
from tracker.extensions import db
from tracker.money import fmt_money
from tracker.pagination import page_args
from tracker.web import apply_errors, options

bp = Blueprint("billing", __name__, url_prefix="/invoices")



@bp.app_template_filter("plain_money")
def plain_money(value) -> str:
    """12,500.00 (no £): for tables whose header names the currency."""
    return fmt_money(value)


@bp.app_template_filter("gbp")
def gbp(value) -> Markup:
    """-£2,000.00 / £12,000.00: a signed sterling amount (credit notes are negative)."""
    if value is None:
        return Markup("")
    return Markup("-&pound;") + fmt_money(-value) if value < 0 else Markup("&pound;") + fmt_money(value)


def _today() -> date:
    return clock.today()


def _engagement_choices(client_id: int | None) -> list:
    stmt = sa.select(Engagement).where(Engagement.kind == EngagementKind.SUPPORT_PACKAGE).order_by(Engagement.title)
    if client_id:
        stmt = stmt.where(Engagement.client_id == client_id)
    return [(0, "All the client's engagements"), *((e.id, f"{e.title} ({e.client.name})") for e in db.session.scalars(stmt))]


@roles(*INVOICE_READERS)
@bp.get("/")
def list_invoices():
    filters = InvoiceFilterForm(request.args)
    client_view = current_user.role == Role.CLIENT
    filters.client_id.choices = options([(0, "Any client")]) if client_view else client_filter_options(db.session)
    valid = filters.validate()
    chosen = billing.InvoiceFilters(
        client_id=(filters.client_id.data or None) if valid else None,
        status=(filters.status.data or None) if valid else None,
        kind=(filters.kind.data or None) if valid else None,
        issued_from=filters.issued_from.data if valid else None,
        issued_to=filters.issued_to.data if valid else None,
    )
    today = _today()
    page, per_page = page_args(request.args)
    return render_template(
        "billing/list.html", page=billing.list_invoices(db.session, current_user, chosen, today, page, per_page),
        filters=filters, totals=billing.totals(db.session, billing.filtered(current_user, chosen, today)), today=today,
        can_manage=not client_view,
    )


@roles(*FINANCE_ROLES)
@bp.get("/uninvoiced")
def uninvoiced():
    today = _today()
    waiting = billing.uninvoiced(db.session, today)
    return render_template("billing/uninvoiced.html", waiting=waiting, today=today)


@roles(*FINANCE_ROLES)
@bp.route("/new", methods=["GET", "POST"])
def new_draft():
    form = DraftForm()
    if request.method == "GET":
        form.client_id.data = request.args.get("client_id", 0, type=int)
        form.engagement_id.data = request.args.get("engagement_id", 0, type=int)
        form.up_to.data = _today()
    form.client_id.choices = options([(0, "Choose…"), *client_choices(db.session)])
    form.engagement_id.choices = options(_engagement_choices(form.client_id.data or None))
    if form.validate_on_submit():
        try:
            invoice = billing.build_invoice(db.session, current_user, form.client_id.data, form.up_to.data, _today(),
                                            form.engagement_id.data or None)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Draft {invoice.id} made: {len(invoice.lines)} lines, £{fmt_money(invoice.gross)}. "
                  "Review it, then issue it.", "success")
            return redirect(url_for("billing.show_invoice", invoice_id=invoice.id))
    return render_template("billing/new.html", form=form)


def _show(invoice: Invoice, payment_form: PaymentForm | None = None, status: int = 200,
          refund_form: RefundForm | None = None):
    manage = current_user.role in FINANCE_ROLES
    if payment_form is None:
        payment_form = PaymentForm(formdata=None)
        payment_form.paid_on.data = _today()
        payment_form.amount.data = f"{invoice.balance:.2f}" if invoice.balance > 0 else ""
    if refund_form is None:
        refund_form = RefundForm(formdata=None)
        refund_form.paid_on.data = _today()
        refund_form.amount.data = f"{-invoice.balance:.2f}" if invoice.balance < 0 else ""
    credited = billing.credited_line_ids(db.session, invoice) if not invoice.is_draft else set()
    return render_template(
        "billing/show.html", invoice=invoice, can_manage=manage, confirm_form=ConfirmForm(), payment_form=payment_form,
        refund_form=refund_form,
        credited=credited, today=_today(), vat_notes=pdf.vat_notes(invoice), vat_summary=pdf.vat_summary(invoice),
        audit_rows=history(db.session, "invoice", invoice.id)[:20] if manage else [],
    ), status


show_page = _show  # the invoice page, for the finance pages (refund errors)


@roles(*INVOICE_READERS)
@bp.get("/<int:invoice_id>")
def show_invoice(invoice_id: int):
    return _show(billing.get_invoice(db.session, current_user, invoice_id))


@roles(*FINANCE_ROLES)
@bp.post("/<int:invoice_id>/issue")
def issue_invoice(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    if ConfirmForm().validate_on_submit():
        try:
            billing.issue_invoice(db.session, current_user, invoice, _today())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Issued as {invoice.number}, due {invoice.due_on:%-d %b %Y}. Download the PDF to send it.", "success")
    return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))


@roles(*FINANCE_ROLES)
@bp.post("/<int:invoice_id>/delete")
def delete_draft(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    if ConfirmForm().validate_on_submit():
        try:
            billing.delete_draft(db.session, current_user, invoice)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Draft {invoice_id} deleted; its days can be invoiced again.", "success")
            return redirect(url_for("billing.list_invoices"))
    return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))


@roles(*FINANCE_ROLES)
@bp.route("/<int:invoice_id>/credit", methods=["GET", "POST"])
def credit_invoice(invoice_id: int):
    """Choose lines (none ticked), a reason and what happens to the days; then a
    confirmation step that states the amount; then the credit note."""
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    if invoice.is_draft or invoice.is_credit_note:
        flash("Only an issued invoice can be credited." if invoice.is_credit_note
              else f"{invoice.label} is a draft: delete it instead of crediting it.", "error")
        return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))
    credited = billing.credited_line_ids(db.session, invoice)
    form = CreditForm()
    open_lines = [line for line in invoice.lines if line.id not in credited]
    form.line_ids.choices = options(
        (line.id, f"Line {line.position}: {line.engagement_title} — {line.description}, {line.days} days, "
                  f"£{fmt_money(line.gross)}") for line in open_lines
    )
    if form.validate_on_submit() and "edit" not in request.form:
        write_off = form.outcome.data == "write_off"
        try:
            if form.confirmed.data != "yes":
                preview = billing.preview_credit(db.session, invoice, form.line_ids.data, write_off)
                return render_template("billing/credit_confirm.html", invoice=invoice, form=form, preview=preview)
            note = billing.credit_invoice(db.session, current_user, invoice, form.reason.data, _today(),
                                          form.line_ids.data, write_off=write_off)
        except DomainError as error:
            apply_errors(form, error)
        else:
            then = "its days are written off" if write_off else "its days can be invoiced again"
            flash(f"Credit note {note.number} issued for £{fmt_money(-note.gross)}; {then}.", "success")
            return redirect(url_for("billing.show_invoice", invoice_id=note.id))
    return render_template("billing/credit.html", invoice=invoice, form=form, open_lines=open_lines,
                           grosses={line.id: f"{line.gross:.2f}" for line in open_lines})


@roles(*FINANCE_ROLES)
@bp.post("/<int:invoice_id>/payments")
def record_payment(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            billing.record_payment(db.session, current_user, invoice, form.amount.data, form.paid_on.data,
                                   form.reference.data, _today())
        except DomainError as error:
            if error.fields:
                apply_errors(form, error)
                return _show(invoice, form)
            flash(error.message, "error")
        else:
            flash(f"Payment recorded. {invoice.number} is now {invoice.status.label.lower()}; "
                  f"balance £{fmt_money(invoice.balance)}.", "success")
        return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))
    return _show(invoice, form)


@roles(*INVOICE_READERS)
@bp.get("/<int:invoice_id>/pdf")
def download_pdf(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    try:
        body = pdf.render_pdf(invoice)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("billing.show_invoice", invoice_id=invoice_id))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{pdf.filename(invoice)}"'})


@roles(*FINANCE_ROLES)
@bp.get("/export")
def export():
    form = ExportForm(request.args)
    if "format" in request.args and form.validate():
        filters = exports.ExportFilters(issued_from=form.issued_from.data, issued_to=form.issued_to.data)
        data = exports.rows(db.session, filters)
        stamp = exports.period_stamp(data, filters, _today())
        if form.format.data == "xlsx":
            return Response(exports.to_xlsx(data),
                            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f'attachment; filename="ledger_{stamp}.xlsx"'})
        return Response(exports.to_csv(data), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="ledger_{stamp}.csv"'})
    return render_template("billing/export.html", form=form)


@roles(*FINANCE_ROLES)
@bp.get("/aged-debt")
def aged_debt():
    today = _today()
    rows, total = billing.aged_debt(db.session, today)
    fmt = request.args.get("format")
    if fmt in ("csv", "xlsx"):
        content, mimetype, ext = export_table(fmt, aged_title(today), *aged_table(rows, total))
        return Response(content, mimetype=mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{aged_filename(today)}.{ext}"'})
    return render_template("billing/aged_debt.html", rows=rows, total=total, buckets=billing.AGE_BUCKETS, today=today,
                           documents_balance=billing.balances_total(db.session))
