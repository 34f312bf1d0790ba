"""The admin's sign-in settings: their parsing and what they decide."""

from datetime import date

import pytest

from tests.factories import ACTOR
from tracker.auth import policy
from tracker.errors import ValidationFailed
from tracker.settings import services as settings
from tracker.settings.models import Setting

DAY = date(2026, 11, 23)


def test_roles_setting_parses_names_or_none():
    assert policy.MFA_REQUIRED_ROLES.parse(" Finance; admin ,finance") == "admin, finance"
    assert policy.MFA_REQUIRED_ROLES.parse("none") == ""
    with pytest.raises(ValidationFailed) as bad:
        policy.MFA_REQUIRED_ROLES.parse("admin, boss")
    assert "Unknown role boss" in bad.value.fields["value"]


def test_domain_and_yes_no_settings():
    assert policy.SSO_NEW_USER_DOMAIN.parse("@Halton.GOV.uk ") == "halton.gov.uk"
    assert policy.SSO_NEW_USER_DOMAIN.parse("none") == ""
    for bad in ("halton", "a b.gov.uk", "x@y.gov.uk"):
        with pytest.raises(ValidationFailed):
            policy.SSO_NEW_USER_DOMAIN.parse(bad)
    assert policy.SSO_ONLY_FOR_STAFF.parse(" YES ") == "yes"
    with pytest.raises(ValidationFailed):
        policy.SSO_ONLY_FOR_STAFF.parse("maybe")


def test_default_requires_admin_and_finance(app, session, world):
    session.query(Setting).filter_by(key="mfa_required_roles").delete()
    session.commit()
    assert policy.mfa_required_roles(session, DAY) == {"admin", "finance"}
    assert policy.mfa_required(session, world.users["finance"], DAY)
    assert not policy.mfa_required(session, world.users["consultant"], DAY)


def test_passwords_stay_for_everyone_unless_sso_is_configured_and_the_admin_says_so(app, session, world):
    settings.set_value(session, "sso_only_for_staff", "yes", DAY, ACTOR)
    assert policy.password_allowed(session, world.users["manager"], DAY)  # no SSO configured
    app.config.update(OIDC_ISSUER="https://login.example.org/tenant/v2.0", OIDC_CLIENT_ID="id")
    try:
        assert not policy.password_allowed(session, world.users["manager"], DAY)
        assert policy.password_allowed(session, world.users["client"], DAY)
    finally:
        app.config.update(OIDC_ISSUER="", OIDC_CLIENT_ID="")
