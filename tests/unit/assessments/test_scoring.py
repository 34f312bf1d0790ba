"""Rounds and group responses: every bad score is named, nothing is half-saved,
each change is audited, and only the right people may record scores."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import sap_response, sap_round, user
from tracker.access import SystemActor
from tracker.assessments import services as sap
from tracker.assessments.models import AssessmentResponse, Score
from tracker.audit.models import AuditLog
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed


def _count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def baseline(session, world):
    return sap_round(session, world.engagement_a, "Baseline", date(2026, 7, 1), ["Early intervention and prevention"])


def test_a_group_may_score_some_standards_with_evidence(session, world, baseline):
    response = sap_response(session, baseline, "Children's Trust Board", {"1.1": 2, "2.3": "4"},
                            {"2.3": "  Two contracts now name outcomes.  "})
    assert response.score_map == {"1.1": 2, "2.3": 4}
    assert response.evidence_map == {"2.3": "Two contracts now name outcomes."}


def test_every_bad_score_is_named_and_nothing_is_saved(session, world, baseline):
    scores = {"1.1": 0, "1.2": 6, "1.3": "three", "1.4": 2.5, "2.1": True, "4.1": 3, "2.2": 3}
    with pytest.raises(ValidationFailed) as err:
        sap_response(session, baseline, "Trust Executive", scores, {"9.9": "x", "3.1": "no score for me"})
    fields = err.value.fields
    assert set(fields) == {"scores.1.1", "scores.1.2", "scores.1.3", "scores.1.4", "scores.2.1", "scores.4.1",
                           "evidence.9.9", "evidence.3.1"}
    assert "1.2" in fields["scores.1.2"] and "1 to 5" in fields["scores.1.2"]
    assert "Unknown standard “4.1”" in fields["scores.4.1"] and "1.1 to 3.4" in fields["scores.4.1"]
    assert "Give a score for 3.1" in fields["evidence.3.1"]
    assert err.value.status == 422
    session.rollback()
    assert _count(session, AssessmentResponse) == 0 and _count(session, Score) == 0


def test_a_response_needs_a_group_and_at_least_one_score(session, world, baseline):
    with pytest.raises(ValidationFailed) as err:
        sap_response(session, baseline, "  ", {"1.1": None, "1.2": ""})
    assert set(err.value.fields) == {"group", "scores"}


def test_a_group_responds_once_a_round(session, world, baseline):
    sap_response(session, baseline, "Trust Executive", {"1.1": 2})
    with pytest.raises(Conflict) as err:
        sap_response(session, baseline, "trust executive", {"1.1": 3})
    assert err.value.status == 409 and "group" in err.value.fields


def test_correcting_a_response_replaces_its_scores_and_audits_only_the_change(session, world, baseline):
    response = sap_response(session, baseline, "Trust Executive", {"1.1": 2, "1.2": 3, "3.3": 1}, {"3.3": "No shared data"})
    sap.update_response(session, world.users["client"], response,
                        sap.ResponseInput("Trust Executive", {"1.1": 3, "1.2": 3}, {}))
    assert response.score_map == {"1.1": 3, "1.2": 3}
    assert _count(session, Score) == 2
    row = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "sap_response", AuditLog.action == "update")).one()
    assert row.actor_label == "user@a.example.org"
    assert row.before == {"scores.1.1": 2, "scores.3.3": 1, "evidence.3.3": "No shared data"}
    assert row.after == {"scores.1.1": 3, "scores.3.3": None, "evidence.3.3": None}
    created = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "sap_response", AuditLog.action == "create")).one()
    assert created.after["scores.1.2"] == 3 and created.after["group"] == "Trust Executive"


def test_client_users_score_their_own_authoritys_rounds_only(session, world, baseline):
    by_client = sap_response(session, baseline, "Commissioning team", {"2.1": 3}, actor=world.users["client"])
    assert by_client.recorded_by_id == world.users["client"].id
    with pytest.raises(NotFound):
        sap.get_assessment(session, world.users["client_b"], baseline.id)
    with pytest.raises(NotFound):
        sap.get_response(session, world.users["client_b"], by_client.id)
    with pytest.raises(Forbidden):  # a service called directly still refuses
        sap_response(session, baseline, "Board", {"1.1": 2}, actor=world.users["client_b"])


def test_finance_and_consultants_off_the_team_read_but_do_not_score(session, world, baseline):
    other = user(session, "kim@lead.example.org", "consultant", staff_id=world.staff["s2"].id)
    for actor in (world.users["finance"], other):
        with pytest.raises(Forbidden):
            sap_response(session, baseline, "Board", {"1.1": 2}, actor=actor)
        assert sap.get_assessment(session, actor, baseline.id) is baseline
    assert sap_response(session, baseline, "Board", {"1.1": 2}, actor=world.users["consultant"]).id


def test_rounds_need_a_unique_label_a_date_and_distinct_key_areas(session, world, baseline):
    with pytest.raises(Conflict):
        sap_round(session, world.engagement_a, "baseline", date(2026, 8, 1))
    with pytest.raises(ValidationFailed) as err:
        sap.create_assessment(session, SystemActor("test"), world.engagement_a,
                              sap.AssessmentInput("", None, ["Early help", "early help", "x" * 201]))
    assert set(err.value.fields) == {"label", "assessed_on", "key_areas"}
    with pytest.raises(Forbidden):
        sap_round(session, world.engagement_a, "Client's own round", actor=world.users["client"])
    sap.update_assessment(session, world.users["manager"], baseline,
                          sap.AssessmentInput("Baseline", date(2026, 7, 2), ["Early help", "Disabled children"]))
    row = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "sap_assessment", AuditLog.action == "update")).one()
    assert row.before == {"assessed_on": "2026-07-01", "key_areas": ["Early intervention and prevention"]}
    assert row.after == {"assessed_on": "2026-07-02", "key_areas": ["Early help", "Disabled children"]}
