"""POST /api/v1/invoices/{id}/send: queue an issued document to the client's finance e-mail."""

from flask_login import current_user

from tracker.access import FINANCE_ROLES, roles
from tracker.api.core import api_bp, operation
from tracker.api.schema import DateTime, Int, Schema, Str
from tracker.billing import mailing
from tracker.billing import services as billing
from tracker.extensions import db
from tracker.mail.models import MessageStatus


def queued_message_schema(name: str, ref_field: str, attached: str) -> Schema:
    """What a "send by e-mail" operation answers: the outbox message it queued, with
    the id of what was sent under ``ref_field``."""
    return Schema(name, {
        "message_id": Int(read_only=True, attr="id", description="The outbox message (admins read it at /admin/outbox)."),
        ref_field: Int(read_only=True, attr="ref_id"),
        "to": Str(read_only=True, attr="to_address", description="The client's finance e-mail."),
        "subject": Str(read_only=True),
        "status": Str(enum=[s.value for s in MessageStatus], read_only=True),
        "queued_at": DateTime(read_only=True, attr="created_at"),
        "attachments": Int(read_only=True, description=f"Number of files attached ({attached})."),
    })


InvoiceSendSchema = queued_message_schema("InvoiceSend", "invoice_id", "the PDF")


@roles(*FINANCE_ROLES)
@api_bp.post("/invoices/<int:invoice_id>/send")
@operation("Send an issued invoice or credit note to the client's finance e-mail, with its PDF (queued in the outbox)",
           tags=["invoices"], response=InvoiceSendSchema, status=202,
           description="Resending is allowed and recorded. 422 with fields.finance_email when the client has none; "
                       "409 for a draft.")
def send_invoice(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    message = mailing.send_invoice(db.session, current_user, invoice)
    return InvoiceSendSchema.dump(message, attachments=len(message.attachments)), 202
