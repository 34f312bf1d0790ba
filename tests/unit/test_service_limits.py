"""The services own every text limit: a caller that skips the form or the API
schema (the CLI, an import, another service) meets the same limit, named by field;
the forms and the API schemas take their limits from the same constants."""

from datetime import date

import pytest

from tests.factories import authority, engagement, staff_member
from tracker.access import SystemActor
from tracker.assessments import services as sap
from tracker.authorities import services as authorities
from tracker.engagements import services as engagements
from tracker.engagements.forms import EngagementForm
from tracker.errors import ValidationFailed
from tracker.settings import services as settings
from tracker.staff import services as staff
from tracker.staff.forms import StaffForm


def _fields(call) -> dict:
    with pytest.raises(ValidationFailed) as err:
        call()
    return err.value.fields


def test_engagement_text_limits(session, world):
    too_long = {"description": "x" * (engagements.DESCRIPTION_MAX + 1),
                "purchase_order": "P" * (engagements.PURCHASE_ORDER_MAX + 1),
                "approval_reference": "m" * (engagements.NOTE_MAX + 1),
                "vat_note": "n" * (engagements.NOTE_MAX + 1)}
    fields = _fields(lambda: engagement(session, world.client_a, "Too wordy", vat_rate=None, **too_long))
    assert set(fields) == set(too_long)
    assert "5,000" in fields["description"]
    ok = engagement(session, world.client_a, "Just right", description="x" * engagements.DESCRIPTION_MAX)
    assert len(ok.description) == engagements.DESCRIPTION_MAX


def test_staff_authority_and_setting_limits(session, world):
    fields = _fields(lambda: staff_member(session, "Pat Long", job_title="j" * (staff.JOB_TITLE_MAX + 1)))
    assert set(fields) == {"job_title"}
    fields = _fields(lambda: authority(session, "Wordy Council", address="a" * (authorities.ADDRESS_MAX + 1),
                                       finance_contact="c" * (authorities.FINANCE_CONTACT_MAX + 1)))
    assert set(fields) == {"address", "finance_contact"}
    fields = _fields(lambda: settings.set_value(session, "day_rate", "510.00", date(2027, 4, 1), SystemActor("test"),
                                                note="n" * (settings.NOTE_MAX + 1)))
    assert set(fields) == {"note"}


def test_round_limits(session, world):
    data = sap.AssessmentInput("L" * (sap.LABEL_MAX + 1), date(2026, 7, 1), ["k" * (sap.KEY_AREA_MAX + 1)],
                               "n" * (sap.NOTES_MAX + 1))
    fields = _fields(lambda: sap.create_assessment(session, SystemActor("test"), world.engagement_a, data))
    assert set(fields) == {"label", "key_areas", "notes"}


def test_forms_and_api_schemas_take_the_services_limits(app, client):
    doc = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert doc["EngagementInput"]["properties"]["description"]["maxLength"] == engagements.DESCRIPTION_MAX
    assert doc["StaffMemberInput"]["properties"]["job_title"]["maxLength"] == staff.JOB_TITLE_MAX
    assert doc["AuthorityInput"]["properties"]["address"]["maxLength"] == authorities.ADDRESS_MAX
    with app.test_request_context():
        lengths = {v.max for v in EngagementForm().description.validators if hasattr(v, "max")}
        assert lengths == {engagements.DESCRIPTION_MAX}
        lengths = {v.max for v in StaffForm().job_title.validators if hasattr(v, "max")}
        assert lengths == {staff.JOB_TITLE_MAX}
