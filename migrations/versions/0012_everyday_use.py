"""Everyday use (issue 16): milestone evidence as a dated history, and the
capacity sign-off's explicit statement.

- plan_milestone_evidence: one row per piece of evidence saved on a milestone
  (date noted, text, the status then, who); plan_milestones.evidence keeps the
  latest text. Existing evidence becomes each milestone's first entry, dated
  the day the milestone was last updated.
- capacity_reviews.no_detriment (NULL until signed; true = "Outside work is
  having no detrimental impact on the work within the Borough") and
  impact_reason (why not, when false). Reviews signed before this revision
  keep NULL: they never made the statement.

Revision ID: 0012
Revises: 0009 (was 0007; follows main's chain 0007 → 0011 → 0013 → 0010 → 0009)
Create Date: 2026-11-28 23:38:41

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_milestone_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('milestone_id', sa.Integer(), nullable=False),
        sa.Column('noted_on', sa.Date(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('not_started', 'in_progress', 'done', 'dropped', name='milestone_status',
                                    native_enum=False, create_constraint=True, length=15), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_plan_milestone_evidence_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['milestone_id'], ['plan_milestones.id'],
                                name=op.f('fk_plan_milestone_evidence_milestone_id_plan_milestones'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_milestone_evidence')),
    )
    with op.batch_alter_table('plan_milestone_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_milestone_evidence_milestone_id'), ['milestone_id'], unique=False)
    day = "date(updated_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(updated_at AS DATE)"
    op.execute(
        "INSERT INTO plan_milestone_evidence (milestone_id, noted_on, text, status, created_at, created_by_id) "
        f"SELECT id, {day}, evidence, status, updated_at, updated_by_id "
        "FROM plan_milestones WHERE evidence <> ''"
    )

    with op.batch_alter_table('capacity_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('no_detriment', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('impact_reason', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('capacity_reviews', schema=None) as batch_op:
        batch_op.drop_column('impact_reason')
        batch_op.drop_column('no_detriment')
    with op.batch_alter_table('plan_milestone_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_milestone_evidence_milestone_id'))
    op.drop_table('plan_milestone_evidence')
