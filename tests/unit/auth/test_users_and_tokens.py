from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.auth import services
from tracker.auth.models import ApiToken
from tracker.database import utcnow
from tracker.errors import Conflict, ValidationFailed


def test_a_client_user_must_belong_to_a_client_authority(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.create_user(session, SystemActor("test"), "c@x.example.org", PASSWORD, "client")
    assert "authority_id" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.create_user(session, SystemActor("test"), "c@x.example.org", PASSWORD, "client", authority_id=world.lead.id)
    assert "authority_id" in err.value.fields


def test_lead_roles_never_carry_an_authority(session, world):
    user = services.create_user(session, SystemActor("test"), "m2@lead.example.org", PASSWORD, "manager", authority_id=world.client_a.id)
    assert user.authority_id is None


def test_email_is_unique_and_normalised(session, world):
    with pytest.raises(Conflict) as err:
        services.create_user(session, SystemActor("test"), "  ADMIN@lead.example.org ", PASSWORD, "admin")
    assert "email" in err.value.fields


def test_bad_role_and_short_password_name_their_fields(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.create_user(session, SystemActor("test"), "x@lead.example.org", PASSWORD, "superuser")
    assert "role" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.create_user(session, SystemActor("test"), "x@lead.example.org", "short", "admin")
    assert "password" in err.value.fields


def test_authenticate_checks_password_and_active_flag(session, world):
    now = utcnow()
    assert services.authenticate(session, "admin@lead.example.org", PASSWORD, now).email == "admin@lead.example.org"
    assert services.authenticate(session, "admin@lead.example.org", "wrong password!", now) is None
    assert services.authenticate(session, "nobody@lead.example.org", PASSWORD, now) is None
    world.users["finance"].active = False
    session.commit()
    assert services.authenticate(session, "finance@lead.example.org", PASSWORD, now) is None


def test_session_ids_carry_a_version_that_logout_invalidates(session, world):
    user = world.users["manager"]
    old_id = user.get_id()
    assert services.load_session_user(session, old_id) is user
    services.end_all_sessions(session, user)
    assert services.load_session_user(session, old_id) is None
    assert services.load_session_user(session, user.get_id()) is user
    assert services.load_session_user(session, "garbage") is None


def test_password_change_checks_current_and_ends_sessions_and_tokens(app, session, world):
    user = world.users["consultant"]
    now = utcnow()
    plain, _ = services.issue_token(session, user, now, timedelta(days=1))
    old_id = user.get_id()
    with pytest.raises(ValidationFailed) as err:
        services.change_password(session, user, user, "not my password", "a brand new passphrase", now)
    assert "current_password" in err.value.fields
    services.change_password(session, user, user, PASSWORD, "a brand new passphrase", now)
    assert services.load_session_user(session, old_id) is None
    assert services.user_for_token(session, plain, now) is None
    assert services.authenticate(session, user.email, "a brand new passphrase", now) is user
    row = session.scalar(sa.select(AuditLog).where(AuditLog.action == "password_change"))
    assert row.entity_id == str(user.id)
    assert "new_password" not in str(row.after) and "brand new" not in str(row.after)


def test_tokens_are_stored_hashed_expire_and_can_be_revoked(session, world):
    user = world.users["finance"]
    now = utcnow()
    plain, row = services.issue_token(session, user, now, timedelta(hours=1))
    assert plain.startswith("cst_") and len(plain) > 40
    stored = session.scalars(sa.select(ApiToken.token_hash)).all()
    assert plain not in stored and len(row.token_hash) == 64
    assert services.user_for_token(session, plain, now) is user
    assert services.user_for_token(session, plain, now + timedelta(hours=2)) is None
    assert services.user_for_token(session, plain + "x", now) is None
    services.revoke_token(session, plain, now)
    assert services.user_for_token(session, plain, now) is None


def test_changing_a_users_role_signs_them_out(session, world):
    user = world.users["consultant"]
    old_id = user.get_id()
    services.update_user(session, world.users["admin"], user, name=user.name, role="finance", active=True,
                         authority_id=None, staff_id=user.staff_id)
    assert services.load_session_user(session, old_id) is None
    assert user.role == "finance"


def test_an_admin_cannot_demote_themselves(session, world):
    admin = world.users["admin"]
    with pytest.raises(ValidationFailed):
        services.update_user(session, admin, admin, name="", role="manager", active=True, authority_id=None, staff_id=None)
