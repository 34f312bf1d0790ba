"""POST /api/v1/authorities/{id}/statement/send: queue a client's statement of
account to its finance e-mail, with the PDF attached."""

from flask_login import current_user

from tracker import clock
from tracker.access import FINANCE_ROLES, roles
from tracker.api.core import api_bp, operation
from tracker.api.invoice_mail import queued_message_schema
from tracker.billing import statement_mail, statements
from tracker.extensions import db

StatementSendSchema = queued_message_schema("StatementSend", "authority_id", "the statement PDF")


@roles(*FINANCE_ROLES)
@api_bp.post("/authorities/<int:authority_id>/statement/send")
@operation("Send a client's statement of account to its finance e-mail, with the PDF (queued in the outbox)",
           tags=["authorities"], response=StatementSendSchema, status=202,
           description="The statement is as of today. Sending again is allowed and recorded. "
                       "422 with fields.finance_email when the client has none; 404 for the lead authority.")
def send_statement(authority_id: int):
    client = statements.get_client(db.session, current_user, authority_id)
    message = statement_mail.send_statement(db.session, current_user, client, clock.today())
    return StatementSendSchema.dump(message, attachments=len(message.attachments)), 202
