"""Walk every route in app.url_map as every role and check the server's answer.

A route without an access rule, or with a URL parameter this test cannot fill,
fails here: add the rule (tracker.access) and a sample value below.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from tests import factories
from tests.conftest import login
from tests.factories import billing_samples, sap_objects
from tracker.access import ACCESS_ATTR, FINANCE_ROLES, PUBLIC, Role, access_rule
from tracker.extensions import db
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, OutboxMessage

ROLES = ["admin", "manager", "consultant", "finance", "client"]


class Samples(dict):
    """URL parameter → a value. Objects a request may delete (a support day)
    are recreated before the next request, so every role meets a live object."""

    def __init__(self, world, client_b: bool = False):
        super().__init__()
        self.world, self.client_b = world, client_b
        self.update({
            "engagement_id": world.engagement_a.id,
            "authority_id": world.client_a.id,
            "staff_id": world.staff["s1"].id,
            "user_id": world.users["consultant"].id,
            "key": "day_rate",
            "month": "2026-11",
            "section": 1,
        })
        if client_b:
            self.update({"engagement_id": world.engagement_b.id, "authority_id": world.client_b.id})
        self["invoice_id"] = billing_samples(db.session, world)["b" if client_b else "a"].id  # issued invoices
        self.update(outbox_sample(world))
        sap = sap_objects(db.session, world)["b" if client_b else "a"]
        self.update({"assessment_id": sap.assessment.id, "response_id": sap.response.id, "goal_id": sap.goal.id,
                     "milestone_id": sap.milestone.id})
        self.refresh()

    def refresh(self) -> Samples:
        from tracker.days.models import SupportDay

        if self.get("day_id") is None or db.session.get(SupportDay, self["day_id"]) is None:
            engagement = self.world.engagement_b if self.client_b else self.world.engagement_a
            staff = self.world.staff["s2" if self.client_b else "s1"]
            taken = set(db.session.scalars(sa.select(SupportDay.worked_on).where(SupportDay.staff_id == staff.id)))
            on = next(d for d in (date(2026, 11, 20) - timedelta(days=i) for i in range(150)) if d not in taken)
            self["day_id"] = factories.day(db.session, engagement, staff, on, "1").id
        return self


def outbox_sample(world) -> dict:
    """A queued message with an attachment (the admin's outbox pages) and a token that is no live link."""
    message = db.session.scalar(sa.select(OutboxMessage).limit(1))
    if message is None:
        invoice = world.invoices["a"]
        message = mail.queue(db.session, kind=MessageKind.INVOICE, to_address="ap@a.example.org", subject="Sample",
                             template="billing/mail/invoice", ref=("invoice", invoice.id),
                             context={"invoice": invoice, "lead": "Lead", "link": "https://x.example.org"},
                             attachments=[mail.Attachment("sample.pdf", b"%PDF-1.4", "application/pdf")])
        db.session.commit()
    return {"message_id": message.id, "attachment_id": message.attachments[0].id, "token": "not-a-live-link"}


def sample_values(world) -> Samples:
    """Values that belong to client A (the `client` user's authority)."""
    return Samples(world)


def other_authority_values(world) -> Samples:
    """The same parameters pointing at client B's objects: a client of A must get 404."""
    return Samples(world, client_b=True)


#: Parameters whose objects belong to one client authority.
AUTHORITY_SCOPED = {"engagement_id", "authority_id", "day_id", "assessment_id", "response_id", "goal_id", "milestone_id",
                    "invoice_id"}


def page_rules(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api."):
            continue
        yield rule


def api_rules(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            yield rule


def build_url(rule, values) -> str:
    if isinstance(values, Samples):
        values.refresh()
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.rule}: add a sample value for {missing} in test_access_matrix.sample_values"
    path = rule.rule
    for arg in rule.arguments:
        converter = rule._converters[arg]
        token = f"<{type(converter).__name__.replace('Converter', '').lower()}:{arg}>"
        path = path.replace(token, str(values[arg])).replace(f"<{arg}>", str(values[arg]))
        path = path.replace(f"<int:{arg}>", str(values[arg]))
    assert "<" not in path, path
    return path


def methods_of(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_declares_an_access_rule(app):
    undeclared = [r.endpoint for r in app.url_map.iter_rules() if access_rule(app, r.endpoint) is None]
    assert undeclared == [], f"routes without @roles/@signed_in/@public: {undeclared}"


def test_only_sign_in_pages_and_documents_are_public(app):
    public = sorted(
        r.endpoint for r in app.url_map.iter_rules()
        if r.endpoint != "static" and getattr(app.view_functions[r.endpoint], ACCESS_ATTR, None) == PUBLIC
    )
    assert public == ["api.create_token", "api.openapi_document", "auth.login", "auth.login_code",
                      "dashboard.healthz", "password.forgot", "password.reset", "sso.callback", "sso.start"]


def _page_request(client, method, url):
    return client.open(url, method=method, data={})


def test_pages_answer_each_role_as_declared(app, world):
    values = sample_values(world)
    checked = 0
    for rule in page_rules(app):
        allowed = access_rule(app, rule.endpoint)
        url = build_url(rule, values)
        for method in methods_of(rule):
            anon = _page_request(app.test_client(), method, url)
            if allowed == PUBLIC:
                assert anon.status_code < 400, (method, url, anon.status_code)
                continue
            assert anon.status_code == 302 and "/login" in anon.headers["Location"], (method, url)
            for role in ROLES:
                url = build_url(rule, values)
                response = _page_request(login(app.test_client(), world.users[role]), method, url)
                if Role(role) in allowed:
                    assert response.status_code in (200, 302), (role, method, url, response.status_code)
                else:
                    assert response.status_code == 403, (role, method, url, response.status_code)
                checked += 1
    assert checked > 50


def test_a_client_gets_404_for_another_authoritys_objects_on_every_page(app, world):
    values = other_authority_values(world)
    client_user = world.users["client"]
    checked = 0
    for rule in page_rules(app):
        allowed = access_rule(app, rule.endpoint)
        if allowed == PUBLIC or Role.CLIENT not in allowed:
            continue
        if not set(rule.arguments) & AUTHORITY_SCOPED:
            continue
        for method in methods_of(rule):
            url = build_url(rule, values)
            response = _page_request(login(app.test_client(), client_user), method, url)
            assert response.status_code == 404, (method, url, response.status_code)
            checked += 1
    assert checked >= 1


def _api_request(api, method, url):
    if method in ("POST", "PATCH", "PUT"):
        return api.open(method, url, json={})
    return api.open(method, url)


def test_api_answers_each_role_as_declared(app, world, api_as):
    values = sample_values(world)
    clients = {role: api_as(role) for role in ROLES}
    checked = 0
    for rule in api_rules(app):
        allowed = access_rule(app, rule.endpoint)
        url = build_url(rule, values)
        for method in methods_of(rule):
            anon = _api_request(api_as(None), method, url)
            if allowed == PUBLIC:
                assert anon.status_code not in (401, 403), (method, url)
                continue
            assert anon.status_code == 401, (method, url, anon.status_code)
            assert anon.json["error"]["code"] == "unauthorized"
            for role in ROLES:
                if rule.endpoint == "api.revoke_current_token":
                    continue  # revoking would end the shared client's token; tested on its own
                url = build_url(rule, values)
                response = _api_request(clients[role], method, url)
                if Role(role) in allowed:
                    assert response.status_code not in (401, 403, 405) and response.status_code < 500, (
                        role, method, url, response.status_code, response.json)
                else:
                    assert response.status_code == 403, (role, method, url, response.status_code)
                    assert response.json["error"]["code"] == "forbidden"
                checked += 1
    assert checked > 30


def test_api_gives_a_client_404_for_another_authoritys_objects(app, world, api_as):
    values = other_authority_values(world)
    api = api_as("client")
    checked = 0
    for rule in api_rules(app):
        allowed = access_rule(app, rule.endpoint)
        if allowed == PUBLIC or Role.CLIENT not in allowed:
            continue
        if not set(rule.arguments) & AUTHORITY_SCOPED:
            continue
        for method in methods_of(rule):
            url = build_url(rule, values)
            response = _api_request(api, method, url)
            assert response.status_code == 404, (method, url, response.status_code)
            assert response.json["error"]["code"] == "not_found"
            checked += 1
    assert checked >= 1


@pytest.mark.parametrize("role", ["admin", "manager", "consultant", "finance", "client"])
def test_navigation_shows_only_what_the_role_may_open(app, world, role):
    client = login(app.test_client(), world.users[role])
    html = client.get("/").get_data(as_text=True)
    from tracker.web import NAVIGATION

    for label, endpoint, allowed in NAVIGATION:
        link = f">{label}</a>"
        if Role(role) in allowed:
            assert link in html, (role, label)
            rule_allowed = access_rule(app, endpoint)
            assert rule_allowed == PUBLIC or Role(role) in rule_allowed, (role, endpoint)
        else:
            assert link not in html, (role, label)


@pytest.mark.parametrize("endpoint, path", [
    ("finance.send_statement", "/authorities/<int:authority_id>/statement/send"),
    ("api.send_statement", "/api/v1/authorities/<int:authority_id>/statement/send"),
])
def test_sending_a_statement_is_walked_and_for_finance_roles_only(app, endpoint, path):
    """The walks above reach both (POST only); the statement's readers (clients too) may not send it."""
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    assert rule.rule == path and methods_of(rule) == ["POST"]
    assert set(access_rule(app, endpoint)) == set(FINANCE_ROLES) and Role.CLIENT not in access_rule(app, endpoint)
    walked = page_rules(app) if not endpoint.startswith("api.") else api_rules(app)
    assert endpoint in {r.endpoint for r in walked}
