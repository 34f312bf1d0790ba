"""Sending a client's statement of account to its finance e-mail, with the
statement PDF attached: queued in the outbox in the same transaction as the
audit row that records it. Sending again is allowed and recorded each time.

The outbox has no message kind of its own for statements (adding one would
change the table's CHECK constraint): they go out as finance mail of kind
"invoice", told apart by their reference ("statement", client id)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.authorities.models import Authority
from tracker.billing import statements
from tracker.billing.mailing import finance_address
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, OutboxMessage

TEMPLATE = "billing/mail/statement"
REF_KIND = "statement"


def slug(name: str) -> str:
    """"Client A Council" → "client-a-council" (letters and digits only)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "client"


def filename(st: statements.Statement) -> str:
    return f"statement_{slug(st.client.name)}_{st.today:%Y-%m-%d}.pdf"


def send_statement(session: Session, actor, client: Authority, today: date) -> OutboxMessage:
    """Queue the client's statement on ``today`` with its PDF to the client's finance e-mail (commits)."""
    address = finance_address(client)
    st = statements.statement(session, client, today)
    body = statements.render_pdf(st, session)
    lead = mail.sender_name(session)
    message = mail.queue(
        session, kind=MessageKind.INVOICE, to_address=address, to_name=client.finance_contact,
        subject=f"Statement of account on {today:%-d %B %Y} from {lead}", template=TEMPLATE,
        context={"statement": st, "lead": lead,
                 "link": mail.public_url(f"/authorities/{client.id}/statement")},
        attachments=[mail.Attachment(filename(st), body, "application/pdf")],
        ref=(REF_KIND, client.id), actor=actor,
    )
    session.flush()
    audit.record(session, actor, "send_statement", "authority", client.id, None,
                 {"to": address, "message_id": message.id, "on": today, "balance": st.balance,
                  "filename": message.attachments[0].filename})
    session.commit()
    return message


def sends_of(session: Session, client: Authority) -> list[OutboxMessage]:
    """Statements queued to this client, newest first."""
    return mail.messages_about(session, REF_KIND, client.id)
