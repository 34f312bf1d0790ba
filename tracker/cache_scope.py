"""Which recorded changes a kept answer depends on.

The caches (tracker/results_cache.py, tracker/page_cache.py) keep an answer
until the data stamp moves, i.e. until anything is recorded in the audit log.
That is always correct but, with people logging days all day, too blunt: a
consultant booking a planned day on one engagement would throw away every
other engagement's day list and the year's delivered income, which cost
seconds to recompute at national scale.

So a kept answer may say what it depends on — its :class:`Scope` — and when
the stamp has moved the cache reads the audit rows written since (a handful)
and keeps the answer if none of them touches its scope. What a change touches
is read from its audit row (docs/data-model.md: every change is audited, in
the same transaction): a support day's row names its engagement, staff member
and state. Anything the rules here do not recognise — an invoice, a credit
note, a setting, an engagement, a staff member — counts as touching every
scope, so an answer is only ever kept on positive evidence that nothing it
shows has changed. Sign-in events (``auth.*`` rows) touch no data.

A change committed *after* a newer one (two writers on PostgreSQL) is caught
as the data stamp catches it: by counting the rows in the window below the
kept answer's stamp. If that count grew, or too many changes arrived, the
answer is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import Session

from tracker.audit.models import AuditLog
from tracker.days.models import SupportDay

#: How far back the data stamp counts audit rows (see results_cache.data_stamp).
STAMP_WINDOW = 256
#: More changes than this since a kept answer: recompute rather than read them all.
MAX_CHANGES = 200
PLANNED = "planned"

Stamp = tuple[int, int]  # (newest audit id, rows among the last STAMP_WINDOW ids)


@dataclass(frozen=True)
class Change:
    """One audit row, as much as scopes need of it."""

    entity: str
    action: str
    #: For a support day: the engagements whose days it changed (before and after); None when unknown.
    engagements: frozenset[int] | None = None
    #: For a support day: the staff members whose days it changed (before and after).
    staff: frozenset[int] = frozenset()
    #: For a support day: planned before and after (created planned, deleted while planned, edited while planned).
    planned_only: bool = False

    @property
    def is_placed_day(self) -> bool:
        """A support day whose engagements and staff are known (what a refresh needs)."""
        return self.entity == "support_day" and self.engagements is not None

    @property
    def touches_no_data(self) -> bool:
        return self.entity == "user" and self.action.startswith("auth.")


@dataclass(frozen=True)
class Scope:
    """What a kept answer shows: whose days, and whether planned days count."""

    engagements: frozenset[int] | None = None  # None: every engagement's days
    planned_days: bool = True  # False: only delivered and invoiced days (delivered income)

    @classmethod
    def of_engagements(cls, ids) -> Scope:
        return cls(engagements=frozenset(ids))

    def touched_by(self, change: Change) -> bool:
        if change.touches_no_data:
            return False
        if change.entity != "support_day" or change.engagements is None:
            return True  # not a day, or a day we could not place: assume it matters
        if not self.planned_days and change.planned_only:
            return False
        return self.engagements is None or bool(change.engagements & self.engagements)


#: Every day and every record matters; only sign-ins do not.
ALL_DATA = Scope()
#: No support day matters (settings, invoices): anything else recorded does.
NO_DAYS = Scope(engagements=frozenset())


_KEPT, _NOW = sa.bindparam("kept"), sa.bindparam("now")
#: The rows after the kept stamp, each with the number of rows now in the kept stamp's window
#: (one scalar subquery, computed once): one round trip for both questions.
_SINCE = (
    sa.select(AuditLog.entity, AuditLog.action, AuditLog.entity_id, AuditLog.before, AuditLog.after,
              sa.select(sa.func.count()).select_from(AuditLog)
              .where(AuditLog.id > _KEPT - STAMP_WINDOW, AuditLog.id <= _KEPT).scalar_subquery().label("window"))
    .where(AuditLog.id > _KEPT, AuditLog.id <= _NOW).order_by(AuditLog.id).limit(sa.bindparam("limit"))
)


def changes_between(session: Session, kept: Stamp, now: Stamp) -> list[Change] | None:
    """The changes recorded after ``kept`` up to ``now``; None when that cannot be told
    (a change landed late inside kept's window, or too many arrived)."""
    memo = g.setdefault("tracker_changes", {}) if has_request_context() else {}
    if (kept, now) in memo:
        return memo[(kept, now)]
    rows = session.execute(_SINCE, {"kept": kept[0], "now": now[0], "limit": MAX_CHANGES + 1}).all()
    # No row after kept although the stamp moved: only a late commit inside kept's window moves it so.
    late = not rows or rows[0].window != kept[1]
    answer = None if late or len(rows) > MAX_CHANGES else _classify(session, rows)
    memo[(kept, now)] = answer
    return answer


def _classify(session: Session, rows) -> list[Change]:
    # An update's audit row holds only the fields that changed: where it names no
    # engagement (or state), the day's current one is the one it had.
    unknown = {int(r.entity_id) for r in rows if r.entity == "support_day" and r.action == "update"
               and not {"engagement_id", "state", "staff_id"} <= set(r.after or {})}
    current = {}
    if unknown:
        current = {i: (e, s.value, p) for i, e, s, p in session.execute(
            sa.select(SupportDay.id, SupportDay.engagement_id, SupportDay.state, SupportDay.staff_id)
            .where(SupportDay.id.in_(unknown)))}
    changes = []
    for r in rows:
        if r.entity != "support_day":
            changes.append(Change(r.entity, r.action))
            continue
        sides = [side for side in (r.before, r.after) if side]
        engagements = {side["engagement_id"] for side in sides if "engagement_id" in side}
        states = {side["state"] for side in sides if "state" in side}
        staff = {side["staff_id"] for side in sides if "staff_id" in side}
        if int(r.entity_id) in current or (r.action == "update" and not {"engagement_id", "state", "staff_id"} <= set(r.after or {})):
            found = current.get(int(r.entity_id))
            if found is None:  # deleted since: a later row says where it was
                changes.append(Change(r.entity, r.action))
                continue
            engagements.add(found[0])
            staff.add(found[2])
            if "state" not in (r.after or {}):
                states.add(found[1])
        changes.append(Change(r.entity, r.action, frozenset(int(e) for e in engagements) or None,
                              frozenset(int(s) for s in staff), planned_only=bool(states) and states == {PLANNED}))
    return changes
