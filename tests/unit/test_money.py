from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.days.services import parse_days
from tracker.money import days, fmt_money, line_net, money, to_decimal


def test_money_rounds_half_up_to_the_penny():
    assert money("0.005") == Decimal("0.01")
    assert money("2.675") == Decimal("2.68")  # a float would give 2.67
    assert money("-0.005") == Decimal("-0.01")


def test_line_net_is_days_times_rate_rounded_half_up():
    assert line_net(Decimal("0.25"), Decimal("333.33")) == Decimal("83.33")
    assert line_net(Decimal("0.75"), Decimal("333.33")) == Decimal("250.00")  # 249.9975
    assert line_net(Decimal("20"), Decimal("500")) == Decimal("10000.00")
    assert line_net(Decimal("30"), Decimal("500")) == Decimal("15000.00")


def test_to_decimal_takes_floats_by_their_shortest_spelling_not_binary_value():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal("£1,250.50") == Decimal("1250.50")


@pytest.mark.parametrize("bad", ["", "abc", "1e", None, True, float("nan"), float("inf"), [1]])
def test_to_decimal_refuses_what_is_not_a_finite_number(bad):
    with pytest.raises(ValueError):
        to_decimal(bad)


def test_quarter_steps():
    assert parse_days(Decimal("0.75")) == Decimal("0.75")
    with pytest.raises(ValueError, match="quarter steps"):
        parse_days(Decimal("0.3"))


def test_formatting_uses_the_stored_figure():
    assert fmt_money(Decimal("12500")) == "12,500.00"
    assert days(Decimal("1")) == Decimal("1.00")


@given(
    st.lists(
        st.tuples(st.integers(1, 4).map(lambda q: Decimal(q) / 4), st.decimals("0", "2000", places=2)),
        min_size=1, max_size=30,
    )
)
def test_line_nets_are_exact_pennies_and_sum_exactly(lines):
    nets = [line_net(d, r) for d, r in lines]
    assert all(n == n.quantize(Decimal("0.01")) for n in nets)
    assert all(isinstance(n, Decimal) for n in nets)
    total = sum(nets, Decimal("0"))
    assert total == sum((money(d * r) for d, r in lines), Decimal("0"))
