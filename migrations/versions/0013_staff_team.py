"""Staff members get a team or service (issue 19).

The capacity review of a large shared service filters by it; empty for
people not yet placed in a team. A plain text column, not a table: teams are
named by the people who run them, and a filter needs no more structure.

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-28 23:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_members") as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=80), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("staff_members") as batch_op:
        batch_op.drop_column("team")
