"""Income delivered by month, stacked by client, as geometry for an inline SVG
(templates/reports/_income_chart.html draws it: no script, no inline style,
so the page's Content-Security-Policy holds).

Floats are used only to place shapes; the figures printed beside the chart
are the report's Decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 78, 12, 14, 40
#: Colour-blind-safe, distinguishable in grey too (light to dark alternating).
PALETTE = ["#0b5563", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#d55e00", "#f0e442", "#5b6775", "#9ad0c2",
           "#882255"]
NICE = [1, 2, 2.5, 5, 10]


@dataclass(frozen=True)
class Segment:
    client: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass
class Bar:
    month: date
    label: str
    show_label: bool
    total: Decimal
    x: float
    width: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    def value_of(self, client: str) -> Decimal:
        return next((s.value for s in self.segments if s.client == client), Decimal("0.00"))


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[tuple[str, str]]  # (client, colour)

    @property
    def empty(self) -> bool:
        return all(b.total == 0 for b in self.bars)


def nice_top(peak: float) -> int:
    """The smallest 'round' axis top (1, 2, 2.5, 5 × 10ⁿ) at or above peak."""
    if peak <= 0:
        return 1000
    scale = 1
    while scale * 10 <= peak:
        scale *= 10
    for step in NICE:
        if step * scale >= peak:
            return int(step * scale)
    return scale * 10


#: More clients than this and the smallest are drawn as one "other clients" segment,
#: so a national-scale period stays a readable chart (and a small page).
MAX_CLIENTS = len(PALETTE)


def fold_small_clients(months: list[tuple[date, list[tuple[str, Decimal]]]]):
    """Keep the MAX_CLIENTS - 1 clients with the most income in the period; the
    rest become one "N other clients" segment per month. Totals are unchanged."""
    totals: dict[str, Decimal] = {}
    for _month, parts in months:
        for name, value in parts:
            totals[name] = totals.get(name, Decimal("0.00")) + value
    if len(totals) <= MAX_CLIENTS:
        return months
    kept = set(sorted(totals, key=lambda n: (-totals[n], n))[:MAX_CLIENTS - 1])
    other = f"{len(totals) - len(kept)} other clients"
    folded = []
    for month, parts in months:
        rest = sum((v for n, v in parts if n not in kept), Decimal("0.00"))
        folded.append((month, [(n, v) for n, v in parts if n in kept] + [(other, rest)]))
    return folded


def build_chart(months: list[tuple[date, list[tuple[str, Decimal]]]]) -> Chart:
    months = fold_small_clients(months)
    clients = []
    for _month, parts in months:
        for name, _value in parts:
            if name not in clients:
                clients.append(name)
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(clients)}
    top = nice_top(max((float(sum((v for _n, v in parts), Decimal(0))) for _m, parts in months), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = plot_w / max(len(months), 1)
    bar_w = max(min(slot * 0.7, 60), 2)
    every = max(1, round(len(months) / 12 + 0.49))
    bars = []
    for index, (month, parts) in enumerate(months):
        first = index == 0 or month.month == 1
        label = month.strftime("%b %Y" if first else "%b")
        bar = Bar(month, label, index % every == 0, sum((v for _n, v in parts), Decimal("0.00")),
                  LEFT + slot * index + (slot - bar_w) / 2, bar_w)
        y = baseline
        for name, value in parts:
            if value <= 0:
                continue
            h = float(value) / top * plot_h
            y -= h
            bar.segments.append(Segment(name, value, bar.x, y, bar_w, h, colours[name]))
        bars.append(bar)
    ticks = [Tick(int(top * i / 4), baseline - plot_h * i / 4) for i in range(5)]
    return Chart(WIDTH, HEIGHT, LEFT, baseline, bars, ticks, [(n, colours[n]) for n in clients])
