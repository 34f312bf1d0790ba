"""Indexes for national scale (issue 7).

- support_days (engagement_id, worked_on, id): an engagement's day list, newest
  first, paged by a deferred join (pagination.paginate_deferred): the ids of
  page 500 come from this index alone, then 50 rows are read.
- support_days (worked_on, engagement_id, state, billable, days) replaces
  ix_support_days_worked_on (its first column): income and capacity sums by
  month × client over a date range read the index only, never the million
  rows, and day inserts maintain no more indexes than before.
- engagements (start_date, id): the engagement list's order when unfiltered
  (filtered by client/status it already has ix_engagements_client_id_status).

The invoice list already has ix_invoices_client_id_status and
ix_invoices_issued_on; lines, day links and payments are indexed by invoice.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:00:00

"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_support_days_engagement_id_worked_on_id", "support_days",
                    ["engagement_id", "worked_on", "id"], unique=False)
    op.create_index("ix_support_days_worked_on_engagement_id", "support_days",
                    ["worked_on", "engagement_id", "state", "billable", "days"], unique=False)
    op.drop_index("ix_support_days_worked_on", table_name="support_days")
    op.create_index("ix_engagements_start_date_id", "engagements", ["start_date", "id"], unique=False)


def downgrade():
    op.drop_index("ix_engagements_start_date_id", table_name="engagements")
    op.create_index("ix_support_days_worked_on", "support_days", ["worked_on"], unique=False)
    op.drop_index("ix_support_days_worked_on_engagement_id", table_name="support_days")
    op.drop_index("ix_support_days_engagement_id_worked_on_id", table_name="support_days")
