"""The week view page and the import page (registered on the days blueprint)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.access import DELIVERERS, Role, roles
from tracker.dates import in_range
from tracker.days import copy_week, importer, week
from tracker.days.forms import ACTIVITY_OPTIONS, CopyWeekForm, ImportForm, WeekForm
from tracker.days.routes import bp, staff_options_for, today
from tracker.errors import DomainError, NotFound
from tracker.extensions import db
from tracker.plans.services import goal_choices
from tracker.staff.models import StaffMember
from tracker.web import id_arg, options

#: Extra per-row fields in the week grid (the action-plan goal):
#: fn(engagement) -> list of (value, label) or None; the row's choice is sent as extra[name].
ROW_EXTRAS: dict[str, object] = {"goal_id": lambda engagement: goal_choices(db.session, engagement.id)}


def _week_start(raw: str | None) -> date:
    try:
        chosen = date.fromisoformat(raw) if raw else today()
    except ValueError:
        chosen = today()
    if not in_range(chosen):
        chosen = today()  # a far-off week is not worth an error page: show this one
    return week.week_start(chosen)


def _staff_for(raw_id) -> StaffMember | None:
    if current_user.role == Role.CONSULTANT:
        return current_user.staff
    staff_id = id_arg(raw_id) if raw_id not in (None, "") else current_user.staff_id
    if staff_id is None:
        if raw_id not in (None, ""):
            raise NotFound("No such staff member.")
        return None
    member = db.session.get(StaffMember, staff_id)
    if member is None:
        raise NotFound("No such staff member.")
    return member


def _row_inputs(form: WeekForm, dates: list[date]) -> list[week.RowInput]:
    rows = []
    for entry in form.rows.entries:
        row = entry.form
        engagement_id = id_arg(row.engagement_id.data)
        if engagement_id is None:
            continue
        cells = {on: getattr(row, f"d{i}").data or "" for i, on in enumerate(dates)}
        extra = {}
        for name in ROW_EXTRAS:
            raw = request.form.get(f"{entry.name}-{name}", "")
            extra[name] = id_arg(raw)
        rows.append(week.RowInput(engagement_id, row.original_activity.data or None, row.activity.data, cells, extra))
    return rows


def _week_url(start: date, staff, weekend: bool = False) -> str:
    return url_for("days.week_view", start=start.isoformat(), staff_id=staff.id if staff else None,
                   weekend=1 if weekend else None)


@roles(*DELIVERERS)
@bp.route("/days/week", methods=["GET", "POST"])
def week_view():
    start = _week_start(request.values.get("start"))
    staff = _staff_for(request.values.get("staff_id"))
    asked_weekend = request.values.get("weekend") == "1"
    weekend = asked_weekend or (staff is not None and week.has_weekend_days(db.session, staff.id, start))
    dates = week.week_dates(start, weekend)
    form = WeekForm()
    errors: dict[str, str] = {}
    if staff is not None and form.validate_on_submit():
        try:
            count = week.save_week(db.session, current_user, staff, start, _row_inputs(form, dates), today(),
                                   weekend=weekend)
        except DomainError as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            flash(f"Week saved ({count} change{'s' if count != 1 else ''}).", "success")
            return redirect(_week_url(start, staff, asked_weekend))
    rows = week.load_week(db.session, staff, start, weekend) if staff else []
    submitted = request.method == "POST"
    grid = []
    for r, row in enumerate(rows):
        typed = None
        if submitted:
            prefix = f"rows-{r}-"
            typed = {i: request.form.get(f"{prefix}d{i}", "") for i in range(len(dates))}
        grid.append({
            "row": row, "index": r,
            "activity": (request.form.get(f"rows-{r}-activity", "") if submitted
                         else row.activity.value if row.activity else ""),
            "values": [typed[i] if typed is not None else (f"{row.cells[on].days.normalize():f}" if row.cells[on] else "")
                       for i, on in enumerate(dates)],
            "extras": {name: (fn(row.engagement) or []) for name, fn in ROW_EXTRAS.items()},
            "extra_values": {name: (request.form.get(f"rows-{r}-{name}") if submitted else
                                    next((str(getattr(d, name) or "") for d in row.cells.values() if d), ""))
                             for name in ROW_EXTRAS},
        })
    day_totals = [sum((row.cells[on].days for row in rows if row.cells[on]), start=0) for on in dates]
    return render_template(
        "days/week.html", form=form, grid=grid, dates=dates, start=start, staff=staff, errors=errors,
        staff_options=staff_options_for(current_user), activity_options=options(ACTIVITY_OPTIONS),
        prev_week=start - timedelta(days=7), next_week=start + timedelta(days=7), today=today(),
        day_totals=day_totals, extra_names=list(ROW_EXTRAS), weekend=weekend, asked_weekend=asked_weekend,
        copy_form=CopyWeekForm(), week_url=_week_url,
    )


@roles(*DELIVERERS)
@bp.post("/days/week/copy")
def copy_last_week():
    """Book last week's days again as planned days this week (all or nothing)."""
    start = _week_start(request.form.get("start"))
    staff = _staff_for(request.form.get("staff_id"))
    form = CopyWeekForm()
    if staff is None or not form.validate_on_submit():
        flash("Nothing was copied: the form had expired; try again.", "error")
        return redirect(_week_url(start, staff))
    try:
        count = copy_week.copy_previous_week(db.session, current_user, staff, start, today())
    except DomainError as error:
        details = " ".join(f"{where}: {why}" for where, why in error.fields.items())
        flash(f"{error.message} {details}".strip(), "error")
    else:
        flash(f"Copied {count} day{'s' if count != 1 else ''} from last week as planned days.", "success")
    return redirect(_week_url(start, staff))


@roles(*DELIVERERS)
@bp.route("/days/import", methods=["GET", "POST"])
def import_days():
    form = ImportForm()
    problems = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = importer.import_file(db.session, current_user, upload.filename, upload.read(), today())
        except importer.ImportInvalid as error:
            problems = error.rows
            flash(error.message, "error")
        except DomainError as error:
            form.file.errors = [error.fields.get("file", error.message)]
        else:
            flash(f"Imported {count} day{'s' if count != 1 else ''}.", "success")
            return redirect(url_for("days.import_days"))
    return render_template("days/import.html", form=form, problems=problems, columns=importer.COLUMNS)


@roles(*DELIVERERS)
@bp.get("/days/import/template.csv")
def import_template():
    return Response(importer.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=support-days-template.csv"})
