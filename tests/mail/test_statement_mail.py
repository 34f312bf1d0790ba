"""A client's statement of account reaches its finance e-mail with the PDF
attached: queued once per request in the same transaction as its audit row,
finance roles only, 422 naming finance_email when the client has none."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.factories import TODAY, billing_samples
from tests.mail.conftest import send_mail
from tracker.audit.models import AuditLog
from tracker.billing import statement_mail, statements
from tracker.billing.mailing import NoFinanceEmail
from tracker.errors import NotFound
from tracker.mail.models import MessageStatus, OutboxMessage

PDF_NAME = "statement_client-a-council_2026-11-23.pdf"


def _messages(session):
    session.expire_all()
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_service_queues_the_statement_pdf_once_per_call_with_an_audit_row(world, session):
    invoice = billing_samples(session, world)["a"]
    number = invoice.number
    message = statement_mail.send_statement(session, world.users["finance"], world.client_a, TODAY)

    [row] = _messages(session)
    assert row.id == message.id and row.status == MessageStatus.QUEUED
    assert row.to_address == "ap@a.example.org" and (row.ref_kind, row.ref_id) == ("statement", world.client_a.id)
    assert row.subject == "Statement of account on 23 November 2026 from Lead Borough Council"
    assert "£" not in row.subject  # the balance stays in the body
    assert "your statement of account" in row.body_text and "your statement of account" in row.body_html
    assert "Client A Council" in row.body_text and "Client A Council" in row.body_html
    [attachment] = row.attachments
    assert attachment.filename == PDF_NAME and attachment.content_type == "application/pdf"
    text = _pdf_text(attachment.content)
    assert "Client A Council" in text and number in text

    audit = session.scalars(sa.select(AuditLog).where(AuditLog.action == "send_statement")).one()
    assert (audit.entity, audit.entity_id) == ("authority", str(world.client_a.id))
    assert audit.after["to"] == "ap@a.example.org" and audit.after["message_id"] == row.id
    assert audit.after["filename"] == PDF_NAME

    statement_mail.send_statement(session, world.users["finance"], world.client_a, TODAY)
    assert len(_messages(session)) == 2  # sending again is another message, recorded again
    assert len(statement_mail.sends_of(session, world.client_a)) == 2


def test_the_balance_in_the_body_follows_the_statement(world, session):
    billing_samples(session, world)
    statement_mail.send_statement(session, world.users["finance"], world.client_a, TODAY)
    [row] = _messages(session)
    balance = statements.statement(session, world.client_a, TODAY).balance
    assert balance > 0 and f"£{balance:,.2f}" in row.body_text and "Balance outstanding" in row.body_html


def test_no_finance_email_is_422_naming_the_field_and_queues_nothing(world, session, api_as):
    billing_samples(session, world)  # client B has no finance e-mail
    with pytest.raises(NoFinanceEmail) as caught:
        statement_mail.send_statement(session, world.users["finance"], world.client_b, TODAY)
    assert "finance_email" in caught.value.fields
    response = api_as("manager").post(f"/api/v1/authorities/{world.client_b.id}/statement/send")
    assert response.status_code == 422 and "finance_email" in response.json["error"]["fields"]
    assert _messages(session) == []
    assert session.scalars(sa.select(AuditLog).where(AuditLog.action == "send_statement")).all() == []


def test_nothing_is_queued_when_the_audit_write_fails(world, session, monkeypatch):
    billing_samples(session, world)

    def fail(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(statement_mail.audit, "record", fail)
    with pytest.raises(RuntimeError):
        statement_mail.send_statement(session, world.users["finance"], world.client_a, TODAY)
    session.rollback()
    assert _messages(session) == []


def test_client_users_cannot_send_and_see_other_statements_as_404(world, session, api_as, login_as):
    billing_samples(session, world)
    client = world.users["client"]
    with pytest.raises(NotFound):
        statements.get_client(session, client, world.client_b.id)
    api = api_as("client")
    for authority in (world.client_a, world.client_b):
        response = api.post(f"/api/v1/authorities/{authority.id}/statement/send")
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    assert login_as("client").post(f"/authorities/{world.client_a.id}/statement/send").status_code == 403
    assert api_as("finance").post(f"/api/v1/authorities/{world.lead.id}/statement/send").status_code == 404
    assert api_as("finance").post("/api/v1/authorities/999999/statement/send").status_code == 404
    assert _messages(session) == []


def test_the_statement_page_shows_the_button_to_finance_roles_only(world, session, login_as):
    billing_samples(session, world)
    url = f"/authorities/{world.client_a.id}/statement"
    for role in ("admin", "manager", "finance"):
        page = login_as(role).get(url).get_data(as_text=True)
        assert f'action="{url}/send"' in page and "Send to client" in page, role
        assert "Not sent by e-mail yet" in page and "ap@a.example.org" in page
    page = login_as("client").get(url).get_data(as_text=True)
    assert "Send to client" not in page and "/send" not in page and "Statement of account" in page


def test_the_page_button_queues_it_and_lists_the_send(world, session, login_as):
    billing_samples(session, world)
    finance = login_as("finance")
    url = f"/authorities/{world.client_a.id}/statement"
    done = finance.post(f"{url}/send", follow_redirects=True).get_data(as_text=True)
    assert "Statement queued to ap@a.example.org with its PDF." in done
    assert "Not sent by e-mail yet" not in done and "by finance@" in done
    assert len(_messages(session)) == 1
    refused = finance.post(f"/authorities/{world.client_b.id}/statement/send",
                           follow_redirects=True).get_data(as_text=True)
    assert "Client B Council has no finance e-mail address" in refused
    assert len(_messages(session)) == 1


def test_the_api_answers_202_and_the_pdf_is_delivered_over_smtp(smtp, world, session, api_as, runner):
    number = billing_samples(session, world)["a"].number
    response = api_as("finance").post(f"/api/v1/authorities/{world.client_a.id}/statement/send")
    assert response.status_code == 202, response.json
    body = response.json
    assert body["to"] == "ap@a.example.org" and body["status"] == "queued" and body["attachments"] == 1
    assert body["authority_id"] == world.client_a.id and body["message_id"] > 0
    assert smtp.received == []  # queued, not yet sent

    assert "Sent 1 message(s)" in send_mail(runner)
    [got] = smtp.received
    assert got.rcpt_tos == ["ap@a.example.org"]
    assert got.message["Subject"] == "Statement of account on 23 November 2026 from Lead Borough Council"
    assert "Client A Council" in got.message.get_body(("plain",)).get_content()
    [pdf] = list(got.message.iter_attachments())
    assert pdf.get_filename() == PDF_NAME and pdf.get_content_type() == "application/pdf"
    text = _pdf_text(pdf.get_content())
    assert number in text and "Client A Council" in text
    assert [m.status for m in _messages(session)] == [MessageStatus.SENT]
