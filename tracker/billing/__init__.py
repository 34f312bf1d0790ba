"""Invoicing partner councils: drafts from delivered days, gap-free numbers,
credit notes, payments, the PDF, the ledger export.

billing.feature.init_app declares billing's guards (the support-day lock, the
ORM guard that keeps issued invoices read-only, the PostgreSQL error
translator), its settings and its `flask check` rules.
"""
