"""JSON nested deeper than MAX_JSON_DEPTH answers 400 before anything parses
it recursively: the API's body parsing, the login throttle's key function
and forms posted as JSON."""

import pytest

from tests.conftest import make_config
from tracker import create_app
from tracker.extensions import limiter
from tracker.json_depth import MAX_JSON_DEPTH, JSONTooDeep, check_depth

DEEP = "[" * 5000 + "]" * 5000


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture
def throttled_app(app, database_url, world):
    config = make_config(database_url)
    config.RATELIMIT_ENABLED = True
    config.RATELIMIT_STORAGE_URI = "memory://"
    yield create_app(config)
    limiter.init_app(app)  # hand the limiter back to the suite's app (throttling off)
    assert limiter.enabled is False


def test_the_depth_check_counts_nesting_not_brackets_in_strings():
    check_depth(_nested(MAX_JSON_DEPTH))
    check_depth('{"text": "' + "[" * 10_000 + '", "list": [' + "[1]," * 10_000 + "[2]]}")
    check_depth(b'["\\"[[[[", {"a": [[]]}]')
    with pytest.raises(JSONTooDeep):
        check_depth(_nested(MAX_JSON_DEPTH + 1))
    with pytest.raises(JSONTooDeep):
        check_depth(DEEP)
    check_depth("[}")  # malformed, not deep: left to the parser to refuse


def test_deep_json_to_the_token_endpoint_answers_400_even_when_throttled(throttled_app):
    client = throttled_app.test_client()
    answers = [client.post("/api/v1/tokens", data=DEEP, content_type="application/json") for _ in range(15)]
    assert answers[0].status_code == 400 and "nested" in answers[0].json["error"]["message"]
    # the throttle's key function reads the body too: it keeps counting (429), never fails (500)
    assert {r.status_code for r in answers} <= {400, 429}


def test_deep_json_to_any_api_operation_answers_400(api_as, world):
    api = api_as("manager")
    r = api.post(f"/api/v1/engagements/{world.engagement_a.id}/days", data=DEEP, content_type="application/json")
    assert r.status_code == 400 and "nested" in r.json["error"]["message"]
    r = api.patch(f"/api/v1/engagements/{world.engagement_a.id}", data=_nested(MAX_JSON_DEPTH + 1),
                  content_type="application/json")
    assert r.status_code == 400
    # just within the limit: parsed, then refused for its values
    r = api.patch(f"/api/v1/engagements/{world.engagement_a.id}", data=_nested(MAX_JSON_DEPTH),
                  content_type="application/json")
    assert r.status_code == 422


def test_deep_json_posted_to_a_form_page_answers_400(app, login_as):
    for client, url in ((app.test_client(), "/login"), (login_as("manager"), "/engagements/new")):
        r = client.post(url, data=DEEP, content_type="application/json")
        assert r.status_code == 400, (url, r.status_code)


def test_password_link_requests_are_throttled_per_address_never_500(throttled_app, world):
    """With throttling on (as in production), asking for password links is limited per
    client address by PASSWORD_LINK_RATE_LIMIT: answered, then 429 — never a 500."""
    throttled_app.config["WTF_CSRF_ENABLED"] = False
    client = throttled_app.test_client()
    per_minute = int(throttled_app.config["PASSWORD_LINK_RATE_LIMIT"].split()[0])
    answers = [client.post("/password/forgot", data={"email": "nobody@lead.example.org"}).status_code
               for _ in range(per_minute + 1)]
    assert answers[:per_minute] == [302] * per_minute
    assert answers[-1] == 429
