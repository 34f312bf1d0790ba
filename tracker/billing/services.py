"""Billing use cases, one import for pages, API, CLI and demo.

Each is a plain function with explicit arguments (``today`` included) that
raises a DomainError and commits once: drafting (build_invoice,
delete_draft), issuing (issue_invoice), credits (credit_invoice), payments
(record_payment), refunds (record_refund); queries hold the reads.
"""

from tracker.billing.credits import (
    AlreadyCredited,
    CreditPreview,
    NotCreditable,
    credit_invoice,
    credited_line_ids,
    preview_credit,
    settled_status,
)
from tracker.billing.drafting import DoubleClaim, InvoiceIssued, NothingToInvoice, build_invoice, delete_draft, describe
from tracker.billing.issuing import AlreadyIssued, NotReadyToIssue, issue_invoice, next_number
from tracker.billing.payments import NotPayable, record_payment
from tracker.billing.queries import (
    AGE_BUCKETS,
    STATUS_FILTERS,
    InvoiceFilters,
    aged_debt,
    balances_total,
    filtered,
    get_invoice,
    income_invoiced,
    list_invoices,
    ordered,
    totals,
    uninvoiced,
)
from tracker.billing.refunds import NoRefundDue, record_refund

__all__ = [
    "AGE_BUCKETS", "STATUS_FILTERS", "AlreadyCredited", "AlreadyIssued", "CreditPreview", "DoubleClaim",
    "InvoiceFilters", "InvoiceIssued", "NoRefundDue", "NotCreditable", "NotPayable", "NotReadyToIssue",
    "NothingToInvoice", "aged_debt", "balances_total", "build_invoice", "credit_invoice", "credited_line_ids",
    "delete_draft", "describe", "filtered", "get_invoice", "income_invoiced", "issue_invoice", "list_invoices", "next_number",
    "ordered", "preview_credit", "record_payment", "record_refund", "settled_status", "totals", "uninvoiced",
]
