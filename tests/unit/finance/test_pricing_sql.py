"""The SQL form of the pricing rule (integer pennies, half-up) agrees with
tracker.money.line_net for any quarter days and any rate (Hypothesis)."""

from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.billing import rule
from tracker.money import line_net

rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
quarter_days = st.integers(min_value=1, max_value=4 * 31 * 3)  # up to a quarter's working days


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quarters=quarter_days, rate=rates)
def test_sql_pennies_equal_line_net(session, quarters, rate):
    pennies = session.scalar(sa.select(rule.pennies(sa.literal(quarters, sa.BigInteger),
                                                    sa.literal(int(rate * 100), sa.BigInteger))))
    assert Decimal(pennies) / 100 == line_net(Decimal(quarters) / 4, rate)


def test_odd_rates_examples(session):
    for quarters, rate, want in [(4, "333.33", "333.33"), (1, "333.33", "83.33"), (3, "487.50", "365.63"),
                                 (1, "487.50", "121.88"), (2, "333.33", "166.67")]:
        pennies = session.scalar(sa.select(rule.pennies(sa.literal(quarters, sa.BigInteger),
                                                        sa.literal(int(Decimal(rate) * 100), sa.BigInteger))))
        assert Decimal(pennies) / 100 == Decimal(want) == line_net(Decimal(quarters) / 4, Decimal(rate))
