"""The invoice or credit note as a PDF a council's accounts payable will pay:
every field HMRC asks of a VAT invoice, the purchase order, payment terms and
remittance details. Rendered by weasyprint from an HTML template and print
CSS, from the stored figures only (nothing is recomputed but the per-rate VAT
subtotal, which is a sum of stored line VAT)."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from pathlib import Path

from flask import render_template

from tracker.billing.models import Invoice
from tracker.errors import Conflict
from tracker.money import ZERO

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
    return render_template(
        "billing/invoice_pdf.html", invoice=invoice, vat_summary=vat_summary(invoice), vat_notes=vat_notes(invoice)
    )


def render_pdf(invoice: Invoice) -> bytes:
    if invoice.is_draft:
        raise NoPdfForDraft(
            f"{invoice.label} is a draft: it has no number yet and must not be sent. Issue it to get its PDF."
        )
    from weasyprint import CSS, HTML  # noqa: PLC0415  (slow to import; only when a PDF is wanted)

    document = HTML(string=render_html(invoice), base_url=str(STYLESHEET.parent))
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"
