"""Invoices, credit notes, their lines, the days each line covers, live claims
on days, payments and the gap-free number series.

- ``Invoice`` is both kinds of document: an invoice or a credit note (which
  points at the invoice it credits through ``credits_id``). A draft has no
  number; issuing gives it one and freezes every figure and both parties'
  details.
- ``InvoiceLine`` holds days × rate (the rate frozen on the line), net, VAT
  and gross, each rounded half-up to the penny; the document's totals are the
  sums of its stored lines.
- ``InvoiceLineDay`` records which support days a line covers, kept forever
  for the audit trail.
- ``InvoiceDayClaim`` is the live claim: its primary key is the support day,
  so a day can sit on at most one live invoice, even when two runs race.
  Deleting a draft or crediting a line removes its claims.
- ``NumberSeries`` holds the next number of each series (kind, prefix, year);
  it is updated inside the issuing transaction, so a rollback leaves no gap.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, Days, DayTotal, Money, Ratio, enum_type, utcnow
from tracker.days.models import Activity
from tracker.money import ZERO


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    @property
    def label(self) -> str:
        return {"invoice": "Invoice", "credit_note": "Credit note"}[self.value]


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PART_PAID = "part_paid"
    PAID = "paid"
    CREDITED = "credited"

    @property
    def label(self) -> str:
        return {"part_paid": "Part-paid"}.get(self.value, self.value.capitalize())


#: Statuses of an issued invoice that may still owe money.
OPEN_STATUSES = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PART_PAID})
ISSUED_STATUSES = frozenset(set(InvoiceStatus) - {InvoiceStatus.DRAFT})


class Invoice(Base):
    __tablename__ = "invoices"
    # Money checks compare whole pennies: SQLite keeps NUMERIC as binary floats.
    __table_args__ = (
        sa.CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_iff_issued"),
        sa.CheckConstraint("(status = 'draft') = (issued_on IS NULL)", name="issued_on_iff_issued"),
        sa.CheckConstraint("(kind = 'credit_note') = (credits_id IS NOT NULL)", name="credit_note_credits_invoice"),
        sa.CheckConstraint("ROUND(gross * 100) = ROUND(net * 100) + ROUND(vat * 100)", name="gross_is_net_plus_vat"),
        sa.CheckConstraint("paid >= 0 AND credited >= 0", name="paid_and_credited_not_negative"),
        sa.CheckConstraint("refunded >= 0", name="refunded_not_negative"),
        sa.Index("ix_invoices_client_id_status", "client_id", "status"),
        sa.Index("ix_invoices_issued_on", "issued_on"),
        sa.Index("ix_invoices_credits_id", "credits_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_type(InvoiceKind, "invoice_kind"), default=InvoiceKind.INVOICE)
    status: Mapped[InvoiceStatus] = mapped_column(
        enum_type(InvoiceStatus, "invoice_status"), default=InvoiceStatus.DRAFT
    )
    number: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id", ondelete="RESTRICT"))
    #: A draft made for one engagement only (None: all the client's engagements).
    engagement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("engagements.id", ondelete="RESTRICT"))
    #: Delivered days up to and including this date.
    up_to: Mapped[date]
    # NO ACTION (checked at the end of the statement) rather than RESTRICT, so
    # the test suite can empty the table in one statement; issued documents
    # are never deleted anyway (guards).
    credits_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoices.id", ondelete="NO ACTION"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    issued_on: Mapped[date | None]
    due_on: Mapped[date | None]
    net: Mapped[Money] = mapped_column(default=ZERO)
    vat: Mapped[Money] = mapped_column(default=ZERO)
    gross: Mapped[Money] = mapped_column(default=ZERO)
    #: Sum of payments received (invoices only).
    paid: Mapped[Money] = mapped_column(default=ZERO)
    #: Gross credited by credit notes, as a positive amount (invoices only).
    credited: Mapped[Money] = mapped_column(default=ZERO)
    #: Refunds paid back to the client on a credit balance (invoices only; migration 0011).
    refunded: Mapped[Money] = mapped_column(default=ZERO, server_default="0")
    purchase_order: Mapped[str] = mapped_column(sa.String(200), default="")
    # Frozen on issue: the parties as they were, whatever happens to them later.
    supplier_name: Mapped[str] = mapped_column(sa.String(160), default="")
    supplier_address: Mapped[str] = mapped_column(sa.Text, default="")
    supplier_vat_number: Mapped[str] = mapped_column(sa.String(20), default="")
    supplier_contact: Mapped[str] = mapped_column(sa.String(400), default="")
    customer_name: Mapped[str] = mapped_column(sa.String(160), default="")
    customer_address: Mapped[str] = mapped_column(sa.Text, default="")
    customer_contact: Mapped[str] = mapped_column(sa.String(400), default="")
    payment_terms_days: Mapped[int | None]
    remittance_details: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    client = relationship("Authority", lazy="joined")
    engagement = relationship("Engagement")
    lines = relationship(
        "InvoiceLine", back_populates="invoice", order_by="InvoiceLine.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    payments = relationship("Payment", back_populates="invoice", order_by="Payment.id", passive_deletes=True)
    refunds = relationship("Refund", back_populates="invoice", order_by="Refund.id", passive_deletes=True)
    credits = relationship("Invoice", remote_side=[id], back_populates="credit_notes")
    credit_notes = relationship("Invoice", back_populates="credits", order_by="Invoice.id")

    AUDIT_FIELDS = (
        "kind", "status", "number", "client_id", "engagement_id", "up_to", "credits_id", "reason", "issued_on",
        "due_on", "net", "vat", "gross", "paid", "credited", "refunded", "purchase_order", "supplier_name", "supplier_address",
        "supplier_vat_number", "customer_name", "customer_address", "payment_terms_days",
    )

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def balance(self) -> Decimal:
        """What the client still owes: gross less credits and payments, plus
        refunds paid back.

        Negative when more has been paid than is now due (a refund is due).
        Credit notes carry no balance of their own: they reduce the invoice's.
        """
        if self.is_credit_note or self.is_draft:
            return ZERO
        return self.gross - self.credited - self.paid + self.refunded

    @property
    def refund_due(self) -> bool:
        return self.balance < 0

    def days_overdue(self, today: date) -> int:
        if self.is_credit_note or self.is_draft or self.due_on is None or self.balance <= 0:
            return 0
        return max(0, (today - self.due_on).days)

    def is_overdue(self, today: date) -> bool:
        return self.days_overdue(today) > 0

    @property
    def charges_vat(self) -> bool:
        return any(line.vat_rate is not None for line in self.lines)

    @property
    def title(self) -> str:
        if self.is_credit_note:
            return "Credit note"
        return "VAT invoice" if self.charges_vat else "Invoice"

    @property
    def label(self) -> str:
        return self.number or f"Draft {self.id}"

    @property
    def total_days(self) -> Decimal:
        return sum((line.days for line in self.lines), Decimal("0.00"))

    def __repr__(self) -> str:
        return f"<Invoice {self.id} {self.kind.value} {self.status.value} {self.number}>"


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        sa.CheckConstraint("ROUND(gross * 100) = ROUND(net * 100) + ROUND(vat * 100)", name="gross_is_net_plus_vat"),
        sa.CheckConstraint("rate >= 0", name="rate_not_negative"),
        sa.CheckConstraint("vat_rate IS NULL OR (vat_rate >= 0 AND vat_rate <= 1)", name="vat_rate_range"),
        sa.UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_position"),
        sa.Index("ix_invoice_lines_engagement_id", "engagement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int]
    engagement_id: Mapped[int] = mapped_column(sa.ForeignKey("engagements.id", ondelete="RESTRICT"))
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_members.id", ondelete="RESTRICT"))
    activity: Mapped[Activity] = mapped_column(enum_type(Activity, "activity"))
    # The words printed on the invoice, frozen when the line is made.
    description: Mapped[str] = mapped_column(sa.String(400))
    engagement_title: Mapped[str] = mapped_column(sa.String(200))
    staff_name: Mapped[str] = mapped_column(sa.String(240))
    purchase_order: Mapped[str] = mapped_column(sa.String(60), default="")
    first_day: Mapped[date]
    last_day: Mapped[date]
    #: Negative on credit notes.
    days: Mapped[DayTotal]
    rate: Mapped[Money]
    net: Mapped[Money]
    #: None = outside the scope of VAT (vat_note says why).
    vat_rate: Mapped[Ratio | None]
    vat_note: Mapped[str] = mapped_column(sa.String(255), default="")
    vat: Mapped[Money]
    gross: Mapped[Money]
    #: On a credit-note line: its days were written off, not released for re-invoicing (0011).
    write_off: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: On a credit note: the invoice line it credits (each line is credited at most once).
    credits_line_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invoice_lines.id", ondelete="NO ACTION"), unique=True
    )

    invoice = relationship(Invoice, back_populates="lines")
    day_links = relationship(
        "InvoiceLineDay", back_populates="line", order_by="InvoiceLineDay.worked_on",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    #: The credit-note line that credits this one, if any.
    credited_by = relationship("InvoiceLine", uselist=False, viewonly=True,
                               primaryjoin="InvoiceLine.id == remote(foreign(InvoiceLine.credits_line_id))")

    @property
    def vat_label(self) -> str:
        if self.vat_rate is None:
            return "Outside scope"
        pct = (self.vat_rate * 100).normalize()
        return f"{pct:f}%"

    @property
    def is_credited(self) -> bool:
        return self.credited_by is not None

    @property
    def support_day_ids(self) -> list[int]:
        return [link.support_day_id for link in self.day_links if link.support_day_id is not None]


class InvoiceLineDay(Base):
    """A support day a line covers, with the figures it had when invoiced."""

    __tablename__ = "invoice_line_days"
    __table_args__ = (
        sa.UniqueConstraint("line_id", "support_day_id", name="uq_invoice_line_days_line_day"),
        sa.Index("ix_invoice_line_days_support_day_id", "support_day_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice_lines.id", ondelete="CASCADE"))
    #: NULL only if the day was later deleted (after a credit released it).
    support_day_id: Mapped[int | None] = mapped_column(sa.ForeignKey("support_days.id", ondelete="SET NULL"))
    worked_on: Mapped[date]
    days: Mapped[Days]

    line = relationship(InvoiceLine, back_populates="day_links")


class InvoiceDayClaim(Base):
    """A support day reserved by a live (draft or issued, uncredited) invoice line.

    The primary key is the day: a second claim on it fails in the database,
    on SQLite and PostgreSQL alike, whatever the timing.
    """

    __tablename__ = "invoice_day_claims"

    support_day_id: Mapped[int] = mapped_column(
        sa.ForeignKey("support_days.id", ondelete="RESTRICT"), primary_key=True
    )
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice_lines.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoices.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Money]
    paid_on: Mapped[date]
    reference: Mapped[str] = mapped_column(sa.String(60), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    invoice = relationship(Invoice, back_populates="payments")

    AUDIT_FIELDS = ("invoice_id", "amount", "paid_on", "reference")


class Refund(Base):
    """Money paid back to a client to settle an invoice's credit balance (append-only)."""

    __tablename__ = "refunds"
    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoices.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Money]
    paid_on: Mapped[date]
    reference: Mapped[str] = mapped_column(sa.String(60), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    invoice = relationship(Invoice, back_populates="refunds")

    AUDIT_FIELDS = ("invoice_id", "amount", "paid_on", "reference")


class NumberSeries(Base):
    """The next number of one series, e.g. key ``invoice:HBC:2026`` → 7."""

    __tablename__ = "number_series"
    __table_args__ = (sa.CheckConstraint("next_value >= 1", name="next_value_positive"),)

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    next_value: Mapped[int] = mapped_column(default=1)


def due_date(issued_on: date, terms_days: int) -> date:
    return issued_on + timedelta(days=terms_days)
