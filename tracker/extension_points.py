"""What one feature contributes to the others, declared in its ``init_app``.

A feature lower down (engagements, days, settings, ops, errors) must not
import the features built on it; when it needs their contributions (a panel on
the engagement page, a reason a support day is locked, an integrity check, a
setting, a database error it should answer as a 409) those features declare
them here from their ``init_app(app)``, which ``create_app`` calls in a fixed
order. Nothing is added by importing a module, and each app has its own set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

KEY = "tracker.extension_points"


@dataclass
class ExtensionPoints:
    #: fn(day) -> why the day cannot change, or None (billing: days on invoices).
    day_locks: list[Callable[[Any], str | None]] = field(default_factory=list)
    #: (order, fn(engagement, user) -> rendered HTML or None); lower orders show first.
    engagement_panels: list[tuple[int, Callable]] = field(default_factory=list)
    #: (name, fn(session) -> list of problems) for `flask check`.
    integrity_checks: list[tuple[str, Callable]] = field(default_factory=list)
    #: The lead authority's settings by key, in the order the settings page lists them.
    settings: dict[str, Any] = field(default_factory=dict)
    #: fn(exception) -> DomainError or None: database errors that mean a known refusal.
    error_translators: list[Callable[[Exception], Any]] = field(default_factory=list)

    def add_panel(self, order: int, fn: Callable) -> None:
        self.engagement_panels.append((order, fn))
        self.engagement_panels.sort(key=lambda item: item[0])

    def add_settings(self, *specs) -> None:
        for spec in specs:
            self.settings[spec.key] = spec


def init_app(app: Flask) -> None:
    app.extensions[KEY] = ExtensionPoints()


def extension_points(app: Flask | None = None) -> ExtensionPoints:
    return (app or current_app).extensions[KEY]
