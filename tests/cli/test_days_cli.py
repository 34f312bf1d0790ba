import sqlalchemy as sa

from tracker.days.models import SupportDay


def test_flask_days_import(runner, world, session, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("engagement_id,staff_email,worked_on,activity,days,billable,notes\n"
                    f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-02,scoping,1,,\n")
    result = runner.invoke(args=["days", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 days from days.csv" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 1


def test_flask_days_import_lists_bad_lines_and_fails(runner, world, session, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("engagement_id,staff_email,worked_on,activity,days,billable,notes\n"
                    f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-02,scoping,1,,\n"
                    f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-03,scoping,1.5,,\n")
    result = runner.invoke(args=["days", "import", str(path)])
    assert result.exit_code != 0
    assert "line 3: days:" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 0
