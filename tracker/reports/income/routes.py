"""The income report page: a GET form, a chart, the table and its downloads."""

from __future__ import annotations

from flask import render_template, request

from tracker import clock, exports
from tracker.access import FINANCE_ROLES, roles
from tracker.cache_scope import ALL_DATA
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.page_cache import cached_page
from tracker.read_only import read_only
from tracker.reports.blueprint import bp, download, export_format
from tracker.reports.income import report as income
from tracker.reports.income.chart import build_chart
from tracker.reports.income.estimates import cached_estimate_bands
from tracker.reports.income.forms import IncomeForm
from tracker.reports.income.tables import income_filename, income_table, income_title
from tracker.web import apply_errors


def _defaults(form: IncomeForm) -> None:
    """Empty dates mean this financial year to date."""
    today = clock.today()
    for name, value in (("start", income.financial_year_start(today)), ("end", today)):
        field = getattr(form, name)
        if field.data is None and not field.errors:
            field.data, field.raw_data = value, None
    if not form.by.data:
        form.by.data = "month"


BANDS_SHOWN = 25


@read_only
@roles(*FINANCE_ROLES)
@bp.get("/income")
def income_report():
    if request.args.get("format"):
        return _income(download_only=True)
    return cached_page("reports/income.html", _income, scope=ALL_DATA)  # every day counts (the bands); not sign-ins


def _income(download_only: bool = False):
    form = IncomeForm(request.args)
    report = None
    if form.validate():
        _defaults(form)
        try:
            report = income.cached_income_report(db.session, form.start.data, form.end.data, form.by.data)
        except DomainError as error:
            apply_errors(form, error)
    else:
        _defaults(form)
    if report is not None and download_only:
        fmt = export_format(request.args.get("format"))
        columns, rows, totals = income_table(report)
        content, mimetype, ext = exports.export(fmt, income_title(report), columns, rows, totals)
        return download(content, mimetype, f"{income_filename(report)}.{ext}")
    bands = cached_estimate_bands(db.session, report.start, report.end) if report else []
    # Hundreds of packages at national scale: those above their band first, the first BANDS_SHOWN unless asked.
    show_all = request.args.get("bands") == "all"
    ordered = sorted(bands, key=lambda b: b.position != "above")
    chart = build_chart(report.chart) if report else None
    context = {"form": form, "report": report, "chart": chart, "bands": ordered if show_all else ordered[:BANDS_SHOWN],
               "bands_total": len(bands), "groupings": income.GROUPINGS, "status": 200 if report else 422}
    if download_only:  # the form was wrong: show it with its errors
        return render_template("reports/income.html", **context), context["status"]
    return context
