import pytest

from tracker.api.openapi import UndocumentedOperation, build_openapi


def test_the_document_covers_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented, (path, method)


def test_api_md_names_are_present(client):
    doc = client.get("/api/v1/openapi.json").json
    for path in ["/api/v1/tokens", "/api/v1/authorities", "/api/v1/staff", "/api/v1/engagements",
                 "/api/v1/engagements/{engagement_id}"]:
        assert path in doc["paths"], path
    engagement = doc["components"]["schemas"]["Engagement"]["properties"]
    for name in ["id", "client_id", "title", "kind", "status", "day_rate", "estimated_days_low",
                 "estimated_days_high", "start_date", "end_date", "purchase_order", "vat_rate"]:
        assert name in engagement
    staff = doc["components"]["schemas"]["StaffMember"]["properties"]
    assert {"monthly_capacity_days", "external_cap_share", "job_title"} <= set(staff)


def test_every_ref_resolves(client):
    doc = client.get("/api/v1/openapi.json").json

    def refs(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(doc):
        name = ref.rsplit("/", 1)[-1]
        assert name in doc["components"]["schemas"], ref


def test_an_undocumented_api_view_breaks_the_document(database_url):
    from tests.conftest import make_config
    from tracker import create_app
    from tracker.access import public

    app = create_app(make_config(database_url))

    @public
    @app.get("/api/v1/sneaky", endpoint="api.sneaky")
    def sneaky():
        return {}

    with pytest.raises(UndocumentedOperation):
        build_openapi(app)
