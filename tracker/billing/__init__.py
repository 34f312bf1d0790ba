"""Invoicing partner councils: drafts from delivered days, gap-free numbers,
credit notes, payments, the PDF, the ledger export.

Importing the package installs its guards: the support-day lock check (days on
a draft or issued invoice cannot change) and the ORM guard that keeps issued
invoices read-only. tracker.models imports billing.models, so every app does.
"""

from tracker.billing import guards

guards.install()

# Registers the invoice rules with `flask check`.
from tracker.billing import checks  # noqa: E402,F401
