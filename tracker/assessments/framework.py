"""The SAP framework as versioned reference data.

The default wording ships in ``data/sap_framework.json``; migration 0003 loads
it as version 1 and :func:`ensure_framework` does the same on an empty
database (tests, fresh demo). An admin's edit never changes a version: it
saves a new one, and new rounds use the newest while old rounds keep theirs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import SYSTEM, Role, is_system
from tracker.assessments.models import FrameworkVersion, SapLevel, SapSection, SapStandard
from tracker.audit import services as audit
from tracker.errors import Forbidden, NotFound, ValidationFailed

DATA_FILE = Path(__file__).parent / "data" / "sap_framework.json"
SCORES = (1, 2, 3, 4, 5)
CODE_PATTERN = re.compile(r"[1-9]\.[1-9][0-9]?")
#: Limits of the wording; the framework form takes them from here.
TITLE_MAX = 200  # a version's label, a section's or standard's title
NOTE_MAX = 2000
DESCRIPTION_MAX = 1000  # a section's or standard's description
LEVEL_LABEL_MAX = 60
LEVEL_DESCRIPTION_MAX = 255


@dataclass
class FrameworkData:
    """A framework's wording, as in the data file (plain dicts and lists)."""

    label: str
    note: str = ""
    sections: list[dict] = field(default_factory=list)
    levels: list[dict] = field(default_factory=list)
    standards: list[dict] = field(default_factory=list)


def read_framework_file(path: Path | str) -> FrameworkData:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed.for_field("file", f"Cannot read the framework file: {exc}") from None
    if not isinstance(raw, dict):
        raise ValidationFailed.for_field("file", "The framework file must hold one JSON object.")
    return FrameworkData(
        label=raw.get("label", ""), note=raw.get("note", ""), sections=raw.get("sections", []),
        levels=raw.get("levels", []), standards=raw.get("standards", []),
    )


def _text(value, key: str, fields: dict, *, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        fields[key] = "Must be text."
        return ""
    value = value.strip()
    if required and not value:
        fields[key] = "Required."
    elif len(value) > limit:
        fields[key] = f"Use at most {limit} characters."
    return value


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def clean_framework(data: FrameworkData) -> FrameworkData:
    """Check every part; ValidationFailed names each bad one (e.g. "standards.2.3.title")."""
    fields: dict[str, str] = {}
    out = FrameworkData(
        label=_text(data.label, "label", fields, limit=TITLE_MAX),
        note=_text(data.note, "note", fields, limit=NOTE_MAX, required=False),
    )
    sections = data.sections if isinstance(data.sections, list) else []
    if not 1 <= len(sections) <= 9:
        fields["sections"] = "Give from one to nine sections."
    for raw in sections:
        item = raw if isinstance(raw, dict) else {}
        number = _whole(item.get("number"))
        if number is None or not 1 <= number <= 9 or any(s["number"] == number for s in out.sections):
            fields["sections"] = "Number the sections 1, 2, 3 … once each."
            continue
        key = f"sections.{number}"
        out.sections.append({
            "number": number,
            "title": _text(item.get("title"), f"{key}.title", fields, limit=TITLE_MAX),
            "description": _text(item.get("description"), f"{key}.description", fields, limit=DESCRIPTION_MAX, required=False),
        })
    levels = {(_whole(i.get("score")) if isinstance(i, dict) else None): i for i in (data.levels or [])}
    if sorted(k for k in levels if k is not None) != list(SCORES) or len(data.levels or []) != len(SCORES):
        fields["levels"] = "Describe each score from 1 to 5 once."
    for score in SCORES:
        item = levels.get(score) or {}
        out.levels.append({
            "score": score,
            "label": _text(item.get("label"), f"levels.{score}.label", fields, limit=LEVEL_LABEL_MAX),
            "description": _text(item.get("description"), f"levels.{score}.description", fields, limit=LEVEL_DESCRIPTION_MAX),
        })
    standards = data.standards if isinstance(data.standards, list) else []
    if not 1 <= len(standards) <= 40:
        fields["standards"] = "Give from one to forty standards."
    numbers = {s["number"] for s in out.sections}
    for raw in standards:
        item = raw if isinstance(raw, dict) else {}
        code = item.get("code")
        if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code.strip()):
            fields["standards"] = f"Standard code {code!r} is not like 1.1 or 3.4."
            continue
        code = code.strip()
        key = f"standards.{code}"
        section = _whole(item.get("section"))
        if any(s["code"] == code for s in out.standards):
            fields[key] = f"Standard {code} appears twice."
        elif section not in numbers or code.split(".")[0] != str(section):
            fields[f"{key}.section"] = f"Standard {code} must belong to section {code.split('.')[0]}, which must exist."
        out.standards.append({
            "code": code, "section": section,
            "title": _text(item.get("title"), f"{key}.title", fields, limit=TITLE_MAX),
            "description": _text(item.get("description"), f"{key}.description", fields, limit=DESCRIPTION_MAX, required=False),
        })
    if fields:
        raise ValidationFailed("Check the framework's wording.", fields)
    return out


def flat_wording(data: FrameworkData) -> dict:
    """Flat wording for comparison and the audit log."""
    flat = {}
    for s in data.sections:
        flat[f"sections.{s['number']}.title"] = s["title"]
        flat[f"sections.{s['number']}.description"] = s["description"]
    for lv in data.levels:
        flat[f"levels.{lv['score']}.label"] = lv["label"]
        flat[f"levels.{lv['score']}.description"] = lv["description"]
    for st in data.standards:
        for name in ("section", "title", "description"):
            flat[f"standards.{st['code']}.{name}"] = st[name]
    return flat


def data_of(version: FrameworkVersion) -> FrameworkData:
    return FrameworkData(
        label=version.label, note=version.note,
        sections=[{"number": s.number, "title": s.title, "description": s.description} for s in version.sections],
        levels=[{"score": lv.score, "label": lv.label, "description": lv.description} for lv in version.levels],
        standards=[{"code": s.code, "section": s.section, "title": s.title, "description": s.description}
                   for s in version.standards],
    )


def _add_version(session: Session, actor, data: FrameworkData, number: int) -> FrameworkVersion:
    version = FrameworkVersion(number=number, label=data.label, note=data.note, created_by_id=getattr(actor, "id", None))
    version.sections = [SapSection(**s) for s in data.sections]
    version.levels = [SapLevel(**lv) for lv in data.levels]
    version.standards = [SapStandard(position=i, **s) for i, s in enumerate(data.standards, start=1)]
    session.add(version)
    session.flush()
    return version


def latest_version(session: Session) -> FrameworkVersion | None:
    return session.scalar(sa.select(FrameworkVersion).order_by(FrameworkVersion.number.desc()).limit(1))


def current_version(session: Session) -> FrameworkVersion:
    version = latest_version(session)
    if version is None:
        raise NotFound("No SAP framework is loaded; run `flask db upgrade`.")
    return version


def get_version(session: Session, number: int) -> FrameworkVersion:
    version = session.scalar(sa.select(FrameworkVersion).where(FrameworkVersion.number == number))
    if version is None:
        raise NotFound(f"There is no version {number} of the SAP framework.")
    return version


def all_versions(session: Session) -> list[FrameworkVersion]:
    return list(session.scalars(sa.select(FrameworkVersion).order_by(FrameworkVersion.number.desc())))


def ensure_framework(session: Session) -> FrameworkVersion:
    """Load the shipped default as version 1 when no version exists (idempotent)."""
    version = latest_version(session)
    if version is not None:
        return version
    version = _add_version(session, SYSTEM, clean_framework(read_framework_file(DATA_FILE)), 1)
    session.commit()
    return version


def may_edit_framework(actor) -> bool:
    return is_system(actor) or getattr(actor, "role", None) == Role.ADMIN


def save_framework_version(session: Session, actor, data: FrameworkData) -> tuple[FrameworkVersion, bool]:
    """A new version with this wording, unless it is the current wording already.

    Returns (version, created). Only an admin (or the CLI) may do it.
    """
    if not may_edit_framework(actor):
        raise Forbidden("Only an administrator can change the SAP framework.")
    clean = clean_framework(data)
    current = latest_version(session)
    if current is not None and flat_wording(data_of(current)) == flat_wording(clean):
        return current, False
    number = (current.number if current else 0) + 1
    version = _add_version(session, actor, clean, number)
    before = ({"version": current.number, "label": current.label} | flat_wording(data_of(current))) if current else None
    audit.record(session, actor, "create", "sap_framework", version.number, before,
                 {"version": number, "label": clean.label} | flat_wording(clean))
    session.commit()
    return version, True
