"""Invoicing: invoices and credit notes, their lines, the support days each
line covers (kept for the audit trail), live day claims (a day sits on at most
one live invoice: the claim's primary key is the day), payments and the
gap-free number series. On PostgreSQL, triggers refuse changes to issued
invoices, their lines, payments, their day claims (until a credit note) and
the billed figures of claimed days (SQLSTATE TRK01), whatever the client; the
ORM guard does the same on SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:30:22.291464

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# --- PostgreSQL guards: the database's own last word -------------------------------
# Each raises SQLSTATE TRK01, which the app turns into 409 Locked.

PG_GUARDS = [
    """
    CREATE FUNCTION tracker_invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
      IF NEW.paid < OLD.paid OR NEW.credited < OLD.credited THEN
        RAISE EXCEPTION 'Payments and credits on % only ever add up.', OLD.number USING ERRCODE = 'TRK01';
      END IF;
      IF (to_jsonb(NEW) - 'status' - 'paid' - 'credited') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'paid' - 'credited') THEN
        RAISE EXCEPTION '% has been issued and cannot be changed; corrections are credit notes.', OLD.number
          USING ERRCODE = 'TRK01';
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoices_read_only_once_issued BEFORE UPDATE OR DELETE ON invoices
      FOR EACH ROW EXECUTE FUNCTION tracker_invoices_guard()
    """,
    """
    CREATE FUNCTION tracker_invoice_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE parent_status text;
    BEGIN
      SELECT status INTO parent_status FROM invoices WHERE id = OLD.invoice_id;
      IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
        RAISE EXCEPTION 'The lines of an issued invoice cannot be changed or deleted.' USING ERRCODE = 'TRK01';
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoice_lines_read_only_once_issued BEFORE UPDATE OR DELETE ON invoice_lines
      FOR EACH ROW EXECUTE FUNCTION tracker_invoice_lines_guard()
    """,
    """
    CREATE FUNCTION tracker_invoice_line_days_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE parent_status text;
    BEGIN
      -- ON DELETE SET NULL: a day deleted after a credit released it.
      IF TG_OP = 'UPDATE' AND NEW.support_day_id IS NULL AND OLD.support_day_id IS NOT NULL
         AND (NEW.id, NEW.line_id, NEW.worked_on, NEW.days) = (OLD.id, OLD.line_id, OLD.worked_on, OLD.days) THEN
        RETURN NEW;
      END IF;
      SELECT i.status INTO parent_status
        FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE l.id = OLD.line_id;
      IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
        RAISE EXCEPTION 'The days recorded against an issued invoice line cannot be changed.' USING ERRCODE = 'TRK01';
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoice_line_days_read_only_once_issued BEFORE UPDATE OR DELETE ON invoice_line_days
      FOR EACH ROW EXECUTE FUNCTION tracker_invoice_line_days_guard()
    """,
    """
    CREATE FUNCTION tracker_payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'Payments cannot be changed or deleted once recorded.' USING ERRCODE = 'TRK01';
    END $$
    """,
    """
    CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments
      FOR EACH ROW EXECUTE FUNCTION tracker_payments_guard()
    """,
    """
    CREATE FUNCTION tracker_number_series_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.key <> OLD.key OR NEW.next_value <> OLD.next_value + 1 THEN
        RAISE EXCEPTION 'Number series only move on by one; they are never reset or removed.' USING ERRCODE = 'TRK01';
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER number_series_gap_free BEFORE UPDATE OR DELETE ON number_series
      FOR EACH ROW EXECUTE FUNCTION tracker_number_series_guard()
    """,
    """
    CREATE FUNCTION tracker_invoice_day_claims_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE parent_status text;
    BEGIN
      SELECT status INTO parent_status FROM invoices WHERE id = OLD.invoice_id;
      IF parent_status IS NULL OR parent_status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN
          RETURN OLD;
        END IF;
        RETURN NEW;
      END IF;
      IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM invoice_lines WHERE credits_line_id = OLD.line_id) THEN
        RETURN OLD;  -- a credit note has released the line's days
      END IF;
      RAISE EXCEPTION 'The days of an issued invoice stay claimed until a credit note releases them.'
        USING ERRCODE = 'TRK01';
    END $$
    """,
    """
    CREATE TRIGGER invoice_day_claims_held_until_credited BEFORE UPDATE OR DELETE ON invoice_day_claims
      FOR EACH ROW EXECUTE FUNCTION tracker_invoice_day_claims_guard()
    """,
    """
    CREATE FUNCTION tracker_support_days_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM invoice_day_claims WHERE support_day_id = OLD.id) THEN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'This day is on an invoice and cannot be deleted; a credit note releases it.'
            USING ERRCODE = 'TRK01';
        END IF;
        IF (NEW.engagement_id, NEW.staff_id, NEW.worked_on, NEW.activity, NEW.days, NEW.billable)
             IS DISTINCT FROM (OLD.engagement_id, OLD.staff_id, OLD.worked_on, OLD.activity, OLD.days, OLD.billable)
           OR NEW.state = 'planned' THEN
          RAISE EXCEPTION 'This day is on an invoice and cannot be changed; a credit note releases it.'
            USING ERRCODE = 'TRK01';
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER support_days_locked_while_claimed BEFORE UPDATE OR DELETE ON support_days
      FOR EACH ROW EXECUTE FUNCTION tracker_support_days_guard()
    """,
]

PG_GUARDS_DOWN = [
    "DROP TRIGGER IF EXISTS support_days_locked_while_claimed ON support_days",
    "DROP FUNCTION IF EXISTS tracker_support_days_guard()",
    "DROP TRIGGER IF EXISTS invoice_day_claims_held_until_credited ON invoice_day_claims",
    "DROP FUNCTION IF EXISTS tracker_invoice_day_claims_guard()",
    "DROP TRIGGER IF EXISTS number_series_gap_free ON number_series",
    "DROP FUNCTION IF EXISTS tracker_number_series_guard()",
    "DROP TRIGGER IF EXISTS payments_append_only ON payments",
    "DROP FUNCTION IF EXISTS tracker_payments_guard()",
    "DROP TRIGGER IF EXISTS invoice_line_days_read_only_once_issued ON invoice_line_days",
    "DROP FUNCTION IF EXISTS tracker_invoice_line_days_guard()",
    "DROP TRIGGER IF EXISTS invoice_lines_read_only_once_issued ON invoice_lines",
    "DROP FUNCTION IF EXISTS tracker_invoice_lines_guard()",
    "DROP TRIGGER IF EXISTS invoices_read_only_once_issued ON invoices",
    "DROP FUNCTION IF EXISTS tracker_invoices_guard()",
]


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('number_series',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('next_value', sa.Integer(), nullable=False),
    sa.CheckConstraint('next_value >= 1', name=op.f('ck_number_series_next_value_positive')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_number_series'))
    )
    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('invoice', 'credit_note', name='invoice_kind', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('status', sa.Enum('draft', 'issued', 'part_paid', 'paid', 'credited', name='invoice_status', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('up_to', sa.Date(), nullable=False),
    sa.Column('credits_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('net', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('gross', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('paid', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('credited', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('purchase_order', sa.String(length=200), nullable=False),
    sa.Column('supplier_name', sa.String(length=160), nullable=False),
    sa.Column('supplier_address', sa.Text(), nullable=False),
    sa.Column('supplier_vat_number', sa.String(length=20), nullable=False),
    sa.Column('supplier_contact', sa.String(length=400), nullable=False),
    sa.Column('customer_name', sa.String(length=160), nullable=False),
    sa.Column('customer_address', sa.Text(), nullable=False),
    sa.Column('customer_contact', sa.String(length=400), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=True),
    sa.Column('remittance_details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'credit_note') = (credits_id IS NOT NULL)", name=op.f('ck_invoices_credit_note_credits_invoice')),
    sa.CheckConstraint("(status = 'draft') = (issued_on IS NULL)", name=op.f('ck_invoices_issued_on_iff_issued')),
    sa.CheckConstraint("(status = 'draft') = (number IS NULL)", name=op.f('ck_invoices_number_iff_issued')),
    sa.CheckConstraint('ROUND(gross * 100) = ROUND(net * 100) + ROUND(vat * 100)', name=op.f('ck_invoices_gross_is_net_plus_vat')),
    sa.CheckConstraint('paid >= 0 AND credited >= 0', name=op.f('ck_invoices_paid_and_credited_not_negative')),
    sa.ForeignKeyConstraint(['client_id'], ['authorities.id'], name=op.f('fk_invoices_client_id_authorities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_invoices_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['credits_id'], ['invoices.id'], name=op.f('fk_invoices_credits_id_invoices'), ondelete='NO ACTION'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_invoices_engagement_id_engagements'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_invoices_issued_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_client_id_status', ['client_id', 'status'], unique=False)
        batch_op.create_index('ix_invoices_credits_id', ['credits_id'], unique=False)
        batch_op.create_index('ix_invoices_issued_on', ['issued_on'], unique=False)

    op.create_table('invoice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Enum('scoping', 'self_assessment', 'training', 'training_programme', 'mentoring', 'tools', 'action_planning', 'shared_service', 'other', name='activity', native_enum=False, create_constraint=True, length=22), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('engagement_title', sa.String(length=200), nullable=False),
    sa.Column('staff_name', sa.String(length=240), nullable=False),
    sa.Column('purchase_order', sa.String(length=60), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('days', sa.Numeric(precision=9, scale=2), nullable=False),
    sa.Column('rate', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('net', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('vat_note', sa.String(length=255), nullable=False),
    sa.Column('vat', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('gross', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('credits_line_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ROUND(gross * 100) = ROUND(net * 100) + ROUND(vat * 100)', name=op.f('ck_invoice_lines_gross_is_net_plus_vat')),
    sa.CheckConstraint('rate >= 0', name=op.f('ck_invoice_lines_rate_not_negative')),
    sa.CheckConstraint('vat_rate IS NULL OR (vat_rate >= 0 AND vat_rate <= 1)', name=op.f('ck_invoice_lines_vat_rate_range')),
    sa.ForeignKeyConstraint(['credits_line_id'], ['invoice_lines.id'], name=op.f('fk_invoice_lines_credits_line_id_invoice_lines'), ondelete='NO ACTION'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_invoice_lines_engagement_id_engagements'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_invoice_lines_staff_id_staff_members'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines')),
    sa.UniqueConstraint('credits_line_id', name=op.f('uq_invoice_lines_credits_line_id')),
    sa.UniqueConstraint('invoice_id', 'position', name='uq_invoice_lines_position')
    )
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.create_index('ix_invoice_lines_engagement_id', ['engagement_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_payments_amount_positive')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payments_invoice_id_invoices'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_payments_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('invoice_day_claims',
    sa.Column('support_day_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_day_claims_invoice_id_invoices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['line_id'], ['invoice_lines.id'], name=op.f('fk_invoice_day_claims_line_id_invoice_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['support_day_id'], ['support_days.id'], name=op.f('fk_invoice_day_claims_support_day_id_support_days'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('support_day_id', name=op.f('pk_invoice_day_claims'))
    )
    with op.batch_alter_table('invoice_day_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_day_claims_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_day_claims_line_id'), ['line_id'], unique=False)

    op.create_table('invoice_line_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('support_day_id', sa.Integer(), nullable=True),
    sa.Column('worked_on', sa.Date(), nullable=False),
    sa.Column('days', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['invoice_lines.id'], name=op.f('fk_invoice_line_days_line_id_invoice_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['support_day_id'], ['support_days.id'], name=op.f('fk_invoice_line_days_support_day_id_support_days'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_line_days')),
    sa.UniqueConstraint('line_id', 'support_day_id', name='uq_invoice_line_days_line_day')
    )
    with op.batch_alter_table('invoice_line_days', schema=None) as batch_op:
        batch_op.create_index('ix_invoice_line_days_support_day_id', ['support_day_id'], unique=False)

    # ### end Alembic commands ###
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_GUARDS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_GUARDS_DOWN:
            op.execute(statement)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('invoice_line_days', schema=None) as batch_op:
        batch_op.drop_index('ix_invoice_line_days_support_day_id')

    op.drop_table('invoice_line_days')
    with op.batch_alter_table('invoice_day_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_day_claims_line_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_day_claims_invoice_id'))

    op.drop_table('invoice_day_claims')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_invoice_id'))

    op.drop_table('payments')
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_invoice_lines_engagement_id')

    op.drop_table('invoice_lines')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_issued_on')
        batch_op.drop_index('ix_invoices_credits_id')
        batch_op.drop_index('ix_invoices_client_id_status')

    op.drop_table('invoices')
    op.drop_table('number_series')
    # ### end Alembic commands ###
