"""The “My days” page and its CSV/XLSX export (registered on the days blueprint)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from tracker import exports
from tracker.access import DELIVERERS, roles
from tracker.days import own
from tracker.days.forms import OwnDayFilterForm
from tracker.days.routes import bp
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.pagination import page_args
from tracker.web import id_arg, options


def _filters(form: OwnDayFilterForm) -> own.OwnDayFilters:
    form.validate()
    bad = {name for name, field in form._fields.items() if field.errors}
    return own.OwnDayFilters(
        engagement_id=None if "engagement_id" in bad else id_arg(form.engagement_id.data),
        activity=None if "activity" in bad else form.activity.data or None,
        state=None if "state" in bad else form.state.data or None,
        start=None if "start" in bad else form.start.data,
        end=None if "end" in bad else form.end.data,
    )


@roles(*DELIVERERS)
@bp.get("/days/mine")
def my_days():
    staff = current_user.staff
    form = OwnDayFilterForm(request.args)
    form.engagement_id.choices = options([(0, "Any engagement"),
                                          *(own.engagement_choices(db.session, staff.id) if staff else [])])
    chosen = _filters(form)
    page = total = None
    if staff is not None:
        try:
            chosen.check()
        except ValidationFailed as error:
            for name, message in error.fields.items():
                getattr(form, name).errors = [message]
            chosen.end = None
        fmt = request.args.get("format")
        if fmt in ("csv", "xlsx"):
            rows, totals = own.own_days_export_rows(db.session, staff.id, chosen)
            content, mimetype, ext = exports.export(fmt, f"Days of {staff.name}", own.COLUMNS, rows, totals)
            return Response(content, mimetype=mimetype,
                            headers={"Content-Disposition": f'attachment; filename="my-days.{ext}"'})
        number, per_page = page_args(request.args)
        page = own.own_days_page(db.session, staff.id, chosen, number, per_page)
        total = own.own_days_total(db.session, staff.id, chosen)
    query = {k: v for k, v in request.args.items() if k not in ("page", "format") and v}
    return render_template("days/mine.html", staff=staff, form=form, page=page, total=total, query=query)
