"""The SAP framework: the shipped wording, idempotent seeding, and versions that
keep an old round's wording when an admin edits it."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import sap_round
from tracker.assessments import framework
from tracker.assessments.models import FrameworkVersion, SapStandard
from tracker.audit.models import AuditLog
from tracker.errors import Forbidden, ValidationFailed


def test_the_shipped_framework_has_twelve_distinct_standards_four_per_section(session, world):
    version = framework.current_version(session)
    assert [s.title for s in version.sections] == [
        "Commissioning Governance and Framework", "Commissioning Activity", "Commissioning Capacity and Capability"]
    codes = [s.code for s in version.standards]
    assert codes == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"]
    assert [s.section for s in version.standards] == [1] * 4 + [2] * 4 + [3] * 4
    assert len({s.title for s in version.standards}) == 12
    assert len({s.description for s in version.standards}) == 12
    assert all(40 < len(s.description) <= 220 for s in version.standards)
    words = {lv.score: lv.description for lv in version.levels}
    assert "no clear agreement about what is needed to move forward" in words[1]
    assert "agree what is needed" in words[2] and "begun to move forward" in words[2]
    assert "fully achieved across the Children's Trust" in words[5]


def test_the_migration_and_ensure_framework_agree_and_seeding_is_idempotent(session):
    # Every test starts from what `flask db upgrade` seeds: version 1 of the data file.
    version = framework.current_version(session)
    shipped = framework.clean_framework(framework.read_framework_file(framework.DATA_FILE))
    assert framework.flat_wording(framework.data_of(version)) == framework.flat_wording(shipped)
    framework.ensure_framework(session)
    framework.ensure_framework(session)
    assert session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(SapStandard)) == 12


def _edited(session, **changes):
    data = framework.data_of(framework.current_version(session))
    data.label = "Cheshire West wording"
    data.standards[2]["title"] = changes.get("title", "Needs assessment against the five outcomes")
    return data


def test_an_admin_edit_makes_a_new_version_and_old_rounds_keep_their_wording(session, world):
    old_round = sap_round(session, world.engagement_a, "Baseline", date(2026, 7, 1))
    version, created = framework.save_framework_version(session, world.users["admin"], _edited(session))
    assert created and version.number == 2
    new_round = sap_round(session, world.engagement_a, "6-month review", date(2027, 1, 10))
    session.expire_all()
    old_titles = {s.code: s.title for s in old_round.framework.standards}
    new_titles = {s.code: s.title for s in new_round.framework.standards}
    assert old_titles["1.3"] == "Joint needs assessment"
    assert new_titles["1.3"] == "Needs assessment against the five outcomes"
    assert old_round.framework.number == 1 and new_round.framework.number == 2
    row = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "sap_framework")).one()
    assert row.actor_label == "admin@lead.example.org"
    assert row.before == {"version": 1, "label": "Commissioning Support Programme SAP — default wording",
                          "standards.1.3.title": "Joint needs assessment"}
    assert row.after["standards.1.3.title"] == "Needs assessment against the five outcomes"
    assert "standards.1.1.title" not in row.after  # unchanged wording is not repeated


def test_saving_the_same_wording_makes_no_version(session, world):
    data = framework.data_of(framework.current_version(session))
    version, created = framework.save_framework_version(session, world.users["admin"], data)
    assert not created and version.number == 1


@pytest.mark.parametrize("role", ["manager", "consultant", "finance", "client"])
def test_only_an_admin_changes_the_framework(session, world, role):
    with pytest.raises(Forbidden):
        framework.save_framework_version(session, world.users[role], _edited(session))
    assert framework.current_version(session).number == 1


def test_bad_wording_is_refused_naming_each_part(session, world):
    data = framework.data_of(framework.current_version(session))
    data.standards[0]["title"] = " "
    data.standards.append({"code": "4.1", "section": 4, "title": "Orphan", "description": ""})
    data.levels[4]["description"] = "x" * 300
    with pytest.raises(ValidationFailed) as err:
        framework.save_framework_version(session, world.users["admin"], data)
    assert set(err.value.fields) == {"standards.1.1.title", "standards.4.1.section", "levels.5.description"}
    data = framework.data_of(framework.current_version(session))
    data.levels = data.levels[:4]
    with pytest.raises(ValidationFailed) as err:
        framework.clean_framework(data)
    assert "levels" in err.value.fields and "levels.5.label" in err.value.fields


def test_a_council_can_load_its_own_wording_from_a_file(runner, session, world, tmp_path):
    data = json.loads(framework.DATA_FILE.read_text())
    data["label"] = "Original CSP wording"
    data["standards"][0]["title"] = "Strategic vision"
    path = tmp_path / "sap.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(args=["sap", "load-framework", str(path)])
    assert result.exit_code == 0, result.output
    assert "version 2" in result.output
    assert framework.current_version(session).standards[0].title == "Strategic vision"
    again = runner.invoke(args=["sap", "load-framework", str(path)])
    assert again.exit_code == 0 and "already" in again.output
    path.write_text("{not json")
    bad = runner.invoke(args=["sap", "load-framework", str(path)])
    assert bad.exit_code != 0 and "Cannot read" in bad.output
