"""Sections other features add to the engagement page.

Engagements must not import the features built on them (days, plans,
billing...), so each of those registers a function here that renders its own
section; the engagement page shows whatever the registered panels return.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

#: (order, fn(engagement, user) -> Markup | None); lower orders show first.
PANELS: list[tuple[int, Callable]] = []


def register(order: int):
    def decorate(fn):
        PANELS.append((order, fn))
        PANELS.sort(key=lambda item: item[0])
        return fn

    return decorate


def render_panels(engagement, user) -> list[Markup]:
    out = []
    for _order, fn in PANELS:
        html = fn(engagement, user)
        if html:
            out.append(Markup(html))  # noqa: S704 (panels return rendered, autoescaped templates)
    return out
