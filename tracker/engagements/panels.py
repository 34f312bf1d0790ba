"""Sections other features add to the engagement page.

Engagements must not import the features built on them (days, reports...), so
each of those declares a function that renders its own section in its
init_app (``extension_points(app).add_panel(order, fn)``); the engagement page
shows whatever those panels return, lowest order first.
"""

from __future__ import annotations

from markupsafe import Markup

from tracker.extension_points import extension_points


def render_panels(engagement, user) -> list[Markup]:
    out = []
    for _order, fn in extension_points().engagement_panels:
        html = fn(engagement, user)
        if html:
            out.append(Markup(html))  # noqa: S704 (panels return rendered, autoescaped templates)
    return out
