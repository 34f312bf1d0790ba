"""GET /api/v1/reports/income: the income report as JSON, CSV or XLSX."""

from tracker import clock
from tracker.access import FINANCE_ROLES, roles
from tracker.api.core import Param, api_bp, operation, query_values
from tracker.api.reports import FORMAT, send_export
from tracker.api.schema import Date, Dec, Int, ListOf, Nested, Schema, Str
from tracker.extensions import db
from tracker.reports.income import report as income
from tracker.reports.income.estimates import cached_estimate_bands
from tracker.reports.income.tables import income_filename, income_table, income_title

QUERY = [
    Param("start", Date(), "First day, YYYY-MM-DD (default: 1 April of this financial year)."),
    Param("end", Date(), "Last day, YYYY-MM-DD (default: today)."),
    Param("by", Str(enum=list(income.GROUPINGS)), "month (default), client, engagement, activity or staff."),
    Param("client_id", Int(minimum=1), "Only this client authority."),
    FORMAT,
]

IncomeRowSchema = Schema("IncomeRow", {
    "key": Str(description="YYYY-MM, an id, or an activity; '' for invoices covering several engagements"),
    "label": Str(), "days": Dec(2), "net_delivered": Dec(2), "net_invoiced": Dec(2),
    "net_paid": Dec(2, nullable=True, description="Payments received in the period less refunds paid out (gross, "
                                                  "VAT included); null where not attributable."),
    "outstanding": Dec(2, nullable=True, description="Owed at the end of the period (gross); null where not attributable."),
    "wip": Dec(2, description="Delivered in the period, on no live invoice (net)."),
    "written_off": Dec(2, description="Delivered in the period, credited and written off (net)."),
})
EstimateBandSchema = Schema("IncomeEstimateBand", {
    "engagement_id": Int(), "title": Str(), "client_name": Str(), "status": Str(), "day_rate": Dec(2),
    "low_days": Dec(2), "high_days": Dec(2), "low_value": Dec(2), "high_value": Dec(2),
    "delivered_days": Dec(2), "delivered_value": Dec(2), "planned_days": Dec(2), "planned_value": Dec(2),
    "forecast_days": Dec(2), "forecast_value": Dec(2), "position": Str(enum=["below", "within", "above"]),
})
IncomeReportSchema = Schema("IncomeReport", {
    "start": Date(), "end": Date(), "by": Str(enum=list(income.GROUPINGS)), "client_id": Int(nullable=True),
    "rows": ListOf(Nested(IncomeRowSchema)), "totals": Nested(IncomeRowSchema),
    "estimates": ListOf(Nested(EstimateBandSchema)),
})


@roles(*FINANCE_ROLES)
@api_bp.get("/reports/income")
@operation("Income delivered, invoiced, paid, outstanding and not yet invoiced", tags=["reports"],
           response=IncomeReportSchema, downloads=True, query=QUERY,
           description="Totals do not depend on the grouping. ?format=csv|xlsx downloads the table.")
def income_report():
    q = query_values(QUERY)
    today = clock.today()
    start, end = q.get("start", income.financial_year_start(today)), q.get("end", today)
    report = income.cached_income_report(db.session, start, end, q.get("by", "month"), q.get("client_id"))
    fmt = q.get("format", "json")
    if fmt != "json":
        return send_export(fmt, income_title(report), income_table(report), income_filename(report))
    return IncomeReportSchema.dump({
        "start": report.start, "end": report.end, "by": report.by, "client_id": report.client_id,
        "rows": report.rows, "totals": report.totals,
        "estimates": cached_estimate_bands(db.session, start, end, report.client_id),
    })
