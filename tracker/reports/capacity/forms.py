from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.web import options


class ReviewForm(FlaskForm):
    reviewed_on = DateField("Date of the review", validators=[DataRequired("Give the date of the review.")])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)])
    decisions = TextAreaField("Decisions", validators=[Optional(), Length(max=10_000)],
                              description="e.g. no new outside bookings for a commissioner this month.")
    actions = TextAreaField("Actions (who does what by when)", validators=[Optional(), Length(max=10_000)])


class SignForm(FlaskForm):
    """The manager's explicit answer to the Board's statement (reviews.BOARD_STATEMENT)."""

    no_detriment = RadioField(
        "Outside work is having no detrimental impact on the work within the Borough",
        choices=options([("yes", "Yes: I sign this statement"), ("no", "No: outside work is having a detrimental impact")]),
        validators=[Optional()])
    impact_reason = TextAreaField("If no: what impact, and why", validators=[Optional(), Length(max=10_000)])

    def answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.no_detriment.data)
