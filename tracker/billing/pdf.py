"""The invoice or credit note as a PDF a council's accounts payable will pay:
every field HMRC asks of a VAT invoice, the purchase order, payment terms,
remittance details and a detachable remittance slip, with the lead's logo, on
one A4 page for a short invoice; a tagged PDF/UA-1 document. Rendered by weasyprint from an HTML template and print
CSS, from the stored figures only (nothing is recomputed but the per-rate VAT
subtotal, which is a sum of stored line VAT)."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from pathlib import Path

from flask import render_template
from sqlalchemy.orm import object_session

from tracker.billing import logo
from tracker.billing.models import Invoice
from tracker.errors import Conflict
from tracker.money import ZERO
from tracker.pdf import html_to_pdf

STYLESHEET = Path(__file__).with_name("pdf.css")


class NoPdfForDraft(Conflict):
    code = "draft_has_no_pdf"


def vat_summary(invoice: Invoice) -> list[tuple[str, Decimal]]:
    """VAT per rate (only worth printing when an invoice mixes rates)."""
    groups: OrderedDict[str, Decimal] = OrderedDict()
    for line in invoice.lines:
        if line.vat_rate is None:
            continue
        groups[line.vat_label] = groups.get(line.vat_label, ZERO) + line.vat
    return [(f"at {label}", amount) for label, amount in groups.items()] if len(groups) > 1 else []


def vat_notes(invoice: Invoice) -> list[str]:
    """Why lines carry no VAT, each saying "outside the scope of VAT" once."""
    notes: list[str] = []
    for line in invoice.lines:
        if line.vat_rate is None:
            note = line.vat_note.strip()
            if "outside the scope of vat" not in note.lower():
                note = f"Outside the scope of VAT: {note}" if note else "Outside the scope of VAT."
            if note not in notes:
                notes.append(note)
    return notes


def render_html(invoice: Invoice) -> str:
    session = object_session(invoice)
    return render_template(
        "billing/invoice_pdf.html", invoice=invoice, vat_summary=vat_summary(invoice), vat_notes=vat_notes(invoice),
        logo=logo.data_uri(session, invoice.issued_on) if session is not None and invoice.issued_on else None,
    )


def render_pdf(invoice: Invoice) -> bytes:
    if invoice.is_draft:
        raise NoPdfForDraft(
            f"{invoice.label} is a draft: it has no number yet and must not be sent. Issue it to get its PDF."
        )
    return html_to_pdf(render_html(invoice), [STYLESHEET])


def filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"
