"""Read-only views (tracker/read_only.py): on PostgreSQL a GET of a kept list or report page
reads in autocommit (no BEGIN/ROLLBACK round trips); anything else keeps its transaction."""

from tracker.extensions import db
from tracker.read_only import begin_reads


def test_a_get_of_a_read_only_view_reads_in_autocommit_on_postgresql(app, world, is_postgres):
    db.session.remove()  # as at the start of every request in a worker
    with app.test_request_context("/engagements/", method="GET"):
        assert begin_reads() is is_postgres
        dbapi = db.session.connection().connection.dbapi_connection
        assert getattr(dbapi, "autocommit", False) is is_postgres
        db.session.remove()
    for path, method in (("/engagements/new", "GET"), ("/engagements/", "POST"), ("/invoices/", "GET")):
        with app.test_request_context(path, method=method):
            assert begin_reads() is False
            if is_postgres:
                assert db.session.connection().connection.dbapi_connection.autocommit is False
            db.session.remove()


def test_read_only_pages_still_answer_and_record_the_sign_in_touch(session, world, login_as, api_as):
    client, api = login_as("manager"), api_as("manager")
    for url in ("/engagements/", f"/engagements/{world.engagement_a.id}/days", "/reports/income",
                "/reports/capacity?month=2026-11", f"/reports/progress/{world.engagement_a.id}"):
        assert client.get(url).status_code == 200, url
    assert api.get("/api/v1/engagements").status_code == 200
    assert api.get(f"/api/v1/engagements/{world.engagement_a.id}/days").status_code == 200
