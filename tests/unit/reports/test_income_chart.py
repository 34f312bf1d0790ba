"""The income chart stays readable with hundreds of clients: the largest keep
their own colour, the rest fold into one segment, and no pound is lost."""

from datetime import date
from decimal import Decimal

from tracker.reports.income.chart import MAX_CLIENTS, build_chart, fold_small_clients


def months_with(clients: int):
    return [(date(2026, m, 1), [(f"Client {i:03d}", Decimal(i + m)) for i in range(clients)]) for m in (4, 5)]


def test_a_few_clients_are_drawn_as_they_are():
    months = months_with(3)
    assert fold_small_clients(months) == months
    assert [name for name, _colour in build_chart(months).legend] == ["Client 000", "Client 001", "Client 002"]


def test_many_clients_fold_into_other_clients_keeping_every_total():
    months = months_with(300)
    chart = build_chart(months)
    names = [name for name, _colour in chart.legend]
    assert len(names) == MAX_CLIENTS and names[-1] == f"{300 - MAX_CLIENTS + 1} other clients"
    assert names[:-1] == [f"Client {i:03d}" for i in range(300 - MAX_CLIENTS + 1, 300)]  # the largest, in order
    for bar, (_month, parts) in zip(chart.bars, months, strict=True):
        assert bar.total == sum(v for _n, v in parts) == sum(s.value for s in bar.segments)
