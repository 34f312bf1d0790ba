from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.addresses import EMAIL_MAX
from tracker.authorities.models import AuthorityKind
from tracker.authorities.services import ADDRESS_MAX, FINANCE_CONTACT_MAX, NAME_MAX, VAT_NUMBER_MAX
from tracker.web import options

KIND_LABELS = {"council": "Council", "nhs": "NHS body", "trust": "Children's Trust", "other": "Other"}


class AuthorityForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Give the authority's name."), Length(max=NAME_MAX)])
    kind = SelectField("Kind", choices=options((k.value, KIND_LABELS[k.value]) for k in AuthorityKind))
    is_lead = BooleanField("This is the lead authority (the seller)")
    address = TextAreaField("Postal address", validators=[Optional(), Length(max=ADDRESS_MAX)])
    vat_number = StringField("VAT registration number", validators=[Optional(), Length(max=VAT_NUMBER_MAX)])
    finance_contact = StringField("Finance contact", validators=[Optional(), Length(max=FINANCE_CONTACT_MAX)])
    finance_email = EmailField("Finance e-mail (invoices go here)", validators=[Optional(), Length(max=EMAIL_MAX)])
