"""The lead authority's logo, printed on invoices, credit notes and statements.

Uploaded in Settings by an admin: PNG or JPEG only, at most MAX_BYTES, at most
MAX_PIXELS on a side; Pillow must open and fully decode it, and it is
re-encoded as a fresh PNG (dropping metadata and anything else riding in the
file). Stored as base64 in the settings table with history (key ``logo_png``),
and embedded in PDFs as a data: URI, so rendering fetches nothing.
"""

from __future__ import annotations

import base64
import io
from datetime import date

import sqlalchemy as sa
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.errors import ValidationFailed
from tracker.settings.models import Setting

KEY = "logo_png"
MAX_BYTES = 512 * 1024
MAX_PIXELS = 2000
ALLOWED = {"PNG", "JPEG"}
#: The logo is scaled down to this height (px) when stored: it prints at about 16 mm.
STORED_HEIGHT = 240


def clean_logo(data: bytes) -> bytes:
    """A validated, re-encoded PNG from an uploaded PNG or JPEG, or ValidationFailed on `logo`."""
    if not data:
        raise ValidationFailed.for_field("logo", "Choose a PNG or JPEG file.")
    if len(data) > MAX_BYTES:
        raise ValidationFailed.for_field("logo", f"The logo must be at most {MAX_BYTES // 1024} KB.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ALLOWED:
                raise ValidationFailed.for_field("logo", "The logo must be a PNG or JPEG image.")
            if width > MAX_PIXELS or height > MAX_PIXELS:
                raise ValidationFailed.for_field("logo", f"The logo must be at most {MAX_PIXELS} pixels on each side.")
            probe.load()  # decode it all: a truncated or corrupt file fails here
            image = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationFailed.for_field("logo", "That file is not a readable PNG or JPEG image.") from None
    if image.height > STORED_HEIGHT:
        image = image.resize((max(1, round(image.width * STORED_HEIGHT / image.height)), STORED_HEIGHT))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def save_logo(session: Session, actor, data: bytes, effective_from: date) -> Setting:
    png = clean_logo(data)
    value = base64.b64encode(png).decode("ascii")
    row = session.scalar(sa.select(Setting).where(Setting.key == KEY, Setting.effective_from == effective_from))
    before = None
    if row is None:
        row = Setting(key=KEY, value=value, effective_from=effective_from, note="Logo uploaded",
                      changed_by_id=getattr(actor, "id", None))
        session.add(row)
    else:
        before = {"bytes": len(base64.b64decode(row.value)) if row.value else 0}
        row.value = value
        row.changed_by_id = getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor, "update", "setting", row.id, before,
                 {"key": KEY, "effective_from": effective_from, "bytes": len(png)})
    session.commit()
    return row


def remove_logo(session: Session, actor, effective_from: date) -> None:
    """From a date on, print no logo (history is kept)."""
    row = session.scalar(sa.select(Setting).where(Setting.key == KEY, Setting.effective_from == effective_from))
    if row is None:
        row = Setting(key=KEY, value="", effective_from=effective_from, note="Logo removed",
                      changed_by_id=getattr(actor, "id", None))
        session.add(row)
    else:
        row.value = ""
    session.flush()
    audit.record(session, actor, "update", "setting", row.id, None, {"key": KEY, "effective_from": effective_from,
                                                                      "bytes": 0})
    session.commit()


def logo_png(session: Session, on: date) -> bytes | None:
    stmt = (sa.select(Setting.value).where(Setting.key == KEY, Setting.effective_from <= on)
            .order_by(Setting.effective_from.desc()).limit(1))
    value = session.scalar(stmt)
    return base64.b64decode(value) if value else None


def data_uri(session: Session, on: date) -> str | None:
    png = logo_png(session, on)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None
