"""MFA through the API: tokens need `otp` for MFA users; enrolment and turning off."""

import time
from datetime import date

import pyotp

from tests.factories import ACTOR, PASSWORD
from tracker.settings import services as settings

MANAGER = "manager@lead.example.org"


def _token(client, otp=None, email=MANAGER):
    body = {"email": email, "password": PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/v1/tokens", json=body)


def test_enrol_through_the_api_then_tokens_need_otp(app, world, api_as):
    api = api_as("manager")
    started = api.post("/api/v1/account/mfa")
    assert started.status_code == 200 and started.json["otpauth_uri"].startswith("otpauth://totp/")
    secret = started.json["secret"]
    wrong = api.post("/api/v1/account/mfa/confirm", json={"code": "abc"})
    assert wrong.status_code == 422 and "code" in wrong.json["error"]["fields"]
    confirmed = api.post("/api/v1/account/mfa/confirm", json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200 and len(confirmed.json["recovery_codes"]) == 10
    codes = confirmed.json["recovery_codes"]

    client = app.test_client()
    missing = _token(client)
    assert missing.status_code == 401 and missing.json["error"]["code"] == "mfa_required"
    bad = _token(client, "99999x")
    assert bad.status_code == 401 and bad.json["error"]["code"] == "mfa_required"
    assert _token(client, codes[0]).status_code == 201
    again = _token(client, codes[0])
    assert again.status_code == 401 and again.json["error"]["code"] == "mfa_required"  # recovery codes work once

    off_wrong = api.delete("/api/v1/account/mfa", json={"code": "000000x"})
    assert off_wrong.status_code == 422
    assert api.delete("/api/v1/account/mfa", json={"code": codes[1]}).status_code == 204
    assert _token(client).status_code == 201


def test_roles_that_require_mfa_cannot_turn_it_off_or_get_tokens_without_it(app, world, api_as):
    settings.set_value(app.extensions["sqlalchemy"].session, "mfa_required_roles", "finance", date(2026, 1, 1), ACTOR)
    client = app.test_client()
    refused = _token(client, email="finance@lead.example.org")
    assert refused.status_code == 401 and refused.json["error"]["code"] == "mfa_required"
    api = api_as("finance")
    secret = api.post("/api/v1/account/mfa").json["secret"]
    totp = pyotp.TOTP(secret)
    assert api.post("/api/v1/account/mfa/confirm", json={"code": totp.now()}).status_code == 200
    conflict = api.delete("/api/v1/account/mfa", json={"code": totp.now()})
    assert conflict.status_code == 409
    assert _token(client, totp.at(time.time() + 30), email="finance@lead.example.org").status_code == 201


def test_confirm_without_starting_is_a_conflict(api_as, world):
    response = api_as("client").post("/api/v1/account/mfa/confirm", json={"code": "123456"})
    assert response.status_code == 409
