"""Section charts as PNG: per standard, a bar of the mean for each round side
by side, with a line from the lowest to the highest group score.

Every text that comes from user data (titles, standards' wording, level
labels, round labels) is drawn with parse_math=False: a "$" is a dollar
sign, never matplotlib math markup (which fails on unknown commands).

Drawn on a bare matplotlib Figure with the Agg canvas (no pyplot state, safe
in threads). Floats are used only for drawing; the page's table beside the
chart shows the stored Decimal figures.
"""

from __future__ import annotations

import io
import textwrap

from tracker.assessments.summary import Series

#: Oldest to newest: lighter to darker, so the order reads without colour too.
ROUND_COLOURS = ["#c5d6db", "#7fa7b2", "#0b5563"]
INK = "#1d2733"
MUTED = "#5b6775"


def section_chart_png(title: str, standards: list[tuple[str, str]], series: list[Series], level_labels: dict[int, str]) -> bytes:
    """standards: (code, title) in order; series: oldest round first (at most three)."""
    # matplotlib (with its fonts and images, ~25 MB) only when a chart is drawn: not in every worker.
    from matplotlib.figure import Figure  # noqa: PLC0415  (heavy; only for a SAP chart image)

    fig = Figure(figsize=(9, 4.2), dpi=100)
    ax = fig.add_subplot()
    count = max(len(series), 1)
    width = 0.8 / count
    colours = ROUND_COLOURS[-count:]
    for index, one in enumerate(series):
        labelled = False
        for x, (code, _name) in enumerate(standards):
            figures = one.figures.get(code)
            left = x - 0.4 + width * index + width / 2
            if figures is None or figures.mean is None:
                ax.text(left, 0.08, "not\nscored", ha="center", va="bottom", fontsize=7, color=MUTED)
                continue
            mean = float(figures.mean)
            ax.bar(left, mean, width * 0.9, color=colours[index], edgecolor=INK, linewidth=0.6,
                   label=None if labelled else one.label)
            labelled = True
            ax.vlines(left, figures.lowest, figures.highest, color=INK, linewidth=1.3)
            ax.hlines([figures.lowest, figures.highest], left - width * 0.15, left + width * 0.15, color=INK, linewidth=1.3)
            ax.text(left + width * 0.08, mean + 0.05, f"{figures.mean:.2f}", ha="left", va="bottom", fontsize=7.5, color=INK)
    ax.set_xticks(range(len(standards)))
    ax.set_xticklabels([f"{code}\n" + "\n".join(textwrap.wrap(name, 20)[:3]) for code, name in standards], fontsize=8,
                       parse_math=False)
    ax.set_ylim(0, 5.3)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels([f"{s} {level_labels.get(s, '')}".strip() for s in (1, 2, 3, 4, 5)], fontsize=8,
                       parse_math=False)
    ax.set_xlim(-0.55, len(standards) - 0.45)
    ax.grid(axis="y", color="#d5dbe1", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10.5, loc="left", color=INK, pad=22, parse_math=False)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(handles), fontsize=8,
                  frameon=False, handlelength=1.2, borderaxespad=0.2)
        for text in ax.get_legend().get_texts():
            text.set_parse_math(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
