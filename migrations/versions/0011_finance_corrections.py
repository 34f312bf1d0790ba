"""Finance corrections (issue 15): write-offs and refunds.

- support_days.written_off: a credited day the finance officer wrote off; it
  stays in state invoiced (locked) and is never billable again.
- invoice_lines.write_off: on a credit-note line, its days were written off
  rather than released for re-invoicing.
- invoices.refunded: the sum of refunds paid back on an invoice with a credit
  balance; balance = gross - credited - paid + refunded.
- refunds: append-only, like payments (ORM guard and PostgreSQL trigger).

- ix_support_days_worked_on_engagement_id (0007) gains staff_id, activity and
  written_off: the income report prices pricing lines (engagement, staff,
  activity, month; docs/finance.md) from this index alone, as it summed by
  month × client before. Same name, so day inserts maintain no more indexes.

The PostgreSQL guard on issued invoices is replaced so that ``refunded`` may
still change (only upwards), like ``paid`` and ``credited``.

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-28 23:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0007'
branch_labels = None
depends_on = None

INVOICES_GUARD = """
    CREATE OR REPLACE FUNCTION tracker_invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION '% has been issued and cannot be deleted; credit it instead.', OLD.number
            USING ERRCODE = 'TRK01';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'draft' THEN
        RETURN NEW;
      END IF;
      IF NEW.status = 'draft' THEN
        RAISE EXCEPTION '% has been issued and cannot go back to draft.', OLD.number USING ERRCODE = 'TRK01';
      END IF;
      IF NEW.paid < OLD.paid OR NEW.credited < OLD.credited OR NEW.refunded < OLD.refunded THEN
        RAISE EXCEPTION 'Payments, credits and refunds on % only ever add up.', OLD.number USING ERRCODE = 'TRK01';
      END IF;
      IF (to_jsonb(NEW) - 'status' - 'paid' - 'credited' - 'refunded')
         IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'paid' - 'credited' - 'refunded') THEN
        RAISE EXCEPTION '% has been issued and cannot be changed; corrections are credit notes.', OLD.number
          USING ERRCODE = 'TRK01';
      END IF;
      RETURN NEW;
    END $$
"""

OLD_INVOICES_GUARD = INVOICES_GUARD.replace(" OR NEW.refunded < OLD.refunded", "").replace(
    "Payments, credits and refunds", "Payments and credits").replace(" - 'refunded'", "")

REFUNDS_GUARD = [
    """
    CREATE FUNCTION tracker_refunds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'Refunds cannot be changed or deleted once recorded.' USING ERRCODE = 'TRK01';
    END $$
    """,
    """
    CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds
      FOR EACH ROW EXECUTE FUNCTION tracker_refunds_guard()
    """,
]


WIDE_INDEX = ["worked_on", "engagement_id", "state", "billable", "days", "staff_id", "activity", "written_off"]


def upgrade():
    with op.batch_alter_table('support_days') as batch:
        batch.add_column(sa.Column('written_off', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('invoice_lines') as batch:
        batch.add_column(sa.Column('write_off', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('invoices') as batch:
        batch.add_column(sa.Column('refunded', sa.Numeric(precision=12, scale=2), nullable=False,
                                   server_default='0'))
        batch.create_check_constraint(op.f('ck_invoices_refunded_not_negative'), 'refunded >= 0')
    op.drop_index('ix_support_days_worked_on_engagement_id', table_name='support_days')
    op.create_index('ix_support_days_worked_on_engagement_id', 'support_days',
                    WIDE_INDEX, unique=False)
    op.create_table(
        'refunds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount > 0', name=op.f('ck_refunds_amount_positive')),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_refunds_invoice_id_invoices'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_refunds_recorded_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    )
    op.create_index(op.f('ix_refunds_invoice_id'), 'refunds', ['invoice_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(INVOICES_GUARD)
        for statement in REFUNDS_GUARD:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS refunds_append_only ON refunds")
        op.execute("DROP FUNCTION IF EXISTS tracker_refunds_guard()")
        op.execute(OLD_INVOICES_GUARD)
    op.drop_index(op.f('ix_refunds_invoice_id'), table_name='refunds')
    op.drop_table('refunds')
    with op.batch_alter_table('invoices') as batch:
        batch.drop_constraint(op.f('ck_invoices_refunded_not_negative'), type_='check')
        batch.drop_column('refunded')
    with op.batch_alter_table('invoice_lines') as batch:
        batch.drop_column('write_off')
    op.drop_index('ix_support_days_worked_on_engagement_id', table_name='support_days')
    op.create_index('ix_support_days_worked_on_engagement_id', 'support_days',
                    WIDE_INDEX[:5], unique=False)
    with op.batch_alter_table('support_days') as batch:
        batch.drop_column('written_off')
