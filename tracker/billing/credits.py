"""Credit notes: the only correction of an issued invoice.

Crediting makes a credit note in its own gap-free series that references the
invoice, with one negative line per credited line (figures negated exactly, so
invoice plus credit nets to zero). The credited lines' day claims are
released and their days go back to delivered: they can be invoiced again,
once; or, with ``write_off``, the days are written off: they stay invoiced
(locked), flagged ``written_off``, and are never billable again. Each invoice line can be credited at most once (a unique key on
``credits_line_id`` holds that even under races); partial credits choose lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.billing import queries, specs
from tracker.billing.drafting import check_totals, describe
from tracker.billing.issuing import covered_day_ids, next_number
from tracker.billing.models import (
    Invoice,
    InvoiceDayClaim,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineDay,
    InvoiceStatus,
)
from tracker.billing.pricing import total
from tracker.database import utcnow
from tracker.days.models import DayState, SupportDay
from tracker.errors import Conflict, ValidationFailed
from tracker.money import ZERO

#: The limit the form and the API schema take from here.
REASON_MAX = 1000


class NotCreditable(Conflict):
    code = "not_creditable"


class AlreadyCredited(Conflict):
    code = "already_credited"


def credited_line_ids(session: Session, invoice: Invoice) -> set[int]:
    ids = [line.id for line in invoice.lines]
    if not ids:
        return set()
    stmt = sa.select(InvoiceLine.credits_line_id).where(InvoiceLine.credits_line_id.in_(ids))
    return set(session.scalars(stmt))


def settled_status(invoice: Invoice, fully_credited: bool) -> InvoiceStatus:
    """An issued invoice's status from its figures."""
    if fully_credited:
        return InvoiceStatus.CREDITED
    if invoice.balance <= ZERO:
        return InvoiceStatus.PAID
    if invoice.paid > ZERO:
        return InvoiceStatus.PART_PAID
    return InvoiceStatus.ISSUED


def _chosen_lines(invoice: Invoice, already: set[int], line_ids) -> list[InvoiceLine]:
    if line_ids is None:
        chosen = [line for line in invoice.lines if line.id not in already]
        if not chosen:
            raise AlreadyCredited(f"Every line of {invoice.label} has already been credited.")
        return chosen
    try:
        wanted = {int(i) for i in line_ids}
    except (TypeError, ValueError):
        raise ValidationFailed.for_field("line_ids", "Choose lines by their ids.") from None
    if not wanted:
        raise ValidationFailed.for_field("line_ids", "Choose at least one line to credit.")
    own = {line.id for line in invoice.lines}
    unknown = wanted - own
    if unknown:
        raise ValidationFailed.for_field(
            "line_ids", f"Lines {', '.join(map(str, sorted(unknown)))} are not on {invoice.label}."
        )
    twice = wanted & already
    if twice:
        positions = sorted(line.position for line in invoice.lines if line.id in twice)
        raise AlreadyCredited.for_field(
            "line_ids", f"Line{'s' if len(positions) > 1 else ''} {', '.join(map(str, positions))} "
                        f"of {invoice.label} {'have' if len(positions) > 1 else 'has'} already been credited.",
        )
    return [line for line in invoice.lines if line.id in wanted]


@dataclass(frozen=True)
class CreditPreview:
    lines: list
    net: Decimal
    gross: Decimal
    write_off: bool


def _creditable(invoice: Invoice) -> None:
    if invoice.is_credit_note:
        raise NotCreditable("A credit note cannot itself be credited.")
    if invoice.is_draft:
        raise NotCreditable(f"{invoice.label} is a draft: delete it instead of crediting it.")


def _write_off_flag(write_off) -> bool:
    if write_off in (None, False, "", "reinvoice"):
        return False
    if write_off in (True, "write_off"):
        return True
    raise ValidationFailed.for_field("write_off", "Choose whether to re-invoice these days later or write them off.")


def preview_credit(session: Session, invoice: Invoice, line_ids, write_off=False) -> CreditPreview:
    """What a credit would cover (for the confirmation), checked like the credit itself."""
    _creditable(invoice)
    chosen = _chosen_lines(invoice, credited_line_ids(session, invoice), line_ids)
    return CreditPreview(chosen, sum((line.net for line in chosen), ZERO), sum((line.gross for line in chosen), ZERO),
                         _write_off_flag(write_off))


def credit_invoice(session: Session, actor, invoice: Invoice, reason: str, today: date, line_ids=None,
                   write_off=False) -> Invoice:
    """A credit note for the whole invoice, or for chosen lines; frees their
    days for re-invoicing, or writes them off (never billable again)."""
    queries.lock_invoice(session, invoice)
    _creditable(invoice)
    write_off = _write_off_flag(write_off)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_field("reason", "Say why the invoice is being credited; it is printed on the credit note.")
    if len(reason) > REASON_MAX:
        raise ValidationFailed.for_field("reason", f"Keep the reason to {REASON_MAX:,} characters.")
    already = credited_line_ids(session, invoice)
    chosen = _chosen_lines(invoice, already, line_ids)

    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE, status=InvoiceStatus.ISSUED, client_id=invoice.client_id, up_to=invoice.up_to,
        credits_id=invoice.id, reason=reason, issued_on=today, due_on=None, purchase_order=invoice.purchase_order,
        supplier_name=invoice.supplier_name, supplier_address=invoice.supplier_address,
        supplier_vat_number=invoice.supplier_vat_number, supplier_contact=invoice.supplier_contact,
        customer_name=invoice.customer_name, customer_address=invoice.customer_address,
        customer_contact=invoice.customer_contact, created_by_id=getattr(actor, "id", None),
        issued_at=utcnow(), issued_by_id=getattr(actor, "id", None),
        number=next_number(session, InvoiceKind.CREDIT_NOTE, specs.credit_note_prefix(session, today), today.year),
    )
    for position, line in enumerate(chosen, start=1):
        copy = InvoiceLine(
            position=position, engagement_id=line.engagement_id, staff_id=line.staff_id, activity=line.activity,
            description=line.description, engagement_title=line.engagement_title, staff_name=line.staff_name,
            purchase_order=line.purchase_order, first_day=line.first_day, last_day=line.last_day,
            days=-line.days, rate=line.rate, net=-line.net, vat_rate=line.vat_rate, vat_note=line.vat_note,
            vat=-line.vat, gross=-line.gross, credits_line_id=line.id, write_off=write_off,
        )
        copy.day_links = [InvoiceLineDay(support_day_id=link.support_day_id, worked_on=link.worked_on, days=link.days)
                          for link in line.day_links]
        note.lines.append(copy)
    sums = total(note.lines)
    note.net, note.vat, note.gross = sums.net, sums.vat, sums.gross
    session.add(note)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise AlreadyCredited("Those lines were credited a moment ago by someone else; nothing was saved.") from None
    check_totals(session, note)

    chosen_ids = [line.id for line in chosen]
    released = sorted(session.scalars(
        sa.select(InvoiceDayClaim.support_day_id).where(InvoiceDayClaim.line_id.in_(chosen_ids))
    ))
    session.execute(sa.delete(InvoiceDayClaim).where(InvoiceDayClaim.line_id.in_(chosen_ids)))
    if released:
        # Re-invoice later: back to delivered. Write off: stays invoiced (locked), flagged, never billable again.
        values = {"written_off": True} if write_off else {"state": DayState.DELIVERED}
        session.execute(
            sa.update(SupportDay).where(SupportDay.id.in_(released)).values(**values, updated_at=utcnow()),
            execution_options={"synchronize_session": "fetch"},
        )
    before = {"status": invoice.status, "credited": invoice.credited}
    invoice.credited = invoice.credited - note.gross
    invoice.status = settled_status(invoice, fully_credited=len(already) + len(chosen) == len(invoice.lines))
    audit.record(session, actor, "credit", "invoice", invoice.id, before,
                 {"status": invoice.status, "credited": invoice.credited, "credit_note": note.number})
    audit.record(session, actor, "issue", "invoice", note.id, None,
                 describe(note) | {"write_off": write_off,
                                   ("written_off_support_day_ids" if write_off else "released_support_day_ids"): released,
                                   "covered_support_day_ids": covered_day_ids(session, chosen_ids)})
    session.commit()
    return note
