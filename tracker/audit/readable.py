"""The audit log in words: each row's action named for people, and its
before/after snapshots as field-by-field changes ("Day rate: 450.00 → 500.00").
Actions this module does not know (e.g. another feature's "auth.mfa_reset")
are shown generically, never as raw JSON."""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "sign": "Signed off",
    "issue": "Issued",
    "credit": "Credited",
    "status": "Status changed",
    "auth.sign_in": "Signed in",
    "auth.sign_in_failed": "Failed sign-in",
    "auth.sign_out": "Signed out",
}
MISSING = "—"
#: Long values are cut in the table (the whole row stays in the database).
MAX_CHARS = 300


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the field was not there (a creation)
    after: str | None  # None: the field went away (a deletion)


def action_label(action: str) -> str:
    """"update" → "Changed"; an unknown "auth.mfa_reset" → "Auth: mfa reset"."""
    if action in ACTIONS:
        return ACTIONS[action]
    area, _, verb = action.rpartition(".")
    words = verb.replace("_", " ").strip() or action
    return f"{area.replace('_', ' ').capitalize()}: {words}" if area else words.capitalize()


def field_label(name: str) -> str:
    return str(name).replace("_", " ").capitalize()


def show(value) -> str:
    """A stored value as text: lists joined, mappings as "key: value", no JSON escapes."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        text = "; ".join(f"{field_label(k)}: {show(v)}" for k, v in value.items())
    elif isinstance(value, list | tuple):
        text = ", ".join(show(v) for v in value) or MISSING
    else:
        text = str(value)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def changes(before, after) -> list[Change]:
    """Field by field: every field of a creation or deletion, only the changed
    fields of an update. A snapshot that is not a mapping is one "value"."""
    if before is not None and not isinstance(before, dict):
        before = {"value": before}
    if after is not None and not isinstance(after, dict):
        after = {"value": after}
    if before is None and after is None:
        return []
    if before is None:
        return [Change(field_label(k), None, show(v)) for k, v in after.items()]
    if after is None:
        return [Change(field_label(k), show(v), None) for k, v in before.items()]
    out = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old != new:
            out.append(Change(field_label(key), show(old) if key in before else None,
                              show(new) if key in after else None))
    return out
