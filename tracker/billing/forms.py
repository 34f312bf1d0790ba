from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.billing.credits import REASON_MAX
from tracker.billing.models import InvoiceKind
from tracker.billing.payments import REFERENCE_MAX
from tracker.billing.queries import STATUS_FILTERS
from tracker.web import options

STATUS_LABELS = {"draft": "Draft", "issued": "Issued (unpaid)", "part_paid": "Part-paid", "paid": "Paid",
                 "credited": "Credited", "overdue": "Overdue"}


class DraftForm(FlaskForm):
    client_id = SelectField("Client authority", coerce=int, validators=[DataRequired("Choose the client authority to invoice.")])
    up_to = DateField("Invoice delivered days up to", validators=[DataRequired("Give the date to invoice up to.")])
    engagement_id = SelectField("Engagement (optional)", coerce=int, validators=[Optional()])


class ConfirmForm(FlaskForm):
    """Issue or delete: a button and the CSRF token."""


class CreditForm(FlaskForm):
    line_ids = SelectMultipleField(
        "Lines to credit", coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one line to credit.")],
    )
    reason = TextAreaField("Reason (printed on the credit note)",
                           validators=[DataRequired("Say why the invoice is being credited."), Length(max=REASON_MAX)])
    #: No default: the officer chooses what happens to the days.
    outcome = RadioField("What happens to these days?", choices=options([
        ("reinvoice", "Re-invoice these days later (they go back to Uninvoiced work)"),
        ("write_off", "Write them off (never billable again; shown as written off)"),
    ]), validators=[DataRequired("Choose whether to re-invoice these days later or write them off.")])
    #: Set on the confirmation step, which states the amount.
    confirmed = HiddenField()


class PaymentForm(FlaskForm):
    amount = StringField("Amount received (£)", validators=[DataRequired("Give the amount received.")])
    paid_on = DateField("Date received", validators=[DataRequired("Give the date the money arrived.")])
    reference = StringField("Reference (e.g. BACS remittance)", validators=[Optional(), Length(max=REFERENCE_MAX)])


class InvoiceFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    client_id = SelectField("Client", coerce=int, validators=[Optional()])
    status = SelectField("Status", choices=options([("", "Any status"), *((s, STATUS_LABELS[s]) for s in STATUS_FILTERS)]),
                         validators=[Optional()])
    kind = SelectField("Kind", choices=options([("", "Invoices and credit notes"), *((k.value, k.label) for k in InvoiceKind)]),
                       validators=[Optional()])
    issued_from = DateField("Issued from", validators=[Optional()])
    issued_to = DateField("Issued to", validators=[Optional()])


class ExportForm(FlaskForm):
    class Meta:
        csrf = False  # a download changes nothing

    issued_from = DateField("Issued from", validators=[Optional()])
    issued_to = DateField("Issued to", validators=[Optional()])
    format = SelectField("Format", choices=options([("csv", "CSV"), ("xlsx", "Excel (XLSX)")]))
