"""Hypothesis: the sum of the lines is the total, a credit plus a re-invoice
nets to zero, and nothing on the way is a float."""

import itertools
import re
import tokenize
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TODAY, authority, day, engagement, issued, remittance, staff_member
from tracker.access import SystemActor
from tracker.billing import pricing
from tracker.billing import services as billing
from tracker.billing.models import Invoice, InvoiceLine
from tracker.database import dsum
from tracker.money import PENNY

quarter_days = st.integers(min_value=1, max_value=2000).map(lambda n: Decimal(n) / 4)
rates = st.integers(min_value=0, max_value=9_999_999).map(lambda p: Decimal(p) / 100)
vat_rates = st.sampled_from([None, Decimal("0"), Decimal("0.05"), Decimal("0.2"), Decimal("0.175")])


def _is_money(value) -> bool:
    return type(value) is Decimal and value.as_tuple().exponent == -2


@given(st.lists(st.tuples(quarter_days, rates, vat_rates), min_size=1, max_size=30))
def test_priced_lines_are_pennies_and_their_sums_are_the_totals(lines):
    priced = [pricing.price_line(d, r, v) for d, r, v in lines]
    for (d, r, v), figures in zip(lines, priced, strict=True):
        assert all(_is_money(x) for x in (figures.net, figures.vat, figures.gross))
        assert figures.gross == figures.net + figures.vat
        assert abs(figures.net - d * r) <= PENNY / 2  # half-up at the penny, never further
        assert figures.vat == (Decimal("0.00") if v is None else (figures.net * v).quantize(PENNY, "ROUND_HALF_UP"))
    totals = pricing.total(priced)
    assert totals.net == sum(f.net for f in priced) and totals.vat == sum(f.vat for f in priced)
    assert totals.gross == totals.net + totals.vat
    credit = pricing.total(f.negated() for f in priced)
    assert (totals.net + credit.net, totals.vat + credit.vat, totals.gross + credit.gross) == (0, 0, 0)


@given(st.sampled_from([Decimal("0.005"), Decimal("1.005"), Decimal("2.675"), Decimal("0.125")]))
def test_half_pennies_round_up(amount):
    assert pricing.price_line(Decimal("1"), amount, None).net == amount.quantize(PENNY, "ROUND_HALF_UP") > amount


_counter = itertools.count()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["0.25", "0.5", "0.75", "1"]),
                            st.sampled_from(["scoping", "training", "mentoring"])), min_size=1, max_size=8),
    rate=rates.filter(lambda r: r <= Decimal("2000")),
    vat_rate=st.sampled_from([None, Decimal("0.20"), Decimal("0.05")]),
    credit_share=st.integers(0, 100),
)
def test_stored_totals_credit_and_reinvoice_net_to_zero(session, world, data, rate, vat_rate, credit_share):
    remittance(session)
    n = next(_counter)
    client = authority(session, f"Property Council {n}", address="1 High Street")
    people = [staff_member(session, f"Person {n} {i}", email=f"p{n}-{i}@lead.example.org") for i in range(4)]
    package = engagement(session, client, f"Package {n}", day_rate=rate, vat_rate=vat_rate,
                         vat_note="" if vat_rate is not None else "Outside the scope: s.33")
    for index, (who, amount, activity) in enumerate(data):
        day(session, package, people[who], date(2026, 7, 1) + timedelta(days=index), amount, activity)

    invoice = issued(session, client)
    sums = session.execute(sa.select(dsum(InvoiceLine.net), dsum(InvoiceLine.vat), dsum(InvoiceLine.gross))
                           .where(InvoiceLine.invoice_id == invoice.id)).one()
    assert tuple(sums) == (invoice.net, invoice.vat, invoice.gross)
    assert invoice.net == sum(pricing.price_line(line.days, line.rate, line.vat_rate).net for line in invoice.lines)
    for value in (invoice.net, invoice.vat, invoice.gross, invoice.balance, *(line.net for line in invoice.lines)):
        assert _is_money(value), repr(value)

    chosen = [line.id for line in invoice.lines][: max(1, len(invoice.lines) * credit_share // 100)]
    credited = [line for line in invoice.lines if line.id in chosen]
    note = billing.credit_invoice(session, SystemActor("test"), invoice, "Property", TODAY, chosen)
    again = issued(session, client)
    # The credit note cancels exactly what it credits; the re-invoice bills those days once more.
    assert note.gross == -sum(line.gross for line in credited)
    assert again.net == sum(line.net for line in credited)
    assert invoice.net + note.net + again.net == invoice.net
    assert invoice.balance + again.balance == invoice.gross - sum(line.gross for line in credited) + again.gross
    net_by_client = session.scalar(sa.select(dsum(Invoice.net)).where(Invoice.client_id == client.id))
    assert net_by_client == invoice.net


def test_no_float_in_the_billing_code():
    """No `float` name and no float literal in billing's code (docstrings may say the word)."""
    package = Path(__file__).parents[3] / "tracker" / "billing"
    checked = 0
    for path in package.rglob("*.py"):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type == tokenize.NAME:
                    assert token.string != "float", (path, token.start)
                elif token.type == tokenize.NUMBER:
                    assert not re.fullmatch(r"\d*\.\d*(e[-+]?\d+)?|\d+e[-+]?\d+", token.string, re.I), (path, token)
                checked += 1
    assert checked > 1000
