"""The lead authority's invoicing settings, declared to tracker.settings by
billing's init_app so the settings page lists them and keeps their history.

The lead's own name, address and VAT registration number live on its
Authority row (``is_lead``); these are the rest.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from tracker.errors import ValidationFailed
from tracker.settings import services as settings
from tracker.settings.services import SettingSpec

_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,11}")


class CodeSpec(SettingSpec):
    """A short upper-case code such as an invoice-number prefix ("HBC")."""

    def parse(self, raw: str) -> str:
        text = (raw or "").strip().upper()
        if not _CODE.fullmatch(text) or text.endswith("-"):
            raise ValidationFailed.for_field(
                "value", f"{self.label} must be 1–12 letters, digits or hyphens, e.g. HBC."
            )
        return text


INVOICE_PREFIX = CodeSpec(
    "invoice_prefix", "Invoice number prefix", "text", "INV",
    "Invoice numbers run PREFIX-YEAR-0001, PREFIX-YEAR-0002 … with no gaps; a new series each calendar year.",
)
CREDIT_NOTE_PREFIX = CodeSpec(
    "credit_note_prefix", "Credit note number prefix", "text", "CN",
    "Credit notes have their own gap-free series: PREFIX-YEAR-0001 …",
)
PAYMENT_TERMS = SettingSpec(
    "payment_terms_days", "Payment terms (days)", "int", "30",
    "Days from the invoice date to the due date; printed on the invoice.",
)
REMITTANCE = SettingSpec(
    "remittance_details", "Remittance details", "text", "",
    "Bank account, sort code and how to quote the invoice number; printed on every invoice. "
    "Invoices cannot be issued until this is set.",
)
LEDGER_COST_CENTRE = SettingSpec(
    "ledger_cost_centre", "Ledger cost centre", "text", "",
    "The cost-centre column of the ledger export.",
)
LEDGER_INCOME_CODE = SettingSpec(
    "ledger_income_code", "Ledger income code", "text", "",
    "The income-code column of the ledger export (fees and charges).",
)

#: In the order the settings page lists them (after the day rate).
SPECS = (INVOICE_PREFIX, CREDIT_NOTE_PREFIX, PAYMENT_TERMS, REMITTANCE, LEDGER_COST_CENTRE, LEDGER_INCOME_CODE)


def invoice_prefix(session: Session, on: date) -> str:
    return settings.value_on(session, INVOICE_PREFIX.key, on)


def credit_note_prefix(session: Session, on: date) -> str:
    return settings.value_on(session, CREDIT_NOTE_PREFIX.key, on)


def payment_terms(session: Session, on: date) -> int:
    return int(settings.value_on(session, PAYMENT_TERMS.key, on))


def remittance(session: Session, on: date) -> str:
    return settings.value_on(session, REMITTANCE.key, on)


def ledger_codes(session: Session, on: date) -> tuple[str, str]:
    return (settings.value_on(session, LEDGER_COST_CENTRE.key, on),
            settings.value_on(session, LEDGER_INCOME_CODE.key, on))
