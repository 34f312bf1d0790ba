from datetime import date
from decimal import Decimal

import pytest

from tracker.access import SystemActor
from tracker.errors import ValidationFailed
from tracker.settings import services


def test_day_rate_defaults_to_500_from_the_board_approval(session, world):
    assert services.day_rate_on(session, date(2026, 1, 1)) == Decimal("500.00")
    history = services.history(session, "day_rate")
    assert history[0].effective_from == date(2011, 12, 15)


def test_value_in_force_follows_effective_dates(session, world):
    services.set_value(session, "day_rate", "525.50", date(2027, 4, 1), SystemActor("test"))
    assert services.day_rate_on(session, date(2027, 3, 31)) == Decimal("500.00")
    assert services.day_rate_on(session, date(2027, 4, 1)) == Decimal("525.50")
    assert [h.value for h in services.history(session, "day_rate")] == ["525.50", "500.00"]


def test_bad_values_name_the_field(session, world):
    with pytest.raises(ValidationFailed) as err:
        services.set_value(session, "day_rate", "-5", date(2027, 1, 1), SystemActor("test"))
    assert "value" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.set_value(session, "no_such_key", "1", date(2027, 1, 1), SystemActor("test"))
    assert "key" in err.value.fields
