from decimal import Decimal

import pytest

from tests.factories import staff_member
from tracker.access import SystemActor
from tracker.errors import Conflict, ValidationFailed
from tracker.staff import services


def test_capacity_and_cap_are_validated_by_field(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.create_staff(session, SystemActor("test"), services.StaffInput(
            name="", email="bad", monthly_capacity_days="40", external_cap_share="1.5"))
    assert set(err.value.fields) == {"name", "email", "monthly_capacity_days", "external_cap_share"}


def test_cap_share_accepts_share_or_whole_percentage(session, world):
    a = staff_member(session, "Pat Share", external_cap_share=Decimal("0.25"))
    b = staff_member(session, "Pat Percent", external_cap_share=Decimal("25"))
    assert a.external_cap_share == b.external_cap_share == Decimal("0.25")
    with pytest.raises(ValidationFailed) as err:
        staff_member(session, "Pat Odd", external_cap_share=Decimal("0.125"))
    assert "external_cap_share" in err.value.fields


def test_email_unique(session, world):
    with pytest.raises(Conflict):
        staff_member(session, "Sam Again", email=world.staff["s1"].email)
