import pytest
import sqlalchemy as sa

from tests.factories import authority
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.authorities import services
from tracker.errors import Conflict, NotFound, ValidationFailed


def test_create_validates_each_field_by_name(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.create_authority(session, SystemActor("test"), services.AuthorityInput(
            name=" ", kind="county", vat_number="12", finance_email="not-an-email"))
    assert set(err.value.fields) == {"name", "kind", "vat_number", "finance_email"}
    assert session.scalar(sa.select(sa.func.count()).select_from(services.Authority)) == 3


def test_names_are_unique_ignoring_case(session, world):
    with pytest.raises(Conflict) as err:
        authority(session, "client a council")
    assert "name" in err.value.fields


def test_only_one_lead_authority(session, world):
    with pytest.raises(ValidationFailed) as err:
        authority(session, "Second Lead", is_lead=True)
    assert "is_lead" in err.value.fields


def test_vat_numbers_are_normalised(session, world):
    a = authority(session, "Vat Council", vat_number="gb 123 4567 89")
    assert a.vat_number == "GB123456789"


def test_update_writes_an_audit_row_with_before_and_after(session, world):
    a = world.client_a
    data = services.AuthorityInput(name=a.name, kind="trust", address=a.address, finance_email=a.finance_email)
    services.update_authority(session, world.users["manager"], a, data)
    row = session.scalar(sa.select(AuditLog).where(AuditLog.entity == "authority", AuditLog.action == "update"))
    assert row.before == {"kind": "council"} and row.after == {"kind": "trust"}
    assert row.actor_id == world.users["manager"].id and row.actor_label == "manager@lead.example.org"


def test_a_client_user_sees_only_their_own_authority(session, world):
    client = world.users["client"]
    visible = session.scalars(services.visible_authorities(client)).all()
    assert [a.id for a in visible] == [world.client_a.id]
    assert services.get_authority(session, client, world.client_a.id) is world.client_a
    with pytest.raises(NotFound):
        services.get_authority(session, client, world.client_b.id)
    with pytest.raises(NotFound):
        services.get_authority(session, client, world.lead.id)
