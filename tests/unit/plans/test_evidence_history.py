"""A milestone's evidence is a dated history (saving adds, never overwrites),
and "done on" is the date given, not forced to today."""

from datetime import date, timedelta

import pytest

from tests.factories import TODAY, goal, milestone
from tracker.errors import ValidationFailed
from tracker.plans import services as plans
from tracker.plans.models import MilestoneStatus


def test_saving_evidence_adds_a_dated_entry_and_keeps_the_earlier_ones(session, world):
    m = milestone(session, goal(session, world.engagement_a))
    client = world.users["client"]
    plans.update_milestone(session, client, m, {"status": "in_progress", "evidence": "Data group met 3 Nov."},
                           TODAY - timedelta(days=14))
    plans.update_milestone(session, client, m, {"evidence": "Sources agreed at the Trust Executive."}, TODAY)
    plans.update_milestone(session, client, m, {"evidence": ""}, TODAY)  # an empty box adds nothing, erases nothing
    plans.update_milestone(session, client, m, {"evidence": "Sources agreed at the Trust Executive."}, TODAY)  # same again
    session.refresh(m)
    assert m.evidence == "Sources agreed at the Trust Executive."
    assert [(e.noted_on, e.text, e.status) for e in m.evidence_history] == [
        (TODAY, "Sources agreed at the Trust Executive.", MilestoneStatus.IN_PROGRESS),
        (TODAY - timedelta(days=14), "Data group met 3 Nov.", MilestoneStatus.IN_PROGRESS),
    ]
    assert m.evidence_history[0].created_by_id == client.id


def test_done_on_is_editable_and_defaults_to_today(session, world):
    m = milestone(session, goal(session, world.engagement_a))
    manager = world.users["manager"]
    plans.update_milestone(session, manager, m, {"status": "done", "completed_on": date(2026, 11, 2)}, TODAY)
    assert m.completed_on == date(2026, 11, 2)
    plans.update_milestone(session, manager, m, {"evidence": "Minute 12"}, TODAY)  # other saves keep it
    assert m.completed_on == date(2026, 11, 2)
    with pytest.raises(ValidationFailed) as err:
        plans.update_milestone(session, manager, m, {"completed_on": TODAY + timedelta(days=1)}, TODAY)
    assert "future" in err.value.fields["completed_on"]
    plans.update_milestone(session, manager, m, {"status": "in_progress"}, TODAY)
    assert m.completed_on is None
    plans.update_milestone(session, manager, m, {"status": "done"}, TODAY)
    assert m.completed_on == TODAY


def test_the_milestone_page_shows_the_history_and_a_done_on_field(login_as, session, world):
    m = milestone(session, goal(session, world.engagement_a))
    plans.update_milestone(session, world.users["client"], m, {"evidence": "First note"}, TODAY - timedelta(days=3))
    client = login_as("client")
    html = client.get(f"/milestones/{m.id}/edit").get_data(as_text=True)
    assert "Evidence so far" in html and "First note" in html and 'name="completed_on"' in html
    response = client.post(f"/milestones/{m.id}/edit", data={"status": "done", "completed_on": "2026-11-20",
                                                             "evidence": "Signed off by the Board"})
    assert response.status_code == 302
    session.refresh(m)
    assert m.completed_on == date(2026, 11, 20)
    assert [e.text for e in m.evidence_history] == ["Signed off by the Board", "First note"]
