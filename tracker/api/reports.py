from flask import Response, request

from tracker import clock, exports
from tracker.access import MANAGERS, roles
from tracker.api.core import Param, api_bp, operation, query_values
from tracker.api.schema import Date, Dec, Int, ListOf, Nested, Schema, Str
from tracker.dates import parse_month
from tracker.extensions import db
from tracker.reports.capacity import reviews
from tracker.reports.capacity.tables import capacity_table

FLAGS = ["green", "amber", "red"]
FORMAT = Param("format", Str(enum=["json", "csv", "xlsx"]), "json (default), csv or xlsx")

CapacityRow = Schema("CapacityRow", {
    "staff_id": Int(), "name": Str(), "team": Str(), "capacity_days": Dec(2), "external_delivered": Dec(2),
    "external_planned": Dec(2), "share": Dec(4, nullable=True), "cap_share": Dec(2), "flag": Str(enum=FLAGS),
})
ForwardRow = Schema("CapacityForwardMonth", {
    "month": Date(), "planned": Dec(2), "estimated_remaining": Dec(2), "total": Dec(2),
    "capacity_allowed": Dec(2), "share": Dec(4, nullable=True), "flag": Str(enum=FLAGS),
})
CapacityTotals = Schema("CapacityTotals", {
    "capacity_days": Dec(2), "external_delivered": Dec(2), "external_planned": Dec(2),
    "share": Dec(4, nullable=True), "cap_share": Dec(4, nullable=True), "flag": Str(enum=FLAGS),
})
CapacityReportSchema = Schema("CapacityReport", {
    "month": Str(description="YYYY-MM"),
    "signed": Str(enum=["signed", "draft", "none"], description="Whether the month's review is signed (frozen figures)."),
    "items": ListOf(Nested(CapacityRow)),
    "totals": Nested(CapacityTotals),
    "forward": ListOf(Nested(ForwardRow)),
})


def send_export(fmt: str, title: str, table, filename: str) -> Response:
    columns, rows, totals = table
    content, mimetype, ext = exports.export(fmt, title, columns, rows, totals)
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}.{ext}"'})


@roles(*MANAGERS)
@api_bp.get("/reports/capacity")
@operation("The monthly capacity risk review", tags=["reports"], response=CapacityReportSchema, downloads=True,
           query=[Param("month", Str(max_length=7), "YYYY-MM (default: this month)"), FORMAT],
           description="Signed months return the figures they were signed on. ?format=csv|xlsx downloads the table.")
def capacity_report():
    q = query_values([FORMAT])
    month = parse_month(request.args.get("month"), clock.today())
    review = reviews.review_for(db.session, month)
    report = reviews.report_of(db.session, review, month)
    fmt = q.get("format", "json")
    if fmt != "json":
        return send_export(fmt, f"Capacity review {month:%B %Y}", capacity_table(report), f"capacity-{month:%Y-%m}")
    return CapacityReportSchema.dump({
        "month": month.strftime("%Y-%m"),
        "signed": review.status.value if review else "none",
        "items": report.rows,
        "totals": report,
        "forward": [{"month": f.month, "planned": f.planned, "estimated_remaining": f.estimated_remaining,
                     "total": f.total, "capacity_allowed": f.capacity_allowed, "share": f.share, "flag": f.flag}
                    for f in report.forward],
    })
