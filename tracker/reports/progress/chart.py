"""The progress report's chart: SAP section means by round, as inline SVG.

Server-rendered (the CSP forbids inline script and style attributes, so only
SVG presentation attributes are used) and readable without colour: rounds go
from light to dark, oldest first, and every bar carries its figure. The page
prints the same figures as a table, which is the chart's text alternative.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from tracker.reports.progress.report import RoundScores

#: Oldest to newest: lighter to darker.
ROUND_COLOURS = ["#c5d6db", "#9bbac2", "#5f8f9b", "#2f707e", "#0b5563"]
INK = "#1d2733"
MUTED = "#5b6775"
GRID = "#d5dbe1"

WIDTH, HEIGHT = 640, 310
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 40, 58
MAX_SCORE = 5


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / MAX_SCORE)


def section_chart_svg(rounds: list[RoundScores], section_titles: dict[int, str], chart_id: str = "sap-chart") -> Markup:
    """Grouped bars: one group per section, one bar per round (at most five, the latest)."""
    rounds = rounds[-len(ROUND_COLOURS):]
    sections = sorted(section_titles)
    colours = _colours(len(rounds))
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / max(len(sections), 1)
    bar_w = min(44.0, group_w * 0.8 / max(len(rounds), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">Self-assessment section means by round</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(rounds, section_titles))}</desc>',
    ]
    for score in range(0, MAX_SCORE + 1):
        y = _y(score)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{score}</text>')
    for index, number in enumerate(sections):
        centre = LEFT + group_w * (index + 0.5)
        start = centre - bar_w * len(rounds) / 2
        for r_index, one in enumerate(rounds):
            mean = one.mean(number)
            x = start + bar_w * r_index
            if mean is None:
                parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{_y(0) - 4:.1f}" text-anchor="middle" fill="{MUTED}" '
                             f'font-size="10">n/a</text>')
                continue
            top = _y(float(mean))
            parts.append(f'<rect x="{x + 1:.1f}" y="{top:.1f}" width="{bar_w - 2:.1f}" height="{_y(0) - top:.1f}" '
                         f'fill="{colours[r_index]}" stroke="{INK}" stroke-width="0.6"/>')
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle" fill="{INK}" '
                         f'font-size="11">{mean:.2f}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="{INK}" '
                     f'font-weight="600">Section {number}</text>')
        for line_no, line in enumerate(_wrap(section_titles[number], group_w)):
            parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 32 + 13 * line_no}" text-anchor="middle" '
                         f'fill="{MUTED}" font-size="11">{escape(line)}</text>')
    x = LEFT
    for r_index, one in enumerate(rounds):  # legend, oldest first
        parts.append(f'<rect x="{x:.1f}" y="10" width="12" height="12" fill="{colours[r_index]}" stroke="{INK}" stroke-width="0.6"/>')
        label = _short(one.label, 150)
        parts.append(f'<text x="{x + 16:.1f}" y="20" fill="{INK}">{escape(label)}</text>')
        x += 16 + 7 * len(label) + 18
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text part is escaped above)


def _colours(count: int) -> list[str]:
    """count colours from light to the darkest, spread over the palette."""
    if count <= 1:
        return ROUND_COLOURS[-count:] if count else []
    last = len(ROUND_COLOURS) - 1
    return [ROUND_COLOURS[round(1 + (last - 1) * i / (count - 1))] for i in range(count)]


def _wrap(text: str, width: float, lines: int = 2) -> list[str]:
    """At most `lines` lines that fit `width` pixels; the last one shortened if need be."""
    limit = max(int(width / 6.2), 8)
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= limit:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = _short(out[-1] + " " + " ".join(words), width)
    return out


def _short(text: str, width: float) -> str:
    limit = max(int(width / 6.5), 8)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _description(rounds: list[RoundScores], section_titles: dict[int, str]) -> str:
    if not rounds:
        return "No self-assessment rounds yet."
    out = []
    for one in rounds:
        means = ", ".join(
            f"section {n} {one.mean(n) if one.mean(n) is not None else 'not scored'}" for n in sorted(section_titles)
        )
        out.append(f"{one.label}: {means}.")
    return " ".join(out)
