"""Engagement status by explicit buttons: each offered only from the right
state; closing and moving backwards ask for confirmation and a reason, which
is stored and audited; the API's PATCH keeps the same transitions."""

import re

import sqlalchemy as sa

from tests.conftest import login
from tests.factories import engagement
from tracker.audit.models import AuditLog
from tracker.engagements.models import EngagementStatus, EngagementStatusChange


def _buttons(html: str) -> list[str]:
    return re.findall(r'name="action" value="([a-z]+)"', html)


def test_each_state_offers_only_its_buttons_and_nothing_is_preselected(client, world, session):
    login(client, world.users["manager"])
    e = engagement(session, world.client_a, "Fresh", status="proposed")
    assert _buttons(client.get(f"/engagements/{e.id}").get_data(as_text=True)) == ["approve", "close"]
    assert client.post(f"/engagements/{e.id}/status", data={"action": "approve"}).status_code == 302
    assert e.status == EngagementStatus.APPROVED
    assert _buttons(client.get(f"/engagements/{e.id}").get_data(as_text=True)) == ["activate", "close", "unapprove"]
    client.post(f"/engagements/{e.id}/status", data={"action": "activate"})
    assert e.status == EngagementStatus.ACTIVE
    html = client.get(f"/engagements/{e.id}").get_data(as_text=True)
    assert _buttons(html) == ["close"] and "<select" not in html.split("<h2>Status</h2>")[1].split("</section>")[0]
    # A button from the wrong state changes nothing.
    client.post(f"/engagements/{e.id}/status", data={"action": "approve"})
    client.post(f"/engagements/{e.id}/status", data={"action": "reopen", "note": "x", "confirmed": "yes"})
    assert e.status == EngagementStatus.ACTIVE


def test_closing_asks_for_confirmation_and_a_reason(client, world, session):
    login(client, world.users["manager"])
    e = world.engagement_a
    page = client.post(f"/engagements/{e.id}/status", data={"action": "close"})
    assert page.status_code == 200 and "Close this engagement?" in page.get_data(as_text=True)
    assert e.status == EngagementStatus.ACTIVE  # nothing yet
    missing = client.post(f"/engagements/{e.id}/status", data={"action": "close", "confirmed": "yes", "note": " "})
    assert missing.status_code == 422 and "Give a reason to close" in missing.get_data(as_text=True)
    assert e.status == EngagementStatus.ACTIVE
    done = client.post(f"/engagements/{e.id}/status",
                       data={"action": "close", "confirmed": "yes", "note": "Package delivered"})
    assert done.status_code == 302 and e.status == EngagementStatus.CLOSED
    change = session.scalars(sa.select(EngagementStatusChange).order_by(EngagementStatusChange.id.desc())).first()
    assert (change.to_status, change.note) == ("closed", "Package delivered")
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(
        AuditLog.entity == "engagement", AuditLog.action == "status")) >= 1
    assert _buttons(client.get(f"/engagements/{e.id}").get_data(as_text=True)) == ["reopen"]
    assert client.post(f"/engagements/{e.id}/status", data={"action": "reopen"}).status_code == 200  # confirm first
    assert e.status == EngagementStatus.CLOSED


def test_api_patch_status_keeps_the_same_transitions(api_as, world):
    api = api_as("manager")
    e = world.engagement_a  # active
    r = api.patch(f"/api/v1/engagements/{e.id}", json={"status": "proposed"})
    assert r.status_code == 409
    r = api.patch(f"/api/v1/engagements/{e.id}", json={"status": "closed"})
    assert r.status_code == 200 and r.json["status"] == "closed"
