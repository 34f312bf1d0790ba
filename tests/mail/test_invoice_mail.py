"""Invoices and credit notes reach the client's finance e-mail through a real
SMTP server, with the PDF attached; sent once per request, recorded, resendable."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.factories import billing_samples, day, draft
from tests.mail.conftest import send_mail
from tracker.audit.models import AuditLog
from tracker.billing import mailing
from tracker.mail.models import MessageKind, MessageStatus, OutboxMessage


def _messages(session):
    session.expire_all()
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_send_to_client_delivers_the_pdf_to_the_finance_email(smtp, api_as, world, session, runner, login_as):
    invoice = billing_samples(session, world)["a"]
    invoice_id, number = invoice.id, invoice.number
    response = api_as("finance").post(f"/api/v1/invoices/{invoice_id}/send")
    assert response.status_code == 202, response.json
    assert response.json["to"] == "ap@a.example.org" and response.json["status"] == "queued"
    assert response.json["attachments"] == 1
    assert smtp.received == []  # queued, not yet sent

    assert "Sent 1 message(s)" in send_mail(runner)
    assert len(smtp.received) == 1
    got = smtp.received[0]
    assert got.rcpt_tos == ["ap@a.example.org"] and got.mail_from == "tracker@lead.example.org"
    message = got.message
    assert message["Subject"] == f"VAT invoice {number} from Lead Borough Council"
    assert message["From"].addresses[0].display_name == "Lead Borough Council"
    assert message.get_body(("plain",)).get_content().count(number) >= 1
    assert "£" in message.get_body(("html",)).get_content()
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == f"{number}.pdf" and pdf.get_content_type() == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert number in text and "Client A Council" in text

    [row] = _messages(session)
    assert row.status == MessageStatus.SENT and row.sent_at is not None and row.attempts == 1
    audit = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "invoice", AuditLog.action == "send")).one()
    assert audit.after["to"] == "ap@a.example.org"

    # Running the sender again sends nothing twice.
    assert "Sent 0 message(s)" in send_mail(runner)
    assert len(smtp.received) == 1

    # The invoice page shows when and to whom; resending is allowed and recorded.
    page = login_as("finance").get(f"/invoices/{invoice_id}")
    assert "Sent to the client" in page.text and "ap@a.example.org" in page.text and "Send to client" in page.text
    resend = login_as("finance").post(f"/invoices/{invoice_id}/send", follow_redirects=True)
    assert "queued to ap@a.example.org" in resend.text
    send_mail(runner)
    assert len(smtp.received) == 2
    assert [m.kind for m in _messages(session)] == [MessageKind.INVOICE, MessageKind.INVOICE]


def test_a_client_without_a_finance_email_gets_422_naming_the_field(api_as, world, session):
    invoice = billing_samples(session, world)["b"]  # client B has no finance e-mail
    response = api_as("manager").post(f"/api/v1/invoices/{invoice.id}/send")
    assert response.status_code == 422
    assert "finance_email" in response.json["error"]["fields"]
    assert _messages(session) == []


def test_a_draft_cannot_be_sent(api_as, world, session):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 6), "1")
    invoice = draft(session, world.client_a)
    response = api_as("finance").post(f"/api/v1/invoices/{invoice.id}/send")
    assert response.status_code == 409
    assert _messages(session) == []


def test_no_mail_is_queued_when_the_change_rolls_back(world, session, monkeypatch):
    invoice = billing_samples(session, world)["a"]

    def fail(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(mailing.audit, "record", fail)
    with pytest.raises(RuntimeError):
        mailing.send_invoice(session, world.users["finance"], invoice)
    session.rollback()
    assert _messages(session) == []


def test_a_credit_note_is_sent_too(smtp, api_as, world, session, runner):
    invoice = billing_samples(session, world)["a"]
    note = api_as("finance").post(f"/api/v1/invoices/{invoice.id}/credit", json={"reason": "Wrong month"}).json
    assert api_as("finance").post(f"/api/v1/invoices/{note['id']}/send").status_code == 202
    send_mail(runner)
    [got] = smtp.received
    assert got.message["Subject"].startswith(f"Credit note {note['number']}")
    assert [a.get_filename() for a in got.message.iter_attachments()] == [f"{note['number']}.pdf"]
