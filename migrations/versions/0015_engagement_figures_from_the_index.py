"""An engagement's figures from an index alone (issue 19).

The (engagement_id, state, worked_on, days) index of 0014 gains the columns an
engagement's figures are summed by: activity, billable and written_off. The
engagement page's figures and the client progress report sum an engagement's
days by activity (delivered, planned, billable, written off) and price them;
with those columns in the index neither reads a day's table row (the progress
report of the bench's largest assessed engagement: 21 to 13 ms on SQLite at
1,000,000 days). It replaces 0014's index, so day inserts maintain the same
number of indexes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 09:10:00

"""
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

COLUMNS = ["engagement_id", "state", "worked_on", "days", "activity", "billable", "written_off"]


def upgrade():
    op.create_index("ix_support_days_engagement_id_state_worked_on_covering", "support_days", COLUMNS, unique=False)
    op.drop_index("ix_support_days_engagement_id_state_worked_on_days", table_name="support_days")


def downgrade():
    op.create_index("ix_support_days_engagement_id_state_worked_on_days", "support_days", COLUMNS[:4], unique=False)
    op.drop_index("ix_support_days_engagement_id_state_worked_on_covering", table_name="support_days")
