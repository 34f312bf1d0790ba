"""Sending an issued invoice or credit note to the client's finance e-mail,
with its PDF attached: queued in the outbox in the same transaction as the
audit row that records it. Resending is allowed and recorded each time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.billing import pdf
from tracker.billing.models import Invoice
from tracker.errors import ValidationFailed
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, OutboxMessage

TEMPLATE = "billing/mail/invoice"


class NoFinanceEmail(ValidationFailed):
    code = "no_finance_email"


def recipient(invoice: Invoice) -> str:
    return finance_address(invoice.client)


def finance_address(client) -> str:
    """The client authority's finance e-mail, checked: invoices and statements go there."""
    address = (client.finance_email or "").strip()
    if not address:
        raise NoFinanceEmail.for_field(
            "finance_email",
            f"{client.name} has no finance e-mail address. Add one on the authority's page, then send again.",
        )
    return mail.valid_address(address, "finance_email")


def send_invoice(session: Session, actor, invoice: Invoice) -> OutboxMessage:
    """Queue the document with its PDF to the client's finance e-mail (commits)."""
    if invoice.is_draft:
        raise pdf.NoPdfForDraft(f"{invoice.label} is a draft: issue it before sending it.")
    address = recipient(invoice)
    body = pdf.render_pdf(invoice)
    lead = mail.sender_name(session)
    message = mail.queue(
        session, kind=MessageKind.INVOICE, to_address=address, to_name=invoice.client.finance_contact,
        subject=f"{invoice.title} {invoice.number} from {lead}", template=TEMPLATE,
        context={"invoice": invoice, "lead": lead, "link": mail.public_url(f"/invoices/{invoice.id}")},
        attachments=[mail.Attachment(pdf.filename(invoice), body, "application/pdf")],
        ref=("invoice", invoice.id), actor=actor,
    )
    session.flush()
    audit.record(session, actor, "send", "invoice", invoice.id, None,
                 {"to": address, "message_id": message.id, "number": invoice.number})
    session.commit()
    return message


def sends_of(session: Session, invoice: Invoice) -> list[OutboxMessage]:
    return [m for m in mail.messages_about(session, "invoice", invoice.id) if m.kind == MessageKind.INVOICE]
